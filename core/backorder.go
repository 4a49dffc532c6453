package core

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"
)

// Make-to-order and backorders. A product whose Supply sells beyond stock
// may be ordered beyond what is free: the order reserves what is free and
// records the rest of the line as awaited, in the placing transaction.
// Awaited units are not reservations of stock on hand (see the package
// comment): stock.reserved counts only what is ready. Goods received are
// reserved for awaited lines, oldest order first, in the receipt's
// transaction; each order they reach gets an ActArrive event, which tells
// the customer and the staff what became ready.

// awaitShort reserves what is free of each short line whose product sells
// beyond stock and records the rest as awaited on o (the caller stores it);
// any other short line refuses the whole change. The stock rows are locked
// and held counts what other carts hold of each product.
func (s *Orders) awaitShort(ctx context.Context, tx Tx, o *Order, short []Shortage, held map[int64]int64) error {
	ids := make([]int64, len(short))
	for i, sh := range short {
		ids[i] = sh.ProductID
	}
	ps, err := tx.ProductsByID(ctx, ids)
	if err != nil {
		return err
	}
	beyond := map[int64]*Product{}
	for i := range ps {
		if ps[i].SellsBeyondStock() {
			beyond[ps[i].ID] = &ps[i]
		}
	}
	var refused []Shortage
	for _, sh := range short {
		if beyond[sh.ProductID] == nil {
			refused = append(refused, sh)
		}
	}
	if len(refused) > 0 {
		return &ShortageError{Lines: refused}
	}
	today := s.d.today()
	for _, sh := range short {
		if sh.Free > 0 {
			ok, _, err := tx.Reserve(ctx, sh.ProductID, sh.Free, held[sh.ProductID])
			if err != nil {
				return err
			}
			if !ok {
				return Errorf(ErrConflict, "the stock of %s changed; try again", sh.Name)
			}
		}
		l := o.line(sh.ProductID)
		l.Awaited += sh.Asked - sh.Free
		if d := beyond[sh.ProductID].ExpectedOn(today); d != nil && (l.ExpectedOn == nil || d.After(*l.ExpectedOn)) {
			l.ExpectedOn = d
		}
	}
	return nil
}

// AwaitingLine is an open order's line that waits for goods.
type AwaitingLine struct {
	OrderID    int64
	CustomerID int64
	ProductID  int64
	Awaited    int64
}

// Arrival is goods received that were reserved for one awaited line.
type Arrival struct {
	OrderID   int64
	Order     string
	ProductID int64
	SKU       string
	Name      string
	Unit      string
	Qty       int64 // reserved for the line now
	Left      int64 // still awaited on the line
}

// Receipt is what receiving goods did: the product's stock after it and the
// orders the goods went to, oldest first.
type Receipt struct {
	Stock    StockLevel
	Arrivals []Arrival
}

// awaiting is the orders a receipt may reach, locked before the stock rows
// (customer, order, stock: the order every change takes its locks in).
type awaiting struct {
	orders []*Order // oldest first
}

// lockAwaiting reads, without locks, the open orders awaiting the products,
// oldest first, as many per product as budget[product] units could reach,
// then locks their customers and the orders themselves.
func (s *Orders) lockAwaiting(ctx context.Context, tx Tx, budget map[int64]int64) (*awaiting, error) {
	ids := make([]int64, 0, len(budget))
	for id, n := range budget {
		if n > 0 {
			ids = append(ids, id)
		}
	}
	if len(ids) == 0 {
		return &awaiting{}, nil
	}
	lines, err := tx.AwaitingLines(ctx, ids)
	if err != nil {
		return nil, err
	}
	left := map[int64]int64{}
	for id, n := range budget {
		left[id] = n
	}
	var orderIDs, customers []int64
	seen := map[int64]bool{}
	for _, l := range lines {
		if left[l.ProductID] <= 0 {
			continue
		}
		left[l.ProductID] -= l.Awaited
		if !seen[l.OrderID] {
			seen[l.OrderID] = true
			orderIDs = append(orderIDs, l.OrderID)
			customers = append(customers, l.CustomerID)
		}
	}
	return s.lockOrders(ctx, tx, orderIDs, customers)
}

// lockOrders locks the customers (in id order) and then the orders (in id
// order), and returns the orders in the order given.
func (s *Orders) lockOrders(ctx context.Context, tx Tx, orderIDs, customers []int64) (*awaiting, error) {
	cs := uniqueSorted(customers)
	for _, c := range cs {
		if _, err := tx.CustomerForUpdate(ctx, c); err != nil {
			return nil, err
		}
	}
	byID := map[int64]*Order{}
	for _, id := range uniqueSorted(orderIDs) {
		o, err := tx.OrderForUpdate(ctx, id)
		if err != nil {
			return nil, err
		}
		byID[id] = o
	}
	w := &awaiting{}
	for _, id := range orderIDs {
		if o := byID[id]; o != nil && o.Open() {
			w.orders = append(w.orders, o)
		}
	}
	return w, nil
}

func uniqueSorted(ids []int64) []int64 {
	out := append([]int64(nil), ids...)
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	n := 0
	for i, id := range out {
		if i == 0 || id != out[n-1] {
			out[n] = id
			n++
		}
	}
	return out[:n]
}

// allocate reserves what is free of each product for the locked orders'
// awaited lines, oldest order first, and saves each order it reached with
// an ActArrive event. The products' stock rows must be locked already.
func (s *Orders) allocate(ctx context.Context, tx Tx, a Actor, w *awaiting, ids []int64, now time.Time) ([]Arrival, error) {
	if len(w.orders) == 0 {
		return nil, nil
	}
	levels, err := tx.LockStock(ctx, ids)
	if err != nil {
		return nil, err
	}
	held, _, err := s.d.heldByOthers(ctx, tx, ids, CartKey{})
	if err != nil {
		return nil, err
	}
	free := map[int64]int64{}
	for id, l := range levels {
		free[id] = l.OnHand - l.Reserved - held[id]
	}
	var out []Arrival
	for _, o := range w.orders {
		arr, err := s.reserveArrivals(ctx, tx, o, ids, free, held)
		if err != nil {
			return nil, err
		}
		if len(arr) == 0 {
			continue
		}
		if err := s.save(ctx, tx, o, a, ActArrive, describeArrivals(arr), "", now); err != nil {
			return nil, err
		}
		out = append(out, arr...)
	}
	return out, nil
}

func (s *Orders) reserveArrivals(ctx context.Context, tx Tx, o *Order, ids []int64, free, held map[int64]int64) ([]Arrival, error) {
	var out []Arrival
	for _, id := range ids {
		l := o.line(id)
		if l == nil || l.Awaited <= 0 || free[id] <= 0 {
			continue
		}
		take := min(l.Awaited, free[id])
		ok, _, err := tx.Reserve(ctx, id, take, held[id])
		if err != nil {
			return nil, err
		}
		if !ok {
			return nil, Errorf(ErrConflict, "the stock of %s changed; try again", l.Name)
		}
		free[id] -= take
		l.Awaited -= take
		if l.Awaited == 0 {
			l.ExpectedOn = nil
		}
		out = append(out, Arrival{OrderID: o.ID, Order: o.Number, ProductID: id, SKU: l.SKU, Name: l.Name, Unit: l.Unit, Qty: take, Left: l.Awaited})
	}
	return out, nil
}

func describeArrivals(as []Arrival) string {
	parts := make([]string, len(as))
	for i, a := range as {
		parts[i] = fmt.Sprintf("%s x %d ready", a.SKU, a.Qty)
		if a.Left > 0 {
			parts[i] += fmt.Sprintf(" (%d still awaited)", a.Left)
		}
	}
	return "goods arrived: " + strings.Join(parts, ", ")
}

// ReceiveGoods records goods arriving: on hand rises by qty, and what is
// free goes to the orders awaiting the product, oldest first, in the same
// transaction. Each order reached gets an event (the customer and the staff
// hear what became ready).
func (c *Catalog) ReceiveGoods(ctx context.Context, a Actor, productID, qty int64, note string) (*Receipt, error) {
	if err := a.requireStaff("receive goods"); err != nil {
		return nil, err
	}
	if err := validQty(qty); err != nil {
		return nil, err
	}
	note = strings.TrimSpace(note)
	if err := checkText("note", note, MaxReasonLen); err != nil {
		return nil, err
	}
	before, err := c.d.Store.Stock(ctx, StockFilter{ProductIDs: []int64{productID}})
	if err != nil {
		return nil, fmt.Errorf("receive goods: %w", err)
	}
	if len(before) != 1 {
		return nil, Errorf(ErrNotFound, "no product #%d", productID)
	}
	budget := map[int64]int64{productID: before[0].OnHand - before[0].Reserved + qty}
	var rc *Receipt
	err = c.d.Store.InTx(ctx, func(ctx context.Context, tx Tx) error {
		w, err := c.orders.lockAwaiting(ctx, tx, budget)
		if err != nil {
			return err
		}
		now := c.d.now()
		if _, err := tx.StockForUpdate(ctx, productID); err != nil {
			return err
		}
		m := StockMove{ProductID: productID, Delta: qty, Kind: MoveReceipt, Reason: note, Actor: a, At: now}
		if err := tx.Move(ctx, m, 0); err != nil {
			return err
		}
		rc = &Receipt{}
		if rc.Arrivals, err = c.orders.allocate(ctx, tx, a, w, []int64{productID}, now); err != nil {
			return err
		}
		st, err := tx.StockForUpdate(ctx, productID)
		if err == nil {
			rc.Stock = *st
		}
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("receive goods for product %d: %w", productID, err)
	}
	return rc, nil
}

// SetSupply says how a product is supplied beyond stock: SupplyStock (a
// shortage is refused), SupplyToOrder with a lead time, or SupplyBackorder
// (lead time optional). Orders already placed keep what they await.
func (c *Catalog) SetSupply(ctx context.Context, a Actor, productID int64, supply Supply, leadDays int) (*Product, error) {
	if err := a.requireStaff("change how products are supplied"); err != nil {
		return nil, err
	}
	p := Product{Supply: supply, LeadDays: leadDays}
	if err := p.validSupply(); err != nil {
		return nil, err
	}
	if p.Supply == "" {
		p.Supply = SupplyStock
	}
	var out *Product
	err := c.d.Store.InTx(ctx, func(ctx context.Context, tx Tx) error {
		if err := tx.SetSupply(ctx, productID, p.Supply, p.LeadDays); err != nil {
			return err
		}
		ps, err := tx.ProductsByID(ctx, []int64{productID})
		if err != nil {
			return err
		}
		if len(ps) != 1 {
			return Errorf(ErrNotFound, "no product #%d", productID)
		}
		out = &ps[0]
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("set supply of product %d: %w", productID, err)
	}
	return out, nil
}
