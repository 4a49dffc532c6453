package main

import (
	"context"
	"fmt"
	"os"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestLive_FlashSale plays a flash sale as buyers play it, through `orderbot
// run` with its shipped settings (30 messages a second overall, 1 a second
// per chat with bursts of 3): every buyer opens the product from a link,
// all tap "Put 1 in cart" at the same moment, and those who got a unit
// check out and place the order. Exactly as many units are sold as there
// are; no buyer who held a unit is refused; every tap is answered; the
// read-out agrees (on hand = reserved + held + free).
func TestLive_FlashSale(t *testing.T) {
	sizes := []struct{ buyers, units int }{{2000, 100}, {500, 500}}
	if v := os.Getenv("ORDERBOT_SALE"); v != "" { // BUYERSxUNITS, to try other sizes
		sizes = sizes[:1]
		if _, err := fmt.Sscanf(v, "%dx%d", &sizes[0].buyers, &sizes[0].units); err != nil {
			t.Fatalf("ORDERBOT_SALE=%q: want BUYERSxUNITS", v)
		}
	}
	for _, c := range sizes {
		t.Run(fmt.Sprintf("%d_buyers_%d_units", c.buyers, c.units), func(t *testing.T) {
			r := flashSale(t, c.buyers, c.units, false)
			t.Logf("%d buyers, %d units: sold %d, held %d, refused at the cart %d, refused at checkout %d; "+
				"Place order → its answer (toast) p50 %v p99 %v, → the placed screen p50 %v p99 %v; cart tap answered p50 %v p99 %v; last answer %v after the taps; %d messages sent",
				c.buyers, c.units, r.sold, r.held, r.refusedHold, r.refusedPlace, pct(r.placeToast, 50), pct(r.placeToast, 99), pct(r.place, 50), pct(r.place, 99),
				pct(r.holdTap, 50), pct(r.holdTap, 99), r.lastAnswer.Round(time.Millisecond), r.messages)
		})
	}
}

type saleResult struct {
	sold, held, refusedHold, refusedPlace  int
	place, placeToast, holdTap, refusedTap []time.Duration
	lastAnswer, elapsed                    time.Duration
	messages, tooMany, perOrder            int
}

// flashSale plays the sale; with limits the fake Telegram enforces its
// flood limits (30 a second, 1 a second per chat with bursts of 3, 429
// with retry_after beyond).
func flashSale(t *testing.T, n, units int, limits bool) saleResult {
	s := newLiveShop(t, nil)
	if limits {
		s.srv.EnforceLimits(1, 30, 3)
	}
	began := time.Now()
	s.cli("catalog", "import", writeFile(t, fmt.Sprintf("sku,name,price,stock\nFLASH,Limited sneakers,99.00,%d\n", units)))
	s.start()
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Minute)
	defer cancel()
	buyers := make([]*person, n)
	for i := range buyers {
		buyers[i] = s.person(6_000_000_000+int64(i), fmt.Sprintf("Buyer%d", i), "en")
	}
	each(t, buyers, func(b *person) error {
		_, err := b.say(ctx, "/start FLASH", "Put 1 in cart")
		return err
	})

	var res saleResult
	var mu sync.Mutex
	var holders []*person
	gate := make(chan struct{})
	start := time.Now()
	var last atomic.Int64
	var wg sync.WaitGroup
	for _, b := range buyers {
		wg.Go(func() {
			<-gate
			ans, at, err := b.tap(ctx, "➕ Put 1 in cart")
			if err != nil {
				t.Errorf("buyer %d: %v", b.id, err)
				return
			}
			mu.Lock()
			defer mu.Unlock()
			res.holdTap = append(res.holdTap, at.Sub(start))
			switch {
			case strings.Contains(ans.Text, "In your cart"):
				holders = append(holders, b)
			case strings.Contains(ans.Text, "Not enough stock"):
				res.refusedHold++
				res.refusedTap = append(res.refusedTap, at.Sub(start))
			default:
				t.Errorf("buyer %d: the tap was answered %q", b.id, ans.Text)
			}
		})
	}
	close(gate)
	wg.Wait()
	res.held = len(holders)
	if res.held != min(n, units) {
		t.Errorf("%d buyers hold a unit of %d, want %d", res.held, units, min(n, units))
	}
	each(t, holders, func(b *person) error {
		d, err := checkout(ctx, b)
		mu.Lock()
		defer mu.Unlock()
		if err != nil {
			if strings.Contains(err.Error(), "Not enough stock") {
				res.refusedPlace++
				t.Errorf("buyer %d held a unit and was refused at checkout: %v", b.id, err)
				return nil
			}
			return err
		}
		res.sold++
		res.place = append(res.place, d)
		res.placeToast = append(res.placeToast, b.toast)
		last.Store(max(last.Load(), int64(time.Since(start))))
		return nil
	})
	res.lastAnswer = time.Duration(last.Load())
	res.elapsed = time.Since(began)
	res.messages = s.srv.Sent() + s.srv.Requests("editMessageText")
	res.tooMany = s.srv.TooManyRequestsSent()
	for _, h := range holders {
		res.perOrder += len(s.obs.Events(h.id))
	}

	st := s.stock("FLASH")
	if st.Reserved != int64(res.sold) || st.OnHand != int64(units) || st.OnHand != st.Reserved+st.Held+st.Free {
		t.Errorf("stock --json after the sale: %+v (sold %d)", st, res.sold)
	}
	if res.sold != min(n, units) {
		t.Errorf("sold %d of %d units to %d buyers (undersold %d)", res.sold, units, n, min(n, units)-res.sold)
	}
	if un := s.srv.UnansweredCallbacks(); len(un) > 0 {
		t.Errorf("%d taps never answered", len(un))
	}
	return res
}

// checkout takes a buyer who holds the goods from the cart to a placed
// order; it returns how long the answer to "Place order" took.
func checkout(ctx context.Context, b *person) (time.Duration, error) {
	steps := []struct{ tap, say, want string }{
		{want: "✅ Check out"},
		{tap: "✅ Check out", want: "Where should we deliver?"},
		{say: fmt.Sprintf("%d Market Street", b.id%1000), want: "Your phone number"},
		{say: fmt.Sprintf("+1555%07d", b.id%10_000_000), want: "✅ Place order"},
	}
	for _, st := range steps {
		if st.tap == "" && st.say == "" {
			if _, err := b.await(ctx, st.want); err != nil {
				return 0, err
			}
			continue
		}
		var err error
		if st.tap != "" {
			_, _, err = b.tap(ctx, st.tap)
			if err == nil {
				_, err = b.await(ctx, st.want)
			}
		} else {
			_, err = b.say(ctx, st.say, st.want)
		}
		if err != nil {
			return 0, err
		}
	}
	tapped := time.Now()
	ans, _, err := b.tap(ctx, "✅ Place order")
	if err != nil {
		return 0, err
	}
	b.toast = time.Since(tapped) // the answer to the tap: "Order … is placed"
	if strings.Contains(ans.Text, "Not enough stock") {
		return 0, fmt.Errorf("refused: %s", ans.Text)
	}
	if _, err := b.await(ctx, "is placed"); err != nil {
		return 0, err
	}
	return time.Since(tapped), nil
}

// each runs f for every person, many at once, and fails the test on the
// first error.
func each(t *testing.T, people []*person, f func(*person) error) {
	t.Helper()
	sem := make(chan struct{}, 256)
	var wg sync.WaitGroup
	var failed atomic.Bool
	for _, p := range people {
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			if failed.Load() {
				return
			}
			if err := f(p); err != nil && !failed.Swap(true) {
				t.Errorf("%d: %v\nlast messages: %s", p.id, err, lastSeen(p))
			}
		})
	}
	wg.Wait()
	if failed.Load() {
		t.FailNow()
	}
}

func lastSeen(p *person) string {
	evs := p.s.obs.Events(p.id)
	var out []string
	for _, e := range evs[max(0, len(evs)-3):] {
		out = append(out, fmt.Sprintf("%q", e.Message.PlainText))
	}
	return strings.Join(out, " | ")
}

// pct is the p-th percentile of ds.
func pct(ds []time.Duration, p int) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[min(len(s)-1, len(s)*p/100)].Round(time.Millisecond)
}
