package main

import (
	"context"
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/orderbot/orderbot/core"
	redisstore "github.com/orderbot/orderbot/storage/redis"
)

// cliHolds are the cart holds a read-out counts, from the Redis the bot
// uses. Holds live only in Redis: when it does not answer, the read-out says
// so and counts none, rather than failing or pretending.
type cliHolds struct {
	holds core.Holds
	mu    sync.Mutex
	err   error // the first failure, reported once
}

// openHolds opens the bot's Redis (REDIS_URL, REDIS_PREFIX and the bot id
// from TELEGRAM_TOKEN, as run does); the function it returns closes it.
func openHolds(ctx context.Context, cfg Config, stderr io.Writer) (*cliHolds, func()) {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	opts := []redisstore.Option{redisstore.WithTimeouts(2*time.Second, 3*time.Second), redisstore.WithRetries(1)}
	if cfg.redisPrefix != "" {
		opts = append(opts, redisstore.WithPrefix(cfg.redisPrefix))
	}
	if cfg.TelegramToken == "" {
		fmt.Fprintln(stderr, "orderbot: note: TELEGRAM_TOKEN is not set; cart holds are kept under the bot's id, so set it as for `orderbot run` to count them")
	}
	cache, err := redisstore.Open(ctx, cfg.RedisURL, opts...)
	if err != nil {
		return &cliHolds{holds: core.NoHolds{}, err: err}, func() {}
	}
	return &cliHolds{holds: cache.Carts()}, func() { cache.Close() } //nolint:errcheck
}

// LiveHolds reads the holds, remembering a failure for report.
func (h *cliHolds) LiveHolds(ctx context.Context, ids []int64) (map[int64][]core.LiveHold, error) {
	got, err := h.holds.LiveHolds(ctx, ids)
	if err != nil {
		h.mu.Lock()
		if h.err == nil {
			h.err = err
		}
		h.mu.Unlock()
	}
	return got, err
}

// report tells stderr when the holds could not be read.
func (h *cliHolds) report(stderr io.Writer) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.err != nil {
		fmt.Fprintf(stderr, "orderbot: warning: cart holds not counted (held is 0, free may be too high): %v\n", h.err)
	}
}
