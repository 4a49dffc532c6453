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
