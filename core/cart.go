package core

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"time"
)

// CartStore keeps carts and their short-lived holds (storage/redis). A hold
// keeps goods promised to one cart for a while; it expires on its own and
// frees them. Losing the store loses carts, never an order.
type CartStore interface {
	Holds
	// Hold sets holder's hold on a product to exactly qty (0 drops it) if qty
	// fits in available minus other carts' holds; otherwise ok is false and
	// free is what the holder could have.
	Hold(ctx context.Context, holder string, productID, qty, available int64, ttl time.Duration) (ok bool, free int64, err error)
	// CartLines returns what the holder wants, and for each line whether its
	// hold is still active.
	CartLines(ctx context.Context, holder string) ([]CartLine, error)
	SetCartLine(ctx context.Context, holder string, productID, qty int64) error
	TouchHolds(ctx context.Context, holder string, ttl time.Duration) error
	ClearCart(ctx context.Context, holder string) error
}

// CartLine is one product in a cart.
type CartLine struct {
	ProductID int64
	Qty       int64
	Held      bool      // false: the hold lapsed and the goods are not promised
	Until     time.Time // when the hold lapses
	Product   *Product  // filled by Shopping
	Amount    Money
}

// Cart is a customer's cart as shown to them.
type Cart struct {
	Lines  []CartLine
	Total  Money
	Lapsed int // lines whose hold lapsed
}

// Shopping is the customer's side of ordering: a cart whose lines hold goods
// for HoldTTL, and checkout, which turns the holds into reservations.
type Shopping struct {
	d      Deps
	carts  CartStore
	orders *Orders
	ttl    time.Duration
}

// NewShopping returns the shopping service; ttl is how long holds last.
func NewShopping(d Deps, carts CartStore, orders *Orders, ttl time.Duration) *Shopping {
	d.fill()
	return &Shopping{d: d, carts: carts, orders: orders, ttl: ttl}
}

// Holder is the cart id of a customer.
func Holder(customerID int64) string { return fmt.Sprintf("c%d", customerID) }

// SetQty puts qty of a product in the customer's cart (0 removes it), holding
// the goods. When not enough is free it says how many are left and changes
// nothing.
func (s *Shopping) SetQty(ctx context.Context, a Actor, productID, qty int64) (*Cart, error) {
	if a.Role != RoleCustomer && !a.Role.IsStaff() || a.CustomerID == 0 {
		return nil, Errorf(ErrForbidden, "only customers have carts")
	}
	if qty != 0 {
		if err := validQty(qty); err != nil {
			return nil, err
		}
	}
	p, err := s.d.Store.Product(ctx, productID)
	if err != nil {
		return nil, err
	}
	if qty > 0 && !p.Active {
		return nil, Errorf(ErrInvalid, "%s is not for sale", p.Name)
	}
	levels, err := s.d.Store.Stock(ctx, StockFilter{ProductIDs: []int64{productID}})
	if err != nil || len(levels) != 1 {
		return nil, fmt.Errorf("stock of product %d: %w", productID, errOr(err, ErrNotFound))
	}
	holder := Holder(a.CustomerID)
	ok, free, err := s.carts.Hold(ctx, holder, productID, qty, levels[0].OnHand-levels[0].Reserved, s.ttl)
	if err != nil {
		return nil, fmt.Errorf("hold: %w", err)
	}
	if !ok {
		return nil, &ShortageError{Lines: []Shortage{{ProductID: p.ID, SKU: p.SKU, Name: p.Name, Asked: qty, Free: free}}}
	}
	if err := s.carts.SetCartLine(ctx, holder, productID, qty); err != nil {
		return nil, fmt.Errorf("cart: %w", err)
	}
	return s.View(ctx, a)
}

func errOr(err, kind error) error {
	if err != nil {
		return err
	}
	return kind
}

// View returns the cart with products and totals, renewing its holds (any
// activity keeps the goods held).
func (s *Shopping) View(ctx context.Context, a Actor) (*Cart, error) {
	holder := Holder(a.CustomerID)
	if err := s.carts.TouchHolds(ctx, holder, s.ttl); err != nil {
		return nil, fmt.Errorf("cart: %w", err)
	}
	lines, err := s.carts.CartLines(ctx, holder)
	if err != nil {
		return nil, fmt.Errorf("cart: %w", err)
	}
	cart := &Cart{}
	for _, l := range lines {
		p, err := s.d.Store.Product(ctx, l.ProductID)
		if errors.Is(err, ErrNotFound) {
			continue
		}
		if err != nil {
			return nil, err
		}
		l.Product = p
		l.Amount = p.Price * Money(l.Qty)
		cart.Total += l.Amount
		if !l.Held {
			cart.Lapsed++
		}
		cart.Lines = append(cart.Lines, l)
	}
	sort.Slice(cart.Lines, func(i, j int) bool { return cart.Lines[i].Product.Name < cart.Lines[j].Product.Name })
	return cart, nil
}

// Checkout places the cart as an order: lapsed lines are held again if the
// goods are still free, then the holds become reservations in one
// transaction. If Postgres disagrees (say, Redis lost the holds meanwhile),
// the error names each short line and the cart stays as it was.
func (s *Shopping) Checkout(ctx context.Context, a Actor, in PlaceOrder) (*Order, error) {
	cart, err := s.View(ctx, a)
	if err != nil {
		return nil, err
	}
	if len(cart.Lines) == 0 {
		return nil, Errorf(ErrInvalid, "your cart is empty")
	}
	in.CustomerID = a.CustomerID
	in.Holder = Holder(a.CustomerID)
	in.Lines = nil
	for _, l := range cart.Lines {
		in.Lines = append(in.Lines, OrderLineInput{ProductID: l.ProductID, Qty: l.Qty})
	}
	o, err := s.orders.Place(ctx, a, in)
	if err != nil {
		return nil, err
	}
	// The order stands whatever happens to the cart now; a cart left behind
	// only holds goods until its holds expire.
	_ = s.carts.ClearCart(ctx, in.Holder)
	return o, nil
}

// Clear empties the customer's cart and frees its holds.
func (s *Shopping) Clear(ctx context.Context, a Actor) error {
	if a.CustomerID == 0 {
		return nil
	}
	if err := s.carts.ClearCart(ctx, Holder(a.CustomerID)); err != nil {
		return fmt.Errorf("cart: %w", err)
	}
	return nil
}
