package bot

import (
	"context"
	"errors"
	"fmt"

	tg "github.com/go-telegram/bot"

	"github.com/orderbot/orderbot/bot/platform"
	"github.com/orderbot/orderbot/core"
)

// The presentation side of the outbox: jobs claims a notice and hands it to
// Deliver, which renders it in the recipient's language and sends it through
// the one sender (rate limits, 429 retry_after, backoff, blocked chats).

// UseOutbox makes the outbox deliver order notices: handlers' NewOrder and
// OrderChanged calls then only wake it (wake is jobs.Delivery.Wake).
func (b *Bot) UseOutbox(wake func()) {
	if wake == nil {
		wake = func() {}
	}
	b.wake = wake
	b.notifier = outboxNotifier{wake: wake}
}

// Deliver renders and sends one notice; it implements jobs.Presenter.
func (b *Bot) Deliver(ctx context.Context, n core.Notice) error {
	ctx = withPrio(ctx, notePriority(n.Prio))
	var err error
	switch n.Kind {
	case core.NoticeReply:
		err = b.deliverReply(ctx, n)
	case core.NoticeOrderCard:
		err = b.deliverOrderCard(ctx, n)
	case core.NoticeOrderCards:
		err = b.deliverOrderCards(ctx, n)
	case core.NoticeOrderUpdate:
		err = b.deliverOrderUpdate(ctx, n)
	case core.NoticeOverdueShipments:
		err = b.deliverOverdue(ctx, n)
	case core.NoticeReminder:
		err = b.deliverReminder(ctx, n)
	case core.NoticeInvoicePDF:
		err = b.deliverInvoicePDF(ctx, n)
	case core.NoticeReceipt:
		err = b.deliverReceipt(ctx, n)
	case core.NoticeShipmentReceipt:
		err = b.deliverShipmentReceipt(ctx, n)
	case core.NoticeCreditPDF:
		err = b.deliverCreditPDF(ctx, n)
	case core.NoticeReminded:
		err = b.deliverReminded(ctx, n)
	case core.NoticeSummary:
		err = b.deliverSummary(ctx, n)
	case core.NoticeSummaryChart:
		err = b.deliverSummaryChart(ctx, n)
	case core.NoticeStarsRefund:
		err = b.deliverStarsRefund(ctx, n)
	case core.NoticeStarsKept:
		err = b.deliverStarsKept(ctx, n)
	default:
		err = fmt.Errorf("%w: unknown notice kind %q", core.ErrUndeliverable, n.Kind)
	}
	return deliveryError(err)
}

// notePriority is the sender's priority of an outbox priority.
func notePriority(p int) platform.Priority {
	switch p {
	case core.PrioReply:
		return platform.Direct
	case core.PrioNotice:
		return platform.Notice
	}
	return platform.Bulk
}

// decode reads a notice's payload; one that cannot be read will never be
// deliverable.
func decode[T any](n core.Notice) (T, error) {
	var p T
	if err := n.Decode(&p); err != nil {
		return p, fmt.Errorf("%w: %w", core.ErrUndeliverable, err)
	}
	return p, nil
}

// deliveryError tells the outbox what a send error means: the chat blocked
// the bot, Telegram refused the message for good, the subject is gone, or
// something worth retrying.
func deliveryError(err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, tg.ErrorForbidden):
		return fmt.Errorf("%w: %w", core.ErrRecipientBlocked, err)
	case errors.Is(err, tg.ErrorBadRequest), errors.Is(err, core.ErrNotFound), errors.Is(err, core.ErrInvalid):
		return fmt.Errorf("%w: %w", core.ErrUndeliverable, err)
	}
	return err
}

// deliverOrderCard sends a staff member the card of a new order (as it is
// now: buttons only while it is still new) and remembers it for edits.
func (b *Bot) deliverOrderCard(ctx context.Context, n core.Notice) error {
	p, err := decode[core.OrderNotice](n)
	if err != nil {
		return err
	}
	o, err := b.svc.Orders.Get(ctx, core.System, p.OrderID)
	if err != nil {
		return err
	}
	text, k := b.newOrderCard(ctx, b.chatLang(ctx, n.ChatID), o, "")
	id, err := b.send.SendWait(ctx, n.ChatID, prio(ctx), text, k.markup())
	if err != nil {
		return err
	}
	if err := b.chats.AddCard(ctx, o.ID, n.ChatID, id); err != nil {
		b.log.Warn("remember card", "order", o.Number, "chat_id", n.ChatID, "err", err)
	}
	return nil
}

// deliverOrderCards edits this chat's cards of the order to say who did what.
func (b *Bot) deliverOrderCards(ctx context.Context, n core.Notice) error {
	p, err := decode[core.OrderNotice](n)
	if err != nil {
		return err
	}
	cards, err := b.chats.Cards(ctx, p.OrderID)
	if err != nil {
		return err
	}
	var o *core.Order
	for _, c := range cards {
		if c[0] != n.ChatID {
			continue
		}
		if o == nil {
			if o, err = b.svc.Orders.Get(ctx, core.System, p.OrderID); err != nil {
				return err
			}
		}
		l := b.chatLang(ctx, n.ChatID)
		text, k := b.newOrderCard(ctx, l, o, l.T("card.done", l.action(p.Action), p.ActorName, l.status(o.Status)))
		if err := b.send.EditWait(ctx, n.ChatID, int(c[1]), prio(ctx), text, k.markup()); err != nil {
			if errors.Is(err, tg.ErrorBadRequest) {
				continue // the card was deleted or is too old to edit: nothing to bring up to date
			}
			return err
		}
	}
	return nil
}

// deliverOrderUpdate tells the customer what happened to their order, in
// the words of the event (the order may have moved on since).
func (b *Bot) deliverOrderUpdate(ctx context.Context, n core.Notice) error {
	p, err := decode[core.OrderNotice](n)
	if err != nil {
		return err
	}
	o, err := b.svc.Orders.Get(ctx, core.System, p.OrderID)
	if err != nil {
		return err
	}
	l := b.customerLang(ctx, o.CustomerID)
	text, k := customerNotice(l, o, p.Action, p.After)
	if p.Action == core.ActShip {
		if s := b.shipmentNotice(ctx, l, o, p.Ref); s != "" {
			text = s
		}
		k.row(btn(l.Plain("btn.reorder"), cb("ro", o.ID)))
	}
	if s := b.cycleNotice(ctx, l, o, p); s != "" {
		text = s
	}
	_, err = b.send.SendWait(ctx, n.ChatID, prio(ctx), text, k.markup())
	return err
}

// customerLang is the language a customer chose, else the default.
func (b *Bot) customerLang(ctx context.Context, customerID int64) lang {
	cust, err := b.svc.Customers.Get(ctx, core.System, customerID)
	if err != nil {
		return b.def
	}
	override, _ := b.cache.Lang(ctx, cust.TelegramID)
	return pickLang(override, cust.Lang, b.def)
}

// deliverReply answers whoever made a change, from the change's order
// events and as their handler would have: a customer who placed an order
// sees it placed, staff see the order as it is now (or, when they acted on
// a card, the card brought up to date with everyone else's).
func (b *Bot) deliverReply(ctx context.Context, n core.Notice) error {
	p, err := decode[core.ReplyNotice](n)
	if err != nil || len(p.Events) == 0 {
		return err
	}
	ev := p.Events[len(p.Events)-1]
	r, err := b.replyReq(ctx, n.ChatID, p.MessageID, ev.ActorID)
	if err != nil {
		return err
	}
	o, err := b.svc.Orders.Get(ctx, core.System, ev.OrderID)
	if err != nil {
		return err
	}
	switch {
	case ev.ActorRole == core.RoleCustomer && ev.Action == core.ActPlace:
		return r.showPlaced(o)
	case ev.ActorRole.IsStaff():
		return r.showAfter(o)
	}
	return showOrder(r, o.ID)
}
