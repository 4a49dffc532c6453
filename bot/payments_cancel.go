package bot

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

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

// deliverStarsKept tells a staff chat that a Stars payment of a cancelled
// order stays credit because other invoices use part of it, with the
// button that refunds it all the same.
func (b *Bot) deliverStarsKept(ctx context.Context, n core.Notice) error {
	p, err := decode[core.OrderNotice](n)
	if err != nil {
		return err
	}
	id, err := strconv.ParseInt(strings.TrimPrefix(p.Ref, "stars_kept:"), 10, 64)
	if err != nil {
		return fmt.Errorf("%w: reference %q", core.ErrUndeliverable, p.Ref)
	}
	cp, err := b.svc.Orders.ChatPayment(ctx, core.System, id)
	if err != nil {
		return err
	}
	l := b.chatLang(ctx, n.ChatID)
	cur := b.svc.Orders.Currency()
	text := l.T("staff.stars_kept", p.Order, cp.PaymentID, starsText(cp.Total), l.money(cur, cp.Allocated))
	k := new(kb)
	if !cp.Refunded {
		k.row(starRefundButton(l, &core.Payment{ID: cp.PaymentID, Method: cp.Method}))
	}
	_, err = b.send.SendWait(ctx, n.ChatID, prio(ctx), text, k.markup())
	return err
}
