package fakeapi

import (
	"errors"
	"testing"
	"time"

	tg "github.com/go-telegram/bot"
)

func TestEnforceLimitsBurst(t *testing.T) {
	srv := newServer(t)
	ctx := testCtx(t)
	b := newBot(t, srv)
	need(t)(srv.SendText(alice.ID, "hi"))
	need(t)(srv.SendText(bob.ID, "hi"))
	srv.EnforceLimits(5, 1000, 3) // 5/s per chat, bursts of 3
	ok, limited := 0, 0
	for range 10 {
		_, err := sendTo(ctx, b, alice.ID, "spam", "")
		var tooMany *tg.TooManyRequestsError
		switch {
		case err == nil:
			ok++
		case errors.As(err, &tooMany):
			limited++
			if tooMany.RetryAfter != 1 {
				t.Fatalf("retry_after = %d, want 1", tooMany.RetryAfter)
			}
		default:
			t.Fatal(err)
		}
	}
	// 10 requests take far less than the 600ms that would refill 3 more tokens.
	if ok < 3 || ok > 6 || ok+limited != 10 {
		t.Fatalf("accepted %d, limited %d", ok, limited)
	}
	if srv.TooManyRequestsSent() != limited || srv.Sent() != ok {
		t.Fatalf("TooManyRequestsSent %d, Sent %d", srv.TooManyRequestsSent(), srv.Sent())
	}
	// Another chat has its own bucket.
	if _, err := sendTo(ctx, b, bob.ID, "hello", ""); err != nil {
		t.Fatalf("other chat limited: %v", err)
	}
	srv.EnforceLimits(0, 0, 0)
	if _, err := sendTo(ctx, b, alice.ID, "free again", ""); err != nil {
		t.Fatalf("limits off: %v", err)
	}
}

func TestRateLimiterRefill(t *testing.T) {
	t0 := time.Unix(1700000000, 0)
	l := newRateLimiter(1, 100, 2) // 1/s per chat, burst 2
	if l.take(1, t0) != 0 || l.take(1, t0) != 0 {
		t.Fatal("burst of 2 refused")
	}
	if w := l.take(1, t0); w != time.Second {
		t.Fatalf("third message wait = %v, want 1s", w)
	}
	if w := l.take(1, t0.Add(400*time.Millisecond)); w != 600*time.Millisecond {
		t.Fatalf("wait after 400ms = %v, want 600ms", w)
	}
	if w := l.take(1, t0.Add(time.Second)); w != 0 {
		t.Fatalf("after 1s = %v", w)
	}

	g := newRateLimiter(100, 2, 1) // global 2/s: the global bucket holds 2
	if g.take(1, t0) != 0 || g.take(2, t0) != 0 {
		t.Fatal("two chats refused")
	}
	if w := g.take(3, t0); w != 500*time.Millisecond {
		t.Fatalf("global wait = %v, want 500ms", w)
	}
}
