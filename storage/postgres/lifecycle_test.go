package postgres_test

import (
	"errors"
	"testing"
	"time"

	"github.com/orderbot/orderbot/core"
)

func TestOrders_Lifecycle(t *testing.T) {
	s := newShop(t)
	p := s.product("NUT-1", 1250, 20)
	q := s.product("BOLT-2", 300, 5)
	c := s.customer("Acme Ltd", 14)

	o := s.place(c, false, line(p, 4), line(q, 5))
	if o.Status != core.StatusNew || o.Total() != 4*1250+5*300 {
		t.Fatalf("placed: status %s total %d", o.Status, o.Total())
	}
	if st := s.stock(p.ID); st.Reserved != 4 || st.Free != 16 {
		t.Fatalf("after place: %+v", st)
	}
	o = must[*core.Order](t)(s.orders.Confirm(ctx(), manager, o.ID, o.Version))
	if o.Status != core.StatusInProgress {
		t.Fatalf("confirmed: %s", o.Status)
	}
	_, o, err := s.orders.Ship(ctx(), manager, o.ID, 0, []core.QtyLine{{ProductID: p.ID, Qty: 3}})
	if err != nil {
		t.Fatal(err)
	}
	if o.Fulfilment != core.PartlyShipped || o.Status != core.StatusInProgress {
		t.Fatalf("part shipped: %s %s", o.Fulfilment, o.Status)
	}
	if st := s.stock(p.ID); st.OnHand != 17 || st.Reserved != 1 {
		t.Fatalf("after ship: %+v", st)
	}
	inv, o, err := s.orders.IssueInvoice(ctx(), manager, o.ID, 0, "")
	if err != nil {
		t.Fatal(err)
	}
	if inv.Basis != core.BillShipped || inv.Amount != 3*1250 || inv.Number != "INV-2026-000001" {
		t.Fatalf("invoice: %+v", inv)
	}
	if got := inv.DueOn.Format("2006-01-02"); got != "2026-03-24" {
		t.Fatalf("due %s", got)
	}
	if b := s.balance(c); b.Debt != 3750 || b.NotDue != 3750 {
		t.Fatalf("balance: %+v", b)
	}
	_, o, err = s.orders.Ship(ctx(), manager, o.ID, 0, nil)
	if err != nil {
		t.Fatal(err)
	}
	if o.Status != core.StatusShipped {
		t.Fatalf("shipped: %s", o.Status)
	}
	inv2, _, err := s.orders.IssueInvoice(ctx(), manager, o.ID, 0, "")
	if err != nil || inv2.Number != "INV-2026-000002" || inv2.Amount != 1250+1500 {
		t.Fatalf("invoice 2: %+v %v", inv2, err)
	}
	if _, _, err := s.orders.IssueInvoice(ctx(), manager, o.ID, 0, ""); !errors.Is(err, core.ErrInvalid) {
		t.Fatalf("third invoice: %v", err)
	}
	if _, err := s.orders.RecordPayment(ctx(), manager, core.PaymentInput{CustomerID: c.ID, Amount: 4000, Method: core.PayBank}); err != nil {
		t.Fatal(err)
	}
	o = must[*core.Order](t)(s.orders.Get(ctx(), manager, o.ID))
	if o.Payment != core.PartlyPaid || o.Paid != 4000 {
		t.Fatalf("partly paid: %s %d", o.Payment, o.Paid)
	}
	if _, err := s.orders.RecordPayment(ctx(), manager, core.PaymentInput{CustomerID: c.ID, Amount: 2500, Method: core.PayCash}); err != nil {
		t.Fatal(err)
	}
	o = must[*core.Order](t)(s.orders.Get(ctx(), manager, o.ID))
	if o.Status != core.StatusPaid || o.SettledAt == nil {
		t.Fatalf("shipped and paid: %s (%s/%s) paid %d due %d", o.Status, o.Fulfilment, o.Payment, o.Paid, o.Due())
	}
	s.clock.Advance(core.DefaultCloseAfter - time.Hour)
	if n, err := s.orders.CloseSettled(ctx(), core.System, core.DefaultCloseAfter, 100); err != nil || n != 0 {
		t.Fatalf("closed before the time: %d %v", n, err)
	}
	s.clock.Advance(2 * time.Hour)
	if n, err := s.orders.CloseSettled(ctx(), core.System, core.DefaultCloseAfter, 100); err != nil || n != 1 {
		t.Fatalf("close settled: %d %v", n, err)
	}
	o = must[*core.Order](t)(s.orders.Get(ctx(), manager, o.ID))
	if o.Status != core.StatusClosed || o.CloseReason != core.AutoCloseReason {
		t.Fatalf("closed: %s (%s/%s) paid %d due %d", o.Status, o.Fulfilment, o.Payment, o.Paid, o.Due())
	}
	if b := s.balance(c); b.Debt != 0 {
		t.Fatalf("balance: %+v", b)
	}
	evs := must[[]core.Event](t)(s.orders.History(ctx(), manager, o.ID))
	if len(evs) < 7 {
		t.Fatalf("events: %d", len(evs))
	}
	for _, e := range evs {
		t.Logf("%s %s %s->%s %s", e.Actor.Name, e.Action, e.Before, e.After, e.Detail)
	}
}
