package bot

import (
	"context"
	"strings"

	"github.com/orderbot/orderbot/core"
)

// Refunds in Stars: a payment made in Telegram Stars is given back with
// refundStarPayment (staff press "Refund in Stars" on the order's
// corrections) and reversed, once. The customer hears of the reversal with
// the order's notices, and of the Stars at once.

// verbStarRefund refunds a Stars payment (staff).
const verbStarRefund = "sps"

func init() {
	onCallback(verbStarRefund, 1, true, func(r *req, c callback) error { return refundStars(r, c.Arg(0)) })
}

// starRefundButton is the refund button of a Stars payment on the
// corrections screen (no button for other payments).
func starRefundButton(l lang, p *core.Payment) button {
	if p.Method != core.PayStars || p.Reversed {
		return button{}
	}
	return btn(l.Plain("staff.btn.star_refund", p.ID), cb(verbStarRefund, p.ID))
}

func refundStars(r *req, paymentID int64) error {
	cp, err := r.b.svc.Orders.RefundStars(r.effectQuiet(), r.actor, paymentID, r.b.refundStars)
	if err != nil {
		return err
	}
	r.b.wake() // the order's notices
	l := r.lang
	r.answer(stripTags(l.T("staff.star_refund.done", cp.PaymentID, starsText(cp.Total))), true)
	cl := r.b.customerLang(r.ctx, r.customerOf(cp))
	r.b.send.Send(nil, cp.UserID, prio(r.ctx), cl.T("pay.refunded", starsText(cp.Total), receiptNumber(&core.Payment{ID: cp.PaymentID})), nil)
	return nil
}

// refundStars asks Telegram to give a Stars payment back; a charge
// Telegram already refunded counts as done, so a refund whose record was
// lost is recorded when asked again.
func (b *Bot) refundStars(ctx context.Context, cp *core.ChatPayment) error {
	err := b.send.RefundStars(ctx, cp.UserID, cp.ChargeID)
	if err != nil && strings.Contains(err.Error(), "CHARGE_ALREADY_REFUNDED") {
		return nil
	}
	return err
}

// customerOf is the customer id behind a chat payment's invoice (0 when it
// cannot be read: the default language is used).
func (r *req) customerOf(cp *core.ChatPayment) int64 {
	inv, err := r.b.svc.Orders.InvoiceByID(r.ctx, core.System, cp.InvoiceID)
	if err != nil {
		return 0
	}
	return inv.CustomerID
}
