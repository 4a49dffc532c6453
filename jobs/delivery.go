package jobs

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"time"

	"github.com/orderbot/orderbot/core"
)

// Presenter turns a notice into Telegram messages (the bot). It returns nil
// once Telegram accepted everything, an error wrapping core.ErrRecipientBlocked
// or core.ErrUndeliverable when retrying cannot help, and any other error
// for a failure worth retrying. It keeps Telegram's rate limits itself.
type Presenter interface {
	Deliver(ctx context.Context, n core.Notice) error
}

// deliverTimeout bounds one delivery, 429 waits included; the lease on a
// claimed notice is longer, so no live sender ever loses its claim.
const deliverTimeout = 2 * time.Minute

// Delivery runs the outbox: one loop turns queued order events into notices,
// and Workers loops deliver notices through the presenter, each claimed so
// that no two senders (of any replica) send the same one, and marked sent
// right after Telegram accepts it.
type Delivery struct {
	cfg     Config
	store   core.OutboxStore
	notices *core.Notices
	p       Presenter
	log     *slog.Logger
	wake    chan struct{}
	stats   DeliveryStats
}

// DeliveryStats counts delivery outcomes since start.
type DeliveryStats struct {
	Sent, Retried, Dropped, Failed, Lost atomic.Int64
}

// NewDelivery returns the outbox runner.
func NewDelivery(cfg Config, store core.OutboxStore, notices *core.Notices, p Presenter) *Delivery {
	cfg.fill()
	return &Delivery{cfg: cfg, store: store, notices: notices, p: p, log: cfg.Logger, wake: make(chan struct{}, 1)}
}

// Stats are the counters, for metrics.
func (d *Delivery) Stats() *DeliveryStats { return &d.stats }

// Wake makes the loops look for work now instead of at the next poll: the
// bot calls it after each change it makes.
func (d *Delivery) Wake() {
	select {
	case d.wake <- struct{}{}:
	default:
	}
}

// Run fans out and delivers until ctx ends.
func (d *Delivery) Run(ctx context.Context) {
	var wg sync.WaitGroup
	kick := make([]chan struct{}, d.cfg.Workers)
	for i := range kick {
		kick[i] = make(chan struct{}, 1)
		wg.Add(1)
		go func() { defer wg.Done(); d.worker(ctx, kick[i]) }()
	}
	d.fanLoop(ctx, kick)
	wg.Wait()
}

// fanLoop moves events into the outbox and nudges the workers when it did.
func (d *Delivery) fanLoop(ctx context.Context, kick []chan struct{}) {
	t := time.NewTicker(d.cfg.Poll)
	defer t.Stop()
	for {
		if n, err := d.FanOut(ctx); err != nil && ctx.Err() == nil {
			d.log.Error("outbox fan-out", "err", err)
		} else if n > 0 {
			for _, k := range kick {
				select {
				case k <- struct{}{}:
				default:
				}
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-d.wake:
		case <-t.C:
		}
	}
}

func (d *Delivery) worker(ctx context.Context, kick chan struct{}) {
	for ctx.Err() == nil {
		claimed, err := d.DeliverOne(ctx)
		if err != nil && ctx.Err() == nil {
			d.log.Error("outbox delivery", "err", err)
		}
		if claimed && err == nil {
			continue
		}
		select {
		case <-ctx.Done():
		case <-kick:
		case <-time.After(d.cfg.Poll):
		}
	}
}

// FanOut moves every queued order event into the outbox, and moves notices
// whose business hours are over to the next day's.
func (d *Delivery) FanOut(ctx context.Context) (int, error) {
	if _, err := d.store.DeferExpired(ctx, d.cfg.Now()); err != nil {
		return 0, fmt.Errorf("defer notices past their hours: %w", err)
	}
	total := 0
	for {
		n, err := d.notices.FanOut(ctx, 500)
		total += n
		if err != nil || n == 0 {
			return total, err
		}
	}
}

// DeliverOne claims one due notice, delivers it and records the outcome; it
// reports whether there was one.
func (d *Delivery) DeliverOne(ctx context.Context) (bool, error) {
	token := newToken()
	n, err := d.store.Claim(ctx, d.cfg.Now(), d.cfg.Lease, token)
	if err != nil || n == nil {
		return false, err
	}
	out := d.attempt(ctx, n)
	fctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	held, err := d.store.Finish(fctx, n.ID, token, out, d.cfg.Now())
	if err != nil {
		return true, fmt.Errorf("record notice %d: %w", n.ID, err)
	}
	if !held {
		d.stats.Lost.Add(1)
		d.log.Error("notice claim lost before its outcome was recorded", "notice_id", n.ID, "key", n.Key)
	}
	return true, nil
}

// attempt delivers a claimed notice and decides what its outcome means.
func (d *Delivery) attempt(ctx context.Context, n *core.Notice) core.Outcome {
	log := d.log.With("notice_id", n.ID, "kind", n.Kind, "chat_id", n.ChatID, "attempt", n.Attempts)
	if n.Blocked {
		d.stats.Dropped.Add(1)
		log.Info("notice dropped: the chat blocked the bot")
		return core.Outcome{State: core.Dropped, Err: "chat blocked the bot"}
	}
	err := d.present(ctx, n)
	switch {
	case err == nil:
		d.stats.Sent.Add(1)
		return core.Outcome{State: core.Sent}
	case errors.Is(err, core.ErrRecipientBlocked):
		d.stats.Dropped.Add(1)
		log.Info("notice dropped: the chat blocked the bot")
		return core.Outcome{State: core.Dropped, Err: err.Error()}
	case errors.Is(err, core.ErrUndeliverable), n.Attempts >= d.cfg.MaxAttempts:
		d.stats.Failed.Add(1)
		log.Error("notice given up", "err", err)
		return core.Outcome{State: core.Failed, Err: err.Error()}
	}
	d.stats.Retried.Add(1)
	at := d.cfg.Now().Add(backoff(n.Attempts))
	log.Warn("notice not delivered; will retry", "err", err, "retry_at", at)
	return core.Outcome{State: core.Pending, RetryAt: at, Err: err.Error()}
}

// present calls the presenter under the delivery timeout; a panic is a
// failure worth retrying, never the end of the process.
func (d *Delivery) present(ctx context.Context, n *core.Notice) (err error) {
	ctx, cancel := context.WithTimeout(ctx, deliverTimeout)
	defer cancel()
	defer func() {
		if p := recover(); p != nil {
			d.log.Error("presenter panicked", "notice_id", n.ID, "panic", fmt.Sprint(p), "stack", string(debug.Stack()))
			err = fmt.Errorf("panic: %v", p)
		}
	}()
	return d.p.Deliver(ctx, *n)
}

// backoff after the given number of attempts: 5s, 10s, 20s, ... up to 30m.
func backoff(attempts int) time.Duration {
	d := 5 * time.Second
	for i := 1; i < attempts && d < 30*time.Minute; i++ {
		d *= 2
	}
	return min(d, 30*time.Minute)
}

func newToken() string {
	b := make([]byte, 8)
	rand.Read(b) //nolint:errcheck
	return hex.EncodeToString(b)
}
