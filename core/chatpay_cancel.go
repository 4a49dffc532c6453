package core

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Stars given back when an order is cancelled: Telegram Stars cannot be
// paid out as cash, so a Stars payment a cancelled order no longer needs
// (its whole amount became credit when the order's invoices were voided) is
// refunded in Stars. A paid order is not cancelled but closed early, its
// invoices credited: the same holds for the Stars payments a close leaves
// wholly unused. The cancellation's transaction queues the refund as a
// notice to the customer (NoticeStarsRefund); its delivery asks Telegram
// (refundStarPayment, which refuses a second refund of a charge), records
// the refund and reverses the payment (RefundCancelledStars), then tells
// the customer. A Stars payment partly used by other invoices stays credit
// (Telegram refunds whole charges only): a note on the order's trail says
// so and staff are told (NoticeStarsKept), with the button that refunds it
// by hand. Payments through a provider stay credit as before.

// NoticeStarsRefund refunds a Stars payment of a cancelled order and tells
// the customer (StarsRefundNotice).
const NoticeStarsRefund NoticeKind = "stars_refund"

// NoticeStarsKept tells staff that a Stars payment of a cancelled order was
// not refunded because other invoices use part of it (OrderNotice of the
// note on the order's trail; its Ref is StarsKeptRef).
const NoticeStarsKept NoticeKind = "stars_kept"

// StarsKeptRef is the reference of the note that a Stars payment was kept.
func StarsKeptRef(paymentID int64) string { return fmt.Sprintf("stars_kept:%d", paymentID) }

// starsKeptNotices tells every staff chat of a Stars payment kept as
// credit (an event noting it).
func starsKeptNotices(e FeedEvent, p OrderNotice, staff []int64, now time.Time) ([]Notice, error) {
	if e.Action != ActNote || !strings.HasPrefix(e.Ref, "stars_kept:") {
		return nil, nil
	}
	var out []Notice
	for _, chat := range uniqueIDs(staff) {
		n, err := NewNotice(fmt.Sprintf("ev:%d:%s:%d", e.ID, NoticeStarsKept, chat), chat, NoticeStarsKept, p, now)
		if err != nil {
			return nil, err
		}
		out = append(out, n)
	}
	return out, nil
}

// StarsRefundNotice is the payload of NoticeStarsRefund.
type StarsRefundNotice struct {
	PaymentID  int64  `json:"payment_id"`
	OrderID    int64  `json:"order_id"`
	Order      string `json:"order"`
	CustomerID int64  `json:"customer_id"`
}

// ErrStarsInUse: the Stars payment pays an invoice again, so it is not
// refunded on its own.
var ErrStarsInUse error = &Error{Kind: ErrConflict, Msg: "this payment pays an invoice now; refund it by hand if it should go back"}

// StarsRefundKey is the outbox key of the refund of a payment: one per
// payment, however many times a cancellation is replayed.
func StarsRefundKey(paymentID int64) string { return fmt.Sprintf("payment:%d:stars_refund", paymentID) }

// refundStarsOnCancel queues, in the cancellation's transaction and after
// the customer's payments were applied again, the refund of every Stars
// payment of the order that is now wholly unused; one partly used is noted
// on the order's trail instead (the rest of it is credit).
func (s *Orders) refundStarsOnCancel(ctx context.Context, tx Tx, a Actor, o *Order, now time.Time) error {
	if s.d.KeepStarsOnCancel {
		return nil
	}
	cps, err := tx.OrderStarsPayments(ctx, o.ID)
	if err != nil {
		return err
	}
	var ns []Notice
	for _, cp := range cps {
		if cp.Allocated >= cp.Amount {
			continue // all of it pays something still
		}
		if cp.Allocated > 0 {
			detail := fmt.Sprintf("payment %d of %s in Telegram Stars (%d) is partly used by other invoices (%s): kept as credit, not refunded",
				cp.PaymentID, s.d.Currency.Display(cp.Amount), cp.Total, s.d.Currency.Display(cp.Allocated))
			if err := s.noteOn(ctx, tx, a, o.ID, detail, StarsKeptRef(cp.PaymentID), now); err != nil {
				return err
			}
			continue
		}
		n, err := NewNotice(StarsRefundKey(cp.PaymentID), cp.UserID, NoticeStarsRefund,
			StarsRefundNotice{PaymentID: cp.PaymentID, OrderID: o.ID, Order: o.Number, CustomerID: o.CustomerID}, now)
		if err != nil {
			return err
		}
		ns = append(ns, n)
	}
	if len(ns) == 0 {
		return nil
	}
	return tx.EnqueueNotices(ctx, ns)
}

// noteOn writes a note on an order's trail.
func (s *Orders) noteOn(ctx context.Context, tx Tx, a Actor, orderID int64, detail, ref string, now time.Time) error {
	o, err := tx.OrderForUpdate(ctx, orderID)
	if err != nil {
		return err
	}
	return s.save(ctx, tx, o, a, ActNote, detail, ref, now)
}

// RefundCancelledStars works a refund queued by a cancellation: it asks
// Telegram (refund must treat a charge already refunded as done), then
// records the refund and reverses the payment in one transaction. A payment
// found refunded already is done (before reports it: nothing was asked of
// Telegram). A payment that pays an invoice again since is not refunded
// (ErrStarsInUse).
func (s *Orders) RefundCancelledStars(ctx context.Context, paymentID int64, refund func(ctx context.Context, cp *ChatPayment) error) (cp *ChatPayment, before bool, err error) {
	cp, err = s.d.Store.ChatPayment(ctx, paymentID)
	if err != nil {
		return nil, false, fmt.Errorf("refund payment %d in Stars: %w", paymentID, err)
	}
	switch {
	case cp.Method != PayStars:
		return nil, false, ErrNotStarsPayment
	case cp.Refunded:
		return cp, true, nil
	case cp.Allocated > 0:
		return cp, false, ErrStarsInUse
	}
	if err := refund(ctx, cp); err != nil {
		return nil, false, fmt.Errorf("refund payment %d in Stars: %w", paymentID, err)
	}
	err = s.d.Store.InTx(ctx, func(ctx context.Context, tx Tx) error {
		return s.recordStarRefund(ctx, tx, System, cp)
	})
	if err != nil && !errors.Is(err, ErrStarsRefunded) {
		return nil, false, fmt.Errorf("refund payment %d in Stars: %w", paymentID, err)
	}
	cp.Refunded = true
	return cp, false, nil
}
