package postgres_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/orderbot/orderbot/core"
)

// TestOrders_Place_NeverOversells: 50 concurrent buyers of a product with 10
// free; exactly 10 succeed and the stock row is exact (invariant 1).
func TestOrders_Place_NeverOversells(t *testing.T) {
	s := newShop(t)
	p := s.product("LAST-10", 999, 10)
	buyers := make([]*core.Customer, 50)
	for i := range buyers {
		buyers[i] = s.customer(fmt.Sprintf("Buyer %02d", i), 0)
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	won, short := 0, 0
	for _, b := range buyers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := s.orders.Place(ctx(), customerActor(b), core.PlaceOrder{CustomerID: b.ID, Lines: []core.OrderLineInput{line(p, 1)}})
			mu.Lock()
			defer mu.Unlock()
			var se *core.ShortageError
			switch {
			case err == nil:
				won++
			case errors.As(err, &se) && errors.Is(err, core.ErrOutOfStock):
				short++
				if len(se.Lines) != 1 || se.Lines[0].SKU != "LAST-10" || se.Lines[0].Free != 0 || se.Lines[0].Asked != 1 {
					t.Errorf("shortage: %+v", se.Lines)
				}
			default:
				t.Errorf("unexpected error: %v", err)
			}
		}()
	}
	wg.Wait()
	if won != 10 || short != 40 {
		t.Fatalf("won %d, out of stock %d; want 10 and 40", won, short)
	}
	st := s.stock(p.ID)
	if st.OnHand != 10 || st.Reserved != 10 || st.Free != 0 {
		t.Fatalf("stock after the sale: %+v", st)
	}
	orders := must[[]core.Order](t)(s.orders.List(ctx(), manager, core.OrderFilter{}))
	if len(orders) != 10 {
		t.Fatalf("%d orders stored, want 10", len(orders))
	}
}

// TestOrders_Place_AllOrNothing: one short line fails the whole order, names
// every short product with what is free, and reserves nothing.
func TestOrders_Place_AllOrNothing(t *testing.T) {
	s := newShop(t)
	a := s.product("A", 100, 5)
	b := s.product("B", 100, 2)
	c := s.product("C", 100, 0)
	buyer := s.customer("Buyer", 0)
	_, err := s.orders.Place(ctx(), manager, core.PlaceOrder{CustomerID: buyer.ID, Lines: []core.OrderLineInput{line(a, 5), line(b, 3), line(c, 1)}})
	var se *core.ShortageError
	if !errors.As(err, &se) {
		t.Fatalf("want a shortage, got %v", err)
	}
	want := []core.Shortage{{ProductID: b.ID, SKU: "B", Name: "Product B", Asked: 3, Free: 2}, {ProductID: c.ID, SKU: "C", Name: "Product C", Asked: 1, Free: 0}}
	if fmt.Sprint(se.Lines) != fmt.Sprint(want) {
		t.Fatalf("shortage lines %+v, want %+v", se.Lines, want)
	}
	if msg := core.SafeMessage(err); msg != "not enough stock: Product B (B): asked 3, free 2; Product C (C): asked 1, free 0" {
		t.Fatalf("message: %q", msg)
	}
	for _, p := range []core.Product{a, b, c} {
		if st := s.stock(p.ID); st.Reserved != 0 {
			t.Fatalf("%s reserved %d after a failed order", p.SKU, st.Reserved)
		}
	}
	if orders := must[[]core.Order](t)(s.orders.List(ctx(), manager, core.OrderFilter{})); len(orders) != 0 {
		t.Fatalf("a failed order was stored: %+v", orders)
	}
}

// heldHolds is a core.Holds with fixed holds of another cart.
type heldHolds map[int64]int64

func (h heldHolds) LiveHolds(context.Context, []int64) (map[int64][]core.LiveHold, error) {
	out := map[int64][]core.LiveHold{}
	for id, q := range h {
		out[id] = []core.LiveHold{{Cart: core.CartKey{Holder: "c-other", Gen: "g1"}, Qty: q}}
	}
	return out, nil
}

// TestOrders_Place_RespectsOtherCartsHolds: what other carts hold is not free
// to a new order (free = on hand - reserved - holds).
func TestOrders_Place_RespectsOtherCartsHolds(t *testing.T) {
	s := newShop(t)
	p := s.product("HELD", 100, 5)
	buyer := s.customer("Buyer", 0)
	d := core.Deps{Store: s.db, Holds: heldHolds{p.ID: 4}, Currency: core.MustCurrency("USD"), Now: s.clock.Now}
	orders := core.NewOrders(d)
	_, err := orders.Place(ctx(), manager, core.PlaceOrder{CustomerID: buyer.ID, Lines: []core.OrderLineInput{line(p, 2)}})
	var se *core.ShortageError
	if !errors.As(err, &se) || se.Lines[0].Free != 1 {
		t.Fatalf("want shortage with 1 free, got %v", err)
	}
	if _, err := orders.Place(ctx(), manager, core.PlaceOrder{CustomerID: buyer.ID, Lines: []core.OrderLineInput{line(p, 1)}}); err != nil {
		t.Fatalf("the one unheld unit: %v", err)
	}
}
