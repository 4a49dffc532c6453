package core

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"
)

// OrderEdit is a change to an order as the person wants it. Lines, when not
// nil, is the whole new set of lines: a product left out (or at quantity 0)
// is removed, a new product is added at today's price, a quantity is set.
// Address, Phone and Comment change when not nil.
type OrderEdit struct {
	Lines   []OrderLineInput
	Address *string
	Phone   *string
	Comment *string
}

// Edit changes an order, all or nothing, with an event that says what
// changed. A customer may edit their own order while it is new; staff may
// change whatever is not shipped yet (a quantity never below what shipped).
// Reservations move with the quantities (goods sold beyond stock are
// awaited); an issued invoice that no longer matches the order is voided
// and reissued, never edited, and the customer gets the new one.
func (s *Orders) Edit(ctx context.Context, a Actor, orderID, version int64, e OrderEdit) (*Order, *Invoice, error) {
	if err := e.validate(); err != nil {
		return nil, nil, err
	}
	var reissued *Invoice
	o, err := s.apply(ctx, a, orderID, change{act: ActEdit, version: version, customerMay: true, rebill: true,
		ref: func() string {
			if reissued == nil {
				return ""
			}
			return fmt.Sprintf("invoice:%d", reissued.ID)
		},
		fn: func(ctx context.Context, tx Tx, o *Order, now time.Time) (string, error) {
			if !a.Role.IsStaff() && o.Status != StatusNew {
				return "", Errorf(ErrForbidden, "order %s is already confirmed; ask the seller to change it", o.Number)
			}
			var detail []string
			var err error
			reissued, detail, err = s.edit(ctx, tx, a, o, e, now)
			if err != nil {
				return "", err
			}
			if len(detail) == 0 {
				return "", Errorf(ErrInvalid, "nothing to change on order %s", o.Number)
			}
			return strings.Join(detail, "; "), nil
		}})
	if err != nil {
		return nil, nil, err
	}
	return o, reissued, nil
}

func (e *OrderEdit) validate() error {
	if e.Lines != nil {
		p := PlaceOrder{CustomerID: 1, Lines: filterZero(e.Lines)}
		if len(p.Lines) == 0 {
			return Errorf(ErrInvalid, "an order must keep at least one line; cancel it instead")
		}
		if err := p.Validate(); err != nil {
			return err
		}
	}
	if e.Address != nil {
		*e.Address = strings.TrimSpace(*e.Address)
		if err := checkText("address", *e.Address, MaxAddressLen); err != nil {
			return err
		}
	}
	if e.Phone != nil {
		ph, err := NormalizePhone(*e.Phone)
		if err != nil {
			return err
		}
		e.Phone = &ph
	}
	if e.Comment != nil {
		*e.Comment = strings.TrimSpace(*e.Comment)
		return checkText("comment", *e.Comment, MaxCommentLen)
	}
	return nil
}

func filterZero(ls []OrderLineInput) []OrderLineInput {
	var out []OrderLineInput
	for _, l := range ls {
		if l.Qty != 0 {
			out = append(out, l)
		}
	}
	return out
}

// edit applies e to the locked order and says what it changed.
func (s *Orders) edit(ctx context.Context, tx Tx, a Actor, o *Order, e OrderEdit, now time.Time) (*Invoice, []string, error) {
	var detail []string
	for _, f := range []struct {
		name string
		to   *string
		at   *string
	}{{"address", e.Address, &o.Address}, {"phone", e.Phone, &o.Phone}, {"comment", e.Comment, &o.Comment}} {
		if f.to != nil && *f.to != *f.at {
			detail = append(detail, fmt.Sprintf("%s %q → %q", f.name, *f.at, *f.to))
			*f.at = *f.to
		}
	}
	if e.Lines == nil {
		return nil, detail, nil
	}
	before := o.Total()
	changed, lines, err := s.editLines(ctx, tx, o, e.Lines)
	if err != nil {
		return nil, nil, err
	}
	detail = append(detail, lines...)
	if err := s.checkEditCredit(ctx, tx, a, o, o.Total()-before); err != nil {
		return nil, nil, err
	}
	inv, corr, err := s.correctInvoices(ctx, tx, a, o, changed, now)
	if err != nil {
		return nil, nil, err
	}
	o.Lines = keptLines(o.Lines)
	return inv, append(detail, corr...), nil
}

// editLines works out the new quantities, moves the reservations (all or
// nothing: releases first, then what is added, stock rows in product order)
// and returns the products whose quantity changed. A removed line keeps its
// place with quantity 0 until the invoices are corrected.
func (s *Orders) editLines(ctx context.Context, tx Tx, o *Order, in []OrderLineInput) (map[int64]bool, []string, error) {
	want, added, err := s.wantedQty(ctx, tx, o, in)
	if err != nil {
		return nil, nil, err
	}
	var detail []string
	changed := map[int64]bool{}
	add := map[int64]int64{}
	ids := make([]int64, 0, len(o.Lines))
	for _, l := range o.Lines {
		ids = append(ids, l.ProductID)
	}
	if _, err := tx.LockStock(ctx, ids); err != nil {
		return nil, nil, err
	}
	for _, i := range linesByProduct(o) {
		l := &o.Lines[i]
		q := want[l.ProductID]
		if q == l.Qty {
			continue
		}
		if q < l.Shipped {
			return nil, nil, Errorf(ErrInvalid, "%s: %d already shipped; the quantity cannot go below that", l.Name, l.Shipped)
		}
		changed[l.ProductID] = true
		detail = append(detail, describeQty(l, q, added[l.ProductID]))
		if q > l.Qty {
			add[l.ProductID] = q - l.Qty
			l.Qty = q
			continue
		}
		if err := s.lower(ctx, tx, l, q); err != nil {
			return nil, nil, err
		}
	}
	if err := s.reserveMore(ctx, tx, o, add); err != nil {
		return nil, nil, err
	}
	return changed, detail, nil
}

func describeQty(l *Line, q int64, added bool) string {
	switch {
	case added:
		return fmt.Sprintf("added %s x %d", l.SKU, q)
	case q == 0:
		return fmt.Sprintf("removed %s (was %d)", l.SKU, l.Qty)
	}
	return fmt.Sprintf("%s %d → %d", l.SKU, l.Qty, q)
}

// wantedQty maps each product to its new quantity, adding lines (at 0, at
// the customer's price today) for products new to the order.
func (s *Orders) wantedQty(ctx context.Context, tx Tx, o *Order, in []OrderLineInput) (map[int64]int64, map[int64]bool, error) {
	want := map[int64]int64{}
	var fresh []OrderLineInput
	for _, l := range in {
		id := l.ProductID
		if id == 0 {
			for _, ol := range o.Lines {
				if strings.EqualFold(ol.SKU, l.SKU) {
					id = ol.ProductID
				}
			}
		}
		if ol := o.line(id); ol != nil {
			want[id] = l.Qty
		} else if l.Qty > 0 {
			fresh = append(fresh, l)
		}
	}
	added := map[int64]bool{}
	if len(fresh) == 0 {
		return want, added, nil
	}
	cust, err := tx.CustomerForUpdate(ctx, o.CustomerID)
	if err != nil {
		return nil, nil, err
	}
	lines, err := s.orderLines(ctx, tx, cust, fresh)
	if err != nil {
		return nil, nil, err
	}
	next := 0
	for _, l := range o.Lines {
		next = max(next, l.No)
	}
	for i, l := range lines {
		next++
		l.No, want[l.ProductID], l.Qty = next, fresh[i].Qty, 0
		added[l.ProductID] = true
		o.Lines = append(o.Lines, l)
	}
	return want, added, nil
}

// lower takes a line down to q: what is awaited goes first, then what is
// reserved goes back to stock.
func (s *Orders) lower(ctx context.Context, tx Tx, l *Line, q int64) error {
	cut := l.Qty - q
	fromAwaited := min(cut, l.Awaited)
	l.Awaited -= fromAwaited
	if l.Awaited == 0 {
		l.ExpectedOn = nil
	}
	if rest := cut - fromAwaited; rest > 0 {
		if err := tx.Release(ctx, l.ProductID, rest); err != nil {
			return err
		}
	}
	l.Qty = q
	l.Discount = min(l.Discount, l.Price*Money(q))
	return nil
}

// reserveMore reserves added quantities, in product order, with what other
// carts hold counted; goods sold beyond stock are awaited, any other
// shortage refuses the edit. The stock rows are locked already.
func (s *Orders) reserveMore(ctx context.Context, tx Tx, o *Order, add map[int64]int64) error {
	if len(add) == 0 {
		return nil
	}
	ids := make([]int64, 0, len(add))
	for id := range add {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	if _, err := tx.LockStock(ctx, ids); err != nil {
		return err
	}
	held, _, err := s.d.heldByOthers(ctx, tx, ids, CartKey{})
	if err != nil {
		return err
	}
	var short []Shortage
	for _, id := range ids {
		ok, free, err := tx.Reserve(ctx, id, add[id], held[id])
		if err != nil {
			return err
		}
		if !ok {
			l := o.line(id)
			short = append(short, Shortage{ProductID: id, SKU: l.SKU, Name: l.Name, Asked: add[id], Free: max(free, 0)})
		}
	}
	if len(short) == 0 {
		return nil
	}
	return s.awaitShort(ctx, tx, o, short, held)
}

// checkEditCredit refuses a customer's edit that takes them past their
// credit limit; staff may go past it (the limit is a customer's guard).
func (s *Orders) checkEditCredit(ctx context.Context, tx Tx, a Actor, o *Order, more Money) error {
	if more <= 0 || a.Role.IsStaff() {
		return nil
	}
	c, err := tx.CustomerForUpdate(ctx, o.CustomerID)
	if err != nil || c.CreditLimit == nil {
		return err
	}
	exposure, err := tx.Exposure(ctx, c.ID)
	if err != nil {
		return err
	}
	if exposure+more > *c.CreditLimit {
		cur := s.d.Currency
		return Errorf(ErrForbidden, "this change would exceed the credit limit of %s (owed and ordered: %s, this change adds %s)",
			cur.Display(*c.CreditLimit), cur.Display(exposure), cur.Display(more))
	}
	return nil
}

// correctInvoices voids each invoice of what was ordered that billed a
// product whose quantity changed, and reissues one invoice for what is
// ordered now: the customer never holds an invoice that does not match the
// order. (Invoices of what shipped stay right: shipped goods do not change.)
func (s *Orders) correctInvoices(ctx context.Context, tx Tx, a Actor, o *Order, changed map[int64]bool, now time.Time) (*Invoice, []string, error) {
	if o.Invoiced == 0 && !anyInvoiced(o) {
		return nil, nil, nil
	}
	invs, err := tx.OrderInvoices(ctx, o.ID)
	if err != nil {
		return nil, nil, err
	}
	var detail []string
	var basis InvoiceBasis
	for i := range invs {
		inv := &invs[i]
		if inv.Voided || inv.Basis != BillOrdered || !billsAny(inv, changed) {
			continue
		}
		if err := s.void(ctx, tx, o, inv, "order changed", now); err != nil {
			return nil, nil, err
		}
		basis = inv.Basis
		detail = append(detail, fmt.Sprintf("invoice %s void", inv.Number))
	}
	if basis == "" {
		return nil, detail, nil
	}
	inv, err := s.invoice(ctx, tx, a, o, basis, now)
	if err != nil {
		if SafeMessage(err) != "" && strings.HasPrefix(SafeMessage(err), "nothing") {
			return nil, detail, nil
		}
		return nil, nil, err
	}
	return inv, append(detail, fmt.Sprintf("reissued as %s for %s", inv.Number, s.d.Currency.Display(inv.Amount))), nil
}

func anyInvoiced(o *Order) bool {
	for _, l := range o.Lines {
		if l.Invoiced > 0 {
			return true
		}
	}
	return false
}

func billsAny(inv *Invoice, products map[int64]bool) bool {
	for _, l := range inv.Lines {
		if products[l.ProductID] {
			return true
		}
	}
	return false
}

// keptLines drops the lines taken to 0 and numbers nothing anew: line
// numbers stay what they were.
func keptLines(ls []Line) []Line {
	out := ls[:0]
	for _, l := range ls {
		if l.Qty > 0 {
			out = append(out, l)
		}
	}
	return out
}
