package core

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"
)

// DiscountInput is a discount a manager gives: on one line (ProductID) or
// on the whole order (0), as a percent (basis points) or an amount in the
// terms of the prices. A discount replaces the one the line had; 0 takes
// it away. An amount on the whole order is spread over the lines in
// proportion to their value.
type DiscountInput struct {
	ProductID int64
	Percent   int
	Amount    Money
	IsPercent bool
	Reason    string
}

// Discount gives a discount, staff only, with the reason on the order's
// trail. Lines billed by an invoice of what was ordered get that invoice
// voided and reissued at the new amounts (as an edit does); lines billed
// for what shipped are refused until that invoice is voided.
func (s *Orders) Discount(ctx context.Context, a Actor, orderID, version int64, in DiscountInput) (*Order, *Invoice, error) {
	if err := a.requireStaff("give discounts"); err != nil {
		return nil, nil, err
	}
	reason, err := needReason(in.Reason)
	if err != nil {
		return nil, nil, err
	}
	if in.Percent < 0 || in.Percent > MaxTaxRate || in.Amount < 0 {
		return nil, nil, Errorf(ErrInvalid, "a discount is 0 to 100 %% or an amount of 0 or more")
	}
	var reissued *Invoice
	o, err := s.apply(ctx, a, orderID, change{act: ActPrice, version: version, rebill: true,
		ref: func() string { return invoiceRef(reissued) },
		fn: func(ctx context.Context, tx Tx, o *Order, now time.Time) (string, error) {
			detail, changed, err := s.discount(o, in)
			if err != nil {
				return "", err
			}
			inv, corr, err := s.repriceInvoices(ctx, tx, a, o, changed, false, now)
			reissued = inv
			return strings.Join(append(detail, corr...), "; ") + "; reason: " + reason, err
		}})
	return o, reissued, err
}

func invoiceRef(inv *Invoice) string {
	if inv == nil {
		return ""
	}
	return fmt.Sprintf("invoice:%d", inv.ID)
}

// discount sets the new discounts on the lines and says what changed.
func (s *Orders) discount(o *Order, in DiscountInput) ([]string, map[int64]bool, error) {
	var idx []int
	for i, l := range o.Lines {
		if in.ProductID == 0 || l.ProductID == in.ProductID {
			idx = append(idx, i)
		}
	}
	if len(idx) == 0 {
		return nil, nil, Errorf(ErrNotFound, "no such line on order %s", o.Number)
	}
	want, err := discounts(o, idx, in)
	if err != nil {
		return nil, nil, err
	}
	cur := s.d.Currency
	var detail []string
	changed := map[int64]bool{}
	for k, i := range idx {
		l := &o.Lines[i]
		if want[k] == l.Discount {
			continue
		}
		detail = append(detail, fmt.Sprintf("discount on %s %s → %s", l.SKU, cur.Format(l.Discount), cur.Format(want[k])))
		l.Discount, changed[l.ProductID] = want[k], true
	}
	if len(detail) == 0 {
		return nil, nil, Errorf(ErrInvalid, "nothing to change on order %s: the discount is that already", o.Number)
	}
	if in.IsPercent {
		detail[0] = FormatTaxRate(in.Percent) + " %: " + detail[0]
	}
	return detail, changed, nil
}

// discounts works out each chosen line's discount. An amount larger than
// the lines' value is refused.
func discounts(o *Order, idx []int, in DiscountInput) ([]Money, error) {
	out := make([]Money, len(idx))
	var goods Money
	for k, i := range idx {
		g := o.Lines[i].Price * Money(o.Lines[i].Qty)
		goods += g
		if in.IsPercent {
			out[k] = Money(mulDivRound(int64(g), int64(in.Percent), rateScale))
		}
	}
	if in.IsPercent {
		return out, nil
	}
	if in.Amount > goods {
		return nil, Errorf(ErrInvalid, "the discount is more than the goods it is given on (%d minor units)", goods)
	}
	return spread(o, idx, in.Amount, goods), nil
}

// spread shares amount over the lines in proportion to their value: each
// gets its whole share, and the minor units left go to the largest
// remainders, never above a line's value.
func spread(o *Order, idx []int, amount, goods Money) []Money {
	out := make([]Money, len(idx))
	rem := make([]int64, len(idx))
	left := amount
	for k, i := range idx {
		g := o.Lines[i].Price * Money(o.Lines[i].Qty)
		if goods == 0 {
			continue
		}
		q, r := mulDivFloor(int64(amount), int64(g), int64(goods))
		out[k], rem[k], left = Money(q), r, left-Money(q)
	}
	order := make([]int, len(idx))
	for k := range order {
		order[k] = k
	}
	sort.SliceStable(order, func(x, y int) bool { return rem[order[x]] > rem[order[y]] })
	for _, k := range order {
		if left == 0 {
			break
		}
		if g := o.Lines[idx[k]].Price * Money(o.Lines[idx[k]].Qty); out[k] < g {
			out[k]++
			left--
		}
	}
	return out
}

// SetDelivery changes the order's delivery charge, staff only, with the
// reason on the trail. When an invoice bills the delivery already it is
// voided and reissued with the new charge.
func (s *Orders) SetDelivery(ctx context.Context, a Actor, orderID, version int64, amount Money, reason string) (*Order, *Invoice, error) {
	if err := a.requireStaff("change delivery charges"); err != nil {
		return nil, nil, err
	}
	reason, err := needReason(reason)
	if err != nil {
		return nil, nil, err
	}
	if amount < 0 {
		return nil, nil, Errorf(ErrInvalid, "a delivery charge cannot be negative")
	}
	var reissued *Invoice
	o, err := s.apply(ctx, a, orderID, change{act: ActPrice, version: version, rebill: true,
		ref: func() string { return invoiceRef(reissued) },
		fn: func(ctx context.Context, tx Tx, o *Order, now time.Time) (string, error) {
			if o.Delivery == amount {
				return "", Errorf(ErrInvalid, "nothing to change on order %s: delivery is %s already", o.Number, s.d.Currency.Display(amount))
			}
			detail := fmt.Sprintf("delivery %s → %s", s.d.Currency.Format(o.Delivery), s.d.Currency.Format(amount))
			o.Delivery = amount
			inv, corr, err := s.repriceInvoices(ctx, tx, a, o, nil, true, now)
			reissued = inv
			return strings.Join(append([]string{detail}, corr...), "; ") + "; reason: " + reason, err
		}})
	return o, reissued, err
}

// repriceInvoices voids every invoice (not void) that bills a changed
// product, or the delivery when it changed, and reissues one invoice per
// basis for what is then left to bill: a customer never holds an invoice
// whose amounts are not the order's.
func (s *Orders) repriceInvoices(ctx context.Context, tx Tx, a Actor, o *Order, changed map[int64]bool, delivery bool, now time.Time) (*Invoice, []string, error) {
	invs, err := tx.OrderInvoices(ctx, o.ID)
	if err != nil {
		return nil, nil, err
	}
	var detail []string
	bases := map[InvoiceBasis]bool{}
	for i := range invs {
		inv := &invs[i]
		if inv.Voided || !(billsAny(inv, changed) || delivery && inv.Delivery > 0) {
			continue
		}
		if err := s.void(ctx, tx, o, inv, "prices changed", now); err != nil {
			return nil, nil, err
		}
		bases[inv.Basis] = true
		detail = append(detail, fmt.Sprintf("invoice %s void", inv.Number))
	}
	var first *Invoice
	for _, b := range []InvoiceBasis{BillOrdered, BillShipped} {
		if !bases[b] {
			continue
		}
		inv, err := s.invoice(ctx, tx, a, o, b, now)
		if err != nil && strings.HasPrefix(SafeMessage(err), "nothing") {
			continue
		}
		if err != nil {
			return nil, nil, err
		}
		if first == nil {
			first = inv
		}
		detail = append(detail, fmt.Sprintf("reissued as %s for %s", inv.Number, s.d.Currency.Display(inv.Amount)))
	}
	return first, detail, nil
}
