package postgres

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/time/rate"

	"github.com/orderbot/orderbot/core"
	"github.com/orderbot/orderbot/jobs"
)

// TestBig_OutboxBacklog measures the outbox with a big history: 40,000
// notices queued at once (4 each for 10,000 chats, as a reminder run makes
// them) drained by the shipped delivery (chat lanes claimed and delivered
// side by side, as many as OUTBOX_WORKERS)
// through a presenter that keeps Telegram's limits (the rate allowed
// overall, 1 a second per chat with bursts of 3). It prints the rate
// reached against the rate allowed and the claim latency; it asserts no
// timing. ORDERBOT_BIG=1 runs it (ORDERBOT_BIG_URL reuses a database).
func TestBig_OutboxBacklog(t *testing.T) {
	if envInt("ORDERBOT_BIG", 0) != 1 {
		t.Skip("set ORDERBOT_BIG=1 to fill a big database and measure the outbox")
	}
	db := bigDB(t)
	ctx := context.Background()
	today := time.Date(2026, 3, 10, 0, 0, 0, 0, time.UTC)
	var orders int
	if err := db.pool.QueryRow(ctx, `SELECT count(*) FROM orders`).Scan(&orders); err != nil {
		t.Fatal(err)
	}
	if orders == 0 {
		if _, err := db.Generate(ctx, GenerateOptions{Orders: envInt("ORDERBOT_BIG_ORDERS", 1_000_000),
			Customers: envInt("ORDERBOT_BIG_CUSTOMERS", 5_000), Seed: 1, Now: today.Add(7 * time.Hour)}); err != nil {
			t.Fatal(err)
		}
		db.pool.QueryRow(ctx, `SELECT count(*) FROM orders`).Scan(&orders) //nolint:errcheck
	}
	for _, allowed := range []float64{30, 1000} {
		db.pool.Exec(ctx, `DELETE FROM outbox WHERE key LIKE 'backlog:%'`)        //nolint:errcheck
		db.pool.Exec(ctx, `DELETE FROM outbox_lanes WHERE chat_id >= 5000000000`) //nolint:errcheck
		now := time.Now()
		var ns []core.Notice
		for i := range 40_000 {
			n, err := core.NewNotice(fmt.Sprintf("backlog:%v:%d", allowed, i), 5_000_000_000+int64(i%10_000), core.NoticeReminded,
				map[string]int{"i": i}, now)
			if err != nil {
				t.Fatal(err)
			}
			ns = append(ns, n)
		}
		start := time.Now()
		for batch := range slices.Chunk(ns, 1000) {
			if _, err := db.Enqueue(ctx, batch); err != nil {
				t.Fatal(err)
			}
		}
		enqueued := time.Since(start)
		r := drain(t, db, allowed, time.Minute)
		t.Logf("%d orders in the database; 40,000 notices enqueued in %v; allowed %v/s: delivered %d in %v = %.1f/s (%.0f%% of allowed); "+
			"claims %d, latency p50 %v p99 %v max %v", orders, enqueued.Round(time.Millisecond), allowed, r.sent, r.took.Round(time.Second),
			float64(r.sent)/r.took.Seconds(), 100*float64(r.sent)/r.took.Seconds()/allowed, len(r.claims),
			pctD(r.claims, 50), pctD(r.claims, 99), pctD(r.claims, 100))
	}
}

type drainResult struct {
	sent   int64
	took   time.Duration
	claims []time.Duration
}

// drain runs the delivery for d (or until nothing is left) and counts.
func drain(t *testing.T, db *DB, allowed float64, d time.Duration) drainResult {
	p := &limitedPresenter{global: rate.NewLimiter(rate.Limit(allowed), int(allowed)), chats: map[int64]*rate.Limiter{}}
	store := &timedOutbox{OutboxStore: db}
	cfg := jobs.Config{Poll: 50 * time.Millisecond, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}
	delivery := jobs.NewDelivery(cfg, store, core.NewNotices(core.Deps{Store: db}, db, core.NewStaff(core.Deps{Store: db}, db, nil, nil), 0), p)
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	start := time.Now()
	done := make(chan struct{})
	go func() { defer close(done); delivery.Run(ctx) }()
	for ctx.Err() == nil {
		time.Sleep(200 * time.Millisecond)
		if c, _ := db.OutboxCounts(context.Background()); c[core.Pending] == 0 {
			cancel()
		}
	}
	<-done
	store.mu.Lock()
	defer store.mu.Unlock()
	return drainResult{sent: p.sent.Load(), took: time.Since(start), claims: store.claims}
}

// limitedPresenter "sends" at Telegram's pace: the allowed rate overall,
// 1 a second per chat with bursts of 3, waiting as the real sender's
// callers do.
type limitedPresenter struct {
	global *rate.Limiter
	mu     sync.Mutex
	chats  map[int64]*rate.Limiter
	sent   atomic.Int64
}

func (p *limitedPresenter) Deliver(ctx context.Context, n core.Notice) error {
	p.mu.Lock()
	l := p.chats[n.ChatID]
	if l == nil {
		l = rate.NewLimiter(1, 3)
		p.chats[n.ChatID] = l
	}
	p.mu.Unlock()
	if err := l.Wait(ctx); err != nil {
		return err
	}
	if err := p.global.Wait(ctx); err != nil {
		return err
	}
	p.sent.Add(1)
	return nil
}

// timedOutbox times every lane claim.
type timedOutbox struct {
	core.OutboxStore
	mu     sync.Mutex
	claims []time.Duration
}

func (s *timedOutbox) ClaimLane(ctx context.Context, now time.Time, lease time.Duration, token string) (*core.LaneClaim, error) {
	t0 := time.Now()
	c, err := s.OutboxStore.ClaimLane(ctx, now, lease, token)
	s.mu.Lock()
	s.claims = append(s.claims, time.Since(t0))
	s.mu.Unlock()
	return c, err
}

func pctD(ds []time.Duration, p int) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[min(len(s)-1, len(s)*p/100)].Round(10 * time.Microsecond)
}
