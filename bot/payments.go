package bot

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	tg "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"github.com/orderbot/orderbot/core"
)

// Invoices paid in chat (Telegram Payments). Next to an invoice's PDF the
// customer gets a Telegram invoice for what is still due on it, with
// Telegram's Pay button. Telegram asks before it charges (a pre-checkout
// query: answered at once, after Postgres says the invoice is still theirs,
// not void and that much is still due), then reports the charge (a message
// with successful_payment), which is recorded once per charge id; the
// customer gets the receipt, staff their cards brought up to date.

// Payments configures invoices paid in chat. The zero value is off.
type Payments struct {
	// ProviderToken is the payment provider's token from @BotFather; with
	// Stars off, "" turns payments in chat off.
	ProviderToken string
	// Stars prices the invoices in Telegram Stars (currency XTR, no
	// provider).
	Stars bool
	// StarsRate is how many minor units of the shop's currency one Star is
	// worth (required with Stars).
	StarsRate int64
}

// starsCurrency is Telegram's currency code of Stars.
const starsCurrency = "XTR"

// Enabled reports whether customers may pay invoices in chat.
func (p Payments) Enabled() bool { return p.Stars || p.ProviderToken != "" }

// Validate says what is wrong with the settings.
func (p Payments) Validate() error {
	if p.Stars && p.StarsRate <= 0 {
		return errors.New("PAYMENT_STARS_RATE must be a whole number above 0 with PAYMENT_STARS=true: how many minor units of the shop currency one Star is worth")
	}
	return nil
}

// charge is what Telegram is asked for an amount: the shop's currency in
// its minor units, or Stars, rounded up to a whole Star.
func (p Payments) charge(cur core.Currency, amount core.Money) (string, int64) {
	if p.Stars {
		return starsCurrency, (int64(amount) + p.StarsRate - 1) / p.StarsRate
	}
	return cur.Code, int64(amount)
}

// payPayload names the invoice and the amount a Telegram invoice asks for
// ("inv:<id>:<amount>", far under Telegram's 128 bytes).
func payPayload(invoiceID int64, amount core.Money) string {
	return "inv:" + strconv.FormatInt(invoiceID, 10) + ":" + strconv.FormatInt(int64(amount), 10)
}

// parsePayPayload reads a payload payPayload wrote; anything else is
// refused.
func parsePayPayload(s string) (invoiceID int64, amount core.Money, ok bool) {
	parts := strings.Split(s, ":")
	if len(parts) != 3 || parts[0] != "inv" {
		return 0, 0, false
	}
	id, err1 := strconv.ParseInt(parts[1], 10, 64)
	n, err2 := strconv.ParseInt(parts[2], 10, 64)
	if err1 != nil || err2 != nil || id <= 0 || n <= 0 {
		return 0, 0, false
	}
	return id, core.Money(n), true
}

// offerPayment sends the customer a Telegram invoice for what is still due
// on inv, when payments in chat are on and something is due.
func (b *Bot) offerPayment(ctx context.Context, chat int64, l lang, inv *core.Invoice) error {
	due := inv.Open()
	if !b.cfg.Payments.Enabled() || due <= 0 || chat == 0 {
		return nil
	}
	cur, total := b.cfg.Payments.charge(b.cfg.Currency, due)
	label := l.Plain("pay.label", inv.Number)
	params := &tg.SendInvoiceParams{Title: clip(l.Plain("pay.title", inv.Number), 32),
		Description: clip(l.Plain("pay.description", inv.Number, inv.OrderNumber, l.money(b.cfg.Currency, due)), 255),
		Payload:     payPayload(inv.ID, due), ProviderToken: b.cfg.Payments.ProviderToken, Currency: cur,
		Prices: []models.LabeledPrice{{Label: clip(label, 32), Amount: int(total)}}}
	if b.cfg.Payments.Stars {
		params.ProviderToken = ""
	}
	_, err := b.send.InvoiceWait(ctx, chat, prio(ctx), params)
	return err
}

// offerPaymentQuietly is offerPayment for a delivery whose document went
// out already: a failure is logged, not retried with the document.
func (b *Bot) offerPaymentQuietly(ctx context.Context, chat int64, l lang, inv *core.Invoice) {
	if err := b.offerPayment(ctx, chat, l, inv); err != nil {
		b.log.Warn("send invoice to pay in chat", "invoice", inv.Number, "chat_id", chat, "err", err)
	}
}

// offerOwnPayment is offerPayment for the customer who asked for their
// invoice (staff who fetch a customer's PDF get no Pay button).
func offerOwnPayment(r *req, inv *core.Invoice) error {
	if r.customer == nil || inv.CustomerID != r.customer.ID {
		return nil
	}
	return r.b.offerPayment(r.ctx, r.chatID, r.lang, inv)
}

// payButton is the Pay button of an unpaid invoice on the customer's order
// card ("" text, so no button, when there is nothing to pay in chat).
func payButton(r *req, inv *core.Invoice) button {
	if r.isStaff() || !r.b.cfg.Payments.Enabled() || inv.Open() <= 0 {
		return button{}
	}
	return btn(r.lang.Plain("btn.pay", r.lang.money(r.b.cfg.Currency, inv.Open())), cb(verbPay, inv.ID))
}

// verbPay sends the Telegram invoice of one of the customer's invoices.
const verbPay = "pay"

func init() {
	onCallback(verbPay, 1, false, func(r *req, c callback) error {
		inv, err := r.b.svc.Orders.InvoiceByID(r.ctx, r.actor, c.Arg(0))
		if err != nil {
			return err
		}
		if !r.b.cfg.Payments.Enabled() || inv.Open() <= 0 {
			r.answer(r.lang.Plain(payRefusal(inv)), true)
			return nil
		}
		r.answer("", false)
		return offerOwnPayment(r, inv)
	})
}

// payRefusal is why an invoice cannot be paid in chat now.
func payRefusal(inv *core.Invoice) string {
	switch {
	case inv.Voided:
		return "pay.err.void"
	case inv.Open() <= 0:
		return "pay.err.paid"
	}
	return "pay.err.off"
}

// routePayment handles the updates of Telegram Payments; ok is false for
// any other update.
func (b *Bot) routePayment(r *req) (bool, error) {
	switch u := r.upd; {
	case u.PreCheckoutQuery != nil:
		return true, onPreCheckout(r, u.PreCheckoutQuery)
	case u.Message != nil && u.Message.SuccessfulPayment != nil:
		return true, onPaid(r, u.Message.SuccessfulPayment)
	}
	return false, nil
}

// checkoutRefusal is the text key of why a pre-checkout query is refused,
// or "" when the payment may go ahead.
func checkoutRefusal(r *req, q *models.PreCheckoutQuery) (string, error) {
	id, amount, ok := parsePayPayload(q.InvoicePayload)
	if !ok || r.customer == nil {
		return "pay.err.unknown", nil
	}
	if !r.b.cfg.Payments.Enabled() {
		return "pay.err.off", nil
	}
	cur, total := r.b.cfg.Payments.charge(r.b.cfg.Currency, amount)
	if q.Currency != cur || int64(q.TotalAmount) != total {
		return "pay.err.changed", nil
	}
	_, err := r.b.svc.Orders.CheckChatPayment(r.ctx, r.actor, id, amount)
	switch {
	case err == nil:
		return "", nil
	case errors.Is(err, core.ErrChatPayPaid):
		return "pay.err.paid", nil
	case errors.Is(err, core.ErrChatPayVoid):
		return "pay.err.void", nil
	case errors.Is(err, core.ErrChatPayChanged):
		return "pay.err.changed", nil
	case errors.Is(err, core.ErrNotFound):
		return "pay.err.unknown", nil
	}
	return "pay.err.later", err
}

// onPreCheckout answers whether Telegram may charge: yes only when the
// invoice is still the customer's, not void, and the amount still due.
func onPreCheckout(r *req, q *models.PreCheckoutQuery) error {
	key, err := checkoutRefusal(r, q)
	if err != nil {
		r.log.Error("check payment in chat", "payload", clip(q.InvoicePayload, 64), "err", err)
	}
	text := ""
	if key != "" {
		text = r.lang.Plain(key)
		r.log.Info("payment in chat refused", "payload", clip(q.InvoicePayload, 64), "why", key)
	}
	if err := r.b.send.AnswerPreCheckout(r.ctx, q.ID, key == "", text); err != nil {
		r.log.Warn("answer pre-checkout query", "err", err)
	}
	return nil
}

// onPaid records a charge Telegram made, once per charge id; the receipt
// is queued with it. The same charge reported again records nothing and
// says nothing new.
func onPaid(r *req, sp *models.SuccessfulPayment) error {
	id, amount, ok := parsePayPayload(sp.InvoicePayload)
	if !ok || r.customer == nil {
		r.log.Error("payment in chat for no invoice of ours", "payload", clip(sp.InvoicePayload, 64),
			"charge_id", sp.TelegramPaymentChargeID, "total", sp.TotalAmount, "currency", sp.Currency)
		return r.reply(r.lang.T("pay.unmatched", esc(sp.TelegramPaymentChargeID)), nil)
	}
	cp := core.ChatPayment{InvoiceID: id, Amount: r.b.paidAmount(sp, amount), Method: core.PayTelegram,
		ChargeID: sp.TelegramPaymentChargeID, ProviderID: sp.ProviderPaymentChargeID, UserID: r.user.ID,
		Currency: sp.Currency, Total: int64(sp.TotalAmount)}
	if sp.Currency == starsCurrency {
		cp.Method = core.PayStars
	}
	p, repeated, err := r.b.svc.Orders.RecordChatPayment(r.effectQuiet(), r.actor, cp)
	if err != nil {
		return err
	}
	r.log.Info("payment in chat recorded", "payment_id", p.ID, "charge_id", cp.ChargeID, "repeated", repeated)
	r.b.wake() // the receipt goes out with the outbox
	return nil
}

// paidAmount is what a charge pays in the shop's currency: what Telegram
// charged, or for Stars the amount they were asked for (rounded up to a
// whole Star), or at the rate when they differ.
func (b *Bot) paidAmount(sp *models.SuccessfulPayment, asked core.Money) core.Money {
	if sp.Currency != starsCurrency {
		return core.Money(sp.TotalAmount)
	}
	rate := max(b.cfg.Payments.StarsRate, 1)
	if _, stars := b.cfg.Payments.charge(b.cfg.Currency, asked); stars == int64(sp.TotalAmount) {
		return asked
	}
	return core.Money(int64(sp.TotalAmount) * rate)
}

// starsText is an amount of Stars as people read it.
func starsText(n int64) string { return fmt.Sprintf("%d ⭐", n) }
