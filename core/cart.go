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
	// fits in available minus other carts' live holds, leaving out the holds
	// of the placed generations; otherwise ok is false and free is what the
	// holder could have. The hold is tagged with the cart's generation.
	Hold(ctx context.Context, holder string, productID, qty, available int64, placed []CartKey, ttl time.Duration) (ok bool, free int64, err error)
	// CartGen is the holder's current cart generation, "" when it has none.
	CartGen(ctx context.Context, holder string) (string, error)
	// CartLines returns the cart's generation and what the holder wants,
	// and for each line whether its hold is still active.
	CartLines(ctx context.Context, holder string) (gen string, lines []CartLine, err error)
	SetCartLine(ctx context.Context, holder string, productID, qty int64) error
	TouchHolds(ctx context.Context, holder string, ttl time.Duration) error
	// Release drops the holder's holds on the products, keeping the lines.
	Release(ctx context.Context, holder string, productIDs []int64) error
	// ClearCart drops the lines and holds; the next cart is a new generation.
	ClearCart(ctx context.Context, holder string) error
}

// CartKey names one generation of one cart. A cart starts a new generation
// when it is emptied or placed; the order placed from it records the key.
// That record is what tells holds already turned into reservations from
// live ones, and what makes placing the same cart twice place one order.
type CartKey struct {
	Holder string
	Gen    string
}

// LiveHold is one cart's unexpired hold on a product.
type LiveHold struct {
	Cart CartKey
	Qty  int64
}

// CartLine is one product in a cart.
type CartLine struct {
	ProductID int64
	Qty       int64
	Held      bool      // false: the hold lapsed and the goods are not promised
	Until     time.Time // when the hold lapses
	Product   *Product  // filled by Shopping
	Price     Money     // the customer's price for the quantity
	Amount    Money
}

// Cart is a customer's cart as shown to them.
type Cart struct {
	Key   CartKey
	Lines []CartLine
	// Total is what the order would come to: the lines at the customer's
	// prices, the delivery and the tax (Quote itemizes it).
	Total  Money
	Quote  OrderTotals
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

// Add puts qty more of a product in the customer's cart (see SetQty).
func (s *Shopping) Add(ctx context.Context, a Actor, productID, qty int64) (*Cart, error) {
	if a.CustomerID == 0 {
		return s.SetQty(ctx, a, productID, qty) // refused there
	}
	holder := Holder(a.CustomerID)
	gen, lines, err := s.carts.CartLines(ctx, holder)
	if err != nil {
		return nil, fmt.Errorf("cart: %w", err)
	}
	cleared, err := s.clearIfPlaced(ctx, CartKey{Holder: holder, Gen: gen})
	if err != nil {
		return nil, err
	}
	if cleared { // its lines were ordered: the new cart starts empty
		gen, lines = "", nil
	}
	for _, l := range lines {
		if l.ProductID == productID {
			qty += l.Qty
		}
	}
	return s.setQty(ctx, a, productID, qty, &gen)
}

// SetQty puts qty of a product in the customer's cart (0 removes it), holding
// the goods. When not enough is free it says how many are left and changes
// nothing. The hold is taken with the product's stock row locked, so it
// counts against exactly what Postgres has free (see the package comment).
func (s *Shopping) SetQty(ctx context.Context, a Actor, productID, qty int64) (*Cart, error) {
	return s.setQty(ctx, a, productID, qty, nil)
}

// setQty is SetQty; gen, when not nil, is the cart's generation just read.
// A refusal (most taps in a flash sale) costs three reads: the product with
// its stock, the holds and which of them were placed.
func (s *Shopping) setQty(ctx context.Context, a Actor, productID, qty int64, gen *string) (*Cart, error) {
	if a.Role != RoleCustomer && !a.Role.IsStaff() || a.CustomerID == 0 {
		return nil, Errorf(ErrForbidden, "only customers have carts")
	}
	if qty != 0 {
		if err := validQty(qty); err != nil {
			return nil, err
		}
	}
	p, level, err := s.product(ctx, productID, qty > 0)
	if err != nil {
		return nil, err
	}
	if qty > 0 && !p.Active {
		return nil, Errorf(ErrInvalid, "%s is not for sale", p.Name)
	}
	holder := Holder(a.CustomerID)
	if gen == nil {
		g, err := s.carts.CartGen(ctx, holder)
		if err != nil {
			return nil, fmt.Errorf("cart: %w", err)
		}
		gen = &g
	}
	// A cart whose generation already became an order (the process stopped
	// between placing it and clearing it) starts over: its lines were
	// ordered, and its holds are reservations now.
	if _, err := s.clearIfPlaced(ctx, CartKey{Holder: holder, Gen: *gen}); err != nil {
		return nil, err
	}
	if err := s.holdFor(ctx, holder, p, qty, level); err != nil {
		return nil, err
	}
	if err := s.carts.SetCartLine(ctx, holder, productID, qty); err != nil {
		return nil, fmt.Errorf("cart: %w", err)
	}
	return s.View(ctx, a)
}

// product reads a product, with its stock when withStock (one read).
func (s *Shopping) product(ctx context.Context, id int64, withStock bool) (*Product, *StockLevel, error) {
	if withStock {
		levels, err := s.d.Store.Stock(ctx, StockFilter{ProductIDs: []int64{id}})
		if err != nil {
			return nil, nil, err
		}
		if len(levels) == 1 {
			return &levels[0].Product, &levels[0], nil
		}
	}
	p, err := s.d.Store.Product(ctx, id)
	return p, nil, err
}

// holdFor holds qty of p for the cart. A product sold beyond stock holds
// what it can (the rest will be awaited by the order); any other refuses a
// quantity that is not free.
func (s *Shopping) holdFor(ctx context.Context, holder string, p *Product, qty int64, level *StockLevel) error {
	try := func(q int64) error {
		err := s.surelyShort(ctx, holder, p, q, level)
		level = nil // read again for another try
		if err != nil {
			return err
		}
		return s.d.Store.InTx(ctx, func(ctx context.Context, tx Tx) error {
			return s.hold(ctx, tx, holder, p, q)
		})
	}
	err := try(qty)
	var short *ShortageError
	if !p.SellsBeyondStock() || !errors.As(err, &short) {
		return err
	}
	if err = try(min(short.Lines[0].Free, qty)); errors.As(err, &short) {
		return try(0)
	}
	return err
}

func (s *Shopping) hold(ctx context.Context, tx Tx, holder string, p *Product, qty int64) error {
	levels, err := tx.LockStock(ctx, []int64{p.ID})
	if err != nil {
		return err
	}
	level, ok := levels[p.ID]
	if !ok {
		return Errorf(ErrNotFound, "no product #%d", p.ID)
	}
	_, placed, err := s.d.heldByOthers(ctx, tx, []int64{p.ID}, CartKey{})
	if err != nil {
		return err
	}
	ok, free, err := s.carts.Hold(ctx, holder, p.ID, qty, level.OnHand-level.Reserved, placed, s.ttl)
	if err != nil {
		return fmt.Errorf("hold: %w", err)
	}
	if !ok {
		return &ShortageError{Lines: []Shortage{{ProductID: p.ID, SKU: p.SKU, Name: p.Name, Asked: qty, Free: free}}}
	}
	return nil
}

// surelyShort refuses, without waiting for the product's stock row, a hold
// that cannot fit: in a flash sale most buyers are refused, and they need
// not queue behind the few who get the goods. It reads on hand and reserved
// first (or takes them as read by the caller, level), then the holds: a placement committing in between makes what is
// free look larger (its units seen neither reserved nor held), never
// smaller, so whatever this refuses the locked count would refuse too,
// short of goods freed in that instant. Anything else goes on to the exact
// check under the lock.
func (s *Shopping) surelyShort(ctx context.Context, holder string, p *Product, qty int64, level *StockLevel) error {
	if qty == 0 {
		return nil
	}
	if level == nil {
		levels, err := s.d.Store.Stock(ctx, StockFilter{ProductIDs: []int64{p.ID}})
		if err != nil || len(levels) != 1 {
			return err
		}
		level = &levels[0]
	}
	holds, err := s.d.Holds.LiveHolds(ctx, []int64{p.ID})
	if err != nil {
		return nil // the exact check decides
	}
	var others []LiveHold
	var keys []CartKey
	for _, h := range holds[p.ID] {
		if h.Cart.Holder != holder {
			others, keys = append(others, h), append(keys, h.Cart)
		}
	}
	placed, err := s.d.Store.PlacedCarts(ctx, keys)
	if err != nil {
		return err
	}
	free := level.OnHand - level.Reserved
	for _, h := range others {
		if _, done := placed[h.Cart]; !done {
			free -= h.Qty
		}
	}
	if qty <= free {
		return nil
	}
	return &ShortageError{Lines: []Shortage{{ProductID: p.ID, SKU: p.SKU, Name: p.Name, Asked: qty, Free: max(free, 0)}}}
}

func (s *Shopping) clearIfPlaced(ctx context.Context, key CartKey) (bool, error) {
	if key.Gen == "" {
		return false, nil
	}
	placed, err := s.d.Store.PlacedCarts(ctx, []CartKey{key})
	if err != nil {
		return false, err
	}
	if _, ok := placed[key]; !ok {
		return false, nil
	}
	if err := s.carts.ClearCart(ctx, key.Holder); err != nil {
		return false, fmt.Errorf("cart: %w", err)
	}
	return true, nil
}

func errOr(err, kind error) error {
	if err != nil {
		return err
	}
	return kind
}

// Quantities is how many of each product the customer has in the cart,
// renewing its holds as View does, without reading products or prices:
// for screens that only show counts (catalog pages, product cards).
func (s *Shopping) Quantities(ctx context.Context, a Actor) (map[int64]int64, error) {
	_, lines, err := s.liveLines(ctx, Holder(a.CustomerID))
	if err != nil {
		return nil, err
	}
	qty := make(map[int64]int64, len(lines))
	for _, l := range lines {
		qty[l.ProductID] = l.Qty
	}
	return qty, nil
}

// liveLines renews the cart's holds and reads its lines; a cart already
// placed as an order is cleared and has none (and no generation).
func (s *Shopping) liveLines(ctx context.Context, holder string) (CartKey, []CartLine, error) {
	if err := s.carts.TouchHolds(ctx, holder, s.ttl); err != nil {
		return CartKey{}, nil, fmt.Errorf("cart: %w", err)
	}
	gen, lines, err := s.carts.CartLines(ctx, holder)
	if err != nil {
		return CartKey{}, nil, fmt.Errorf("cart: %w", err)
	}
	key := CartKey{Holder: holder, Gen: gen}
	if cleared, err := s.clearIfPlaced(ctx, key); err != nil || cleared {
		return CartKey{Holder: holder}, nil, err
	}
	return key, lines, nil
}

// View returns the cart with products and totals, renewing its holds (any
// activity keeps the goods held). A cart already placed as an order is
// empty.
func (s *Shopping) View(ctx context.Context, a Actor) (*Cart, error) {
	key, lines, err := s.liveLines(ctx, Holder(a.CustomerID))
	if err != nil {
		return nil, err
	}
	cart := &Cart{Key: key}
	prices, err := s.prices(ctx, a, lines)
	if err != nil {
		return nil, err
	}
	for _, l := range lines {
		p, err := s.d.Store.Product(ctx, l.ProductID)
		if errors.Is(err, ErrNotFound) {
			continue
		}
		if err != nil {
			return nil, err
		}
		l.Product, l.Price = p, prices.Price(p, l.Qty)
		l.Amount = l.Price * Money(l.Qty)
		if p.SellsBeyondStock() {
			l.Held = true // what is not held will be awaited, not lost
		}
		if !l.Held {
			cart.Lapsed++
		}
		cart.Lines = append(cart.Lines, l)
	}
	sort.Slice(cart.Lines, func(i, j int) bool { return cart.Lines[i].Product.Name < cart.Lines[j].Product.Name })
	cart.Quote = s.quote(cart.Lines)
	cart.Total = cart.Quote.Gross
	return cart, nil
}

// Placement is what Checkout did.
type Placement struct {
	Order *Order
	// Repeat is true when this cart had been placed already (a second tap,
	// a redelivered update): the order is the one placed then, and nothing
	// changed now.
	Repeat bool
}

// Checkout places the cart as an order: its holds become reservations in
// one transaction that also records the cart's generation, so placing the
// same cart again returns the same order. Lapsed lines are reserved if the
// goods are still free. If Postgres finds lines short (a hold lapsed, or
// Redis lost it), the error names each, and the cart lets go of whatever it
// still held of them, so that nobody else is kept from goods this buyer
// could not take.
func (s *Shopping) Checkout(ctx context.Context, a Actor, in PlaceOrder) (*Placement, error) {
	cart, err := s.View(ctx, a)
	if err != nil {
		return nil, err
	}
	if len(cart.Lines) == 0 {
		return nil, Errorf(ErrInvalid, "your cart is empty")
	}
	in.CustomerID = a.CustomerID
	in.Cart = cart.Key
	in.Lines = nil
	for _, l := range cart.Lines {
		in.Lines = append(in.Lines, OrderLineInput{ProductID: l.ProductID, Qty: l.Qty})
	}
	o, err := s.orders.Place(ctx, a, in)
	var again *placedError
	var short *ShortageError
	switch {
	case errors.As(err, &again):
		o, err = s.d.Store.Order(ctx, again.orderID)
		if err != nil {
			return nil, err
		}
		_ = s.carts.ClearCart(ctx, cart.Key.Holder)
		return &Placement{Order: o, Repeat: true}, nil
	case errors.As(err, &short):
		ids := make([]int64, len(short.Lines))
		for i, l := range short.Lines {
			ids[i] = l.ProductID
		}
		_ = s.carts.Release(ctx, cart.Key.Holder, ids)
		return nil, err
	case err != nil:
		return nil, err
	}
	// The order stands whatever happens to the cart now: a cart left behind
	// is recognised as placed (its generation is on the order) and emptied
	// the next time it is used.
	_ = s.carts.ClearCart(ctx, cart.Key.Holder)
	return &Placement{Order: o}, nil
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
