package bot

import (
	"context"
	"time"

	"github.com/orderbot/orderbot/core"
)

// Notifier tells people about changes someone else made: staff about new
// orders, customers about their orders moving. Every notice goes through
// this one place.
type Notifier interface {
	NewOrder(ctx context.Context, o *core.Order)
	OrderChanged(ctx context.Context, o *core.Order, act core.Action, by core.Actor)
}

// outboxNotifier is the Notifier once the outbox delivers (UseOutbox): the
// change's order event is already committed and queued in Postgres, and the
// outbox turns it into these same notices, so a crash loses none and a
// handler that forgets to notify loses none either. Calls only wake the
// outbox so that cards go out at once instead of at its next poll.
type outboxNotifier struct{ wake func() }

// NewOrder wakes the outbox.
func (n outboxNotifier) NewOrder(context.Context, *core.Order) { n.wake() }

// OrderChanged wakes the outbox.
func (n outboxNotifier) OrderChanged(context.Context, *core.Order, core.Action, core.Actor) { n.wake() }

// observe records how long an update took (metrics hook).
func (b *Bot) observe(d time.Duration) {
	if b.metrics != nil {
		b.metrics.Update(d)
	}
}

// Metrics receives the front end's measurements.
type Metrics interface {
	Update(d time.Duration)
}
