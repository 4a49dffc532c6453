package postgres_test

import (
	"errors"
	"sync"
	"testing"

	"github.com/orderbot/orderbot/core"
)

// TestOrders_ConcurrentConfirmAndCancel: two people act on the same card at
// once; exactly one wins, the other gets a conflict, and the stock matches
// the winner.
func TestOrders_ConcurrentConfirmAndCancel(t *testing.T) {
	s := newShop(t)
	p := s.product("P", 100, 1000)
	c := s.customer("Client", 0)
	confirmed, cancelled := 0, 0
	for range 20 {
		o := s.place(c, false, line(p, 3))
		var wg sync.WaitGroup
		var errConfirm, errCancel error
		wg.Add(2)
		go func() { defer wg.Done(); _, errConfirm = s.orders.Confirm(ctx(), manager, o.ID, o.Version) }()
		go func() {
			defer wg.Done()
			_, errCancel = s.orders.Cancel(ctx(), manager, o.ID, o.Version, "customer called")
		}()
		wg.Wait()
		if (errConfirm == nil) == (errCancel == nil) {
			t.Fatalf("confirm: %v, cancel: %v; want exactly one to succeed", errConfirm, errCancel)
		}
		loser := errConfirm
		if loser == nil {
			loser = errCancel
		}
		if !errors.Is(loser, core.ErrConflict) || core.SafeMessage(loser) == "" {
			t.Fatalf("the loser got %v, want a conflict with a message", loser)
		}
		got := must[*core.Order](t)(s.orders.Get(ctx(), manager, o.ID))
		switch {
		case errConfirm == nil && got.Status == core.StatusInProgress:
			confirmed++
		case errCancel == nil && got.Status == core.StatusCancelled:
			cancelled++
		default:
			t.Fatalf("status %s does not match the winner", got.Status)
		}
	}
	if st := s.stock(p.ID); st.Reserved != int64(3*confirmed) {
		t.Fatalf("reserved %d, want %d for %d confirmed orders", st.Reserved, 3*confirmed, confirmed)
	}
	t.Logf("confirm won %d times, cancel %d times", confirmed, cancelled)
}

// TestOrders_StaleVersionRefused: acting on an order as it was before a
// change is refused and changes nothing.
func TestOrders_StaleVersionRefused(t *testing.T) {
	s := newShop(t)
	p := s.product("P", 100, 10)
	c := s.customer("Client", 0)
	o := s.place(c, false, line(p, 1))
	if _, err := s.orders.Confirm(ctx(), manager, o.ID, o.Version); err != nil {
		t.Fatal(err)
	}
	_, err := s.orders.Reject(ctx(), manager, o.ID, o.Version, "too late")
	if !errors.Is(err, core.ErrConflict) {
		t.Fatalf("stale reject: %v", err)
	}
	if got := must[*core.Order](t)(s.orders.Get(ctx(), manager, o.ID)); got.Status != core.StatusInProgress {
		t.Fatalf("status %s", got.Status)
	}
}

// TestPayments_FullAmountTappedTwiceAtOnce: two people record "paid in full"
// for the order they both saw; one payment is recorded, the other refused.
func TestPayments_FullAmountTappedTwiceAtOnce(t *testing.T) {
	s := newShop(t)
	p := s.product("P", 1000, 10)
	c := s.customer("Client", 0)
	o := s.orderIn(core.StatusInProgress, c, p)
	errs := make(chan error, 2)
	for range 2 {
		go func() {
			_, err := s.orders.RecordPayment(ctx(), manager, core.PaymentInput{CustomerID: c.ID, OrderID: o.ID, Version: o.Version, Amount: o.Total(), Method: core.PayCash})
			errs <- err
		}()
	}
	e1, e2 := <-errs, <-errs
	if (e1 == nil) == (e2 == nil) || !(errors.Is(e1, core.ErrConflict) || errors.Is(e2, core.ErrConflict)) {
		t.Fatalf("two full payments: %v / %v", e1, e2)
	}
	if ps := must[[]core.Payment](t)(s.db.Payments(ctx(), c.ID)); len(ps) != 1 {
		t.Fatalf("%d payments recorded", len(ps))
	}
}
