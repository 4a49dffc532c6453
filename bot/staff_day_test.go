package bot

import (
	"context"
	"strings"
	"testing"

	"github.com/orderbot/orderbot/core"
)

// TestStaff_ManagersDay: a phone order taken, partly shipped, invoiced (the
// customer gets the PDF), partly paid (the debt is shown), shipped in full,
// invoiced again, paid in full and so closed, all through buttons and typed
// answers. Run with -v for the transcript of the manager's chat.
func TestStaff_ManagersDay(t *testing.T) {
	w := newWorld(t)
	tea := w.product("TEA-1", "Green tea 100g", 450, 20)
	cup := w.product("CUP-2", "Cup", 1200, 5)
	w.startStaff()
	alisa := int64(1201)
	w.customer(alisa, "Алиса", "ru")
	mia := int64(managerID)
	rec := w.record(mia, alisa)

	o := takePhoneOrder(w, mia)
	if o.Status != core.StatusInProgress || o.PromisedOn == nil || o.Address != "5 Market Square" {
		t.Fatalf("phone order: %+v", o)
	}
	if st := w.stock(tea); st.Reserved != 4 || st.Free != 16 {
		t.Fatalf("tea after placing: %+v", st)
	}
	w.await(fakeapiZero, alisa, "заказ "+o.Number)
	w.say(mia, "/toship", o.Number)

	shipPart(w, mia, o)
	if st := w.stock(tea); st.OnHand != 18 || st.Reserved != 2 {
		t.Fatalf("tea after shipping 2: %+v", st)
	}
	notice := w.await(fakeapiZero, alisa, "Отгружено")
	if !strings.Contains(notice.PlainText, "Green tea 100g × 2") || !strings.Contains(notice.PlainText, "Ещё будет отгружено") ||
		!strings.Contains(notice.PlainText, "Cup × 2") {
		t.Fatalf("shipment notice: %q", notice.PlainText)
	}

	cur := w.srv.Cursor()
	w.press(mia, "🧾 Issue invoice", "Invoice INV-")
	inv := w.lastInvoice(o.ID)
	if inv.Amount != 900 {
		t.Fatalf("first invoice bills what shipped (2 × 4.50): %+v", inv)
	}
	doc := w.awaitDoc(cur, alisa, inv.Number)
	text := pdfText(t, doc.Document.Data)
	for _, want := range []string{inv.Number, "Green tea 100g", "9,00 $", "Алиса", "TEA-1", "Сумма прописью: Девять долларов США 00 центов"} {
		if !strings.Contains(text, want) {
			t.Errorf("invoice PDF lacks %q:\n%s", want, text)
		}
	}

	cur = w.srv.Cursor()
	w.press(mia, "💳 Paid in full · 42.00 USD", "To pay: 42.00 USD")
	w.say(mia, "5", "Record 5.00 USD")
	w.press(mia, "Cash", "owes 4.00 USD now")
	receipt := w.awaitDoc(cur, alisa, "Ваш долг: 4,00\u00a0$")
	if rt := pdfText(t, receipt.Document.Data); !strings.Contains(rt, "5,00 $") {
		t.Errorf("receipt PDF lacks the amount:\n%s", rt)
	}

	w.press(mia, "🚚 Ship all", "shipped 4")
	w.await(fakeapiZero, alisa, "Отгружено всё")
	w.press(mia, "🧾 Issue invoice", "33.00 USD")
	w.say(mia, "/debts", "Алиса owes 37.00 USD")
	w.press(mia, "Алиса · 37.00 USD", "Invoiced 42.00 USD · paid 5.00 USD")

	w.say(mia, "/order "+o.Number, "History of order "+o.Number)
	w.press(mia, "💳 Paid in full · 37.00 USD", "To pay: 37.00 USD")
	w.press(mia, "Bank transfer · 37.00 USD", "owes nothing now")

	final := w.order(o.ID)
	if final.Status != core.StatusPaid || final.Paid != 4200 {
		t.Fatalf("after paying in full: status %s, paid %d", final.Status, final.Paid)
	}
	if st := w.stock(tea); st.OnHand != 16 || st.Reserved != 0 {
		t.Fatalf("tea at the end: %+v", st)
	}
	if st := w.stock(cup); st.OnHand != 3 || st.Reserved != 0 {
		t.Fatalf("cup at the end: %+v", st)
	}
	w.say(mia, "/unpaid", "No unpaid invoices")
	w.say(mia, "/toship", "Nothing is waiting for shipment")
	t.Logf("the manager's (%d) and the customer's (%d) chats:\n%s", mia, alisa, rec)
}

// takePhoneOrder walks /neworder for Алиса: 4 tea and 2 cups, an address,
// tomorrow, 14 days to pay.
func takePhoneOrder(w *world, mia int64) *core.Order {
	w.t.Helper()
	w.say(mia, "/neworder", "Who is the customer?")
	w.say(mia, "Алиса", "Customers matching")
	w.press(mia, "👤 Алиса", "Add goods")
	w.say(mia, "tea 4", "Green tea 100g × 4")
	w.say(mia, "CUP-2 2", "Cup × 2")
	w.press(mia, "➡ Goods done", "Delivery address?")
	w.say(mia, "5 Market Square", "Promised delivery date?")
	w.press(mia, "Tomorrow", "Payment terms?")
	w.press(mia, "14 days", "Check the order")
	cur := w.srv.Cursor()
	w.press(mia, "✅ Place order", "is placed")
	w.await(cur, mia, "Status: in progress")
	orders := w.orders()
	if len(orders) != 1 {
		w.t.Fatalf("orders: %+v", orders)
	}
	c, err := w.svc.Customers.Get(context.Background(), core.System, orders[0].CustomerID)
	if err != nil || c.TermsDays != 14 {
		w.t.Fatalf("terms not set: %+v %v", c, err)
	}
	return &orders[0]
}

// shipPart ships 2 of the 4 tea: typed "3 0", then one tap on − .
func shipPart(w *world, mia int64, o *core.Order) {
	w.t.Helper()
	w.press(mia, "📦 Ship part", "Ship part of order "+o.Number)
	w.say(mia, "3 0", "Green tea 100g: 3 of 4")
	w.press(mia, "−", "Green tea 100g: 2 of 4")
	w.press(mia, "🚚 Ship chosen (2)", "shipped 2")
}
