package core

import (
	"context"
	"errors"
	"fmt"
)

// ReorderLine says what became of one line of an order ordered again.
type ReorderLine struct {
	Name    string
	SKU     string
	Unit    string
	Wanted  int64 // as on the order
	InCart  int64 // now in the cart, at today's price
	Price   Money // today's price (0 when gone)
	Gone    bool  // no longer sold
	Free    int64 // what was free when less than wanted (a shortage)
	ToOrder bool  // sold beyond stock: what is not free will be awaited
}

// Reorder puts the goods of one of the customer's orders in their cart
// again, at today's prices and availability: a line short of stock gets
// what is free, a product no longer sold is left out, a product sold beyond
// stock gets all it had. Other lines of the cart stay. It says what became
// of each line, and returns the cart.
func (s *Shopping) Reorder(ctx context.Context, a Actor, orderID int64) ([]ReorderLine, *Cart, error) {
	if a.Role != RoleCustomer || a.CustomerID == 0 {
		return nil, nil, Errorf(ErrForbidden, "only customers have carts")
	}
	o, err := s.orders.Get(ctx, a, orderID)
	if err != nil {
		return nil, nil, err
	}
	out := make([]ReorderLine, 0, len(o.Lines))
	for _, l := range o.Lines {
		rl, err := s.reorderLine(ctx, a, l)
		if err != nil {
			return nil, nil, fmt.Errorf("reorder %s: %w", o.Number, err)
		}
		out = append(out, rl)
	}
	cart, err := s.View(ctx, a)
	if err != nil {
		return nil, nil, err
	}
	return out, cart, nil
}

func (s *Shopping) reorderLine(ctx context.Context, a Actor, l Line) (ReorderLine, error) {
	rl := ReorderLine{Name: l.Name, SKU: l.SKU, Unit: l.Unit, Wanted: l.Qty}
	p, err := s.d.Store.Product(ctx, l.ProductID)
	if errors.Is(err, ErrNotFound) || (err == nil && !p.Active) {
		rl.Gone = true
		return rl, nil
	}
	if err != nil {
		return rl, err
	}
	rl.Name, rl.Price, rl.ToOrder = p.Name, p.Price, p.SellsBeyondStock()
	_, err = s.SetQty(ctx, a, p.ID, l.Qty)
	var short *ShortageError
	switch {
	case err == nil:
		rl.InCart = l.Qty
		return rl, nil
	case !errors.As(err, &short):
		return rl, err
	}
	rl.Free = short.Lines[0].Free
	if rl.Free > 0 {
		if _, err := s.SetQty(ctx, a, p.ID, rl.Free); err == nil {
			rl.InCart = rl.Free
		} else if !errors.As(err, &short) {
			return rl, err
		}
	}
	return rl, nil
}
