package redis

import (
	"context"
	"crypto/rand"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/orderbot/orderbot/core"
)

// testURL is the shared Redis the tests use; they fail, never skip, when it
// does not answer.
func testURL() string {
	if u := os.Getenv("TEST_REDIS_URL"); u != "" {
		return u
	}
	return DefaultURL
}

// newStore opens a Store under a prefix of its own, whose keys are deleted
// when the test ends, so tests share the server and run in parallel.
func newStore(t testing.TB, opts ...Option) *Store {
	t.Helper()
	prefix := "obtest:" + strings.ToLower(rand.Text()[:10]) + ":"
	return openPrefix(t, prefix, opts...)
}

// openPrefix opens one more Store on an existing prefix (another replica).
func openPrefix(t testing.TB, prefix string, opts ...Option) *Store {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	s, err := Open(ctx, testURL(), append([]Option{WithPrefix(prefix)}, opts...)...)
	if err != nil {
		t.Fatalf("open redis: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		for _, k := range keysOf(t, s) {
			s.rdb.Del(ctx, k)
		}
		_ = s.Close()
	})
	return s
}

// keysOf lists every key under the store's prefix.
func keysOf(t testing.TB, s *Store) []string {
	t.Helper()
	keys, err := s.rdb.Keys(context.Background(), s.prefix+"*").Result()
	if err != nil {
		t.Fatalf("list keys: %v", err)
	}
	return keys
}

func TestOpen(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	t.Run("ErrUnavailable names the URL without its password", func(t *testing.T) {
		_, err := Open(ctx, "redis://:s3cret@127.0.0.1:1/0", WithTimeouts(200*time.Millisecond, 200*time.Millisecond), WithRetries(0))
		if !errors.Is(err, core.ErrUnavailable) {
			t.Fatalf("err = %v, want ErrUnavailable", err)
		}
		if msg := err.Error(); strings.Contains(msg, "s3cret") || !strings.Contains(msg, "127.0.0.1:1") {
			t.Errorf("message %q should name the address and hide the password", msg)
		}
	})
	t.Run("ErrInvalid for a bad URL without its password", func(t *testing.T) {
		for _, u := range []string{"http://:s3cret@127.0.0.1:6379", "redis://:s3cret@127.0.0.1:port/0", "redis://:s3cret@127.0.0.1/x"} {
			_, err := Open(ctx, u)
			if !errors.Is(err, core.ErrInvalid) || strings.Contains(err.Error(), "s3cret") {
				t.Errorf("Open(%q) = %v, want ErrInvalid without the password", u, err)
			}
		}
	})
	t.Run("Ping", func(t *testing.T) {
		if err := newStore(t).Ping(ctx); err != nil {
			t.Fatal(err)
		}
	})
}

// TestEveryKeyHasTTL uses every feature, then checks that each key the
// package created expires.
func TestEveryKeyHasTTL(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := newStore(t)
	must(t, s.SetCartLine(ctx, "c:1", 7, 2))
	mustHold(t, s, "c:1", 7, 2, 5, time.Minute)
	mustHold(t, s, "c:2", 8, 1, 5, time.Minute)
	if _, err := s.TouchHolds(ctx, "c:1", 2*time.Minute); err != nil {
		t.Fatal(err)
	}
	must(t, s.SetCartLine(ctx, "c:3", 9, 1))
	if _, err := s.FirstSeen(ctx, 100, time.Hour); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Once(ctx, "daily:2024-05-01", time.Hour); err != nil {
		t.Fatal(err)
	}
	must(t, s.SaveDialog(ctx, 42, map[string]int{"step": 1}, time.Hour))
	must(t, s.SetLang(ctx, 42, "en"))
	unlock, err := s.LockChat(ctx, 42, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	defer unlock()

	keys := keysOf(t, s)
	if len(keys) < 13 {
		t.Fatalf("want at least 13 keys, got %d: %v", len(keys), keys)
	}
	for _, k := range keys {
		ttl, err := s.rdb.PTTL(ctx, k).Result()
		if err != nil {
			t.Fatal(err)
		}
		if ttl <= 0 {
			t.Errorf("key %s has PTTL %v, want > 0", k, ttl)
		}
	}
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
