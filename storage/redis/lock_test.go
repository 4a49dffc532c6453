package redis

import (
	"context"
	"errors"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestLockChat_Excludes runs read-modify-write increments of a counter kept
// in Redis from two replicas under the lock: any overlap loses an update or
// trips the inside counter.
func TestLockChat_Excludes(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	a := newStore(t)
	replicas := []*Store{a, openPrefix(t, a.prefix)}
	counter := a.key("counter")
	var inside atomic.Int32
	var wg sync.WaitGroup
	const rounds = 40
	for _, s := range replicas {
		wg.Go(func() {
			for range rounds {
				unlock, err := s.LockChat(ctx, 1, 10*time.Second)
				if err != nil {
					t.Error(err)
					return
				}
				if inside.Add(1) != 1 {
					t.Error("two holders inside the lock")
				}
				n, _ := s.rdb.Get(ctx, counter).Int()
				time.Sleep(time.Millisecond)
				s.rdb.Set(ctx, counter, strconv.Itoa(n+1), time.Minute)
				inside.Add(-1)
				unlock()
			}
		})
	}
	wg.Wait()
	if n, _ := a.rdb.Get(ctx, counter).Int(); n != 2*rounds {
		t.Errorf("counter = %d, want %d", n, 2*rounds)
	}
}

func TestLockChat_CrashedHolderLapses(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := newStore(t)
	crashed, err := s.LockChat(ctx, 2, 300*time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	short, cancel := context.WithTimeout(ctx, 100*time.Millisecond)
	defer cancel()
	if _, err := s.LockChat(short, 2, time.Minute); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("lock while held = %v, want the context's deadline", err)
	}
	if _, err := s.LockChat(ctx, 3, time.Minute); err != nil {
		t.Fatalf("another chat's lock: %v", err)
	}
	wait, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	unlock, err := s.LockChat(wait, 2, time.Minute)
	if err != nil {
		t.Fatalf("lock after the holder's TTL: %v", err)
	}
	defer unlock()
	crashed() // late unlock of the lapsed holder must not free the new one
	short2, cancel2 := context.WithTimeout(ctx, 100*time.Millisecond)
	defer cancel2()
	if _, err := s.LockChat(short2, 2, time.Minute); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("lock after a stale unlock = %v, want still held", err)
	}
}

func TestLockChat_UnlockFrees(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	s := newStore(t)
	unlock, err := s.LockChat(ctx, 4, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	unlock()
	unlock()
	again, err := s.LockChat(ctx, 4, time.Minute)
	if err != nil {
		t.Fatalf("lock after unlock: %v", err)
	}
	again()
}
