package handover

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/orderbot/orderbot/core"
)

// TestHandover_Random runs holds, hold expiry, placements, cancellations,
// phone orders, receipts and Redis flushes from several goroutines at once,
// and checks, while it runs and after every round, that no unit is counted
// twice and none is lost: on hand = reserved + held + free with free >= 0,
// and reserved is what the open orders still reserve. A buyer who holds all
// of a live cart is never refused.
func TestHandover_Random(t *testing.T) {
	long := newShop(t, 15*time.Minute)
	short := core.NewShopping(core.Deps{Store: long.db, Holds: long.carts, Currency: core.MustCurrency("USD")},
		long.carts, long.orders, 150*time.Millisecond)
	products := []core.Product{long.product("R1", 6), long.product("R2", 6), long.product("R3", 3)}
	const workers, rounds = 8, 40
	type buyer struct {
		a    core.Actor
		shop *core.Shopping
		long bool
	}
	var buyers [][]buyer
	for range workers {
		buyers = append(buyers, []buyer{{long.buyer(), long.shopping, true}, {long.buyer(), short, false}})
	}
	var flushes atomic.Int64
	var stats struct{ holds, refusedHolds, placed, refusedPlaces, cancels, phone, flushes atomic.Int64 }
	checkNow := func(where string) {
		for _, p := range products {
			st := long.stock(p)
			if st.Free < 0 || st.OnHand != st.Reserved+st.Held+st.Free {
				t.Errorf("%s: %s counted twice or lost: %+v", where, p.SKU, st)
			}
		}
	}
	stopWatch := make(chan struct{})
	watched := make(chan struct{})
	go func() { // checks while everything runs
		defer close(watched)
		for {
			select {
			case <-stopWatch:
				return
			default:
				checkNow("while running")
			}
		}
	}()
	op := func(rng *rand.Rand, b buyer) {
		p := products[rng.IntN(len(products))]
		switch r := rng.IntN(100); {
		case r < 40:
			_, err := b.shop.SetQty(ctx(), b.a, p.ID, int64(rng.IntN(4)))
			count(t, err, &stats.holds, &stats.refusedHolds)
		case r < 65:
			before := flushes.Load()
			cart, err := b.shop.View(ctx(), b.a)
			if err != nil {
				t.Error(err)
				return
			}
			allHeld := len(cart.Lines) > 0
			for _, l := range cart.Lines {
				allHeld = allHeld && l.Held
			}
			_, err = b.shop.Checkout(ctx(), b.a, core.PlaceOrder{Address: "1 Main St"})
			if flushes.Load() != before || before%2 == 1 {
				return // Redis lost the cart meanwhile: anything goes
			}
			var short *core.ShortageError
			if errors.As(err, &short) && allHeld && b.long {
				t.Errorf("%s held the whole cart and was refused: %v", b.a.Name, err)
			}
			if len(cart.Lines) > 0 {
				count(t, err, &stats.placed, &stats.refusedPlaces)
			}
		case r < 75:
			os, err := long.orders.List(ctx(), b.a, core.OrderFilter{CustomerID: b.a.CustomerID, Statuses: []core.Status{core.StatusNew}})
			if err == nil && len(os) > 0 {
				o := os[rng.IntN(len(os))]
				_, err = long.orders.Cancel(ctx(), b.a, o.ID, o.Version, "changed my mind")
			}
			if err == nil {
				stats.cancels.Add(1)
			} else if !errors.Is(err, core.ErrConflict) {
				t.Error(err)
			}
		case r < 88:
			_, err := long.orders.Place(ctx(), manager, core.PlaceOrder{CustomerID: b.a.CustomerID, Address: "by phone",
				Lines: []core.OrderLineInput{{ProductID: p.ID, Qty: int64(1 + rng.IntN(2))}}})
			count(t, err, &stats.phone, new(atomic.Int64))
		case r < 95:
			if _, err := long.catalog.Receive(ctx(), manager, p.ID, 2, "delivery"); err != nil {
				t.Error(err)
			}
		case r < 97:
			flushes.Add(1) // before and after: a checkout that overlaps either knows
			stats.flushes.Add(1)
			long.flushRedis()
			flushes.Add(1)
		default:
			if err := b.shop.Clear(ctx(), b.a); err != nil {
				t.Error(err)
			}
		}
	}
	for round := range rounds {
		var wg sync.WaitGroup
		for w := range workers {
			wg.Go(func() {
				rng := rand.New(rand.NewPCG(uint64(round), uint64(w)))
				for range 3 {
					op(rng, buyers[w][rng.IntN(2)])
				}
			})
		}
		wg.Wait()
		checkNow(fmt.Sprintf("after round %d", round))
		checkReserved(t, long, products)
	}
	close(stopWatch)
	<-watched
	time.Sleep(200 * time.Millisecond) // the short holds lapse
	for _, bs := range buyers {
		if err := long.shopping.Clear(ctx(), bs[0].a); err != nil {
			t.Fatal(err)
		}
	}
	for _, p := range products {
		if st := long.stock(p); st.Held != 0 || st.Free != st.OnHand-st.Reserved {
			t.Errorf("%s after every cart is gone: %+v", p.SKU, st)
		}
	}
	t.Logf("holds %d (refused %d), checkouts %d (refused %d), cancels %d, phone orders %d, Redis flushes %d",
		stats.holds.Load(), stats.refusedHolds.Load(), stats.placed.Load(), stats.refusedPlaces.Load(),
		stats.cancels.Load(), stats.phone.Load(), stats.flushes.Load())
	if stats.placed.Load() == 0 || stats.refusedHolds.Load() == 0 || stats.holds.Load() == 0 {
		t.Error("the run never reached a contested state; adjust the mix")
	}
}

// count adds to ok or to refused (a shortage); anything else fails the test.
func count(t *testing.T, err error, ok, refused *atomic.Int64) {
	var short *core.ShortageError
	switch {
	case err == nil:
		ok.Add(1)
	case errors.As(err, &short):
		refused.Add(1)
	default:
		t.Error(err)
	}
}

// checkReserved recomputes reserved from the open orders' lines.
func checkReserved(t *testing.T, s *shop, products []core.Product) {
	t.Helper()
	for _, p := range products {
		var reserved, fromLines int64
		err := s.db.Pool().QueryRow(ctx(), `SELECT s.reserved, coalesce((SELECT sum(l.qty - l.shipped - l.released)
			FROM order_lines l WHERE l.product_id = s.product_id), 0) FROM stock s WHERE s.product_id = $1`, p.ID).Scan(&reserved, &fromLines)
		if err != nil {
			t.Fatal(err)
		}
		if reserved != fromLines {
			t.Errorf("%s: reserved %d, open order lines reserve %d", p.SKU, reserved, fromLines)
		}
	}
}
