package fakeapi

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	tg "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"
)

// payBot is a client whose handler answers every pre-checkout query with
// answer, and collects the successful payments it is sent.
func payBot(t *testing.T, srv *Server, answer func(q *models.PreCheckoutQuery) (bool, string)) (*tg.Bot, chan *models.SuccessfulPayment) {
	t.Helper()
	paid := make(chan *models.SuccessfulPayment, 8)
	b := startBot(t, srv, tg.WithDefaultHandler(func(ctx context.Context, b *tg.Bot, u *models.Update) {
		switch {
		case u.PreCheckoutQuery != nil:
			ok, msg := answer(u.PreCheckoutQuery)
			_, _ = b.AnswerPreCheckoutQuery(ctx, &tg.AnswerPreCheckoutQueryParams{PreCheckoutQueryID: u.PreCheckoutQuery.ID, OK: ok, ErrorMessage: msg})
		case u.Message != nil && u.Message.SuccessfulPayment != nil:
			paid <- u.Message.SuccessfulPayment
		}
	}))
	return b, paid
}

func sendTestInvoice(t *testing.T, b *tg.Bot, p *tg.SendInvoiceParams) *models.Message {
	t.Helper()
	m, err := b.SendInvoice(context.Background(), p)
	if err != nil {
		t.Fatalf("sendInvoice: %v", err)
	}
	return m
}

func usdInvoice() *tg.SendInvoiceParams {
	return &tg.SendInvoiceParams{ChatID: alice.ID, Title: "Invoice INV-1", Description: "Order 1", Payload: "inv:1:1250",
		ProviderToken: "TEST:provider", Currency: "USD", Prices: []models.LabeledPrice{{Label: "Invoice INV-1", Amount: 1250}}}
}

func TestPayments_PaidWhenTheBotSaysYes(t *testing.T) {
	srv := newServer(t)
	need(t)(srv.SendText(alice.ID, "hi"))
	var asked *models.PreCheckoutQuery
	b, paid := payBot(t, srv, func(q *models.PreCheckoutQuery) (bool, string) { asked = q; return true, "" })
	m := sendTestInvoice(t, b, usdInvoice())
	if m.Invoice == nil || m.Invoice.TotalAmount != 1250 || m.Invoice.Currency != "USD" {
		t.Fatalf("invoice message = %+v", m.Invoice)
	}
	stored, _ := srv.LastBotMessage(alice.ID)
	if len(stored.InlineKeyboard) != 1 || !stored.InlineKeyboard[0][0].Pay || stored.InlineKeyboard[0][0].Text != "Pay 12.50 USD" {
		t.Fatalf("invoice keyboard = %+v", stored.InlineKeyboard)
	}
	res, err := srv.PayInvoice(testCtx(t), alice.ID, m.ID)
	if err != nil || !res.Answer.OK || res.Charge == nil {
		t.Fatalf("PayInvoice = %+v, %v", res, err)
	}
	if asked.InvoicePayload != "inv:1:1250" || asked.TotalAmount != 1250 || asked.From.ID != alice.ID {
		t.Fatalf("pre-checkout query = %+v", asked)
	}
	sp := <-paid
	if sp.TelegramPaymentChargeID != res.Charge.ChargeID || sp.ProviderPaymentChargeID == "" || sp.InvoicePayload != "inv:1:1250" {
		t.Fatalf("successful payment = %+v, charge %+v", sp, res.Charge)
	}
	if _, err := srv.RedeliverPayment(sp.TelegramPaymentChargeID); err != nil {
		t.Fatal(err)
	}
	if again := <-paid; again.TelegramPaymentChargeID != sp.TelegramPaymentChargeID {
		t.Fatalf("redelivered payment = %+v", again)
	}
	if n := len(srv.Charges()); n != 1 {
		t.Fatalf("charges = %d, want 1 (a redelivery charges nothing)", n)
	}
}

func TestPayments_RefusedChargesNothing(t *testing.T) {
	srv := newServer(t)
	need(t)(srv.SendText(alice.ID, "hi"))
	b, paid := payBot(t, srv, func(*models.PreCheckoutQuery) (bool, string) { return false, "This invoice is already paid" })
	m := sendTestInvoice(t, b, usdInvoice())
	res, err := srv.PayInvoice(testCtx(t), alice.ID, m.ID)
	if err != nil || res.Answer.OK || res.Answer.ErrorMessage != "This invoice is already paid" || res.Charge != nil {
		t.Fatalf("PayInvoice = %+v, %v", res, err)
	}
	if len(srv.Charges()) != 0 || len(paid) != 0 {
		t.Fatalf("a refused payment was charged: %+v", srv.Charges())
	}
	if _, err := b.AnswerPreCheckoutQuery(context.Background(), &tg.AnswerPreCheckoutQueryParams{PreCheckoutQueryID: res.QueryID, OK: true}); err == nil {
		t.Fatal("a second answer to the same query was accepted")
	}
}

func TestPayments_StarsRefundedOnce(t *testing.T) {
	srv := newServer(t)
	need(t)(srv.SendText(alice.ID, "hi"))
	b, _ := payBot(t, srv, func(*models.PreCheckoutQuery) (bool, string) { return true, "" })
	p := &tg.SendInvoiceParams{ChatID: alice.ID, Title: "Invoice", Description: "Order", Payload: "inv:1:1250",
		Currency: "XTR", Prices: []models.LabeledPrice{{Label: "Invoice", Amount: 13}}}
	m := sendTestInvoice(t, b, p)
	res, err := srv.PayInvoice(testCtx(t), alice.ID, m.ID)
	if err != nil || res.Charge == nil || res.Charge.Currency != "XTR" || res.Charge.ProviderID != "" {
		t.Fatalf("PayInvoice = %+v, %v", res, err)
	}
	refund := func(user int64, charge string) error {
		_, err := b.RefundStarPayment(context.Background(), &tg.RefundStarPaymentParams{UserID: user, TelegramPaymentChargeID: charge})
		return err
	}
	if err := refund(alice.ID, res.Charge.ChargeID); err != nil {
		t.Fatal(err)
	}
	if err := refund(alice.ID, res.Charge.ChargeID); err == nil || !strings.Contains(err.Error(), "CHARGE_ALREADY_REFUNDED") {
		t.Fatalf("second refund: %v", err)
	}
	if err := refund(alice.ID, "nope"); err == nil || !strings.Contains(err.Error(), "CHARGE_NOT_FOUND") {
		t.Fatalf("refund of an unknown charge: %v", err)
	}
	if srv.StarRefunds() != 1 || !srv.Charges()[0].Refunded {
		t.Fatalf("refunds = %d, charges %+v", srv.StarRefunds(), srv.Charges())
	}
}

func TestPayments_InvoiceValidated(t *testing.T) {
	srv := newServer(t)
	need(t)(srv.SendText(alice.ID, "hi"))
	b := newBot(t, srv)
	for name, mut := range map[string]func(p *tg.SendInvoiceParams){
		"long title":          func(p *tg.SendInvoiceParams) { p.Title = strings.Repeat("x", 33) },
		"long payload":        func(p *tg.SendInvoiceParams) { p.Payload = strings.Repeat("x", 129) },
		"no provider":         func(p *tg.SendInvoiceParams) { p.ProviderToken = "" },
		"stars with token":    func(p *tg.SendInvoiceParams) { p.Currency = "XTR" },
		"zero price":          func(p *tg.SendInvoiceParams) { p.Prices[0].Amount = 0 },
		"lower-case currency": func(p *tg.SendInvoiceParams) { p.Currency = "usd" },
	} {
		p := usdInvoice()
		mut(p)
		if _, err := b.SendInvoice(context.Background(), p); !errors.Is(err, tg.ErrorBadRequest) {
			t.Errorf("%s: err = %v, want a bad request", name, err)
		}
	}
}

func TestPayments_NoAnswerNoCharge(t *testing.T) {
	srv := newServer(t, WithPayTimeout(200*time.Millisecond))
	need(t)(srv.SendText(alice.ID, "hi"))
	b := newBot(t, srv) // nobody reads the updates
	m := sendTestInvoice(t, b, usdInvoice())
	if _, err := srv.PayInvoice(testCtx(t), alice.ID, m.ID); !errors.Is(err, ErrNoCheckoutAnswer) {
		t.Fatalf("PayInvoice without an answer: %v", err)
	}
	if len(srv.Charges()) != 0 {
		t.Fatal("charged without an answer")
	}
}
