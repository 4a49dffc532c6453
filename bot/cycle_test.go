package bot

import (
	"bytes"
	"context"
	"encoding/csv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/orderbot/orderbot/bot/fakeapi"
	"github.com/orderbot/orderbot/core"
)

// The whole order cycle in chat (issue 12), through the real client and the
// fake Bot API, with Postgres and Redis. Run with -v for the transcripts.

var mia = core.Actor{Role: core.RoleManager, UserID: managerID, Name: "Mia"}

// pressPrefix presses the first button on m whose label starts with prefix.
func (w *world) pressPrefix(user int64, m fakeapi.Message, prefix, want string) fakeapi.Message {
	w.t.Helper()
	for _, row := range m.InlineKeyboard {
		for _, b := range row {
			if strings.HasPrefix(b.Text, prefix) {
				return w.pressOn(user, m.ID, b.Text, want)
			}
		}
	}
	w.t.Fatalf("no button starting with %q on %q %v", prefix, m.PlainText, m.InlineKeyboard)
	return fakeapi.Message{}
}

// staffOrder places a confirmed order for a customer as a manager would on
// the phone.
func (w *world) staffOrder(c *core.Customer, lines ...core.OrderLineInput) *core.Order {
	w.t.Helper()
	o, err := w.svc.Orders.Place(context.Background(), mia, core.PlaceOrder{CustomerID: c.ID, Lines: lines, Address: "5 Market Square", Confirmed: true})
	if err != nil {
		w.t.Fatal(err)
	}
	return o
}

// TestCycle_MakeToOrderFromPlacingToReceipt: a manager makes a product
// "to order" with a lead time; a customer orders more than is in stock; the
// order reserves what is free and awaits the rest with its expected date;
// /toship and /orders say so; goods received in chat go to the order and
// both sides hear what became ready; the order ships.
func TestCycle_MakeToOrderFromPlacingToReceipt(t *testing.T) {
	w := newWorld(t)
	w.product("DESK-1", "Oak desk", 25000, 1)
	w.startStaff()
	ann := w.person(w.user(1901, "Ann", "en"))
	rec := w.record(managerID, ann.id)

	w.say(managerID, "/stock", "Oak desk")
	w.press(managerID, "Oak desk · free 1", "Sold from stock only")
	w.press(managerID, "🏭 To order…", "in how many days")
	w.say(managerID, "10", "Made to order: beyond stock it is awaited, ready 10 days after ordering")

	ann.say("/start", "Hello, Ann")
	ann.press("🛍 Catalog", "1 in stock, more to order in 10 days")
	ann.press("Oak desk · 250.00 USD", "Quantity: 1")
	ann.press("+1", "Quantity: 2")
	ann.press("+1", "Quantity: 3")
	ann.press("➕ Put 3 in cart", "Oak desk × 3")
	ann.press("✅ Check out", "Type the address")
	ann.say("1 Elm St", "Your phone number")
	ann.share("+15550002001", "Please check your order")
	ann.press("✅ Place order", "is placed")
	o := w.orders()[0]
	l := o.Lines[0]
	expected := time.Now().UTC().AddDate(0, 0, 10).Format("2 Jan 2006")
	if l.Ready() != 1 || l.Awaited != 2 || l.ExpectedOn == nil || l.ExpectedOn.Format("2 Jan 2006") != expected {
		t.Fatalf("placed: ready %d awaited %d expected %v", l.Ready(), l.Awaited, l.ExpectedOn)
	}
	if st := w.stock(w.productBySKU("DESK-1")); st.Reserved != 1 || st.OnHand != 1 {
		t.Fatalf("awaited is not reserved: %+v", st)
	}
	card := w.await(fakeapiZero, managerID, "2 awaited, expected "+expected)
	w.pressOn(managerID, card.ID, "✅ Confirm", "confirmed by Mia")
	toship := w.say(managerID, "/toship", "Ready to ship")
	if !strings.Contains(toship.PlainText, "1 to ship") || !strings.Contains(toship.PlainText, "⏳ 2 awaited, expected "+expected) {
		t.Fatalf("/toship: %q", toship.PlainText)
	}
	ann.say("/orders", "⏳ expected "+expected)

	w.say(managerID, "/stock", "Oak desk")
	w.press(managerID, "Oak desk · free 0", "Made to order")
	w.press(managerID, "➕ Goods received", "How many arrived?")
	cur := w.srv.Cursor()
	got := w.say(managerID, "2 workshop batch", "Went to orders awaiting it")
	if !strings.Contains(got.PlainText, o.Number+": 2 reserved") {
		t.Fatalf("receipt: %q", got.PlainText)
	}
	ready := w.await(cur, ann.id, "Goods for your order "+o.Number+" arrived")
	if !strings.Contains(ready.PlainText, "Everything is ready") {
		t.Fatalf("customer's notice: %q", ready.PlainText)
	}
	w.say(managerID, "/order "+o.Number, "History of order")
	w.press(managerID, "🚚 Ship all", "shipped")
	w.await(cur, ann.id, "Shipped")
	if got := w.order(o.ID); got.Fulfilment != core.FullyShipped || got.Awaited() != 0 {
		t.Fatalf("after shipping: %+v", got)
	}
	t.Logf("transcript:\n%s", rec)
}

func (w *world) productBySKU(sku string) core.Product {
	p, err := w.db.ProductBySKU(context.Background(), sku)
	if err != nil {
		w.t.Fatal(err)
	}
	return *p
}

// TestCycle_ReorderInTwoTaps: from the delivery notice, "Order again" puts
// the same goods in the cart at today's prices and availability, says the
// shortage line by line, reuses the last address and phone, and Place
// order places it: two taps.
func TestCycle_ReorderInTwoTaps(t *testing.T) {
	w := newWorld(t)
	tea := w.product("TEA-1", "Green tea 100g", 450, 20)
	cup := w.product("CUP-2", "Cup", 1200, 3)
	w.startStaff()
	c := w.customer(1901, "Ann", "en")
	ann := w.person(c.TelegramID)
	if _, err := w.svc.Customers.Update(context.Background(), core.System, c.ID, func(c *core.Customer) {
		c.Address, c.Phone = "12 Baker Street", "+15550002001"
	}); err != nil {
		t.Fatal(err)
	}
	o := w.staffOrder(c, core.OrderLineInput{ProductID: tea.ID, Qty: 2}, core.OrderLineInput{ProductID: cup.ID, Qty: 3})
	cur := w.srv.Cursor()
	if _, _, err := w.svc.Orders.Ship(context.Background(), mia, o.ID, 0, nil); err != nil {
		t.Fatal(err)
	}
	w.bot.wake()
	w.await(cur, ann.id, "Shipped")
	w.product("TEA-1", "Green tea 100g", 500, 20) // today's price
	rec := w.record(ann.id)
	var summary fakeapi.Message
	ann.within(t, "order again from the delivery notice", 3, func() {
		summary = ann.press("🔁 Order again", "Please check your order")
		ann.press("✅ Place order", "is placed")
	})
	for _, want := range []string{"Green tea 100g × 2: in your cart", "Cup: you had 3, none available now — left out",
		"12 Baker Street", "+1 555 000 2001", "10.00 USD"} {
		if !strings.Contains(summary.PlainText, want) {
			t.Errorf("summary lacks %q:\n%s", want, summary.PlainText)
		}
	}
	orders := w.orders()
	again := orders[len(orders)-1]
	if len(orders) != 2 || len(again.Lines) != 1 || again.Lines[0].Price != 500 || again.Address != "12 Baker Street" {
		t.Fatalf("reorder: %+v", again)
	}
	t.Logf("transcript:\n%s", rec)
}

// TestCycle_EditAfterInvoice_ReturnAndCorrections: staff change an invoiced
// order (the invoice is voided and reissued, the customer gets the new
// summary and PDF), take goods back (a credit note PDF), reverse a payment
// and void an invoice, each with a reason; a second void is refused.
func TestCycle_EditAfterInvoice_ReturnAndCorrections(t *testing.T) {
	w := newWorld(t, withPaymentMethods(core.PayBank))
	tea := w.product("TEA-1", "Green tea 100g", 450, 20)
	w.startStaff()
	alisa := w.customer(1201, "Alisa", "en")
	rec := w.record(managerID, alisa.TelegramID)
	o := w.staffOrder(alisa, core.OrderLineInput{ProductID: tea.ID, Qty: 2})

	w.say(managerID, "/order "+o.Number, "History of order")
	cur := w.srv.Cursor()
	w.press(managerID, "🧾 Issue invoice", "Invoice INV-")
	first := w.lastInvoice(o.ID)
	w.awaitDoc(cur, alisa.TelegramID, first.Number)

	w.say(managerID, "/order "+o.Number, "History of order")
	w.press(managerID, "✏️ Change", "Changing order "+o.Number)
	w.press(managerID, "+", "(was 2)")
	cur = w.srv.Cursor()
	w.press(managerID, "✅ Save changes", "changed")
	w.await(cur, alisa.TelegramID, "The shop changed your order "+o.Number)
	second := w.lastInvoice(o.ID)
	if second.ID == first.ID || second.Amount != 1350 {
		t.Fatalf("reissued: %+v", second)
	}
	doc := w.awaitDoc(cur, alisa.TelegramID, second.Number)
	if text := pdfText(t, doc.Document.Data); !strings.Contains(text, "13.50") {
		t.Errorf("new invoice PDF:\n%s", text)
	}
	if old, _ := w.svc.Orders.InvoiceByID(context.Background(), core.System, first.ID); !old.Voided {
		t.Fatal("the first invoice was edited instead of voided")
	}

	w.say(managerID, "/order "+o.Number, "History of order")
	w.press(managerID, "🚚 Ship all", "shipped")
	w.say(managerID, "/order "+o.Number, "History of order")
	w.press(managerID, "💳 Paid in full · 13.50 USD", "recorded")

	w.say(managerID, "/order "+o.Number, "History of order")
	w.press(managerID, "↩ Return goods", "How many of each come back?")
	w.press(managerID, "+", ": 1 of 3 shipped")
	w.press(managerID, "↩ Return chosen (1)", "Why are the goods coming back?")
	cur = w.srv.Cursor()
	w.say(managerID, "broken in transit", "Return recorded for order "+o.Number)
	credit := w.awaitDoc(cur, alisa.TelegramID, "Credit note CN-")
	if text := pdfText(t, credit.Document.Data); !strings.Contains(text, "Credit note No.") || !strings.Contains(text, "4.50") ||
		!strings.Contains(text, second.Number) || !strings.Contains(text, "broken in transit") {
		t.Errorf("credit note PDF:\n%s", text)
	}
	if b := w.debt(alisa.ID); b != -450 {
		t.Fatalf("debt after the return: %d, want the 4.50 paid for it as credit", b)
	}

	w.say(managerID, "/order "+o.Number, "History of order")
	corr := w.press(managerID, "🛠 Void / reverse", "Corrections of order")
	w.pressPrefix(managerID, corr, "💸↩ P-", "Type the reason")
	cur = w.srv.Cursor()
	w.say(managerID, "transfer bounced", "is reversed")
	w.await(cur, alisa.TelegramID, "was reversed")
	if b := w.debt(alisa.ID); b != 900 {
		t.Fatalf("debt after the reversal: %d", b)
	}
	w.say(managerID, "/order "+o.Number, "History of order")
	w.press(managerID, "🛠 Void / reverse", "Corrections of order")
	w.press(managerID, "🧾✖ Void "+second.Number+" · 9.00 USD", "Type the reason")
	w.say(managerID, "wrong customer", "is void")
	if b := w.debt(alisa.ID); b != 0 {
		t.Fatalf("debt after the void: %d", b)
	}
	last, _ := w.srv.LastBotMessage(managerID)
	upd, err := w.srv.PressData(managerID, last.ID, "siv:"+itoa(second.ID))
	if err != nil {
		t.Fatal(err)
	}
	if ans := w.answerOf(upd); !strings.Contains(ans.Text, "already void") {
		t.Errorf("a second void: %q", ans.Text)
	}
	t.Logf("transcript:\n%s", rec)
}

func (w *world) debt(customerID int64) core.Money {
	w.t.Helper()
	bs, err := w.svc.Orders.Balances(context.Background(), core.System, customerID)
	if err != nil || len(bs) != 1 {
		w.t.Fatalf("balance: %v %v", bs, err)
	}
	return bs[0].Debt
}

// TestCycle_CustomerChangesNewOrder: a customer changes a quantity of their
// order while it is new (the reservation follows); once it is confirmed the
// button is gone and a forged change is refused; a customer pressing a
// staff return button is refused.
func TestCycle_CustomerChangesNewOrder(t *testing.T) {
	w := newWorld(t)
	tea := w.product("TEA-1", "Green tea 100g", 450, 20)
	w.startStaff()
	c := w.customer(1901, "Ann", "en")
	ann := w.person(c.TelegramID)
	o, err := w.svc.Orders.Place(context.Background(), core.Actor{Role: core.RoleCustomer, CustomerID: c.ID, UserID: ann.id, Name: "Ann"},
		core.PlaceOrder{CustomerID: c.ID, Lines: []core.OrderLineInput{{ProductID: tea.ID, Qty: 1}}, Address: "1 Elm St"})
	if err != nil {
		t.Fatal(err)
	}
	ann.say("/orders", o.Number)
	ann.press(o.Number+" · new", "Order "+o.Number)
	ann.press("✏️ Change order", "Changing order "+o.Number)
	ann.press("+", "(was 1)")
	ann.say("comment: leave at the door", "Comment: leave at the door")
	cur := w.srv.Cursor()
	ann.press("✅ Save changes", "changed")
	w.await(cur, ann.id, "Status: new") // the answer: the order card, on the change screen
	got := w.order(o.ID)
	if got.Lines[0].Qty != 2 || got.Comment != "leave at the door" || w.stock(tea).Reserved != 2 {
		t.Fatalf("after the change: %+v reserved %d", got, w.stock(tea).Reserved)
	}
	if _, err := w.svc.Orders.Confirm(context.Background(), mia, o.ID, 0); err != nil {
		t.Fatal(err)
	}
	card := ann.say("/orders", o.Number)
	card = ann.pressOn(card, o.Number+" · in progress", "Status: in progress")
	if hasButton(card, "✏️ Change order") {
		t.Fatal("a confirmed order offers the customer a change")
	}
	got = w.order(o.ID)
	for data, want := range map[string]string{
		"oe:" + itoa(o.ID) + ":" + itoa(got.Version): "can no longer be changed",
		"rt:" + itoa(o.ID) + ":" + itoa(got.Version): "staff only",
	} {
		upd, err := w.srv.PressData(ann.id, card.ID, data)
		if err != nil {
			t.Fatal(err)
		}
		if ans := w.answerOf(upd); !strings.Contains(ans.Text, want) {
			t.Errorf("forged %s: %q", data, ans.Text)
		}
	}
	if w.order(o.ID).Lines[0].Qty != 2 {
		t.Fatal("a refused change changed the order")
	}
}

// TestCycle_StagesAndExport: staff see orders by stage, and /export sends
// a CSV and an XLSX that spreadsheets read: a header, amounts as numbers,
// dates ISO.
func TestCycle_StagesAndExport(t *testing.T) {
	w := newWorld(t)
	tea := w.product("TEA-1", "Green tea 100g", 450, 20)
	w.startStaff()
	c := w.customer(1201, "Alisa, \"Co\"", "en")
	o := w.staffOrder(c, core.OrderLineInput{ProductID: tea.ID, Qty: 3})
	if _, _, err := w.svc.Orders.Ship(context.Background(), mia, o.ID, 0, nil); err != nil {
		t.Fatal(err)
	}
	stages := w.say(managerID, "/orders", "Orders by stage")
	if !strings.Contains(stages.PlainText, "Shipped, not paid: 1") || !strings.Contains(stages.PlainText, "Paid, not closed: 0") {
		t.Fatalf("stages: %q", stages.PlainText)
	}
	w.press(managerID, "🚚 Shipped, not paid: 1", o.Number)

	w.say(managerID, "/export", "what?")
	w.press(managerID, "📦 Orders", "which period?")
	w.press(managerID, "This month", "which format?")
	cur := w.srv.Cursor()
	w.press(managerID, "CSV (any spreadsheet)", "")
	doc := w.awaitDoc(cur, managerID, "Orders · This month: 1 row")
	data := doc.Document.Data
	if !bytes.HasPrefix(data, []byte("\xef\xbb\xbf")) || !strings.HasSuffix(doc.Document.FileName, ".csv") {
		t.Fatalf("CSV file: %q %q", doc.Document.FileName, data[:min(len(data), 40)])
	}
	recs, err := csv.NewReader(bytes.NewReader(data[3:])).ReadAll()
	if err != nil || len(recs) != 2 || recs[0][0] != "number" || recs[1][0] != o.Number || recs[1][3] != c.Name || recs[1][8] != "13.50" {
		t.Fatalf("CSV: %v %v", recs, err)
	}
	if _, err := time.Parse(time.DateTime, recs[1][1]); err != nil {
		t.Errorf("created_at is not ISO: %q", recs[1][1])
	}

	w.say(managerID, "/export", "what?")
	w.press(managerID, "🧾 Order lines", "which period?")
	w.press(managerID, "Everything", "which format?")
	cur = w.srv.Cursor()
	w.press(managerID, "XLSX (Excel)", "")
	doc = w.awaitDoc(cur, managerID, "Order lines · Everything: 1 row")
	f, err := excelize.OpenReader(bytes.NewReader(doc.Document.Data))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows("lines")
	if err != nil || len(rows) != 2 || rows[0][0] != "order_number" || rows[1][5] != "TEA-1" {
		t.Fatalf("XLSX rows: %v %v", rows, err)
	}
	if typ, _ := f.GetCellType("lines", "J2"); typ != excelize.CellTypeUnset && typ != excelize.CellTypeNumber {
		t.Errorf("price is not a number: %v", typ)
	}
	if v, _ := f.GetCellValue("lines", "J2", excelize.Options{RawCellValue: true}); v != "4.5" {
		t.Errorf("price cell: %q", v)
	}
}
