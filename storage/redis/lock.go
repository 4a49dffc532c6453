package redis

import (
	"context"
	cryptorand "crypto/rand"
	"fmt"
	"math/rand/v2"
	"strconv"
	"sync"
	"time"
)

const (
	lockPollMin   = 2 * time.Millisecond
	lockPollMax   = 50 * time.Millisecond
	unlockTimeout = 2 * time.Second
)

// LockChat waits until it holds chatID's lock, shared by every replica, so
// updates of one chat are handled one at a time (DESIGN invariant 5). It
// polls with a growing, jittered pause and gives up when ctx ends. The lock
// lapses after ttl, so a crashed holder cannot block the chat for longer:
// choose ttl above the longest handling time. unlock releases the lock only
// if it is still this caller's; calling it more than once is harmless.
func (s *Store) LockChat(ctx context.Context, chatID int64, ttl time.Duration) (unlock func(), err error) {
	if _, err := ttlArg("lock", ttl); err != nil {
		return nil, err
	}
	key := s.key("lock", "chat", strconv.FormatInt(chatID, 10))
	token := cryptorand.Text()
	for pause := lockPollMin; ; pause = min(2*pause, lockPollMax) {
		ok, err := s.rdb.SetNX(ctx, key, token, ttl).Result()
		if err != nil {
			return nil, fmt.Errorf("lock chat %d: %w", chatID, interpretError(err))
		}
		if ok {
			return s.unlocker(ctx, key, token), nil
		}
		wait := pause/2 + rand.N(pause/2+1)
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("lock chat %d: %w", chatID, ctx.Err())
		case <-time.After(wait):
		}
	}
}

// unlocker returns the release function of a held lock. It runs after the
// caller's work, so it does not inherit ctx's cancellation.
func (s *Store) unlocker(ctx context.Context, key, token string) func() {
	var once sync.Once
	return func() {
		once.Do(func() {
			uctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), unlockTimeout)
			defer cancel()
			// A failed unlock is healed by the lock's TTL.
			_ = unlockScript.Run(uctx, s.rdb, []string{key}, token).Err()
		})
	}
}
