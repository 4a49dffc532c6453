package core

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// DefaultCloseAfter is how long an order stays "paid" (shipped and paid)
// before the close_settled job closes it.
const DefaultCloseAfter = 7 * 24 * time.Hour

// CloseSettled closes the orders that have been shipped and paid for at
// least after, up to limit of them, each in its own transaction with an
// event (so the customer and staff cards hear of it). It reports how many it
// closed; an order that changed meanwhile is left for the next run.
func (s *Orders) CloseSettled(ctx context.Context, a Actor, after time.Duration, limit int) (int, error) {
	if err := a.requireStaff("close orders"); err != nil {
		return 0, err
	}
	ids, err := s.d.Store.SettledOrders(ctx, s.d.now().Add(-after), limit)
	if err != nil {
		return 0, fmt.Errorf("settled orders: %w", err)
	}
	closed := 0
	for _, id := range ids {
		if err := ctx.Err(); err != nil {
			return closed, err
		}
		_, err := s.apply(ctx, a, id, change{act: ActClose,
			fn: func(_ context.Context, _ Tx, o *Order, now time.Time) (string, error) {
				if o.SettledAt == nil || o.SettledAt.After(now.Add(-after)) {
					return "", Errorf(ErrConflict, "order %s is no longer settled", o.Number)
				}
				o.ClosedAt, o.CloseReason = &now, AutoCloseReason
				return fmt.Sprintf("shipped and paid for %d days", int(after.Hours()/24)), nil
			}})
		switch {
		case err == nil:
			closed++
		case errors.Is(err, ErrConflict):
		default:
			return closed, err
		}
	}
	return closed, nil
}

// Settled lists the orders CloseSettled would close now (a dry run).
func (s *Orders) Settled(ctx context.Context, a Actor, after time.Duration, limit int) ([]int64, error) {
	if err := a.requireStaff("close orders"); err != nil {
		return nil, err
	}
	return s.d.Store.SettledOrders(ctx, s.d.now().Add(-after), limit)
}
