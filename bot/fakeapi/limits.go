package fakeapi

import (
	"fmt"
	"math"
	"net/http"
	"strings"
	"time"
)

type limitState struct {
	requests     map[string]int
	failures     map[string][]*apiError
	tooMany      int
	sent         int
	latency      time.Duration
	inflight     int // requests other than getUpdates being served
	lastActivity time.Time
	rate         *rateLimiter
}

func (l *limitState) init() {
	l.requests = map[string]int{}
	l.failures = map[string][]*apiError{}
	l.lastActivity = time.Now()
}

// FailNext makes the next n calls of method (any case) fail with the given
// HTTP code, description and, when retryAfter > 0, parameters.retry_after.
// An empty description gets Telegram's usual text for the code. Failures
// queue up: calling FailNext twice for a method adds to the queue.
func (s *Server) FailNext(method string, n int, code int, description string, retryAfter int) {
	if description == "" {
		description = defaultDescription(code, retryAfter)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	key := strings.ToLower(method)
	for range n {
		s.lim.failures[key] = append(s.lim.failures[key], &apiError{code: code, desc: description, retryAfter: retryAfter})
	}
}

func defaultDescription(code, retryAfter int) string {
	switch code {
	case http.StatusTooManyRequests:
		return fmt.Sprintf("Too Many Requests: retry after %d", retryAfter)
	case http.StatusBadRequest:
		return "Bad Request"
	case http.StatusForbidden:
		return "Forbidden"
	case http.StatusUnauthorized:
		return "Unauthorized"
	}
	return http.StatusText(code)
}

// SetLatency delays every API request by d before it is handled (0 turns
// it off). A request whose context ends during the delay is dropped.
func (s *Server) SetLatency(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.lim.latency = d
}

// EnforceLimits turns on Telegram's flood limits for sendMessage,
// sendDocument and sendPhoto: perChat messages per second in one chat and
// global messages per second overall (Telegram: about 1 and 30), each a
// token bucket allowing bursts of burst messages (the global bucket holds at
// least global tokens). A message over the limit is answered 429 "Too Many
// Requests: retry after N" with parameters.retry_after = N, the whole
// seconds until it would be accepted. Rates <= 0 turn limits off.
func (s *Server) EnforceLimits(perChat, global float64, burst int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if perChat <= 0 && global <= 0 {
		s.lim.rate = nil
		return
	}
	s.lim.rate = newRateLimiter(perChat, global, max(burst, 1))
}

// Requests returns how many times method (any case) was called, failed
// calls included.
func (s *Server) Requests(method string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.lim.requests[strings.ToLower(method)]
}

// TooManyRequestsSent returns how many 429 answers the server sent, from
// EnforceLimits and FailNext alike.
func (s *Server) TooManyRequestsSent() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.lim.tooMany
}

// Sent returns how many messages the bot sent successfully.
func (s *Server) Sent() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.lim.sent
}

// beginRequest counts a call and tracks it for WaitIdle; call the returned
// func when done.
func (s *Server) beginRequest(method string) func() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.lim.requests[method]++
	if method == "getupdates" {
		return func() {}
	}
	s.lim.inflight++
	s.notifyLocked()
	return func() {
		s.mu.Lock()
		s.lim.inflight--
		s.notifyLocked()
		s.mu.Unlock()
	}
}

// delay applies SetLatency; it fails if the request ended meanwhile.
func (s *Server) delay(r *http.Request) error {
	s.mu.Lock()
	d := s.lim.latency
	s.mu.Unlock()
	if d <= 0 {
		return nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-r.Context().Done():
		return r.Context().Err()
	}
}

// takeFailure pops an injected failure for the method, if any.
func (s *Server) takeFailure(method string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	q := s.lim.failures[method]
	if len(q) == 0 {
		return nil
	}
	s.lim.failures[method] = q[1:]
	return q[0]
}

// rateLocked charges one message to the chat's and the global bucket.
func (s *Server) rateLocked(chatID int64) error {
	if s.lim.rate == nil {
		return nil
	}
	if wait := s.lim.rate.take(chatID, time.Now()); wait > 0 {
		secs := max(int(math.Ceil(wait.Seconds())), 1)
		return &apiError{code: http.StatusTooManyRequests,
			desc: fmt.Sprintf("Too Many Requests: retry after %d", secs), retryAfter: secs}
	}
	return nil
}

// bucket is a token bucket refilled at rate tokens per second.
type bucket struct {
	tokens float64
	last   time.Time
}

type rateLimiter struct {
	perChat, global float64
	burst           float64
	globalCap       float64
	chats           map[int64]*bucket
	all             *bucket
}

func newRateLimiter(perChat, global float64, burst int) *rateLimiter {
	gc := math.Max(float64(burst), math.Ceil(global))
	return &rateLimiter{perChat: perChat, global: global, burst: float64(burst), globalCap: gc,
		chats: map[int64]*bucket{}, all: &bucket{tokens: gc}}
}

func refill(b *bucket, rate, capacity float64, now time.Time) {
	if !b.last.IsZero() {
		b.tokens = math.Min(capacity, b.tokens+now.Sub(b.last).Seconds()*rate)
	}
	b.last = now
}

// wait returns how long until the bucket holds one token (0 if it does).
func wait(b *bucket, rate float64) time.Duration {
	if rate <= 0 || b.tokens >= 1 {
		return 0
	}
	return time.Duration((1 - b.tokens) / rate * float64(time.Second))
}

// take consumes a token from both buckets, or returns how long to wait
// without consuming anything.
func (l *rateLimiter) take(chatID int64, now time.Time) time.Duration {
	cb, ok := l.chats[chatID]
	if !ok {
		cb = &bucket{tokens: l.burst}
		l.chats[chatID] = cb
	}
	refill(cb, l.perChat, l.burst, now)
	refill(l.all, l.global, l.globalCap, now)
	w := max(wait(cb, l.perChat), wait(l.all, l.global))
	if w > 0 {
		return w
	}
	if l.perChat > 0 {
		cb.tokens--
	}
	if l.global > 0 {
		l.all.tokens--
	}
	return 0
}
