package postgres_test

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

// TestOrders_RandomConcurrentOperations runs many concurrent operations of
// every kind and checks every invariant in snapshots taken while they run and
// after each phase, when nothing moves.
func TestOrders_RandomConcurrentOperations(t *testing.T) {
	s := newShop(t)
	var products []core.Product
	for i := range 6 {
		products = append(products, s.product(fmt.Sprintf("SKU-%d", i), core.Money(100*(i+1)), int64(20+i*5)))
	}
	var customers []*core.Customer
	for i := range 8 {
		c := s.customer(fmt.Sprintf("Customer %d", i), []int{0, 7, 30}[i%3])
		if i == 7 {
			limit := core.Money(5000)
			c = must[*core.Customer](t)(s.customers.Update(ctx(), manager, c.ID, func(c *core.Customer) { c.CreditLimit = &limit }))
		}
		customers = append(customers, c)
	}
	r := &randomRun{s: s, products: products, customers: customers}
	phases, workers, opsPerWorker := 4, 8, 60
	if testing.Short() {
		phases, opsPerWorker = 2, 25
	}
	for phase := range phases {
		var wg sync.WaitGroup
		stop := make(chan struct{})
		go func() { // snapshots while the phase runs
			for {
				select {
				case <-stop:
					return
				case <-time.After(50 * time.Millisecond):
					s.checkInvariants(fmt.Sprintf("during phase %d", phase), false)
				}
			}
		}()
		for w := range workers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				rng := rand.New(rand.NewPCG(uint64(phase), uint64(w)))
				for range opsPerWorker {
					r.step(rng)
				}
			}()
		}
		wg.Wait()
		close(stop)
		s.clock.Advance(10 * 24 * time.Hour)
		s.checkInvariants(fmt.Sprintf("after phase %d", phase), true)
	}
	t.Logf("operations: %d ok, %d refused by the rules", r.ok.Load(), r.refused.Load())
	if r.ok.Load() < int64(phases*workers*opsPerWorker/4) {
		t.Errorf("only %d operations succeeded; the run proves little", r.ok.Load())
	}
}

type randomRun struct {
	s           *shop
	products    []core.Product
	customers   []*core.Customer
	ok, refused atomic.Int64
}

func (r *randomRun) step(rng *rand.Rand) {
	s := r.s
	o := r.someOrder(rng)
	var err error
	switch n := rng.IntN(100); {
	case n < 25 || o == nil:
		err = r.place(rng)
	case n < 38:
		_, err = s.orders.Confirm(ctx(), manager, o.ID, 0)
	case n < 43:
		_, err = s.orders.Cancel(ctx(), manager, o.ID, 0, "random")
	case n < 58:
		err = r.shipPart(rng, o)
	case n < 68:
		basis := []core.InvoiceBasis{"", core.BillOrdered, core.BillShipped}[rng.IntN(3)]
		_, _, err = s.orders.IssueInvoice(ctx(), manager, o.ID, 0, basis)
	case n < 80:
		err = r.pay(rng, o)
	case n < 84:
		_, err = s.orders.Close(ctx(), manager, o.ID, 0, "random close")
	case n < 90:
		_, err = s.catalog.Receive(ctx(), manager, r.products[rng.IntN(len(r.products))].ID, int64(1+rng.IntN(5)), "delivery")
	case n < 94:
		err = r.returnSome(o)
	case n < 97:
		err = r.voidSome(o)
	default:
		err = r.reverseSome(o)
	}
	r.count(err)
}

func (r *randomRun) count(err error) {
	switch {
	case err == nil:
		r.ok.Add(1)
	case errors.Is(err, core.ErrConflict), errors.Is(err, core.ErrOutOfStock), errors.Is(err, core.ErrInvalid),
		errors.Is(err, core.ErrForbidden):
		r.refused.Add(1)
		if testing.Verbose() && core.SafeMessage(err) == "" {
			r.s.t.Logf("refused without a message: %v", err)
		}
	default:
		r.s.t.Errorf("unexpected error: %v", err)
	}
}

func (r *randomRun) someOrder(rng *rand.Rand) *core.Order {
	orders, err := r.s.orders.List(ctx(), manager, core.OrderFilter{NewestFirst: true, Limit: 30})
	if err != nil || len(orders) == 0 {
		return nil
	}
	return &orders[rng.IntN(len(orders))]
}

func (r *randomRun) place(rng *rand.Rand) error {
	c := r.customers[rng.IntN(len(r.customers))]
	var lines []core.OrderLineInput
	for _, i := range rng.Perm(len(r.products))[:1+rng.IntN(3)] {
		lines = append(lines, line(r.products[i], int64(1+rng.IntN(4))))
	}
	actor := manager
	if rng.IntN(2) == 0 {
		actor = customerActor(c)
	}
	_, err := r.s.orders.Place(ctx(), actor, core.PlaceOrder{CustomerID: c.ID, Lines: lines, Confirmed: actor == manager && rng.IntN(2) == 0})
	return err
}

func (r *randomRun) shipPart(rng *rand.Rand, o *core.Order) error {
	var lines []core.QtyLine
	for _, l := range o.Lines {
		if out := l.Outstanding(); out > 0 {
			lines = append(lines, core.QtyLine{ProductID: l.ProductID, Qty: 1 + rng.Int64N(out)})
		}
	}
	if rng.IntN(3) == 0 {
		lines = nil // ship everything outstanding
	}
	_, _, err := r.s.orders.Ship(ctx(), manager, o.ID, 0, lines)
	return err
}

func (r *randomRun) pay(rng *rand.Rand, o *core.Order) error {
	in := core.PaymentInput{CustomerID: o.CustomerID, Amount: core.Money(1 + rng.IntN(1500)), Method: core.PayBank}
	if rng.IntN(2) == 0 {
		in.OrderID = o.ID
	}
	_, err := r.s.orders.RecordPayment(ctx(), manager, in)
	return err
}

func (r *randomRun) returnSome(o *core.Order) error {
	ships, err := r.s.db.Shipments(ctx(), o.ID)
	if err != nil || len(ships) == 0 {
		return err
	}
	l := ships[0].Lines[0]
	_, _, err = r.s.orders.Return(ctx(), manager, ships[0].ID, []core.QtyLine{{ProductID: l.ProductID, Qty: 1}}, "damaged")
	return err
}

func (r *randomRun) voidSome(o *core.Order) error {
	invs, err := r.s.orders.Invoices(ctx(), manager, core.InvoiceFilter{OrderID: o.ID})
	if err != nil || len(invs) == 0 {
		return err
	}
	_, err = r.s.orders.VoidInvoice(ctx(), manager, invs[0].ID, "wrong amount")
	return err
}

func (r *randomRun) reverseSome(o *core.Order) error {
	ps, err := r.s.db.Payments(ctx(), o.CustomerID)
	if err != nil || len(ps) == 0 {
		return err
	}
	return r.s.orders.ReversePayment(ctx(), manager, ps[len(ps)-1].ID, "bounced")
}
