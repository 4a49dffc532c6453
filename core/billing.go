package core

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// DefaultBasis is what an invoice bills when staff do not say: prepayment
// customers (terms 0) pay for what they ordered before it ships; customers on
// deferred terms are billed for what was shipped.
func DefaultBasis(c *Customer) InvoiceBasis {
	if c.TermsDays == 0 {
		return BillOrdered
	}
	return BillShipped
}

// IssueInvoice bills an order: for what was ordered and not yet billed, or for
// what was shipped and not yet billed (basis "" picks DefaultBasis). The due
// date is the issue date plus the customer's payment terms. Credit the
// customer already has is applied to it at once.
func (s *Orders) IssueInvoice(ctx context.Context, a Actor, orderID, version int64, basis InvoiceBasis) (*Invoice, *Order, error) {
	if err := a.requireStaff("issue invoices"); err != nil {
		return nil, nil, err
	}
	if basis != "" && basis != BillOrdered && basis != BillShipped {
		return nil, nil, Errorf(ErrInvalid, "invoice basis %q: want ordered or shipped", basis)
	}
	var inv *Invoice
	o, err := s.apply(ctx, a, orderID, change{act: ActInvoice, version: version, rebill: true,
		ref: func() string { return fmt.Sprintf("invoice:%d", inv.ID) },
		fn: func(ctx context.Context, tx Tx, o *Order, now time.Time) (string, error) {
			var err error
			inv, err = s.invoice(ctx, tx, a, o, basis, now)
			if err != nil {
				return "", err
			}
			return fmt.Sprintf("invoice %s for %s, due %s", inv.Number, s.d.Currency.Display(inv.Amount), inv.DueOn.Format(time.DateOnly)), nil
		}})
	if err != nil {
		return nil, nil, err
	}
	stored, err := s.d.Store.Invoice(ctx, inv.ID)
	if err != nil {
		return nil, nil, fmt.Errorf("read invoice %s: %w", inv.Number, err)
	}
	return stored, o, nil
}

func (s *Orders) invoice(ctx context.Context, tx Tx, a Actor, o *Order, basis InvoiceBasis, now time.Time) (*Invoice, error) {
	cust, err := tx.CustomerForUpdate(ctx, o.CustomerID)
	if err != nil {
		return nil, err
	}
	if basis == "" {
		basis = DefaultBasis(cust)
	}
	today := dateOf(now)
	inv := &Invoice{OrderID: o.ID, OrderNumber: o.Number, CustomerID: o.CustomerID, Customer: cust.Name, Basis: basis,
		IssuedOn: today, DueOn: today.AddDate(0, 0, cust.TermsDays), Currency: o.Currency, Actor: a, CreatedAt: now,
		TaxIncluded: o.TaxIncluded}
	for _, i := range linesByProduct(o) {
		l := &o.Lines[i]
		q := l.Kept() - l.Invoiced
		if basis == BillShipped {
			q = l.Shipped - l.Returned - l.Invoiced
		}
		if q <= 0 {
			continue
		}
		dl := billLine(l, l.Invoiced, q, o.TaxIncluded)
		inv.Lines = append(inv.Lines, dl)
		inv.Amount += dl.Amount()
		l.Invoiced += q
	}
	if len(inv.Lines) > 0 || basis == BillOrdered || o.kept() > 0 && !o.goodsUnbilled() {
		billDelivery(o, inv) // with goods, or on its own when every good is billed
	}
	if len(inv.Lines) == 0 && inv.Delivery == 0 {
		what := map[InvoiceBasis]string{BillOrdered: "ordered", BillShipped: "shipped"}[basis]
		return nil, Errorf(ErrInvalid, "nothing %s is left to invoice on order %s", what, o.Number)
	}
	if inv.Number, err = tx.NextInvoiceNumber(ctx, today.Year()); err != nil {
		return nil, err
	}
	return inv, tx.InsertInvoice(ctx, inv)
}

// billLine is the document line of q units of l after the first done:
// their share of the line's discount, tax and gross, so that the parts of
// a line billed on several invoices add up to the line.
func billLine(l *Line, done, q int64, included bool) DocLine {
	a := l.Value(done+q, included).Sub(l.Value(done, included))
	disc := Share(l.Discount, done+q, l.Qty) - Share(l.Discount, done, l.Qty)
	dl := DocLine{ProductID: l.ProductID, SKU: l.SKU, Name: l.Name, Unit: l.Unit, Qty: q, Price: l.Price}
	return dl.withValue(a, disc, l.TaxRate)
}

// Unbilled reports whether an invoice has something to bill: a quantity
// the customer keeps that no invoice bills, or the delivery charge of an
// order whose goods they keep (all goods may be billed before the charge
// was set).
func (o *Order) Unbilled() bool {
	return o.goodsUnbilled() || o.Delivery > 0 && !o.DeliveryInvoiced && o.kept() > 0
}

// goodsUnbilled reports whether some quantity the customer keeps is not
// billed.
func (o *Order) goodsUnbilled() bool {
	for _, l := range o.Lines {
		if l.Kept() > l.Invoiced {
			return true
		}
	}
	return false
}

// billDelivery puts the order's delivery on the invoice unless another
// invoice (not void) bills it already.
func billDelivery(o *Order, inv *Invoice) {
	if o.DeliveryInvoiced || o.Delivery == 0 {
		return
	}
	d := o.DeliveryAmounts()
	inv.Delivery, inv.DeliveryRate, inv.DeliveryTax = o.Delivery, o.DeliveryRate, d.Tax
	inv.Amount += d.Gross
	o.DeliveryInvoiced = true
}

// VoidInvoice cancels an invoice with a reason. The invoice stays; a void
// record is added, its quantities can be billed again and money applied to it
// is applied elsewhere.
func (s *Orders) VoidInvoice(ctx context.Context, a Actor, invoiceID int64, reason string) (*Order, error) {
	if err := a.requireStaff("void invoices"); err != nil {
		return nil, err
	}
	reason, err := needReason(reason)
	if err != nil {
		return nil, err
	}
	inv, err := s.d.Store.Invoice(ctx, invoiceID)
	if err != nil {
		return nil, fmt.Errorf("void invoice %d: %w", invoiceID, err)
	}
	return s.apply(ctx, a, inv.OrderID, change{act: ActVoid, rebill: true,
		fn: func(ctx context.Context, tx Tx, o *Order, now time.Time) (string, error) {
			locked, err := tx.InvoiceForUpdate(ctx, invoiceID)
			if err != nil {
				return "", err
			}
			if locked.Voided {
				return "", Errorf(ErrConflict, "invoice %s is already void", locked.Number)
			}
			if err := s.void(ctx, tx, o, locked, reason, now); err != nil {
				return "", err
			}
			return fmt.Sprintf("invoice %s void: %s", locked.Number, reason), nil
		}})
}

func (s *Orders) void(ctx context.Context, tx Tx, o *Order, inv *Invoice, reason string, now time.Time) error {
	var credited map[int64]int64
	if inv.Credited > 0 {
		byInv, err := creditedByInvoice(ctx, tx, o.ID)
		if err != nil {
			return err
		}
		credited = byInv[inv.ID]
	}
	if err := tx.VoidInvoice(ctx, inv.ID, reason, System, now); err != nil {
		return err
	}
	for _, dl := range inv.Lines {
		if l := o.line(dl.ProductID); l != nil {
			l.Invoiced -= dl.Qty - credited[dl.ProductID]
		}
	}
	if inv.Delivery > 0 {
		o.DeliveryInvoiced = false
	}
	return nil
}

func (s *Orders) voidOrderInvoices(ctx context.Context, tx Tx, o *Order, reason string, now time.Time) error {
	invs, err := tx.OrderInvoices(ctx, o.ID)
	if err != nil {
		return err
	}
	for i := range invs {
		if !invs[i].Voided {
			if err := s.void(ctx, tx, o, &invs[i], reason, now); err != nil {
				return err
			}
		}
	}
	return nil
}

// PaymentInput is a payment as staff record it.
type PaymentInput struct {
	CustomerID int64
	OrderID    int64 // optional: the order the money is for
	// Version, with OrderID, records the payment only if the order is still
	// as the person saw it: a second tap on "paid in full" finds it changed.
	Version    int64
	Amount     Money
	Method     PaymentMethod
	Reference  string
	ReceivedOn *time.Time // default today
}

// RecordPayment stores a payment and applies it: to the chosen order's
// invoices first (or held for that order), then to the customer's open
// invoices oldest first; what is left is a prepayment credit. Orders that
// become paid (and shipped) move on, each with an event.
func (s *Orders) RecordPayment(ctx context.Context, a Actor, in PaymentInput) (*Payment, error) {
	if err := a.requireStaff("record payments"); err != nil {
		return nil, err
	}
	if err := s.checkPayment(&in); err != nil {
		return nil, err
	}
	p := &Payment{CustomerID: in.CustomerID, OrderID: in.OrderID, Amount: in.Amount, Currency: s.d.Currency.Code,
		Method: in.Method, Reference: strings.TrimSpace(in.Reference), ReceivedOn: *in.ReceivedOn, Actor: a}
	err := s.d.Store.InTx(ctx, func(ctx context.Context, tx Tx) error {
		if _, err := tx.CustomerForUpdate(ctx, in.CustomerID); err != nil {
			return err
		}
		if err := s.checkPaymentOrder(ctx, tx, in); err != nil {
			return err
		}
		now := s.d.now()
		p.CreatedAt = now
		if err := tx.InsertPayment(ctx, p); err != nil {
			return err
		}
		cause := fmt.Sprintf("payment %d: %s %s", p.ID, s.d.Currency.Display(p.Amount), p.Method)
		return s.rebill(ctx, tx, a, in.CustomerID, cause, fmt.Sprintf("payment:%d", p.ID), now)
	})
	if err != nil {
		return nil, fmt.Errorf("record payment: %w", err)
	}
	return p, nil
}

func (s *Orders) checkPayment(in *PaymentInput) error {
	if in.CustomerID <= 0 {
		return Errorf(ErrInvalid, "choose a customer")
	}
	if in.Amount <= 0 {
		return Errorf(ErrInvalid, "a payment must be above zero")
	}
	if _, err := ParsePaymentMethod(string(in.Method)); err != nil {
		return err
	}
	if err := checkText("reference", in.Reference, 200); err != nil {
		return err
	}
	today := s.d.today()
	if in.ReceivedOn == nil {
		in.ReceivedOn = &today
	}
	d := dateOf(*in.ReceivedOn)
	if d.After(today) {
		return Errorf(ErrInvalid, "a payment cannot be received in the future")
	}
	in.ReceivedOn = &d
	return nil
}

func (s *Orders) checkPaymentOrder(ctx context.Context, tx Tx, in PaymentInput) error {
	if in.OrderID == 0 {
		return nil
	}
	owner, err := tx.OrderOwner(ctx, in.OrderID)
	if err != nil {
		return err
	}
	if owner != in.CustomerID {
		return Errorf(ErrInvalid, "order #%d belongs to another customer", in.OrderID)
	}
	o, err := tx.OrderForUpdate(ctx, in.OrderID)
	if err != nil {
		return err
	}
	if in.Version != 0 && o.Version != in.Version {
		return Errorf(ErrConflict, "order %s has changed since you saw it (it is %s now); open it again", o.Number, o.Status.Text())
	}
	return checkAllowed(o, ActPay)
}

// ReversePayment records that a payment did not happen after all (a bounced
// transfer, a mistake). The payment stays; its money is taken off what it
// was applied to.
func (s *Orders) ReversePayment(ctx context.Context, a Actor, paymentID int64, reason string) error {
	if err := a.requireStaff("reverse payments"); err != nil {
		return err
	}
	reason, err := needReason(reason)
	if err != nil {
		return err
	}
	err = s.d.Store.InTx(ctx, func(ctx context.Context, tx Tx) error {
		owner, err := tx.PaymentOwner(ctx, paymentID)
		if err != nil {
			return err
		}
		if _, err := tx.CustomerForUpdate(ctx, owner); err != nil {
			return err
		}
		p, err := tx.PaymentForUpdate(ctx, paymentID)
		if err != nil {
			return err
		}
		if p.Reversed {
			return Errorf(ErrConflict, "payment %d is already reversed", p.ID)
		}
		now := s.d.now()
		if err := tx.ReversePayment(ctx, p.ID, reason, a, now); err != nil {
			return err
		}
		cause := fmt.Sprintf("payment %d of %s reversed: %s", p.ID, s.d.Currency.Display(p.Amount), reason)
		ref := fmt.Sprintf("reversal:%d", p.ID)
		moved, err := s.rebillAs(ctx, tx, a, ActReverse, p.CustomerID, cause, ref, now)
		if err != nil || moved > 0 || p.OrderID == 0 {
			return err
		}
		return s.noteReversal(ctx, tx, a, p.OrderID, cause, ref, now)
	})
	if err != nil {
		return fmt.Errorf("reverse payment %d: %w", paymentID, err)
	}
	return nil
}

// rebill recomputes how the customer's payments are applied and moves every
// order whose paid amount changed, each with an event. The customer row must
// already be locked by the caller's transaction.
func (s *Orders) rebill(ctx context.Context, tx Tx, a Actor, customerID int64, cause, ref string, now time.Time) error {
	_, err := s.rebillAs(ctx, tx, a, ActPay, customerID, cause, ref, now)
	return err
}

// rebillAs is rebill writing act as the action of the orders' events; it
// reports how many orders it moved.
func (s *Orders) rebillAs(ctx context.Context, tx Tx, a Actor, act Action, customerID int64, cause, ref string, now time.Time) (int, error) {
	b, err := tx.Billing(ctx, customerID)
	if err != nil {
		return 0, err
	}
	as, paid := allocate(b)
	if err := tx.ReplaceAllocations(ctx, customerID, as); err != nil {
		return 0, err
	}
	moved := 0
	for _, od := range b.Orders {
		if paid[od.OrderID] == od.Paid {
			continue
		}
		o, err := tx.OrderForUpdate(ctx, od.OrderID)
		if err != nil {
			return 0, err
		}
		o.Paid = paid[od.OrderID]
		detail := fmt.Sprintf("paid %s of %s", s.d.Currency.Display(o.Paid), s.d.Currency.Display(o.Due()))
		if cause != "" {
			detail = cause + "; " + detail
		}
		if err := s.save(ctx, tx, o, a, act, detail, ref, now); err != nil {
			return 0, err
		}
		moved++
	}
	return moved, nil
}

// noteReversal writes the reversal of a payment made for an order that it
// did not pay (it was held as credit) on that order's trail.
func (s *Orders) noteReversal(ctx context.Context, tx Tx, a Actor, orderID int64, cause, ref string, now time.Time) error {
	o, err := tx.OrderForUpdate(ctx, orderID)
	if err != nil {
		return err
	}
	return s.save(ctx, tx, o, a, ActReverse, cause, ref, now)
}
