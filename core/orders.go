package core

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"
)

// Orders runs the order lifecycle: placing with reservations, confirming,
// rejecting, cancelling, closing, shipping and returns, invoicing and
// payments. Every change is one transaction that writes an order event.
type Orders struct {
	d Deps
}

// NewOrders returns the order service.
func NewOrders(d Deps) *Orders {
	d.fill()
	return &Orders{d: d}
}

// Today is the current business date.
func (s *Orders) Today() time.Time { return s.d.today() }

// Currency is the shop's currency.
func (s *Orders) Currency() Currency { return s.d.Currency }

// Place creates an order and reserves every line, all or nothing. A customer
// may place orders only for themselves, new and within their credit limit;
// staff may place confirmed orders and override the limit (recorded).
func (s *Orders) Place(ctx context.Context, a Actor, in PlaceOrder) (*Order, error) {
	if err := s.authorizePlace(a, &in); err != nil {
		return nil, err
	}
	if err := in.Validate(); err != nil {
		return nil, err
	}
	var o *Order
	err := s.d.Store.InTx(ctx, func(ctx context.Context, tx Tx) error {
		var err error
		o, err = s.place(ctx, tx, a, in)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("place order: %w", err)
	}
	return o, nil
}

func (s *Orders) authorizePlace(a Actor, in *PlaceOrder) error {
	if a.Role.IsStaff() {
		return nil
	}
	if a.Role != RoleCustomer || a.CustomerID == 0 || a.CustomerID != in.CustomerID {
		return Errorf(ErrForbidden, "you can place orders only for yourself")
	}
	if in.Confirmed || in.OverrideCreditLimit || in.Delivery != nil {
		return Errorf(ErrForbidden, "only staff can confirm orders, set a delivery charge or override a credit limit")
	}
	return nil
}

func (s *Orders) place(ctx context.Context, tx Tx, a Actor, in PlaceOrder) (*Order, error) {
	cust, err := tx.CustomerForUpdate(ctx, in.CustomerID)
	if err != nil {
		return nil, err
	}
	if err := placedBefore(ctx, tx, in.Cart); err != nil {
		return nil, err
	}
	lines, err := s.orderLines(ctx, tx, cust, in.Lines)
	if err != nil {
		return nil, err
	}
	now := s.d.now()
	o := &Order{
		CustomerID: cust.ID, CustomerName: cust.Name, Lines: lines,
		Address: strings.TrimSpace(in.Address), Phone: strings.TrimSpace(in.Phone),
		Comment: strings.TrimSpace(in.Comment), CreatedBy: a, PromisedOn: in.PromisedOn,
		Currency: s.d.Currency.Code, CreatedAt: now, UpdatedAt: now, Cart: in.Cart,
	}
	if err := s.d.Pricing.priceDelivery(o, in.Delivery); err != nil {
		return nil, err
	}
	if o.Address == "" {
		o.Address = cust.Address
	}
	if o.Phone == "" {
		o.Phone = cust.Phone
	}
	detail, err := s.checkCredit(ctx, tx, cust, o, in.OverrideCreditLimit)
	if err != nil {
		return nil, err
	}
	if in.Confirmed {
		o.ConfirmedAt = &now
	}
	o.Status = StatusNew
	o.refresh(now)
	if err := tx.InsertOrder(ctx, o); err != nil {
		return nil, err
	}
	ev := &Event{OrderID: o.ID, At: now, Actor: a, Action: ActPlace, Detail: detail, Before: "", After: o.Status}
	if err := tx.InsertEvent(ctx, ev); err != nil {
		return nil, err
	}
	return o, s.reserve(ctx, tx, o)
}

// placedError says the cart generation was placed before, as orderID.
type placedError struct{ orderID int64 }

func (e *placedError) Error() string {
	return fmt.Sprintf("this cart was placed already (order #%d)", e.orderID)
}

// placedBefore refuses a cart generation that is an order already. The
// customer's row is locked, so two placements of one cart queue up here and
// the second finds the first.
func placedBefore(ctx context.Context, tx Tx, cart CartKey) error {
	if cart.Gen == "" {
		return nil
	}
	placed, err := tx.PlacedCarts(ctx, []CartKey{cart})
	if err != nil {
		return err
	}
	if id, ok := placed[cart]; ok {
		return &placedError{orderID: id}
	}
	return nil
}

// orderLines resolves products and fixes their prices on the new lines:
// the customer's price for the quantity, and the product's tax rate.
func (s *Orders) orderLines(ctx context.Context, tx Tx, cust *Customer, in []OrderLineInput) ([]Line, error) {
	var ids []int64
	var skus []string
	for _, l := range in {
		if l.ProductID > 0 {
			ids = append(ids, l.ProductID)
		} else {
			skus = append(skus, l.SKU)
		}
	}
	byID, bySKU, err := productIndex(ctx, tx, ids, skus)
	if err != nil {
		return nil, err
	}
	prices, err := pricesFor(ctx, tx, cust, productIDs(byID, productIDsBySKU(bySKU)))
	if err != nil {
		return nil, err
	}
	lines := make([]Line, 0, len(in))
	seen := map[int64]bool{}
	for i, l := range in {
		p := byID[l.ProductID]
		if l.ProductID == 0 {
			p = bySKU[strings.ToLower(l.SKU)]
		}
		switch {
		case p == nil:
			return nil, Errorf(ErrNotFound, "line %d: no product %s", i+1, lineRef(l))
		case !p.Active:
			return nil, Errorf(ErrInvalid, "line %d: %s is not for sale", i+1, p.Name)
		case seen[p.ID]:
			return nil, Errorf(ErrInvalid, "line %d: %s twice; change the quantity instead", i+1, p.Name)
		}
		seen[p.ID] = true
		lines = append(lines, Line{No: i + 1, ProductID: p.ID, SKU: p.SKU, Name: p.Name, Unit: p.Unit, Qty: l.Qty,
			Price: prices.Price(p, l.Qty), TaxRate: s.d.Pricing.RateOf(p)})
	}
	return lines, nil
}

func productIDs(maps ...map[int64]*Product) []int64 {
	var ids []int64
	for _, m := range maps {
		for _, p := range m {
			ids = append(ids, p.ID)
		}
	}
	return ids
}

func productIDsBySKU(m map[string]*Product) map[int64]*Product {
	out := map[int64]*Product{}
	for _, p := range m {
		out[p.ID] = p
	}
	return out
}

// priceDelivery fixes the order's tax mode and its delivery charge: the
// one staff typed, or the shop's for the goods total.
func (pr Pricing) priceDelivery(o *Order, typed *Money) error {
	o.TaxIncluded, o.DeliveryRate = !pr.Excluded, pr.DeliveryRate()
	if typed != nil {
		if *typed < 0 {
			return Errorf(ErrInvalid, "a delivery charge cannot be negative")
		}
		o.Delivery = *typed
		return nil
	}
	var goods Money
	for _, l := range o.Lines {
		goods += l.Amount()
	}
	o.Delivery = pr.DeliveryFor(goods)
	return nil
}

func lineRef(l OrderLineInput) string {
	if l.ProductID > 0 {
		return fmt.Sprintf("#%d", l.ProductID)
	}
	return fmt.Sprintf("%q", l.SKU)
}

func productIndex(ctx context.Context, tx Tx, ids []int64, skus []string) (map[int64]*Product, map[string]*Product, error) {
	byID, bySKU := map[int64]*Product{}, map[string]*Product{}
	if len(ids) > 0 {
		ps, err := tx.ProductsByID(ctx, ids)
		if err != nil {
			return nil, nil, err
		}
		for i := range ps {
			byID[ps[i].ID] = &ps[i]
		}
	}
	if len(skus) > 0 {
		ps, err := tx.ProductsBySKU(ctx, skus)
		if err != nil {
			return nil, nil, err
		}
		for i := range ps {
			bySKU[strings.ToLower(ps[i].SKU)] = &ps[i]
		}
	}
	return byID, bySKU, nil
}

// checkCredit refuses an order that would take the customer past their credit
// limit, unless staff override it; the override is described for the event.
func (s *Orders) checkCredit(ctx context.Context, tx Tx, c *Customer, o *Order, override bool) (string, error) {
	if c.CreditLimit == nil {
		return "", nil
	}
	exposure, err := tx.Exposure(ctx, c.ID)
	if err != nil {
		return "", err
	}
	after := exposure + o.Total()
	if after <= *c.CreditLimit {
		return "", nil
	}
	cur := s.d.Currency
	if override {
		return fmt.Sprintf("credit limit %s overridden: exposure would be %s", cur.Display(*c.CreditLimit), cur.Display(after)), nil
	}
	return "", Errorf(ErrForbidden, "this order would exceed the credit limit of %s (owed and ordered: %s, this order: %s)",
		cur.Display(*c.CreditLimit), cur.Display(exposure), cur.Display(o.Total()))
}

// reserve reserves every line, all or nothing, with the stock rows locked
// last and in product order (no deadlocks between orders). What others hold
// is read only once those rows are locked, so it is exact (see the package
// comment). Every short line is reported.
func (s *Orders) reserve(ctx context.Context, tx Tx, o *Order) error {
	ids := make([]int64, len(o.Lines))
	for i, l := range o.Lines {
		ids[i] = l.ProductID
	}
	if _, err := tx.LockStock(ctx, ids); err != nil {
		return err
	}
	held, _, err := s.d.heldByOthers(ctx, tx, ids, o.Cart)
	if err != nil {
		return err
	}
	lines := append([]Line(nil), o.Lines...)
	sort.Slice(lines, func(i, j int) bool { return lines[i].ProductID < lines[j].ProductID })
	var short []Shortage
	for _, l := range lines {
		ok, free, err := tx.Reserve(ctx, l.ProductID, l.Qty, held[l.ProductID])
		if err != nil {
			return err
		}
		if !ok {
			short = append(short, Shortage{ProductID: l.ProductID, SKU: l.SKU, Name: l.Name, Asked: l.Qty, Free: max(free, 0)})
		}
	}
	if len(short) == 0 {
		return nil
	}
	if err := s.awaitShort(ctx, tx, o, short, held); err != nil {
		return err
	}
	return tx.UpdateOrder(ctx, o, o.Version)
}
