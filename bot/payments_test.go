package bot

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/orderbot/orderbot/bot/fakeapi"
	"github.com/orderbot/orderbot/core"
)

// withPayments turns on payments in chat.
func withPayments(p Payments) worldOpt { return func(c *worldConfig) { c.payments = p } }

var testProvider = Payments{ProviderToken: "284685063:TEST:provider"}

// invoiced places a confirmed order for the customer and issues its
// invoice; it returns the invoice and the Telegram invoice the customer
// got for it.
func (w *world) invoiced(c *core.Customer, p core.Product, qty int64) (*core.Invoice, fakeapi.Message) {
	w.t.Helper()
	ctx := context.Background()
	o, err := w.svc.Orders.Place(ctx, core.System, core.PlaceOrder{CustomerID: c.ID,
		Lines: []core.OrderLineInput{{ProductID: p.ID, Qty: qty}}, Confirmed: true})
	if err != nil {
		w.t.Fatal(err)
	}
	inv, _, err := w.svc.Orders.IssueInvoice(ctx, core.System, o.ID, o.Version, core.BillOrdered)
	if err != nil {
		w.t.Fatal(err)
	}
	return inv, w.awaitPayInvoice(fakeapiZero, c.TelegramID, inv)
}

// awaitPayInvoice waits for the Telegram invoice of inv in a chat.
func (w *world) awaitPayInvoice(cur fakeapi.Cursor, chat int64, inv *core.Invoice) fakeapi.Message {
	w.t.Helper()
	m, err := w.srv.WaitBotMessageAfter(w.ctx(), cur, chat, func(m fakeapi.Message) bool {
		return m.Invoice != nil && strings.HasPrefix(m.Invoice.Payload, fmt.Sprintf("inv:%d:", inv.ID))
	})
	if err != nil {
		w.t.Fatalf("no Telegram invoice for %s in chat %d: %v\nlast message: %s", inv.Number, chat, err, w.last(chat))
	}
	return m
}

// pay pays an invoice message as the user and checks what the bot answered.
func (w *world) pay(user int64, m fakeapi.Message, wantOK bool) fakeapi.PayResult {
	w.t.Helper()
	res, err := w.srv.PayInvoice(w.ctx(), user, m.ID)
	if err != nil {
		w.t.Fatalf("pay invoice message %d: %v", m.ID, err)
	}
	if res.Answer.OK != wantOK || (res.Charge != nil) != wantOK {
		w.t.Fatalf("pay invoice message %d: %+v, want ok %v", m.ID, res, wantOK)
	}
	return res
}

// chatPayments lists the customer's payments.
func (w *world) chatPayments(c *core.Customer) []core.Payment {
	w.t.Helper()
	ps, err := w.db.Payments(context.Background(), c.ID)
	if err != nil {
		w.t.Fatal(err)
	}
	return ps
}

// settle waits until every update the user sent so far was handled: the
// answer to a later message comes after them.
func (w *world) settle(user int64) { w.t.Helper(); w.say(user, "/help", "/") }

func countDocs(ms []fakeapi.Message, prefix string) int {
	n := 0
	for _, m := range ms {
		if m.Document != nil && strings.HasPrefix(m.Document.FileName, prefix) {
			n++
		}
	}
	return n
}

func TestPayInChat_InvoiceToReceipt(t *testing.T) {
	w := newWorld(t, withPayments(testProvider))
	w.startStaff()
	p := w.product("TEA-1", "Green tea 100g", 450, 20)
	alice := w.customer(1701, "Alice", "en")
	inv, msg := w.invoiced(alice, p, 3)
	if msg.Invoice.Currency != "USD" || msg.Invoice.Total != 1350 || msg.Invoice.Payload != fmt.Sprintf("inv:%d:1350", inv.ID) {
		t.Fatalf("Telegram invoice = %+v", msg.Invoice)
	}
	if len(msg.InlineKeyboard) == 0 || !msg.InlineKeyboard[0][0].Pay {
		t.Fatalf("the invoice has no Pay button: %+v", msg.InlineKeyboard)
	}
	cur := w.srv.Cursor()
	res := w.pay(alice.TelegramID, msg, true)
	doc := w.awaitDoc(cur, alice.TelegramID, "13.50")
	if !strings.HasPrefix(doc.Document.FileName, "P-") {
		t.Fatalf("receipt = %q %q", doc.Document.FileName, doc.PlainCaption)
	}
	text := pdfText(t, doc.Document.Data)
	if !strings.Contains(text, res.Charge.ChargeID) || !strings.Contains(text, "Telegram") {
		t.Errorf("receipt lacks the charge and the method:\n%s", text)
	}
	ps := w.chatPayments(alice)
	if len(ps) != 1 || ps[0].Method != core.PayTelegram || ps[0].Amount != 1350 || ps[0].Reference != res.Charge.ChargeID ||
		ps[0].Actor.Role != core.RoleCustomer {
		t.Fatalf("payments = %+v", ps)
	}
	if o := w.order(inv.OrderID); o.Paid != 1350 {
		t.Fatalf("order paid %d, want 1350", o.Paid)
	}
	if got := w.lastInvoice(inv.OrderID); got.Open() != 0 {
		t.Fatalf("invoice still open: %d", got.Open())
	}
	var provider string
	if err := w.db.Pool().QueryRow(context.Background(), `SELECT provider_charge_id FROM chat_payments WHERE charge_id = $1`,
		res.Charge.ChargeID).Scan(&provider); err != nil || provider != res.Charge.ProviderID {
		t.Fatalf("provider charge id = %q, %v; want %q", provider, err, res.Charge.ProviderID)
	}
	w.await(cur, managerID, "payment by Alice") // the staff card of the order says who paid
}

func TestPayInChat_SamePaymentTwiceRecordedOnce(t *testing.T) {
	w := newWorld(t, withPayments(testProvider))
	p := w.product("TEA-1", "Green tea 100g", 450, 20)
	alice := w.customer(1702, "Alice", "en")
	_, msg := w.invoiced(alice, p, 2)
	cur := w.srv.Cursor()
	res := w.pay(alice.TelegramID, msg, true)
	w.awaitDoc(cur, alice.TelegramID, "9.00")
	// Redis loses everything (Postgres alone guards the payment), then the
	// same update comes again, and the same payment in a new update.
	w.flush("*")
	if _, err := w.srv.Redeliver(res.Charge.UpdateID); err != nil {
		t.Fatal(err)
	}
	if _, err := w.srv.RedeliverPayment(res.Charge.ChargeID); err != nil {
		t.Fatal(err)
	}
	w.settle(alice.TelegramID)
	w.shutdown() // and once more after a restart
	w.start(worldConfig{limits: Limits{Global: 1000, GlobalBurst: 1000, PerChat: 1000, ChatBurst: 1000}, payments: testProvider})
	if _, err := w.srv.RedeliverPayment(res.Charge.ChargeID); err != nil {
		t.Fatal(err)
	}
	w.settle(alice.TelegramID)
	if ps := w.chatPayments(alice); len(ps) != 1 {
		t.Fatalf("payments = %+v, want one", ps)
	}
	if n := countDocs(w.srv.BotMessages(alice.TelegramID), "P-"); n != 1 {
		t.Fatalf("%d receipts, want 1", n)
	}
}

func TestPayInChat_RefusedAndNothingRecorded(t *testing.T) {
	w := newWorld(t, withPayments(testProvider))
	p := w.product("TEA-1", "Green tea 100g", 450, 20)
	alice := w.customer(1703, "Alice", "en")
	boris := w.customer(1704, "Борис", "ru")

	_, paid := w.invoiced(alice, p, 1)
	cur := w.srv.Cursor()
	w.pay(alice.TelegramID, paid, true)
	w.awaitDoc(cur, alice.TelegramID, "4.50")
	again := w.pay(alice.TelegramID, paid, false)
	if again.Answer.ErrorMessage != "This invoice is already paid" {
		t.Errorf("paid twice: %q", again.Answer.ErrorMessage)
	}

	inv, voided := w.invoiced(boris, p, 1)
	if _, err := w.svc.Orders.VoidInvoice(context.Background(), core.System, inv.ID, "wrong price"); err != nil {
		t.Fatal(err)
	}
	res := w.pay(boris.TelegramID, voided, false)
	if res.Answer.ErrorMessage != "Этот счёт отменён" {
		t.Errorf("void invoice: %q", res.Answer.ErrorMessage)
	}
	if n := len(w.srv.Charges()); n != 1 {
		t.Fatalf("%d charges, want the first one only", n)
	}
	if ps := w.chatPayments(alice); len(ps) != 1 {
		t.Fatalf("alice's payments = %+v", ps)
	}
	if ps := w.chatPayments(boris); len(ps) != 0 {
		t.Fatalf("boris's payments = %+v", ps)
	}
}

func TestPayInChat_AmountChanged(t *testing.T) {
	w := newWorld(t, withPayments(testProvider))
	p := w.product("TEA-1", "Green tea 100g", 450, 20)
	alice := w.customer(1705, "Alice", "en")
	inv, msg := w.invoiced(alice, p, 2)
	if _, err := w.svc.Orders.RecordPayment(context.Background(), core.System, core.PaymentInput{CustomerID: alice.ID,
		OrderID: inv.OrderID, Amount: 100, Method: core.PayCash}); err != nil {
		t.Fatal(err)
	}
	res := w.pay(alice.TelegramID, msg, false)
	if res.Answer.ErrorMessage != "The amount due has changed, ask for a new invoice" {
		t.Errorf("part paid since: %q", res.Answer.ErrorMessage)
	}
}
