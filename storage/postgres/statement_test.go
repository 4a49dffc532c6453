package postgres_test

import (
	"errors"
	"testing"
	"time"

	"github.com/orderbot/orderbot/core"
)

// TestStatement_Balances: a customer's account over a period, against a
// case computed by hand: an invoice of 50.00 before the period, then a
// payment of 20.00, a credit note of 20.00 (goods returned), a payment of
// 15.00 and its reversal, an invoice of 30.00 on the last day, voided the
// day after the period. Opening 50.00, debit 45.00, credit 55.00, closing
// 40.00; over all time the closing balance is the customer's debt.
func TestStatement_Balances(t *testing.T) {
	s := newShop(t)
	p := s.product("ST", 1000, 100)
	c := s.customer("Statement Ltd", 7)
	other := s.customer("Someone Else", 7)
	day := func() { s.clock.Advance(24 * time.Hour) }

	o := s.place(c, true, line(p, 5)) // 10 Mar
	must[*core.Shipment](t)(func() (*core.Shipment, error) {
		sh, _, err := s.orders.Ship(ctx(), manager, o.ID, 0, nil)
		return sh, err
	}())
	inv1 := must[*core.Invoice](t)(func() (*core.Invoice, error) {
		i, _, err := s.orders.IssueInvoice(ctx(), manager, o.ID, 0, "")
		return i, err
	}())
	oo := s.place(other, true, line(p, 1))
	if _, err := s.orders.RecordPayment(ctx(), manager, core.PaymentInput{CustomerID: other.ID, OrderID: oo.ID, Amount: 999, Method: core.PayCash}); err != nil {
		t.Fatal(err)
	}
	day()
	day() // 12 Mar
	pay1 := must[*core.Payment](t)(s.orders.RecordPayment(ctx(), manager, core.PaymentInput{CustomerID: c.ID, OrderID: o.ID, Amount: 2000, Method: core.PayBank, Reference: "TX-1"}))
	day()
	day()
	day() // 15 Mar
	if _, _, _, err := s.orders.ReturnGoods(ctx(), manager, o.ID, 0, []core.QtyLine{{ProductID: p.ID, Qty: 2}}, "damaged"); err != nil {
		t.Fatal(err)
	}
	day() // 16 Mar
	pay2 := must[*core.Payment](t)(s.orders.RecordPayment(ctx(), manager, core.PaymentInput{CustomerID: c.ID, Amount: 1500, Method: core.PayCard}))
	day() // 17 Mar
	if err := s.orders.ReversePayment(ctx(), manager, pay2.ID, "chargeback"); err != nil {
		t.Fatal(err)
	}
	for range 3 {
		day()
	} // 20 Mar
	o2 := s.place(c, true, line(p, 3))
	must[*core.Shipment](t)(func() (*core.Shipment, error) {
		sh, _, err := s.orders.Ship(ctx(), manager, o2.ID, 0, nil)
		return sh, err
	}())
	inv2 := must[*core.Invoice](t)(func() (*core.Invoice, error) {
		i, _, err := s.orders.IssueInvoice(ctx(), manager, o2.ID, 0, "")
		return i, err
	}())
	day() // 21 Mar
	if _, err := s.orders.VoidInvoice(ctx(), manager, inv2.ID, "wrong customer"); err != nil {
		t.Fatal(err)
	}

	date := func(d int) time.Time { return time.Date(2026, 3, d, 0, 0, 0, 0, time.UTC) }
	st, err := s.orders.Statement(ctx(), customerActor(c), c.ID, date(12), date(20))
	if err != nil {
		t.Fatal(err)
	}
	if st.Opening != 5000 || st.Debit != 4500 || st.Credit != 5500 || st.Closing != 4000 {
		t.Fatalf("opening %d debit %d credit %d closing %d; want 5000 4500 5500 4000", st.Opening, st.Debit, st.Credit, st.Closing)
	}
	type row struct {
		kind          core.StatementKind
		day           int
		id            int64
		debit, credit core.Money
	}
	want := []row{
		{core.EntryPayment, 12, pay1.ID, 0, 2000},
		{core.EntryCredit, 15, 0, 0, 2000},
		{core.EntryPayment, 16, pay2.ID, 0, 1500},
		{core.EntryReversal, 17, pay2.ID, 1500, 0},
		{core.EntryInvoice, 20, inv2.ID, 3000, 0},
	}
	if len(st.Entries) != len(want) {
		t.Fatalf("entries %+v; want %d", st.Entries, len(want))
	}
	for i, w := range want {
		e := st.Entries[i]
		if e.Kind != w.kind || !e.Date.Equal(date(w.day)) || (w.id != 0 && e.ID != w.id) || e.Debit != w.debit || e.Credit != w.credit {
			t.Errorf("entry %d: %+v; want %+v", i, e, w)
		}
	}
	if e := st.Entries[1]; e.Ref != inv1.Number || e.Number == "" {
		t.Errorf("credit note entry names %q for invoice %q; want %s", e.Number, e.Ref, inv1.Number)
	}
	if e := st.Entries[4]; e.Number != inv2.Number || e.Ref != o2.Number {
		t.Errorf("invoice entry %+v; want %s of order %s", e, inv2.Number, o2.Number)
	}

	all, err := s.orders.Statement(ctx(), manager, c.ID, time.Time{}, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	if b := s.balance(c); all.Opening != 0 || all.Closing != b.Debt || all.Closing != 1000 || len(all.Entries) != 7 {
		t.Fatalf("all time: opening %d closing %d, %d entries; debt %d, want 1000 in 7 entries", all.Opening, all.Closing, len(all.Entries), b.Debt)
	}
	if last := all.Entries[6]; last.Kind != core.EntryVoid || last.Credit != 3000 || !last.Date.Equal(date(21)) {
		t.Fatalf("void entry %+v", last)
	}

	if _, err := s.orders.Statement(ctx(), customerActor(other), c.ID, time.Time{}, time.Time{}); !errors.Is(err, core.ErrNotFound) {
		t.Fatalf("another customer's statement: %v", err)
	}
	if _, err := s.orders.Statement(ctx(), manager, c.ID, date(20), date(12)); !errors.Is(err, core.ErrInvalid) {
		t.Fatalf("period backwards: %v", err)
	}
}
