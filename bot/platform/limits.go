package platform

import (
	"math"
	"time"
)

// Limits are the outgoing rates the sender keeps to. Telegram allows about
// 30 messages a second per bot, about one a second per chat with short
// bursts, and 20 a minute in a group; beyond that it answers 429 with
// retry_after. An answer to a button (answerCallbackQuery) is not a message
// and is never held back.
type Limits struct {
	// Global is messages per second over all chats (SEND_RATE, default 30);
	// GlobalBurst is how many may go at once (default Global).
	Global      float64
	GlobalBurst int
	// PerChat is messages per second in one private chat (SEND_RATE_CHAT,
	// default 1), with bursts of ChatBurst (default 3).
	PerChat   float64
	ChatBurst int
	// Group is messages per second in one group chat (default 20 a minute),
	// with bursts of GroupBurst (default 3).
	Group      float64
	GroupBurst int
	// Retries bounds retries of network and server errors; 429 answers are
	// retried after their retry_after without counting.
	Retries int
	// Workers bounds the calls in flight at once (default 16).
	Workers int
	// PaidBroadcast sets allow_paid_broadcast on notices and bulk messages,
	// which Telegram then lets through at up to 1,000 a second for a fee.
	PaidBroadcast bool
}

// Fill sets the defaults of zero fields.
func (l *Limits) Fill() {
	if l.Global <= 0 {
		l.Global = 30
	}
	if l.GlobalBurst <= 0 {
		l.GlobalBurst = max(int(math.Ceil(l.Global)), 1)
	}
	if l.PerChat <= 0 {
		l.PerChat = 1
	}
	if l.ChatBurst <= 0 {
		l.ChatBurst = 3
	}
	if l.Group <= 0 {
		l.Group = 20.0 / 60
	}
	if l.GroupBurst <= 0 {
		l.GroupBurst = 3
	}
	if l.Retries <= 0 {
		l.Retries = 4
	}
	if l.Workers <= 0 {
		l.Workers = 16
	}
}

// bucket is a token bucket: rate tokens a second, at most burst stored.
// It is not safe for concurrent use; the sender guards it.
type bucket struct {
	rate   float64
	burst  float64
	tokens float64
	last   time.Time
}

func newBucket(rate float64, burst int) bucket {
	return bucket{rate: rate, burst: float64(burst), tokens: float64(burst)}
}

func (b *bucket) refill(now time.Time) {
	if !b.last.IsZero() {
		b.tokens = min(b.burst, b.tokens+now.Sub(b.last).Seconds()*b.rate)
	}
	b.last = now
}

// readyAt is when the bucket will hold a whole token.
func (b *bucket) readyAt(now time.Time) time.Time {
	b.refill(now)
	if b.tokens >= 1 {
		return now
	}
	return now.Add(time.Duration((1 - b.tokens) / b.rate * float64(time.Second)))
}

// take spends a token; the caller checked readyAt.
func (b *bucket) take(now time.Time) {
	b.refill(now)
	b.tokens--
}

// full reports whether the bucket is back to its burst: a chat idle that
// long needs no state.
func (b *bucket) full(now time.Time) bool {
	b.refill(now)
	return b.tokens >= b.burst
}
