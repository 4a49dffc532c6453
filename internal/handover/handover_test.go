package handover

import (
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/orderbot/orderbot/core"
	"github.com/orderbot/orderbot/storage/redis/redistest"
)

func asShortage(err error, short **core.ShortageError) bool { return errors.As(err, short) }

// TestHandover_PlacedHoldsCountOnce: a cart placed as an order whose holds
// Redis still has (the process stopped between the commit and the Redis
// write) counts once, as reserved: the next holder is not refused, a third
// buyer gets nothing that is not free, and the stale cart reads as empty.
func TestHandover_PlacedHoldsCountOnce(t *testing.T) {
	s := newShop(t, 15*time.Minute)
	p := s.product("FLASH", 2)
	a, b, c := s.buyer(), s.buyer(), s.buyer()
	s.mustHold(a, p, 1)
	s.mustHold(b, p, 1)
	s.carts.setBeforeClear(func(string) { panic("stop between commit and clear") })
	func() {
		defer func() { recover() }() //nolint:errcheck // the "crash" after the commit
		s.checkout(a)                //nolint:errcheck
	}()
	s.carts.setBeforeClear(nil)
	if st := s.stock(p); st.Reserved != 1 || st.Held != 1 || st.Free != 0 {
		t.Fatalf("after A placed (holds still in Redis): %+v, want reserved 1, held 1 (B), free 0", st)
	}
	if s.hold(c, p, 1) {
		t.Fatal("C was given a unit that B holds")
	}
	if _, err := s.checkout(b); err != nil {
		t.Fatalf("B holds a unit and was refused: %v", err)
	}
	cart, err := s.shopping.View(ctx(), a)
	if err != nil || len(cart.Lines) != 0 {
		t.Fatalf("A's placed cart = %+v, %v; want empty", cart, err)
	}
	if st := s.stock(p); st.Reserved != 2 || st.Held != 0 || st.Free != 0 {
		t.Fatalf("end: %+v, want 2 reserved", st)
	}
}

// TestHandover_ReaderWaitsForTheRow: placements queued behind a stock row
// read the holds only once they have the row, so a placement that commits
// ahead of them is counted once however late its holds leave Redis.
func TestHandover_ReaderWaitsForTheRow(t *testing.T) {
	s := newShop(t, 15*time.Minute)
	p := s.product("ROW", 3)
	buyers := []core.Actor{s.buyer(), s.buyer(), s.buyer()}
	for _, b := range buyers {
		s.mustHold(b, p, 1)
	}
	// Forget holds late: every placement's Redis write waits 150 ms after
	// its commit, while the next placement already has the row.
	s.carts.setBeforeClear(func(string) { time.Sleep(150 * time.Millisecond) })
	lock := lockRow(t, s, p)
	var wg sync.WaitGroup
	errs := make([]error, len(buyers))
	for i, b := range buyers {
		wg.Go(func() { _, errs[i] = s.checkout(b) })
	}
	time.Sleep(200 * time.Millisecond) // all three wait for the row
	lock()
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("buyer %d held a unit and was refused: %v", i, err)
		}
	}
	if st := s.stock(p); st.Reserved != 3 || st.Held != 0 || st.Free != 0 {
		t.Fatalf("stock %+v, want 3 reserved", st)
	}
}

// lockRow holds the product's stock row from another connection until the
// returned function is called.
func lockRow(t *testing.T, s *shop, p core.Product) func() {
	t.Helper()
	conn, err := pgx.Connect(ctx(), s.url())
	if err != nil {
		t.Fatal(err)
	}
	tx, err := conn.Begin(ctx())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec(ctx(), `SELECT 1 FROM stock WHERE product_id = $1 FOR UPDATE`, p.ID); err != nil {
		t.Fatal(err)
	}
	var once sync.Once
	release := func() {
		once.Do(func() {
			tx.Rollback(ctx()) //nolint:errcheck
			conn.Close(ctx())  //nolint:errcheck
		})
	}
	t.Cleanup(release)
	return release
}

// TestHandover_CheckoutTwiceIsOneOrder: the same cart placed twice at once
// (a double tap) is one order. The second call either finds the order
// (marked as a repeat) or, when the first already emptied the cart, an
// empty cart; it never places a second order.
func TestHandover_CheckoutTwiceIsOneOrder(t *testing.T) {
	s := newShop(t, 15*time.Minute)
	p := s.product("TWICE", 20)
	for range 20 {
		a := s.buyer()
		s.mustHold(a, p, 1)
		var wg sync.WaitGroup
		res := make([]*core.Placement, 2)
		errs := make([]error, 2)
		for i := range 2 {
			wg.Go(func() { res[i], errs[i] = s.checkout(a) })
		}
		wg.Wait()
		placed := 0
		for i := range 2 {
			switch {
			case errs[i] == nil && !res[i].Repeat:
				placed++
			case errs[i] == nil:
				if other := res[1-i]; other == nil || other.Order.ID != res[i].Order.ID {
					t.Fatalf("a repeat names order %d, not the one placed", res[i].Order.ID)
				}
			case !errors.Is(errs[i], core.ErrInvalid):
				t.Fatalf("second checkout: %v", errs[i])
			}
		}
		orders, err := s.orders.List(ctx(), manager, core.OrderFilter{CustomerID: a.CustomerID})
		if placed != 1 || err != nil || len(orders) != 1 {
			t.Fatalf("two checkouts of one cart placed %d (orders %d, %v)", placed, len(orders), err)
		}
	}
	if st := s.stock(p); st.Reserved != 20 || st.Held != 0 {
		t.Fatalf("stock %+v, want 20 reserved", st)
	}
}

// TestHandover_CrashAfterCommitThenRetry: a customer whose "placed" never
// reached them taps again: the same order, not a second one.
func TestHandover_CrashAfterCommitThenRetry(t *testing.T) {
	s := newShop(t, 15*time.Minute)
	p := s.product("RETRY", 10)
	a := s.buyer()
	s.mustHold(a, p, 3)
	cart, err := s.shopping.View(ctx(), a)
	if err != nil {
		t.Fatal(err)
	}
	first, err := s.orders.Place(ctx(), a, core.PlaceOrder{CustomerID: a.CustomerID, Cart: cart.Key, Address: "1 Main St",
		Lines: []core.OrderLineInput{{ProductID: p.ID, Qty: 3}}})
	if err != nil {
		t.Fatal(err)
	}
	again, err := s.orders.Place(ctx(), a, core.PlaceOrder{CustomerID: a.CustomerID, Cart: cart.Key, Address: "1 Main St",
		Lines: []core.OrderLineInput{{ProductID: p.ID, Qty: 3}}})
	if err == nil || again != nil {
		t.Fatalf("placing a placed cart again made order %+v", again)
	}
	if st := s.stock(p); st.Reserved != 3 || st.Held != 0 {
		t.Fatalf("stock %+v, want 3 reserved and the placed holds not counted", st)
	}
	if cart, err := s.shopping.View(ctx(), a); err != nil || len(cart.Lines) != 0 {
		t.Fatalf("cart after its order = %+v, %v; want empty", cart, err)
	}
	orders, err := s.orders.List(ctx(), manager, core.OrderFilter{CustomerID: a.CustomerID})
	if err != nil || len(orders) != 1 || orders[0].ID != first.ID {
		t.Fatalf("orders of the buyer: %v %v; want just %s", orders, err, first.Number)
	}
}

// TestHandover_StaffOrderRespectsHolds: a phone order takes only what no
// live cart holds, and the holder still gets theirs.
func TestHandover_StaffOrderRespectsHolds(t *testing.T) {
	s := newShop(t, 15*time.Minute)
	p := s.product("PHONE", 3)
	a := s.buyer()
	s.mustHold(a, p, 2)
	phone := s.buyer()
	place := func(qty int64) error {
		_, err := s.orders.Place(ctx(), manager, core.PlaceOrder{CustomerID: phone.CustomerID, Address: "2 Side St",
			Lines: []core.OrderLineInput{{ProductID: p.ID, Qty: qty}}})
		return err
	}
	if err := place(1); err != nil {
		t.Fatalf("the one free unit: %v", err)
	}
	var short *core.ShortageError
	if err := place(1); !errors.As(err, &short) || short.Lines[0].Free != 0 {
		t.Fatalf("a held unit went to a phone order: %v", err)
	}
	if _, err := s.checkout(a); err != nil {
		t.Fatalf("holder refused: %v", err)
	}
}

// TestHandover_RefusedBuyerLetsGo: a cart refused for a line it no longer
// holds (its hold lapsed and someone took the goods) keeps no hold on that
// line, and shows it as not held.
func TestHandover_RefusedBuyerLetsGo(t *testing.T) {
	s := newShop(t, 300*time.Millisecond)
	x, y := s.product("X", 5), s.product("Y", 1)
	a, b := s.buyer(), s.buyer()
	s.mustHold(a, y, 1)
	time.Sleep(400 * time.Millisecond) // A's hold on Y lapses
	s.mustHold(b, y, 1)
	s.mustHold(a, x, 1) // A is active again: X is held, Y stays lapsed
	_, err := s.checkout(a)
	var short *core.ShortageError
	if !errors.As(err, &short) || len(short.Lines) != 1 || short.Lines[0].ProductID != y.ID {
		t.Fatalf("checkout = %v, want Y short", err)
	}
	if st := s.stock(y); st.Held != 1 || st.Free != 0 {
		t.Fatalf("Y after A's refusal: %+v, want only B's hold", st)
	}
	cart, err := s.shopping.View(ctx(), a)
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range cart.Lines {
		if l.ProductID == y.ID && l.Held {
			t.Fatalf("A's cart still shows Y held: %+v", l)
		}
	}
	if _, err := s.checkout(b); err != nil {
		t.Fatalf("B holds Y and was refused: %v", err)
	}
}

// TestHandover_RedisLostMidSale: when Redis loses every hold, the units are
// free again (nothing counted twice, nothing kept from sale), and no order
// or reservation is lost.
func TestHandover_RedisLostMidSale(t *testing.T) {
	s := newShop(t, 15*time.Minute)
	p := s.product("LOST", 4)
	a, b, c := s.buyer(), s.buyer(), s.buyer()
	s.mustHold(a, p, 1)
	if _, err := s.checkout(a); err != nil {
		t.Fatal(err)
	}
	s.mustHold(b, p, 2)
	s.flushRedis()
	if st := s.stock(p); st.Reserved != 1 || st.Held != 0 || st.Free != 3 {
		t.Fatalf("after Redis lost the holds: %+v, want 1 reserved, 3 free", st)
	}
	s.mustHold(c, p, 3)
	if _, err := s.checkout(c); err != nil {
		t.Fatal(err)
	}
	if _, err := s.checkout(b); err == nil {
		t.Fatal("B's cart was lost with Redis, yet an order was placed from it")
	}
	if st := s.stock(p); st.Reserved != 4 || st.OnHand != 4 {
		t.Fatalf("end: %+v", st)
	}
}

// flushRedis loses every key of the shop at once, as a Redis restart does.
func (s *shop) flushRedis() { redistest.Flush(s.cache.Prefix() + "*") }

func (s *shop) url() string { return s.dbURL }

// TestHandover_AddToACartAlreadyPlaced: the process stopped after a cart
// became an order and before the cart was cleared; the buyer then adds one
// more. The new cart holds just that one: the placed lines are the order's
// (reserved), not counted again in the cart or against the stock.
func TestHandover_AddToACartAlreadyPlaced(t *testing.T) {
	s := newShop(t, 15*time.Minute)
	p := s.product("AGAIN", 10)
	a := s.buyer()
	s.placeUncleared(a, p, 3)
	cart, err := s.shopping.Add(ctx(), a, p.ID, 1)
	if err != nil {
		t.Fatal(err)
	}
	if len(cart.Lines) != 1 || cart.Lines[0].Qty != 1 || cart.Key.Gen == "" {
		t.Fatalf("cart after adding one to a placed cart: %+v; want a new cart with 1", cart)
	}
	if st := s.stock(p); st.Reserved != 3 || st.Held != 1 || st.Free != 6 {
		t.Fatalf("stock %+v, want 3 reserved, 1 held, 6 free", st)
	}
}

// TestHandover_QuantitiesOfAPlacedCart: the counts shown on catalog pages
// and product cards are the cart's: a cart placed but not yet cleared shows
// nothing in it (its goods are the order's), a live one its quantities.
func TestHandover_QuantitiesOfAPlacedCart(t *testing.T) {
	s := newShop(t, 15*time.Minute)
	p := s.product("COUNT", 10)
	a, other := s.buyer(), s.buyer()
	s.mustHold(other, p, 2)
	if q, err := s.shopping.Quantities(ctx(), other); err != nil || q[p.ID] != 2 || len(q) != 1 {
		t.Fatalf("quantities of a live cart = %v, %v; want %d: 2", q, err, p.ID)
	}
	s.placeUncleared(a, p, 3)
	if q, err := s.shopping.Quantities(ctx(), a); err != nil || len(q) != 0 {
		t.Fatalf("quantities of a placed cart = %v, %v; want none", q, err)
	}
	if st := s.stock(p); st.Reserved != 3 || st.Held != 2 || st.Free != 5 {
		t.Fatalf("stock %+v, want 3 reserved, 2 held, 5 free", st)
	}
}
