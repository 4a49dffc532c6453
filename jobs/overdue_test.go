package jobs_test

import (
	"testing"
	"time"

	"github.com/orderbot/orderbot/core"
	"github.com/orderbot/orderbot/jobs"
)

// TestOverdueShipments_Golden: confirmed orders past their promised date and
// not fully shipped go to staff, oldest promise first, each with a button
// that opens its card; shipped, future and unconfirmed orders do not.
func TestOverdueShipments_Golden(t *testing.T) {
	s := newShop(t)
	tea := s.product("TEA", "Green tea", 450, 100)
	cup := s.product("CUP", "Cup", 1200, 100)
	alice := s.customer("Alice", 0, 0)
	bob := s.customer("Bob & Co", 0, 14)
	s.order(alice, date(2026, 3, 5), core.OrderLineInput{ProductID: tea.ID, Qty: 3})
	older := s.order(bob, date(2026, 3, 1), core.OrderLineInput{ProductID: cup.ID, Qty: 2}, core.OrderLineInput{ProductID: tea.ID, Qty: 1})
	_, _, err := s.orders.Ship(ctx(), staffActor, older.ID, older.Version, []core.QtyLine{{ProductID: cup.ID, Qty: 1}})
	if err != nil {
		t.Fatal(err)
	}
	shipped := s.order(alice, date(2026, 3, 2), core.OrderLineInput{ProductID: cup.ID, Qty: 1})
	if _, _, err := s.orders.Ship(ctx(), staffActor, shipped.ID, shipped.Version, nil); err != nil {
		t.Fatal(err)
	}
	s.order(bob, date(2026, 3, 10), core.OrderLineInput{ProductID: tea.ID, Qty: 1}) // due today: not late
	if _, err := s.orders.Place(ctx(), staffActor, core.PlaceOrder{CustomerID: alice.ID, PromisedOn: date(2026, 3, 1),
		Lines: []core.OrderLineInput{{ProductID: tea.ID, Qty: 1}}}); err != nil { // not confirmed
		t.Fatal(err)
	}
	s.drain()
	before := s.sentCount(managerID)

	res, err := s.runner.RunAt(ctx(), jobs.JobOverdueShipments, time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC))
	if err != nil || res != jobs.Ran {
		t.Fatalf("run: %v %v", res, err)
	}
	s.drain()
	golden(t, "overdue_manager.golden", s.since(managerID, before))
	if got := s.since(ownerID, s.sentCount(ownerID)-1); got == "" || got != s.since(managerID, before) {
		t.Errorf("the owner got another list:\n%s", got)
	}
}
