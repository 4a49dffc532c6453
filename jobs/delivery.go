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

// deliverTimeout bounds one delivery, 429 waits included.
const deliverTimeout = 2 * time.Minute

// Delivery runs the outbox: one loop turns queued order events into notices,
// and Workers loops deliver them through the presenter. A worker claims a
// whole chat lane (no other sender, of any replica, touches it meanwhile),
// sends its due notices in order, marking each sent right after Telegram
// accepts it, and gives the lane back. Claims are short leases renewed while
// working, so a dead sender's lanes are taken over within one lease.
type Delivery struct {
	cfg     Config
	store   core.OutboxStore
	notices *core.Notices
	p       Presenter
	log     *slog.Logger
	wake    chan struct{}
	kick    chan struct{}
	slots   chan struct{} // lanes in flight
	lanes   sync.WaitGroup
	stats   DeliveryStats
}

// DeliveryStats counts delivery outcomes since start.
type DeliveryStats struct {
	Sent, Retried, Dropped, Failed, Lost atomic.Int64
	// Claims and ClaimNanos time the lane claims (claim latency).
	Claims, ClaimNanos atomic.Int64
}

// NewDelivery returns the outbox runner.
func NewDelivery(cfg Config, store core.OutboxStore, notices *core.Notices, p Presenter) *Delivery {
	cfg.fill()
	return &Delivery{cfg: cfg, store: store, notices: notices, p: p, log: cfg.Logger, wake: make(chan struct{}, 1),
		kick: make(chan struct{}, claimers), slots: make(chan struct{}, cfg.Workers)}
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
	d.nudge()
}

// nudge wakes one idle worker.
func (d *Delivery) nudge() {
	select {
	case d.kick <- struct{}{}:
	default:
	}
}

// Run fans out and delivers until ctx ends.
func (d *Delivery) Run(ctx context.Context) {
	var wg sync.WaitGroup
	for range claimers {
		wg.Go(func() { d.worker(ctx) })
	}
	d.fanLoop(ctx)
	wg.Wait()
	d.lanes.Wait()
}

// claimers is how many loops claim lanes; each lane claimed is delivered in
// a goroutine of its own (at most Workers at once), so a chat waiting for
// its per-chat slot holds up no other chat's notices.
const claimers = 4

// fanLoop moves events into the outbox and nudges the workers when it did.
func (d *Delivery) fanLoop(ctx context.Context) {
	t := time.NewTicker(d.cfg.Poll)
	defer t.Stop()
	for {
		if n, err := d.FanOut(ctx); err != nil && ctx.Err() == nil {
			d.log.Error("outbox fan-out", "err", err)
		} else if n > 0 {
			for range claimers {
				d.nudge()
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

func (d *Delivery) worker(ctx context.Context) {
	for ctx.Err() == nil {
		select {
		case d.slots <- struct{}{}: // room for one more lane in flight
		case <-ctx.Done():
			return
		}
		c, err := d.claim(ctx)
		if err != nil && ctx.Err() == nil {
			d.log.Error("outbox claim", "err", err)
		}
		if c == nil {
			<-d.slots
			select {
			case <-ctx.Done():
			case <-d.kick:
			case <-time.After(d.cfg.Poll):
			}
			continue
		}
		d.lanes.Add(1)
		go func() {
			defer d.lanes.Done()
			defer func() { <-d.slots }()
			if err := d.runLane(ctx, c); err != nil && ctx.Err() == nil {
				d.log.Error("outbox delivery", "chat_id", c.ChatID, "err", err)
			}
		}()
		d.nudge() // there may be more: let another claimer look too
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

// DeliverOne claims one due lane, delivers its due notices in order and
// gives it back; it reports whether there was one.
func (d *Delivery) DeliverOne(ctx context.Context) (bool, error) {
	c, err := d.claim(ctx)
	if err != nil || c == nil {
		return false, err
	}
	return true, d.runLane(ctx, c)
}

// claim takes the next due lane, timing the claim.
func (d *Delivery) claim(ctx context.Context) (*core.LaneClaim, error) {
	start := time.Now()
	c, err := d.store.ClaimLane(ctx, d.cfg.Now(), d.cfg.Lease, newToken())
	d.stats.Claims.Add(1)
	d.stats.ClaimNanos.Add(int64(time.Since(start)))
	return c, err
}

// runLane delivers a claimed lane and gives it back. The bookkeeping
// (recording outcomes, giving the lane back) outlives a cancelled ctx, so a
// notice sent is recorded sent.
func (d *Delivery) runLane(ctx context.Context, c *core.LaneClaim) error {
	fctx := context.WithoutCancel(ctx)
	defer func() {
		rctx, cancel := context.WithTimeout(fctx, 30*time.Second)
		defer cancel()
		if err := d.store.ReleaseLane(rctx, c, d.cfg.Now()); err != nil {
			d.log.Error("give back outbox lane", "chat_id", c.ChatID, "lane", c.Lane, "err", err)
		}
	}()
	if c.Blocked {
		n, err := d.store.DropLane(fctx, c, "chat blocked the bot", d.cfg.Now())
		d.stats.Dropped.Add(int64(n))
		if n > 0 {
			d.log.Info("notices dropped: the chat blocked the bot", "chat_id", c.ChatID, "count", n)
		}
		if err != nil {
			return err
		}
		// What is left are effects (a refund): they run all the same.
	}
	return d.deliverLane(ctx, fctx, c)
}

// deliverLane sends the claimed lane's due notices in order; it stops at the
// first one to retry later, and when the claim is lost. The claim is renewed
// every third of its lease while the lane is worked on, a slow send
// included.
func (d *Delivery) deliverLane(ctx, fctx context.Context, c *core.LaneClaim) error {
	ctx, lost := context.WithCancelCause(ctx)
	defer lost(nil)
	stop := make(chan struct{})
	defer close(stop)
	go d.keepClaim(fctx, c, stop, lost)
	for ctx.Err() == nil {
		ns, err := d.store.LaneNotices(fctx, c, d.cfg.Now(), 20)
		if err != nil || len(ns) == 0 {
			return err
		}
		for _, n := range ns {
			out := d.attempt(ctx, &n)
			if cause := context.Cause(ctx); cause != nil && errors.Is(cause, errClaimLost) {
				d.stats.Lost.Add(1)
				d.log.Error("outbox lane lost while delivering", "notice_id", n.ID, "key", n.Key)
				return nil
			}
			held, err := d.store.Finish(fctx, c, n.ID, out, d.cfg.Now())
			if err != nil {
				return fmt.Errorf("record notice %d: %w", n.ID, err)
			}
			if !held {
				d.stats.Lost.Add(1)
				d.log.Error("outbox lane lost before a notice's outcome was recorded", "notice_id", n.ID, "key", n.Key)
				return nil
			}
			if out.State == core.Pending {
				return nil // the rest of the lane waits behind it
			}
		}
	}
	return nil
}

var errClaimLost = errors.New("outbox lane claim lost")

// keepClaim renews c until stop closes; when the claim is lost it cancels
// the delivery.
func (d *Delivery) keepClaim(ctx context.Context, c *core.LaneClaim, stop chan struct{}, lost context.CancelCauseFunc) {
	t := time.NewTicker(d.cfg.Lease / 3)
	defer t.Stop()
	for {
		select {
		case <-stop:
			return
		case <-t.C:
			ok, err := d.store.RenewLane(ctx, c, d.cfg.Lease, d.cfg.Now())
			if err == nil && !ok {
				lost(errClaimLost)
				return
			}
			if err != nil {
				d.log.Warn("renew outbox lane", "chat_id", c.ChatID, "err", err)
			}
		}
	}
}

// attempt delivers a claimed notice and decides what its outcome means.
func (d *Delivery) attempt(ctx context.Context, n *core.Notice) core.Outcome {
	log := d.log.With("notice_id", n.ID, "kind", n.Kind, "chat_id", n.ChatID, "attempt", n.Attempts)
	if n.Blocked && !n.Kind.Effect() {
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
	case errors.Is(err, core.ErrUndeliverable), n.Attempts+1 >= d.cfg.MaxAttempts:
		d.stats.Failed.Add(1)
		log.Error("notice given up", "err", err)
		return core.Outcome{State: core.Failed, Err: err.Error()}
	}
	d.stats.Retried.Add(1)
	at := d.cfg.Now().Add(backoff(n.Attempts + 1))
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
