package postgres_test

import (
	"errors"
	"testing"
	"time"

	"github.com/orderbot/orderbot/core"
)

// TestOrders_CustomerAuthority: customers see and touch only their own
// orders, and only what customers may do (invariant 6, in the core).
func TestOrders_CustomerAuthority(t *testing.T) {
	s := newShop(t)
	p := s.product("P", 100, 10)
	alice, bob := s.customer("Alice", 0), s.customer("Bob", 0)
	aliceOrder := s.place(alice, false, line(p, 1))
	s.place(bob, false, line(p, 1))
	asBob := customerActor(bob)

	if _, err := s.orders.Get(ctx(), asBob, aliceOrder.ID); !errors.Is(err, core.ErrNotFound) {
		t.Errorf("Bob reads Alice's order: %v", err)
	}
	if evs, err := s.orders.History(ctx(), asBob, aliceOrder.ID); !errors.Is(err, core.ErrNotFound) {
		t.Errorf("Bob reads Alice's history: %v %v", evs, err)
	}
	if _, err := s.orders.Cancel(ctx(), asBob, aliceOrder.ID, 0, "mine now"); !errors.Is(err, core.ErrNotFound) {
		t.Errorf("Bob cancels Alice's order: %v", err)
	}
	list := must[[]core.Order](t)(s.orders.List(ctx(), asBob, core.OrderFilter{CustomerID: alice.ID}))
	if len(list) != 1 || list[0].CustomerID != bob.ID {
		t.Errorf("Bob lists Alice's orders: %+v", list)
	}
	if _, err := s.orders.Place(ctx(), asBob, core.PlaceOrder{CustomerID: alice.ID, Lines: []core.OrderLineInput{line(p, 1)}}); !errors.Is(err, core.ErrForbidden) {
		t.Errorf("Bob orders for Alice: %v", err)
	}
	asAlice := customerActor(alice)
	staffOnly := map[string]func() error{
		"confirm": func() error { _, err := s.orders.Confirm(ctx(), asAlice, aliceOrder.ID, 0); return err },
		"ship":    func() error { _, _, err := s.orders.Ship(ctx(), asAlice, aliceOrder.ID, 0, nil); return err },
		"invoice": func() error { _, _, err := s.orders.IssueInvoice(ctx(), asAlice, aliceOrder.ID, 0, ""); return err },
		"pay": func() error {
			_, err := s.orders.RecordPayment(ctx(), asAlice, core.PaymentInput{CustomerID: alice.ID, Amount: 100, Method: core.PayCash})
			return err
		},
		"close": func() error { _, err := s.orders.Close(ctx(), asAlice, aliceOrder.ID, 0, "x"); return err },
		"confirm placed": func() error {
			_, err := s.orders.Place(ctx(), asAlice, core.PlaceOrder{CustomerID: alice.ID, Confirmed: true, Lines: []core.OrderLineInput{line(p, 1)}})
			return err
		},
	}
	for name, do := range staffOnly {
		if err := do(); !errors.Is(err, core.ErrForbidden) {
			t.Errorf("Alice does %s: %v", name, err)
		}
	}
	if got := must[*core.Order](t)(s.orders.Get(ctx(), manager, aliceOrder.ID)); got.Version != aliceOrder.Version {
		t.Errorf("refused actions changed the order")
	}
	if _, err := s.orders.Cancel(ctx(), asAlice, aliceOrder.ID, 0, "changed my mind"); err != nil {
		t.Errorf("Alice cancels her new order: %v", err)
	}
}

// TestOrders_CreditLimit: a customer cannot order beyond their limit; staff
// may, and the override is in the order's events.
func TestOrders_CreditLimit(t *testing.T) {
	s := newShop(t)
	p := s.product("P", 1000, 100)
	c := s.customer("Limited", 30)
	limit := core.Money(2500)
	c = must[*core.Customer](t)(s.customers.Update(ctx(), manager, c.ID, func(c *core.Customer) { c.CreditLimit = &limit }))
	as := customerActor(c)
	if _, err := s.orders.Place(ctx(), as, core.PlaceOrder{CustomerID: c.ID, Lines: []core.OrderLineInput{line(p, 2)}}); err != nil {
		t.Fatal(err)
	}
	_, err := s.orders.Place(ctx(), as, core.PlaceOrder{CustomerID: c.ID, Lines: []core.OrderLineInput{line(p, 1)}})
	if !errors.Is(err, core.ErrForbidden) || core.SafeMessage(err) == "" {
		t.Fatalf("beyond the limit: %v", err)
	}
	if _, err := s.orders.Place(ctx(), manager, core.PlaceOrder{CustomerID: c.ID, Lines: []core.OrderLineInput{line(p, 1)}}); !errors.Is(err, core.ErrForbidden) {
		t.Fatalf("staff without override: %v", err)
	}
	o, err := s.orders.Place(ctx(), manager, core.PlaceOrder{CustomerID: c.ID, OverrideCreditLimit: true, Lines: []core.OrderLineInput{line(p, 1)}})
	if err != nil {
		t.Fatal(err)
	}
	evs := must[[]core.Event](t)(s.orders.History(ctx(), manager, o.ID))
	if len(evs) != 1 || evs[0].Detail == "" || evs[0].Actor.Name != manager.Name {
		t.Fatalf("override not recorded: %+v", evs)
	}
	if _, err := s.customers.Update(ctx(), as, c.ID, func(c *core.Customer) { c.CreditLimit = nil }); !errors.Is(err, core.ErrForbidden) {
		t.Fatalf("customer lifts own limit: %v", err)
	}
}

// TestBilling_Prepayment: money paid for an order before its invoice is held
// for it, the order shows paid, and the invoice is paid at once when issued.
func TestBilling_Prepayment(t *testing.T) {
	s := newShop(t)
	p := s.product("P", 1000, 10)
	c := s.customer("Prepay", 0)
	o := s.place(c, true, line(p, 3))
	if _, err := s.orders.RecordPayment(ctx(), manager, core.PaymentInput{CustomerID: c.ID, OrderID: o.ID, Amount: 3000, Method: core.PayBank, Reference: "PO-77"}); err != nil {
		t.Fatal(err)
	}
	o = must[*core.Order](t)(s.orders.Get(ctx(), manager, o.ID))
	if o.Status != core.StatusPaid || o.Fulfilment != core.NotShipped {
		t.Fatalf("prepaid order: %s / %s", o.Status, o.Fulfilment)
	}
	if b := s.balance(c); b.Debt != -3000 {
		t.Fatalf("credit before invoice: %+v", b)
	}
	inv, _, err := s.orders.IssueInvoice(ctx(), manager, o.ID, 0, "")
	if err != nil || inv.Basis != core.BillOrdered || inv.Paid != 3000 || inv.Open() != 0 {
		t.Fatalf("invoice after prepayment: %+v %v", inv, err)
	}
	if b := s.balance(c); b.Debt != 0 {
		t.Fatalf("balance: %+v", b)
	}
	_, o, err = s.orders.Ship(ctx(), manager, o.ID, 0, nil)
	if err != nil || o.Status != core.StatusPaid || o.SettledAt == nil {
		t.Fatalf("shipped prepaid order: %v %v", o.Status, err)
	}
}

// TestBilling_AgeingAndVoid: overdue invoices fall into ageing buckets;
// voiding one takes it out of the debt and re-applies money paid on it.
func TestBilling_AgeingAndVoid(t *testing.T) {
	s := newShop(t)
	p := s.product("P", 1000, 100)
	c := s.customer("Slow payer", 10)
	inv := func() *core.Invoice {
		o := s.orderIn(core.StatusShipped, c, p)
		i, _, err := s.orders.IssueInvoice(ctx(), manager, o.ID, 0, "")
		if err != nil {
			t.Fatal(err)
		}
		return i
	}
	old := inv() // due day 10
	s.clock.Advance(50 * 24 * time.Hour)
	mid := inv() // due day 60
	s.clock.Advance(35 * 24 * time.Hour)
	b := s.balance(c) // today is day 85: old is 75 days late, mid 25
	if b.Overdue61_90 != 2000 || b.Overdue1_30 != 2000 || b.NotDue != 0 || b.Debt != 4000 {
		t.Fatalf("ageing: %+v", b)
	}
	if _, err := s.orders.RecordPayment(ctx(), manager, core.PaymentInput{CustomerID: c.ID, Amount: 2500, Method: core.PayBank}); err != nil {
		t.Fatal(err)
	}
	if b = s.balance(c); b.Overdue61_90 != 0 || b.Overdue1_30 != 1500 || b.Debt != 1500 {
		t.Fatalf("oldest paid first: %+v", b)
	}
	if _, err := s.orders.VoidInvoice(ctx(), manager, old.ID, "billed twice"); err != nil {
		t.Fatal(err)
	}
	if b = s.balance(c); b.Debt != -500 || b.Overdue1_30 != 0 {
		t.Fatalf("after void: %+v", b)
	}
	if got := must[*core.Invoice](t)(s.db.Invoice(ctx(), mid.ID)); got.Open() != 0 {
		t.Fatalf("money from the void invoice not re-applied: %+v", got)
	}
}

// TestOrders_RefusalsAlike: whatever a customer asks for that is not theirs
// (an order, its history, a cancel, an invoice, a customer record) gets the
// same refusal whether it exists or not, so ids reveal nothing.
func TestOrders_RefusalsAlike(t *testing.T) {
	s := newShop(t)
	p := s.product("P", 100, 10)
	alice, bob := s.customer("Alice", 0), s.customer("Bob", 0)
	o := s.place(alice, true, line(p, 1))
	inv, _, err := s.orders.IssueInvoice(ctx(), manager, o.ID, 0, core.BillOrdered)
	if err != nil {
		t.Fatal(err)
	}
	asBob := customerActor(bob)
	const none = 987654321
	alike := func(what string, same error, theirs int64, do func(id int64) error) {
		t.Helper()
		want := do(theirs)
		for _, id := range []int64{0, none} {
			if got := do(id); !errors.Is(got, same) || !errors.Is(want, same) || core.SafeMessage(got) != core.SafeMessage(want) {
				t.Errorf("%s %d: %v; someone else's: %v", what, id, got, want)
			}
		}
	}
	alike("order", core.ErrNoSuchOrder, o.ID, func(id int64) error { _, err := s.orders.Get(ctx(), asBob, id); return err })
	alike("history", core.ErrNoSuchOrder, o.ID, func(id int64) error { _, err := s.orders.History(ctx(), asBob, id); return err })
	alike("cancel", core.ErrNoSuchOrder, o.ID, func(id int64) error { _, err := s.orders.Cancel(ctx(), asBob, id, 0, "x"); return err })
	alike("shipments", core.ErrNoSuchOrder, o.ID, func(id int64) error { _, err := s.orders.Shipments(ctx(), asBob, id); return err })
	alike("invoice", core.ErrNoSuchInvoice, inv.ID, func(id int64) error { _, err := s.orders.InvoiceByID(ctx(), asBob, id); return err })
	alike("customer", core.ErrNoSuchCustomer, alice.ID, func(id int64) error { _, err := s.customers.Get(ctx(), asBob, id); return err })
	alike("customer update", core.ErrNoSuchCustomer, alice.ID, func(id int64) error {
		_, err := s.customers.Update(ctx(), asBob, id, func(c *core.Customer) { c.Name = "x" })
		return err
	})
	if _, err := s.orders.Invoice(ctx(), asBob, inv.Number); !errors.Is(err, core.ErrNoSuchInvoice) {
		t.Errorf("Bob reads Alice's invoice by number: %v", err)
	}
	if _, err := s.orders.Invoice(ctx(), asBob, "INV-1999-000001"); !errors.Is(err, core.ErrNoSuchInvoice) {
		t.Errorf("Bob reads an invoice that does not exist: %v", err)
	}
	if _, err := s.orders.GetByNumber(ctx(), asBob, "1999-000001"); !errors.Is(err, core.ErrNoSuchOrder) {
		t.Errorf("Bob reads an order number that does not exist: %v", err)
	}
	if _, err := s.orders.Get(ctx(), manager, none); errors.Is(err, core.ErrNoSuchOrder) || !errors.Is(err, core.ErrNotFound) {
		t.Errorf("staff are told plainly: %v", err)
	}
}
