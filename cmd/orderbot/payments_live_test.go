package main

import (
	"context"
	"testing"
	"time"

	"github.com/orderbot/orderbot/bot/fakeapi"
)

// TestLive_PayInChat: under `orderbot run` with a provider token, the
// customer gets a Telegram invoice with the invoice PDF, pays it in chat
// and gets the receipt; the same payment reported again records nothing.
func TestLive_PayInChat(t *testing.T) {
	s, ctx, ann, _, number, mark := invoicedLive(t, map[string]string{"PAYMENT_PROVIDER_TOKEN": "284685063:TEST:live"}, 7_000_000_014)
	step := s.must
	inv, res := payTelegramInvoice(t, ctx, s, ann, mark, 450, "USD", "Receipt")

	_, err := s.srv.RedeliverPayment(res.Charge.ChargeID)
	step("the payment reported again", err)
	_, err = ann.say(ctx, "/orders", number)
	step("orders after the repeat", err)
	again, err := s.srv.PayInvoice(ctx, ann.id, inv.Message.ID)
	step("pay again", err)
	if again.Answer.OK || again.Answer.ErrorMessage != "This invoice is already paid" {
		t.Fatalf("paying a paid invoice: %+v", again)
	}
	var n int
	db := openTestDB(t, s.env["DATABASE_URL"])
	if err := db.Pool().QueryRow(ctx, `SELECT count(*) FROM payments WHERE method = 'telegram'`).Scan(&n); err != nil || n != 1 {
		t.Fatalf("payments in chat recorded: %d, %v; want 1", n, err)
	}
}

// invoicedLive runs `orderbot run` with env and a tea in stock; Ann (user
// id annID) orders one, the manager confirms it and issues the invoice. It
// returns the shop, a context for the test, Ann, the manager, the order's
// number and where Ann's chat stood before the invoice.
func invoicedLive(t *testing.T, env map[string]string, annID int64) (*liveShop, context.Context, *person, *person, string, int) {
	t.Helper()
	s := newLiveShop(t, env)
	s.cli("catalog", "import", writeFile(t, "sku,name,price,stock\nTEA,Green tea,4.50,10\n"))
	s.start()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	t.Cleanup(cancel)
	ann := s.person(annID, "Ann", "en")
	mia := &person{s: s, id: liveManager}
	_, err := mia.say(ctx, "/start", "You are a manager")
	s.must("manager /start", err)
	number := placeOrderLive(t, ctx, s, ann, s.must)
	_, err = mia.say(ctx, "/order "+number, "History of order "+number)
	s.must("manager opens the order", err)
	mark := s.obs.Mark(ann.id)
	_, _, err = mia.tap(ctx, "🧾 Issue invoice")
	s.must("invoice", err)
	return s, ctx, ann, mia, number, mark
}

// payTelegramInvoice waits for the Telegram invoice the customer gets after
// mark, checks that it asks for total (minor units) in currency, pays it and
// waits for the receipt (receipt: its title in the customer's language).
func payTelegramInvoice(t *testing.T, ctx context.Context, s *liveShop, who *person, mark, total int, currency, receipt string) (fakeapi.Seen, fakeapi.PayResult) {
	t.Helper()
	inv, _, err := s.obs.Wait(ctx, who.id, mark, func(m fakeapi.Message) bool { return m.Invoice != nil })
	s.must("the Telegram invoice to pay in chat", err)
	if inv.Message.Invoice.Total != total || inv.Message.Invoice.Currency != currency {
		t.Fatalf("Telegram invoice = %+v, want %d %s", inv.Message.Invoice, total, currency)
	}
	res, err := s.srv.PayInvoice(ctx, who.id, inv.Message.ID)
	s.must("pay in chat", err)
	if !res.Answer.OK || res.Charge == nil {
		t.Fatalf("payment refused: %+v", res)
	}
	_, err = who.await(ctx, receipt)
	s.must("the payment receipt", err)
	return inv, res
}

// placeOrderLive has the customer order a tea and a manager confirm
// the order in the staff group; it returns the order's number.
func placeOrderLive(t *testing.T, ctx context.Context, s *liveShop, p *person, step func(string, error)) string {
	t.Helper()
	_, err := p.say(ctx, "/start TEA", "Put 1 in cart")
	step("product link", err)
	_, _, err = p.tap(ctx, "➕ Put 1 in cart")
	step("put in cart", err)
	number := checkoutLive(t, ctx, s, p, step, checkoutEN)
	_, err = p.await(ctx, "is confirmed")
	step("the customer hears it is confirmed", err)
	return number
}

// TestLive_StarsRefundedOnClose: under `orderbot run` with Stars (and
// PAYMENT_STARS_REFUND_ON_CANCEL left at its default), a paid order closed
// before it ships gives the customer's Stars back, once, and tells them.
func TestLive_StarsRefundedOnClose(t *testing.T) {
	s, ctx, ann, mia, number, mark := invoicedLive(t, map[string]string{"PAYMENT_STARS": "true", "PAYMENT_STARS_RATE": "100"}, 7_000_000_015)
	step := s.must
	payTelegramInvoice(t, ctx, s, ann, mark, 5, "XTR", "Receipt")

	_, err := mia.say(ctx, "/order "+number, "History of order "+number)
	step("manager opens the paid order", err)
	_, _, err = mia.tap(ctx, "🔒 Close")
	step("close", err)
	_, err = mia.say(ctx, "Customer changed their mind", "closed: Customer changed their mind")
	step("reason", err)
	_, err = ann.await(ctx, "5 ⭐ for order "+number+" were refunded")
	step("the customer hears the Stars went back", err)
	if n := s.srv.StarRefunds(); n != 1 {
		t.Fatalf("refunds = %d, want 1", n)
	}
	var reversed int
	db := openTestDB(t, s.env["DATABASE_URL"])
	if err := db.Pool().QueryRow(ctx, `SELECT count(*) FROM payment_reversals r JOIN star_refunds s USING (payment_id)`).Scan(&reversed); err != nil || reversed != 1 {
		t.Fatalf("Stars payments refunded and reversed: %d, %v; want 1", reversed, err)
	}
}
