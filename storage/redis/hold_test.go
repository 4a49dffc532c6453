package redis

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/orderbot/orderbot/core"
)

// mustHold holds and fails the test unless the hold was granted.
func mustHold(t testing.TB, s *Store, holder string, product, qty, available int64, ttl time.Duration) HoldResult {
	t.Helper()
	r, err := s.Hold(context.Background(), holder, product, qty, available, nil, ttl)
	if err != nil {
		t.Fatalf("Hold(%s, %d, %d): %v", holder, product, qty, err)
	}
	if !r.OK {
		t.Fatalf("Hold(%s, %d, %d) refused, free %d", holder, product, qty, r.Free)
	}
	return r
}

// sumHolds sums, per product, the live holds of every holder but holder
// ("" counts all).
func sumHolds(ctx context.Context, s *Store, ids []int64, holder string) (map[int64]int64, error) {
	live, err := s.LiveHolds(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := map[int64]int64{}
	for id, hs := range live {
		for _, h := range hs {
			if h.Cart.Holder != holder {
				out[id] += h.Qty
			}
		}
	}
	return out, nil
}

// heldBy returns what holders other than holder hold of one product.
func heldBy(t testing.TB, s *Store, product int64, holder string) int64 {
	t.Helper()
	m, err := sumHolds(context.Background(), s, []int64{product}, holder)
	if err != nil {
		t.Fatal(err)
	}
	return m[product]
}

// waitUntil polls cond until it holds, failing after limit.
func waitUntil(t testing.TB, limit time.Duration, what string, cond func() bool) {
	t.Helper()
	for end := time.Now().Add(limit); !cond(); time.Sleep(20 * time.Millisecond) {
		if time.Now().After(end) {
			t.Fatalf("still not %s after %v", what, limit)
		}
	}
}

func TestHold_RaceForTheLastUnits(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	var wg sync.WaitGroup
	results := make(chan HoldResult, 50)
	for i := range 50 {
		wg.Go(func() {
			r, err := s.Hold(context.Background(), fmt.Sprintf("c:%d", i), 1, 1, 10, nil, time.Minute)
			if err != nil {
				t.Error(err)
			}
			results <- r
		})
	}
	wg.Wait()
	close(results)
	ok := 0
	for r := range results {
		if r.OK {
			ok++
		} else if r.Free != 0 {
			t.Errorf("refused hold says %d free", r.Free)
		}
	}
	if ok != 10 {
		t.Errorf("%d holds granted, want 10", ok)
	}
	if got := heldBy(t, s, 1, ""); got != 10 {
		t.Errorf("sum of holds = %d, want 10", got)
	}
}

func TestHold_Expiry(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := newStore(t)
	must(t, s.SetCartLine(ctx, "c:a", 1, 3))
	mustHold(t, s, "c:a", 1, 3, 5, 500*time.Millisecond)
	mustHold(t, s, "c:long", 1, 2, 5, time.Minute) // keeps the product's keys alive
	if r, _ := s.Hold(ctx, "c:b", 1, 1, 5, nil, time.Minute); r.OK || r.Free != 0 {
		t.Fatalf("hold while all is held = %+v, want refused with 0 free", r)
	}
	waitUntil(t, 3*time.Second, "expired", func() bool { return heldBy(t, s, 1, "") == 2 })

	if n, _ := s.rdb.ZCard(ctx, s.key("hold", "1", "exp")).Result(); n != 2 {
		t.Errorf("expired hold purged before anyone wrote (%d left): test does not cover reading past it", n)
	}
	c, err := s.Cart(ctx, "c:a")
	if err != nil {
		t.Fatal(err)
	}
	want := CartLine{ProductID: 1, Wanted: 3}
	if len(c.Lines) != 1 || c.Lines[0] != want || !c.Lines[0].Lapsed() {
		t.Errorf("cart after expiry = %+v, want one lapsed line %+v", c.Lines, want)
	}
	if r := mustHold(t, s, "c:b", 1, 3, 5, time.Minute); r.Free != 3 {
		t.Errorf("free for c:b = %d, want 3", r.Free)
	}
}

func TestHold_OwnHoldNotCountedAgainstItself(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := newStore(t)
	mustHold(t, s, "c:a", 1, 3, 5, time.Minute)
	mustHold(t, s, "c:a", 1, 5, 5, time.Minute)
	if got := heldBy(t, s, 1, "c:a"); got != 0 {
		t.Errorf("held by others than c:a = %d, want 0", got)
	}
	if got := heldBy(t, s, 1, "c:b"); got != 5 {
		t.Errorf("held by others than c:b = %d, want 5", got)
	}
	if r, _ := s.Hold(ctx, "c:a", 1, 6, 5, nil, time.Minute); r.OK || r.Free != 5 {
		t.Errorf("hold above available = %+v, want refused with 5 free", r)
	}
	if r, _ := s.Hold(ctx, "c:b", 1, 1, 5, nil, time.Minute); r.OK || r.Free != 0 {
		t.Errorf("hold by c:b = %+v, want refused with 0 free", r)
	}
	// Available fell below the hold: renewing is refused, Free never negative.
	if r, _ := s.Hold(ctx, "c:b", 1, 1, 2, nil, time.Minute); r.OK || r.Free != 0 {
		t.Errorf("hold by c:b after stock fell = %+v, want refused with 0 free", r)
	}
	if r, _ := s.Hold(ctx, "c:a", 1, 5, 2, nil, time.Minute); r.OK || r.Free != 2 {
		t.Errorf("renewal after stock fell = %+v, want refused with 2 free", r)
	}
	mustHold(t, s, "c:a", 1, 0, 5, time.Minute)
	if got := heldBy(t, s, 1, ""); got != 0 {
		t.Errorf("after releasing, held = %d, want 0", got)
	}
}

func TestHold_RenewRefreshesExpiry(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	first := mustHold(t, s, "c:a", 1, 2, 2, 500*time.Millisecond)
	time.Sleep(50 * time.Millisecond)
	again := mustHold(t, s, "c:a", 1, 2, 2, 500*time.Millisecond)
	if !again.Expires.After(first.Expires) {
		t.Errorf("renewed expiry %v not after %v", again.Expires, first.Expires)
	}
}

func TestHold_TouchKeepsHoldsAlive(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := newStore(t)
	const ttl = 400 * time.Millisecond
	first := mustHold(t, s, "c:a", 1, 2, 5, ttl)
	mustHold(t, s, "c:a", 2, 1, 5, ttl)
	for time.Now().Before(first.Expires.Add(ttl)) {
		time.Sleep(ttl / 4)
		n, err := s.TouchHolds(ctx, "c:a", ttl)
		if err != nil || n != 2 {
			t.Fatalf("TouchHolds = %d, %v, want 2 renewed", n, err)
		}
	}
	held, err := sumHolds(ctx, s, []int64{1, 2}, "")
	if err != nil {
		t.Fatal(err)
	}
	if held[1] != 2 || held[2] != 1 {
		t.Errorf("held past the first expiry = %v, want map[1:2 2:1]", held)
	}
	waitUntil(t, 3*time.Second, "lapsed once left alone", func() bool { return heldBy(t, s, 1, "") == 0 })
	if n, err := s.TouchHolds(ctx, "c:a", ttl); err != nil || n != 0 {
		t.Errorf("touching lapsed holds = %d, %v, want 0 renewed", n, err)
	}
}

func TestHold_ClearCartReleasesHolds(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := newStore(t)
	for _, p := range []int64{1, 2} {
		must(t, s.SetCartLine(ctx, "c:a", p, 2))
		mustHold(t, s, "c:a", p, 2, 2, time.Minute)
	}
	must(t, s.ClearCart(ctx, "c:a"))
	held, err := sumHolds(ctx, s, []int64{1, 2}, "")
	if err != nil || len(held) != 0 {
		t.Errorf("held after ClearCart = %v, %v, want none", held, err)
	}
	if c, err := s.Cart(ctx, "c:a"); err != nil || len(c.Lines) != 0 {
		t.Errorf("cart after ClearCart = %+v, %v, want empty", c, err)
	}
	mustHold(t, s, "c:b", 1, 2, 2, time.Minute)
	if keys := keysOf(t, s); len(keys) != 4 {
		t.Errorf("keys left = %v, want only c:b's hold and generation and product 1's", keys)
	}
}

func TestCart_LinesAndHolds(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := newStore(t)
	must(t, s.SetCartLine(ctx, "c:a", 3, 4))
	must(t, s.SetCartLine(ctx, "c:a", 1, 2))
	must(t, s.SetCartLine(ctx, "c:a", 2, 1))
	must(t, s.SetCartLine(ctx, "c:a", 2, 0))
	h1 := mustHold(t, s, "c:a", 1, 2, 9, time.Minute)
	h3 := mustHold(t, s, "c:a", 3, 1, 9, time.Minute) // partly held
	h5 := mustHold(t, s, "c:a", 5, 1, 9, time.Minute) // held without a line
	c, err := s.Cart(ctx, "c:a")
	if err != nil {
		t.Fatal(err)
	}
	want := []CartLine{
		{ProductID: 1, Wanted: 2, Held: 2, Expires: h1.Expires},
		{ProductID: 3, Wanted: 4, Held: 1, Expires: h3.Expires},
		{ProductID: 5, Wanted: 0, Held: 1, Expires: h5.Expires},
	}
	if fmt.Sprint(c.Lines) != fmt.Sprint(want) {
		t.Errorf("cart = %+v\nwant   %+v", c.Lines, want)
	}
	if c.Lines[0].Lapsed() || c.Lines[1].Lapsed() {
		t.Error("held lines reported lapsed")
	}
}

func TestHeldByOthers_Page(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	page := make([]int64, 50)
	for i := range page {
		page[i] = int64(i + 1)
		if i%2 == 0 {
			mustHold(t, s, "c:a", page[i], int64(i+1), 100, time.Minute)
			mustHold(t, s, "c:b", page[i], 1, 100, time.Minute)
		}
	}
	held, err := sumHolds(context.Background(), s, page, "c:b")
	if err != nil {
		t.Fatal(err)
	}
	if len(held) != 25 {
		t.Errorf("%d products held, want 25", len(held))
	}
	for i, id := range page {
		if want := int64(i + 1); i%2 == 0 && held[id] != want {
			t.Errorf("product %d held by others = %d, want %d", id, held[id], want)
		}
	}
	if m, err := sumHolds(context.Background(), s, nil, ""); err != nil || len(m) != 0 {
		t.Errorf("empty page = %v, %v", m, err)
	}
}

func TestHold_ErrInvalid(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	ctx := context.Background()
	cases := map[string]error{
		"empty holder":   func() error { _, err := s.Hold(ctx, "", 1, 1, 1, nil, time.Minute); return err }(),
		"bad product":    func() error { _, err := s.Hold(ctx, "c:a", 0, 1, 1, nil, time.Minute); return err }(),
		"negative qty":   func() error { _, err := s.Hold(ctx, "c:a", 1, -1, 1, nil, time.Minute); return err }(),
		"huge qty":       s.SetCartLine(ctx, "c:a", 1, 1<<60),
		"no ttl":         func() error { _, err := s.Hold(ctx, "c:a", 1, 1, 1, nil, 0); return err }(),
		"touch no ttl":   func() error { _, err := s.TouchHolds(ctx, "c:a", 0); return err }(),
		"cart holder":    func() error { _, err := s.Cart(ctx, ""); return err }(),
		"clear holder":   s.ClearCart(ctx, ""),
		"line holder":    s.SetCartLine(ctx, "", 1, 1),
		"first seen ttl": func() error { _, err := s.FirstSeen(ctx, 1, 0); return err }(),
	}
	for name, err := range cases {
		if !errors.Is(err, core.ErrInvalid) {
			t.Errorf("%s: err = %v, want ErrInvalid", name, err)
		}
	}
	if keys := keysOf(t, s); len(keys) != 0 {
		t.Errorf("invalid calls wrote %v", keys)
	}
}

// TestHold_Generations: holds carry the cart's generation; a cart keeps it
// until it is cleared; a hold counts against others unless its generation is
// named as placed.
func TestHold_Generations(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := newStore(t)
	a := mustHold(t, s, "c:a", 1, 2, 5, time.Minute)
	must(t, s.SetCartLine(ctx, "c:a", 1, 2))
	if a.Gen == "" {
		t.Fatal("hold without a generation")
	}
	if again := mustHold(t, s, "c:a", 2, 1, 5, time.Minute); again.Gen != a.Gen {
		t.Fatalf("one cart, two generations: %q and %q", a.Gen, again.Gen)
	}
	if g, err := s.CartGen(ctx, "c:a"); err != nil || g != a.Gen {
		t.Fatalf("CartGen = %q, %v; want %q", g, err, a.Gen)
	}
	live, err := s.LiveHolds(ctx, []int64{1})
	if err != nil || len(live[1]) != 1 || live[1][0].Cart != (core.CartKey{Holder: "c:a", Gen: a.Gen}) || live[1][0].Qty != 2 {
		t.Fatalf("LiveHolds = %+v, %v", live, err)
	}
	if r, _ := s.Hold(ctx, "c:b", 1, 4, 5, nil, time.Minute); r.OK || r.Free != 3 {
		t.Fatalf("c:b got %+v past c:a's live hold", r)
	}
	placed := []core.CartKey{{Holder: "c:a", Gen: a.Gen}}
	if r, _ := s.Hold(ctx, "c:b", 1, 3, 3, placed, time.Minute); !r.OK || r.Free != 3 {
		t.Fatalf("with c:a's cart placed (and 2 of 5 reserved), c:b got %+v, want 3 free", r)
	}
	if r, _ := s.Hold(ctx, "c:b", 1, 3, 3, []core.CartKey{{Holder: "c:a", Gen: "other"}}, time.Minute); r.OK {
		t.Fatal("another generation of c:a's cart made its live hold disappear")
	}
	must(t, s.ClearCart(ctx, "c:a"))
	if g, _ := s.CartGen(ctx, "c:a"); g != "" {
		t.Fatalf("generation %q outlived ClearCart", g)
	}
	if next := mustHold(t, s, "c:a", 2, 1, 5, time.Minute); next.Gen == a.Gen {
		t.Fatal("a cleared cart kept its generation")
	}
}

// TestHold_ReleaseKeepsLines: Release lets go of the holds and leaves the
// lines, shown as not held.
func TestHold_ReleaseKeepsLines(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := newStore(t)
	for _, p := range []int64{1, 2} {
		must(t, s.SetCartLine(ctx, "c:a", p, 1))
		mustHold(t, s, "c:a", p, 1, 5, time.Minute)
	}
	must(t, s.Release(ctx, "c:a", []int64{2}))
	c, err := s.Cart(ctx, "c:a")
	if err != nil || len(c.Lines) != 2 || c.Lines[0].Held != 1 || c.Lines[1].Held != 0 || c.Lines[1].Wanted != 1 {
		t.Fatalf("cart after Release = %+v, %v", c, err)
	}
	if got := heldBy(t, s, 2, ""); got != 0 {
		t.Fatalf("product 2 still held: %d", got)
	}
}
