package postgres_test

import (
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/orderbot/orderbot/core"
)

// The order cycle of issue 12 against real Postgres: goods sold beyond
// stock, receipts, edits, returns with credit notes, reversals, closing.

func (s *shop) supply(p core.Product, sp core.Supply, days int) core.Product {
	s.t.Helper()
	got, err := s.catalog.SetSupply(ctx(), manager, p.ID, sp, days)
	if err != nil {
		s.t.Fatalf("set supply: %v", err)
	}
	return *got
}

func (s *shop) order(id int64) *core.Order {
	s.t.Helper()
	return must[*core.Order](s.t)(s.orders.Get(ctx(), manager, id))
}

func eventOf(t *testing.T, s *shop, orderID int64, act core.Action) core.Event {
	t.Helper()
	evs := must[[]core.Event](t)(s.orders.History(ctx(), manager, orderID))
	for i := len(evs) - 1; i >= 0; i-- {
		if evs[i].Action == act {
			return evs[i]
		}
	}
	t.Fatalf("no %s event on order %d", act, orderID)
	return core.Event{}
}

func lastEvent(t *testing.T, s *shop, orderID int64) core.Event {
	t.Helper()
	evs := must[[]core.Event](t)(s.orders.History(ctx(), manager, orderID))
	return evs[len(evs)-1]
}

// TestBackorder_PlaceAwaitsTheRest: a product made to order takes an order
// beyond what is free: what is free is reserved, the rest awaited with the
// expected date, in one transaction; a product sold from stock still
// refuses a shortage, and refuses the whole order.
func TestBackorder_PlaceAwaitsTheRest(t *testing.T) {
	s := newShop(t)
	made := s.supply(s.product("MADE", 1000, 2), core.SupplyToOrder, 14)
	plain := s.product("PLAIN", 500, 1)
	c := s.customer("Ann", 0)

	o := s.place(c, false, line(made, 5))
	l := o.Lines[0]
	if l.Awaited != 3 || l.Ready() != 2 || l.ExpectedOn == nil || l.ExpectedOn.Format(time.DateOnly) != "2026-03-24" {
		t.Fatalf("line: awaited %d ready %d expected %v", l.Awaited, l.Ready(), l.ExpectedOn)
	}
	if st := s.stock(made.ID); st.Reserved != 2 || st.OnHand != 2 || st.Free != 0 {
		t.Fatalf("awaited units are not reservations: %+v", st)
	}
	_, err := s.orders.Place(ctx(), manager, core.PlaceOrder{CustomerID: c.ID, Lines: []core.OrderLineInput{line(made, 1), line(plain, 2)}})
	var short *core.ShortageError
	if !errors.As(err, &short) || len(short.Lines) != 1 || short.Lines[0].SKU != "PLAIN" {
		t.Fatalf("a short stock product refuses the order: %v", err)
	}
	if st := s.stock(made.ID); st.Reserved != 2 {
		t.Fatalf("the refused order reserved nothing: %+v", st)
	}
	s.checkInvariants("after placing", true)
}

// TestBackorder_ReceiptGoesToOldestFirst: goods received are reserved for
// awaited lines, oldest order first, in the receipt's transaction, with an
// event per order reached; what is awaited cannot ship.
func TestBackorder_ReceiptGoesToOldestFirst(t *testing.T) {
	s := newShop(t)
	p := s.supply(s.product("BO", 700, 0), core.SupplyBackorder, 0)
	c := s.customer("Ann", 0)
	first := s.place(c, true, line(p, 3))
	s.clock.Advance(time.Minute)
	second := s.place(c, true, line(p, 4))
	if first.Lines[0].ExpectedOn != nil || second.Awaited() != 4 {
		t.Fatalf("backorder without a lead time has no date: %+v", first.Lines[0])
	}
	if _, _, err := s.orders.Ship(ctx(), manager, first.ID, 0, nil); !errors.Is(err, core.ErrInvalid) ||
		!strings.Contains(core.SafeMessage(err), "awaited") {
		t.Fatalf("shipping what is awaited: %v", err)
	}
	rc, err := s.catalog.ReceiveGoods(ctx(), manager, p.ID, 5, "truck 1")
	if err != nil {
		t.Fatal(err)
	}
	if len(rc.Arrivals) != 2 || rc.Arrivals[0].OrderID != first.ID || rc.Arrivals[0].Qty != 3 ||
		rc.Arrivals[1].Qty != 2 || rc.Arrivals[1].Left != 2 || rc.Stock.Reserved != 5 || rc.Stock.OnHand != 5 {
		t.Fatalf("receipt: %+v", rc)
	}
	if e := lastEvent(t, s, first.ID); e.Action != core.ActArrive || !strings.Contains(e.Detail, "BO x 3 ready") {
		t.Fatalf("event: %+v", e)
	}
	if o := s.order(second.ID); o.Ready() != 2 || o.Awaited() != 2 {
		t.Fatalf("second: ready %d awaited %d", o.Ready(), o.Awaited())
	}
	if _, _, err := s.orders.Ship(ctx(), manager, first.ID, 0, nil); err != nil {
		t.Fatalf("ship what arrived: %v", err)
	}
	rc = must[*core.Receipt](t)(s.catalog.ReceiveGoods(ctx(), manager, p.ID, 10, ""))
	if len(rc.Arrivals) != 1 || rc.Arrivals[0].Qty != 2 || rc.Stock.Free != 8 {
		t.Fatalf("second receipt: %+v", rc)
	}
	s.checkInvariants("after receipts", true)
}

// TestBackorder_ImportAllocates: a catalog import that raises stock is a
// receipt too.
func TestBackorder_ImportAllocates(t *testing.T) {
	s := newShop(t)
	p := s.supply(s.product("IMP", 100, 0), core.SupplyToOrder, 3)
	c := s.customer("Ann", 0)
	o := s.place(c, false, line(p, 4))
	rows := []core.CatalogRow{{Line: 2, Product: core.Product{SKU: "IMP", Name: p.Name, Price: 100, Active: true}, Stock: 3}}
	res, err := s.catalog.Import(ctx(), manager, rows, false)
	if err != nil || len(res.Arrivals) != 1 || res.Arrivals[0].Qty != 3 {
		t.Fatalf("import: %+v %v", res, err)
	}
	if got := s.order(o.ID); got.Awaited() != 1 || got.Ready() != 3 {
		t.Fatalf("order after import: %+v", got.Lines)
	}
	s.checkInvariants("after import", true)
}

// TestEdit_CustomerBeforeConfirmation: a customer changes quantities,
// lines, address and comment of a new order; reservations move all or
// nothing; once confirmed only staff may change it.
func TestEdit_CustomerBeforeConfirmation(t *testing.T) {
	s := newShop(t)
	a, b, x := s.product("A", 100, 10), s.product("B", 200, 10), s.product("X", 300, 1)
	c := s.customer("Ann", 0)
	me := customerActor(c)
	o, err := s.orders.Place(ctx(), me, core.PlaceOrder{CustomerID: c.ID, Lines: []core.OrderLineInput{line(a, 2), line(b, 1)}, Address: "1 Main St"})
	if err != nil {
		t.Fatal(err)
	}
	addr, comment := "2 Side St", "ring twice"
	o2, _, err := s.orders.Edit(ctx(), me, o.ID, o.Version, core.OrderEdit{
		Lines: []core.OrderLineInput{line(a, 5), line(x, 1)}, Address: &addr, Comment: &comment})
	if err != nil {
		t.Fatal(err)
	}
	if len(o2.Lines) != 2 || o2.Line(a.ID).Qty != 5 || o2.Line(b.ID) != nil || o2.Line(x.ID).Qty != 1 ||
		o2.Address != addr || o2.Comment != comment || o2.Total() != 800 {
		t.Fatalf("edited: %+v", o2)
	}
	if s.stock(a.ID).Reserved != 5 || s.stock(b.ID).Reserved != 0 || s.stock(x.ID).Reserved != 1 {
		t.Fatal("reservations did not follow the edit")
	}
	e := lastEvent(t, s, o.ID)
	if e.Action != core.ActEdit || !strings.Contains(e.Detail, "A 2 → 5") || !strings.Contains(e.Detail, "removed B") ||
		!strings.Contains(e.Detail, "added X x 1") || !strings.Contains(e.Detail, "2 Side St") {
		t.Fatalf("event: %+v", e)
	}
	_, _, err = s.orders.Edit(ctx(), me, o.ID, o2.Version, core.OrderEdit{Lines: []core.OrderLineInput{line(a, 6), line(x, 2)}})
	if !errors.Is(err, core.ErrOutOfStock) {
		t.Fatalf("short line: %v", err)
	}
	if s.stock(a.ID).Reserved != 5 {
		t.Fatal("a refused edit moved a reservation")
	}
	if _, _, err := s.orders.Edit(ctx(), me, o.ID, o.Version, core.OrderEdit{Comment: &addr}); !errors.Is(err, core.ErrConflict) {
		t.Fatalf("stale version: %v", err)
	}
	if _, err := s.orders.Confirm(ctx(), manager, o.ID, 0); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.orders.Edit(ctx(), me, o.ID, 0, core.OrderEdit{Comment: &addr}); !errors.Is(err, core.ErrForbidden) {
		t.Fatalf("customer after confirmation: %v", err)
	}
	other := s.customer("Bob", 0)
	if _, _, err := s.orders.Edit(ctx(), customerActor(other), o.ID, 0, core.OrderEdit{Comment: &addr}); !errors.Is(err, core.ErrNoSuchOrder) {
		t.Fatalf("someone else's order: %v", err)
	}
	s.checkInvariants("after edits", true)
}

// TestEdit_StaffAfterInvoice: staff change a confirmed, invoiced, partly
// shipped order; a quantity below what shipped is refused; the invoice of
// what was ordered is voided and reissued, never edited, and the customer's
// debt follows.
func TestEdit_StaffAfterInvoice(t *testing.T) {
	s := newShop(t)
	a, b := s.product("A", 100, 10), s.product("B", 250, 10)
	c := s.customer("Prepay", 0)
	o := s.place(c, true, line(a, 4), line(b, 2))
	inv1, _, err := s.orders.IssueInvoice(ctx(), manager, o.ID, 0, core.BillOrdered)
	if err != nil || inv1.Amount != 900 {
		t.Fatalf("invoice: %+v %v", inv1, err)
	}
	if _, _, err := s.orders.Ship(ctx(), manager, o.ID, 0, []core.QtyLine{{ProductID: a.ID, Qty: 3}}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.orders.Edit(ctx(), manager, o.ID, 0, core.OrderEdit{Lines: []core.OrderLineInput{line(a, 2), line(b, 2)}}); !errors.Is(err, core.ErrInvalid) ||
		!strings.Contains(core.SafeMessage(err), "3 already shipped") {
		t.Fatalf("below shipped: %v", err)
	}
	o2, inv2, err := s.orders.Edit(ctx(), manager, o.ID, 0, core.OrderEdit{Lines: []core.OrderLineInput{line(a, 3), line(b, 5)}})
	if err != nil {
		t.Fatal(err)
	}
	if inv2 == nil || inv2.Amount != 300+1250 || inv2.Number == inv1.Number {
		t.Fatalf("reissued: %+v", inv2)
	}
	old := must[*core.Invoice](t)(s.orders.InvoiceByID(ctx(), manager, inv1.ID))
	if !old.Voided || old.Amount != 900 {
		t.Fatalf("old invoice: %+v", old)
	}
	if e := lastEvent(t, s, o.ID); e.Ref != "invoice:"+itoa64(inv2.ID) || !strings.Contains(e.Detail, "void") {
		t.Fatalf("event: %+v", e)
	}
	if b := s.balance(c); b.Debt != 1550 || o2.Invoiced != 1550 {
		t.Fatalf("debt: %+v invoiced %d", b, o2.Invoiced)
	}
	s.checkInvariants("after staff edit", true)
}

// TestReturn_CreditNote: goods returned after they were invoiced and paid
// come back on hand with a credit note; the money paid for them becomes the
// customer's credit. More than shipped is refused.
func TestReturn_CreditNote(t *testing.T) {
	s := newShop(t)
	p := s.product("R", 400, 10)
	c := s.customer("Terms", 7)
	o := s.place(c, true, line(p, 5))
	if _, _, err := s.orders.Ship(ctx(), manager, o.ID, 0, nil); err != nil {
		t.Fatal(err)
	}
	inv := must[*core.Invoice](t)(func() (*core.Invoice, error) {
		inv, _, err := s.orders.IssueInvoice(ctx(), manager, o.ID, 0, "")
		return inv, err
	}())
	if _, err := s.orders.RecordPayment(ctx(), manager, core.PaymentInput{CustomerID: c.ID, OrderID: o.ID, Amount: 2000, Method: core.PayBank}); err != nil {
		t.Fatal(err)
	}
	if _, _, _, err := s.orders.ReturnGoods(ctx(), manager, o.ID, 0, []core.QtyLine{{ProductID: p.ID, Qty: 6}}, "damaged"); !errors.Is(err, core.ErrInvalid) ||
		!strings.Contains(core.SafeMessage(err), "only 5 can be returned") {
		t.Fatalf("more than shipped: %v", err)
	}
	if _, _, _, err := s.orders.ReturnGoods(ctx(), manager, o.ID, 0, []core.QtyLine{{ProductID: p.ID, Qty: 2}}, " "); !errors.Is(err, core.ErrInvalid) {
		t.Fatalf("no reason: %v", err)
	}
	rets, notes, o2, err := s.orders.ReturnGoods(ctx(), manager, o.ID, 0, []core.QtyLine{{ProductID: p.ID, Qty: 2}}, "damaged")
	if err != nil {
		t.Fatal(err)
	}
	if len(rets) != 1 || len(notes) != 1 || notes[0].Amount != 800 || notes[0].InvoiceID != inv.ID || !strings.HasPrefix(notes[0].Number, "CN-2026-") {
		t.Fatalf("return: %+v %+v", rets, notes)
	}
	if st := s.stock(p.ID); st.OnHand != 7 {
		t.Fatalf("back on hand: %+v", st)
	}
	if b := s.balance(c); b.Debt != -800 || o2.Due() != 1200 || o2.Paid != 1200 {
		t.Fatalf("debt after return: %+v due %d paid %d", b, o2.Due(), o2.Paid)
	}
	got := must[*core.Invoice](t)(s.orders.InvoiceByID(ctx(), manager, inv.ID))
	if got.Amount != 2000 || got.Credited != 800 || got.Open() != 0 {
		t.Fatalf("invoice is not edited, it is credited: %+v", got)
	}
	if e := eventOf(t, s, o.ID, core.ActReturn); e.Ref != "credit:"+itoa64(notes[0].ID) || !strings.Contains(e.Detail, notes[0].Number) {
		t.Fatalf("event: %+v", e)
	}
	s.checkInvariants("after return", true)
}

// TestReversePayment_WritesEvent: a reversed payment is on the order's
// trail, with the debt recomputed.
func TestReversePayment_WritesEvent(t *testing.T) {
	s := newShop(t)
	p := s.product("P", 1000, 10)
	c := s.customer("Ann", 7)
	o := s.place(c, true, line(p, 1))
	pay, err := s.orders.RecordPayment(ctx(), manager, core.PaymentInput{CustomerID: c.ID, OrderID: o.ID, Amount: 1000, Method: core.PayCash})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.orders.ReversePayment(ctx(), manager, pay.ID, "bounced"); err != nil {
		t.Fatal(err)
	}
	e := lastEvent(t, s, o.ID)
	if e.Action != core.ActReverse || !strings.Contains(e.Detail, "bounced") {
		t.Fatalf("event: %+v", e)
	}
	if err := s.orders.ReversePayment(ctx(), manager, pay.ID, "again"); !errors.Is(err, core.ErrConflict) {
		t.Fatalf("reversed twice: %v", err)
	}
	if got := s.order(o.ID); got.Paid != 0 || got.Payment != core.Unpaid {
		t.Fatalf("order after reversal: %+v", got)
	}
	s.checkInvariants("after reversal", true)
}

// TestCancelled_SaysNothingAboutPayment: a cancelled order that was never
// paid is not "paid".
func TestCancelled_SaysNothingAboutPayment(t *testing.T) {
	s := newShop(t)
	p := s.product("P", 1000, 10)
	c := s.customer("Ann", 0)
	o := s.place(c, false, line(p, 1))
	o, err := s.orders.Cancel(ctx(), manager, o.ID, 0, "changed mind")
	if err != nil || o.Status != core.StatusCancelled || o.Payment != core.Unpaid {
		t.Fatalf("cancelled: %s %s %v", o.Status, o.Payment, err)
	}
}

// TestLists_ByStage: orders by stage, awaiting goods among them.
func TestLists_ByStage(t *testing.T) {
	s := newShop(t)
	p := s.supply(s.product("P", 100, 1), core.SupplyToOrder, 5)
	c := s.customer("Ann", 0)
	waiting := s.place(c, true, line(p, 3))
	ready := s.place(c, true, line(s.product("Q", 100, 5), 1))
	got := must[[]core.Order](t)(s.orders.List(ctx(), manager, core.OrderFilter{AwaitingGoods: true}))
	if len(got) != 1 || got[0].ID != waiting.ID {
		t.Fatalf("awaiting goods: %+v", got)
	}
	got = must[[]core.Order](t)(s.orders.List(ctx(), manager, core.OrderFilter{AwaitingShipment: true}))
	if len(got) != 2 || got[1].ID != ready.ID {
		t.Fatalf("awaiting shipment: %d", len(got))
	}
}

func itoa64(n int64) string { return strconv.FormatInt(n, 10) }

// TestExport_EveryKind: each export streams rows whose values match its
// columns, within the period asked, and counts what it streams.
func TestExport_EveryKind(t *testing.T) {
	s := newShop(t)
	p := s.product("E", 1250, 10)
	c := s.customer("Ann, \"the\" buyer", 7)
	o := s.place(c, true, line(p, 2))
	if _, _, err := s.orders.Ship(ctx(), manager, o.ID, 0, nil); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.orders.IssueInvoice(ctx(), manager, o.ID, 0, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := s.orders.RecordPayment(ctx(), manager, core.PaymentInput{CustomerID: c.ID, Amount: 1000, Method: core.PayCash}); err != nil {
		t.Fatal(err)
	}
	if _, _, _, err := s.orders.ReturnGoods(ctx(), manager, o.ID, 0, []core.QtyLine{{ProductID: p.ID, Qty: 1}}, "broken"); err != nil {
		t.Fatal(err)
	}
	s.clock.Advance(48 * time.Hour)
	s.place(c, false, line(p, 1)) // two days later
	ex := core.NewExports(core.Deps{Store: s.db, Now: s.clock.Now}, s.db)
	day := func(d string) *time.Time { v, _ := time.Parse(time.DateOnly, d); return &v }
	want := map[core.ExportKind]int64{core.ExportOrders: 1, core.ExportLines: 1, core.ExportInvoices: 2, core.ExportPayments: 1, core.ExportDebts: 1}
	for _, k := range core.ExportKinds {
		f := core.ExportFilter{From: day("2026-03-10"), To: day("2026-03-11")}
		n, err := ex.Count(ctx(), manager, k, f)
		if err != nil {
			t.Fatal(err)
		}
		var rows [][]any
		err = ex.Stream(ctx(), manager, k, f, func(row []any) error {
			rows = append(rows, append([]any(nil), row...))
			return nil
		})
		if err != nil || int64(len(rows)) != n || n != want[k] {
			t.Fatalf("%s: %d rows, counted %d, want %d: %v", k, len(rows), n, want[k], err)
		}
		cols := core.ExportColumns(k)
		for i, v := range rows[0] {
			if !fitsColumn(cols[i].Type, v) {
				t.Errorf("%s.%s: %T %v", k, cols[i].Name, v, v)
			}
		}
		t.Logf("%s: %v", k, rows[0])
	}
	if _, err := ex.Count(ctx(), customerActor(c), core.ExportOrders, core.ExportFilter{}); !errors.Is(err, core.ErrForbidden) {
		t.Fatalf("a customer exports: %v", err)
	}
	n, err := ex.Count(ctx(), manager, core.ExportOrders, core.ExportFilter{})
	if err != nil || n != 2 {
		t.Fatalf("every order: %d %v", n, err)
	}
}

func fitsColumn(t core.ColType, v any) bool {
	if v == nil {
		return true
	}
	switch t {
	case core.ColInt, core.ColRate:
		_, ok := v.(int64)
		return ok
	case core.ColMoney:
		_, ok := v.(core.Money)
		return ok
	case core.ColDate, core.ColTime:
		_, ok := v.(time.Time)
		return ok
	case core.ColBool:
		_, ok := v.(bool)
		return ok
	}
	_, ok := v.(string)
	return ok
}

// TestReturn_AfterClosing: goods come back after the close_settled job
// closed the order: a return still applies (with its credit note), the
// order stays closed, and the money paid for them is the customer's credit.
func TestReturn_AfterClosing(t *testing.T) {
	s := newShop(t)
	p := s.product("R", 300, 10)
	c := s.customer("Prepay", 0)
	o := s.place(c, true, line(p, 3))
	if _, _, err := s.orders.IssueInvoice(ctx(), manager, o.ID, 0, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := s.orders.RecordPayment(ctx(), manager, core.PaymentInput{CustomerID: c.ID, OrderID: o.ID, Amount: 900, Method: core.PayCard}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.orders.Ship(ctx(), manager, o.ID, 0, nil); err != nil {
		t.Fatal(err)
	}
	s.clock.Advance(8 * 24 * time.Hour)
	if n, err := s.orders.CloseSettled(ctx(), core.System, core.DefaultCloseAfter, 10); err != nil || n != 1 {
		t.Fatalf("close settled: %d %v", n, err)
	}
	_, notes, got, err := s.orders.ReturnGoods(ctx(), manager, o.ID, 0, []core.QtyLine{{ProductID: p.ID, Qty: 1}}, "late complaint")
	if err != nil || len(notes) != 1 || notes[0].Amount != 300 || got.Status != core.StatusClosed {
		t.Fatalf("return after closing: %v %+v %s", err, notes, got.Status)
	}
	if b := s.balance(c); b.Debt != -300 {
		t.Fatalf("debt: %+v", b)
	}
	s.checkInvariants("after a late return", true)
}
