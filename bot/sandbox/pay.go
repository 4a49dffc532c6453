package sandbox

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/go-telegram/bot/models"

	"github.com/orderbot/orderbot/bot/fakeapi"
)

// Paying an invoice on the page: the Pay button of a bot's invoice plays the
// payment provider. The fake server asks the bot (pre_checkout_query),
// waits for its answer and, on a yes, reports the payment to the bot
// (successful_payment); the receipt then arrives in the chat like any
// message.

// payBody answers POST api/pay: whether the bot let the payment through,
// its reason when it did not, and the charge when it did.
type payBody struct {
	OK       bool   `json:"ok"`
	Error    string `json:"error,omitempty"`
	ChargeID string `json:"charge_id,omitempty"`
	UpdateID int64  `json:"update_id,omitempty"`
}

// pay answers POST api/pay {user, message_id}: the persona pays the
// invoice of that bot message.
func (p *Page) pay(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		User      int64 `json:"user"`
		MessageID int   `json:"message_id"`
	}
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	if _, err := p.persona(in.User); err != nil {
		return err
	}
	m, err := p.chatMessage(in.User, in.MessageID)
	if err != nil {
		return err
	}
	if m.Invoice == nil || !m.FromBot {
		return errorf(http.StatusConflict, "message %d is not an invoice", in.MessageID)
	}
	res, err := p.srv.PayInvoice(r.Context(), in.User, in.MessageID)
	if err != nil {
		return errorf(http.StatusConflict, "%s", strings.TrimPrefix(err.Error(), "fakeapi: "))
	}
	out := payBody{OK: res.Answer.OK, Error: res.Answer.ErrorMessage}
	if res.Charge != nil {
		out.ChargeID, out.UpdateID = res.Charge.ChargeID, res.Charge.UpdateID
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// invoiceView is what an invoice message asks for.
type invoiceView struct {
	Title       string `json:"title"`
	Description string `json:"description"`
	Total       string `json:"total"`
}

func newInvoiceView(inv *fakeapi.Invoice) *invoiceView {
	return &invoiceView{Title: inv.Title, Description: inv.Description, Total: amountText(inv.Currency, inv.Total)}
}

// paymentText is how a user's payment report reads in their chat.
func paymentText(sp *models.SuccessfulPayment) string {
	return "💳 Paid " + amountText(sp.Currency, sp.TotalAmount)
}

func amountText(currency string, total int) string {
	if currency == "XTR" {
		return fmt.Sprintf("%d ⭐", total)
	}
	return fmt.Sprintf("%d.%02d %s", total/100, total%100, currency)
}
