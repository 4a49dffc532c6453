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
	products[4] = s.supply(products[4], core.SupplyToOrder, 10) // sold beyond stock: backorders and receipts
	products[5] = s.supply(products[5], core.SupplyBackorder, 0)
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
	var edits, arrivals, returns, credits, reversals, closes int
	if err := s.db.Pool().QueryRow(ctx(), `SELECT count(*) FILTER (WHERE action = 'edit'), count(*) FILTER (WHERE action = 'arrival'),
		count(*) FILTER (WHERE action = 'return'), (SELECT count(*) FROM credit_notes),
		count(*) FILTER (WHERE action = 'reverse_payment'), count(*) FILTER (WHERE action = 'close' AND actor_role = 'system')
		FROM order_events`).Scan(&edits, &arrivals, &returns, &credits, &reversals, &closes); err != nil {
		t.Fatal(err)
	}
	t.Logf("edits %d, arrivals %d, returns %d, credit notes %d, reversals %d, closed when settled %d",
		edits, arrivals, returns, credits, reversals, closes)
	if edits == 0 || arrivals == 0 || returns == 0 || credits == 0 || reversals == 0 {
		t.Error("the run did not mix every kind of change; it proves little")
	}
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
	case n < 22 || o == nil:
		err = r.place(rng)
	case n < 33:
		_, err = s.orders.Confirm(ctx(), manager, o.ID, 0)
	case n < 37:
		_, err = s.orders.Cancel(ctx(), manager, o.ID, 0, "random")
	case n < 50:
		err = r.shipPart(rng, o)
	case n < 59:
		basis := []core.InvoiceBasis{"", core.BillOrdered, core.BillShipped}[rng.IntN(3)]
		_, _, err = s.orders.IssueInvoice(ctx(), manager, o.ID, 0, basis)
	case n < 69:
		err = r.pay(rng, o)
	case n < 72:
		_, err = s.orders.Close(ctx(), manager, o.ID, 0, "random close")
	case n < 79:
		_, err = s.catalog.Receive(ctx(), manager, r.products[rng.IntN(len(r.products))].ID, int64(1+rng.IntN(5)), "delivery")
	default:
		err = r.cycleStep(rng, o, n)
	}
	r.count(err)
}

// cycleStep is the rest of the order cycle: returns, edits, voids,
// reversals and the close_settled job.
func (r *randomRun) cycleStep(rng *rand.Rand, o *core.Order, n int) error {
	s := r.s
	switch {
	case n < 82:
		return r.returnSome(o)
	case n < 86:
		return r.returnGoods(rng, o)
	case n < 92:
		return r.edit(rng, o)
	case n < 95:
		return r.voidSome(o)
	case n < 98:
		return r.reverseSome(o)
	}
	_, err := s.orders.CloseSettled(ctx(), core.System, time.Hour, 20)
	return err
}

// edit sets random quantities (never below what shipped), drops or adds a
// line, and sometimes the address, as staff or as the customer.
func (r *randomRun) edit(rng *rand.Rand, o *core.Order) error {
	var lines []core.OrderLineInput
	for _, l := range o.Lines {
		q := l.Shipped + rng.Int64N(5)
		if q == 0 && rng.IntN(2) == 0 {
			q = 1
		}
		lines = append(lines, core.OrderLineInput{ProductID: l.ProductID, Qty: q})
	}
	if rng.IntN(3) == 0 {
		p := r.products[rng.IntN(len(r.products))]
		if o.Line(p.ID) == nil {
			lines = append(lines, line(p, int64(1+rng.IntN(3))))
		}
	}
	e := core.OrderEdit{Lines: lines}
	if rng.IntN(4) == 0 {
		addr := fmt.Sprintf("%d Random St", rng.IntN(100))
		e.Address = &addr
	}
	actor := manager
	if o.Status == core.StatusNew && rng.IntN(2) == 0 {
		actor = core.Actor{Role: core.RoleCustomer, CustomerID: o.CustomerID, Name: o.CustomerName}
	}
	_, _, err := r.s.orders.Edit(ctx(), actor, o.ID, 0, e)
	return err
}

// returnGoods returns part of what an order shipped, across its shipments.
func (r *randomRun) returnGoods(rng *rand.Rand, o *core.Order) error {
	var lines []core.QtyLine
	for _, l := range o.Lines {
		if kept := l.Shipped - l.Returned; kept > 0 {
			lines = append(lines, core.QtyLine{ProductID: l.ProductID, Qty: 1 + rng.Int64N(kept)})
		}
	}
	if len(lines) == 0 {
		return core.Errorf(core.ErrInvalid, "nothing shipped")
	}
	_, _, _, err := r.s.orders.ReturnGoods(ctx(), manager, o.ID, 0, lines, "random return")
	return err
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
		if out := l.Ready(); out > 0 {
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
