package core

import (
	"context"
	"fmt"
)

// RefundStars gives a payment made in Telegram Stars back to the customer
// and reverses it. refund asks Telegram (refundStarPayment); it must treat
// a charge Telegram says was refunded already as done, so that a refund
// whose record was lost is recorded when asked again. The refund is
// recorded once: a second call finds it and changes nothing.
func (s *Orders) RefundStars(ctx context.Context, a Actor, paymentID int64, refund func(ctx context.Context, cp *ChatPayment) error) (*ChatPayment, error) {
	if err := a.requireStaff("refund payments"); err != nil {
		return nil, err
	}
	cp, err := s.ChatPayment(ctx, a, paymentID)
	if err != nil {
		return nil, err
	}
	switch {
	case cp.Method != PayStars:
		return nil, ErrNotStarsPayment
	case cp.Refunded:
		return nil, ErrStarsRefunded
	}
	if err := refund(ctx, cp); err != nil {
		return nil, fmt.Errorf("refund payment %d in Stars: %w", paymentID, err)
	}
	err = s.d.Store.InTx(ctx, func(ctx context.Context, tx Tx) error {
		return s.recordStarRefund(ctx, tx, a, cp)
	})
	if err != nil {
		return nil, fmt.Errorf("refund payment %d in Stars: %w", paymentID, err)
	}
	cp.Refunded = true
	return cp, nil
}

// recordStarRefund records the refund and reverses the payment, unless a
// concurrent refund did already.
func (s *Orders) recordStarRefund(ctx context.Context, tx Tx, a Actor, cp *ChatPayment) error {
	owner, err := tx.PaymentOwner(ctx, cp.PaymentID)
	if err != nil {
		return err
	}
	if _, err := tx.CustomerForUpdate(ctx, owner); err != nil {
		return err
	}
	locked, err := tx.ChatPaymentForUpdate(ctx, cp.PaymentID)
	if err != nil {
		return err
	}
	if locked.Refunded {
		return ErrStarsRefunded
	}
	now := s.d.now()
	if err := tx.InsertStarRefund(ctx, cp.PaymentID, a, now); err != nil {
		return err
	}
	p, err := tx.PaymentForUpdate(ctx, cp.PaymentID)
	if err != nil || p.Reversed {
		return err // reversed by hand before: the refund is all that was left
	}
	if err := tx.ReversePayment(ctx, p.ID, "refunded in Telegram Stars", a, now); err != nil {
		return err
	}
	cause := fmt.Sprintf("payment %d of %s refunded in Telegram Stars (%d)", p.ID, s.d.Currency.Display(p.Amount), cp.Total)
	ref := fmt.Sprintf("reversal:%d", p.ID)
	moved, err := s.rebillAs(ctx, tx, a, ActReverse, p.CustomerID, cause, ref, now)
	if err != nil || moved > 0 || p.OrderID == 0 {
		return err
	}
	return s.noteReversal(ctx, tx, a, p.OrderID, cause, ref, now)
}
