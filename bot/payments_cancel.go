package bot

import (
	"context"
	"errors"
	"fmt"

	tg "github.com/go-telegram/bot"

	"github.com/orderbot/orderbot/core"
)

// deliverStarsRefund works the refund a cancellation queued: Telegram gives
// the Stars back (once: it refuses a second refund of a charge, which
// counts as done), the refund is recorded and the payment reversed, then
// the customer is told. Delivered again (a crash, a retry), it refunds
// nothing twice and tells the customer again at most.
func (b *Bot) deliverStarsRefund(ctx context.Context, n core.Notice) error {
	p, err := decode[core.StarsRefundNotice](n)
	if err != nil {
		return err
	}
	cp, _, err := b.svc.Orders.RefundCancelledStars(ctx, p.PaymentID, b.refundStars)
	switch {
	case errors.Is(err, core.ErrStarsInUse), errors.Is(err, core.ErrNotStarsPayment):
		return fmt.Errorf("%w: payment %d of order %s: %w", core.ErrUndeliverable, p.PaymentID, p.Order, err)
	case err != nil:
		return err
	}
	l := b.customerLang(ctx, p.CustomerID)
	_, err = b.send.SendWait(ctx, n.ChatID, prio(ctx), l.T("pay.cancel_refunded", starsText(cp.Total), p.Order), nil)
	if errors.Is(err, tg.ErrorForbidden) {
		return nil // the Stars went back; the customer blocked the bot and cannot be told
	}
	return err
}
