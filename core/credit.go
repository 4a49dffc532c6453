package core

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"
)

// CreditNote is a document that takes part of an invoice back: goods the
// customer returned after they were invoiced. The invoice is never edited;
// it is worth its amount less its credit notes, and so is the customer's
// debt.
type CreditNote struct {
	ID            int64
	Number        string // CN-2026-000001, gap-free per year
	InvoiceID     int64
	InvoiceNumber string
	OrderID       int64
	OrderNumber   string
	CustomerID    int64
	Customer      string
	ReturnID      int64 // the return that caused it, if any
	Reason        string
	IssuedOn      time.Time // date
	Amount        Money
	Currency      string
	Lines         []DocLine
	TaxIncluded   bool
	Actor         Actor
	CreatedAt     time.Time
}

// creditReturned issues credit notes for returned goods that were invoiced:
// of each returned product, as many units as the order's invoices billed,
// taken from its invoices latest first (one credit note per invoice). The
// lines' Invoiced quantities fall by what was credited.
func (s *Orders) creditReturned(ctx context.Context, tx Tx, a Actor, o *Order, returned map[int64]int64, returnID int64, reason string, now time.Time) ([]CreditNote, error) {
	want := map[int64]int64{}
	for id, q := range returned {
		if l := o.line(id); l != nil && l.Invoiced > 0 {
			want[id] = min(q, l.Invoiced)
		}
	}
	return s.credit(ctx, tx, a, o, want, returnID, reason, now)
}

// creditExcess issues credit notes for what the order's invoices bill beyond
// what the customer keeps (an order closed with goods billed and never
// shipped).
func (s *Orders) creditExcess(ctx context.Context, tx Tx, a Actor, o *Order, reason string, now time.Time) ([]CreditNote, error) {
	want := map[int64]int64{}
	for _, l := range o.Lines {
		if n := l.Invoiced - l.Kept(); n > 0 {
			want[l.ProductID] = n
		}
	}
	return s.credit(ctx, tx, a, o, want, 0, reason, now)
}

// credit issues credit notes for want[product] units, from the order's
// invoices latest first.
func (s *Orders) credit(ctx context.Context, tx Tx, a Actor, o *Order, want map[int64]int64, returnID int64, reason string, now time.Time) ([]CreditNote, error) {
	if len(want) == 0 {
		return nil, nil
	}
	invs, err := tx.OrderInvoices(ctx, o.ID)
	if err != nil {
		return nil, err
	}
	credited, err := creditedByInvoice(ctx, tx, o.ID)
	if err != nil {
		return nil, err
	}
	var notes []CreditNote
	for i := len(invs) - 1; i >= 0; i-- {
		inv := &invs[i]
		if inv.Voided {
			continue
		}
		cn := s.creditFrom(inv, credited[inv.ID], want, o, returnID, reason, a, now)
		if cn == nil {
			continue
		}
		if cn.Number, err = tx.NextCreditNumber(ctx, cn.IssuedOn.Year()); err != nil {
			return nil, err
		}
		if err := tx.InsertCreditNote(ctx, cn); err != nil {
			return nil, err
		}
		notes = append(notes, *cn)
	}
	return notes, nil
}

// Taxes sums the credit note's lines by rate.
func (n *CreditNote) Taxes() TaxTotals { return docTaxes(n.Lines, 0, Amounts{}) }

// creditLine takes back q units of an invoice line of which done were
// credited before: their share of its discount, tax and gross.
func creditLine(dl DocLine, done, q int64) DocLine {
	part := func(m Money) Money { return Share(m, done+q, dl.Qty) - Share(m, done, dl.Qty) }
	cl := dl
	cl.Qty = q
	cl.Discount, cl.Tax, cl.Gross = part(dl.Discount), part(dl.Tax), part(dl.Amount())
	return cl
}

// creditFrom builds the credit note of one invoice for what is still wanted
// of each product, up to what the invoice billed and was not credited yet.
func (s *Orders) creditFrom(inv *Invoice, done map[int64]int64, want map[int64]int64, o *Order, returnID int64, reason string, a Actor, now time.Time) *CreditNote {
	cn := &CreditNote{InvoiceID: inv.ID, InvoiceNumber: inv.Number, OrderID: o.ID, OrderNumber: o.Number, CustomerID: o.CustomerID,
		Customer: o.CustomerName, ReturnID: returnID, Reason: reason, IssuedOn: dateOf(now), Currency: o.Currency, Actor: a, CreatedAt: now,
		TaxIncluded: inv.TaxIncluded}
	for _, dl := range inv.Lines {
		q := min(want[dl.ProductID], dl.Qty-done[dl.ProductID])
		if q <= 0 {
			continue
		}
		want[dl.ProductID] -= q
		o.line(dl.ProductID).Invoiced -= q
		cl := creditLine(dl, done[dl.ProductID], q)
		cn.Lines = append(cn.Lines, cl)
		cn.Amount += cl.Amount()
	}
	if len(cn.Lines) == 0 || cn.Amount <= 0 {
		for _, l := range cn.Lines { // a credit of goods that cost nothing: nothing to take back
			o.line(l.ProductID).Invoiced += l.Qty
			want[l.ProductID] += l.Qty
		}
		return nil
	}
	return cn
}

// creditedByInvoice is, per invoice of the order, the quantity of each
// product its credit notes took back.
func creditedByInvoice(ctx context.Context, tx Tx, orderID int64) (map[int64]map[int64]int64, error) {
	notes, err := tx.OrderCreditNotes(ctx, orderID)
	if err != nil {
		return nil, err
	}
	out := map[int64]map[int64]int64{}
	for _, n := range notes {
		if out[n.InvoiceID] == nil {
			out[n.InvoiceID] = map[int64]int64{}
		}
		for _, l := range n.Lines {
			out[n.InvoiceID][l.ProductID] += l.Qty
		}
	}
	return out, nil
}

// ReturnGoods takes goods of an order back on hand, from its shipments
// latest first: the customer keeps less, what was invoiced of them is
// credited (a credit note per invoice) and the debt is recomputed. More than
// was shipped and not returned yet is refused.
func (s *Orders) ReturnGoods(ctx context.Context, a Actor, orderID, version int64, lines []QtyLine, reason string) ([]Return, []CreditNote, *Order, error) {
	if err := a.requireStaff("record returns"); err != nil {
		return nil, nil, nil, err
	}
	reason, err := needReason(reason)
	if err != nil {
		return nil, nil, nil, err
	}
	if len(lines) == 0 {
		return nil, nil, nil, Errorf(ErrInvalid, "nothing to return")
	}
	ships, err := s.d.Store.Shipments(ctx, orderID)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("return goods of order %d: %w", orderID, err)
	}
	var rets []Return
	var notes []CreditNote
	o, err := s.apply(ctx, a, orderID, change{act: ActReturn, version: version, rebill: true,
		ref: func() string { return creditRef(notes) },
		fn: func(ctx context.Context, tx Tx, o *Order, now time.Time) (string, error) {
			plan, err := planReturn(ctx, tx, o, ships, lines)
			if err != nil {
				return "", err
			}
			returned := map[int64]int64{}
			for _, p := range plan {
				r, err := s.takeBack(ctx, tx, a, o, p.shipment, p.lines, reason, now)
				if err != nil {
					return "", err
				}
				rets = append(rets, *r)
				for _, l := range r.Lines {
					returned[l.ProductID] += l.Qty
				}
			}
			notes, err = s.creditReturned(ctx, tx, a, o, returned, rets[0].ID, reason, now)
			if err != nil {
				return "", err
			}
			return describeReturn(rets, notes, reason), nil
		}})
	if err != nil {
		return nil, nil, nil, err
	}
	return rets, notes, o, nil
}

type returnPlan struct {
	shipment int64
	lines    []QtyLine
}

// planReturn spreads the quantities to return over the shipments, latest
// first, up to what each shipped and did not get back yet.
func planReturn(ctx context.Context, tx Tx, o *Order, ships []Shipment, want []QtyLine) ([]returnPlan, error) {
	rest := map[int64]int64{}
	for _, w := range want {
		l := o.line(w.ProductID)
		switch {
		case l == nil:
			return nil, Errorf(ErrInvalid, "product #%d is not on order %s", w.ProductID, o.Number)
		case w.Qty <= 0 || w.Qty > MaxQty:
			return nil, Errorf(ErrInvalid, "%s: quantity must be a whole number above zero", l.Name)
		case rest[w.ProductID]+w.Qty > l.Shipped-l.Returned:
			return nil, Errorf(ErrInvalid, "%s: only %d can be returned (shipped %d, returned %d)", l.Name, l.Shipped-l.Returned, l.Shipped, l.Returned)
		}
		rest[w.ProductID] += w.Qty
	}
	var plan []returnPlan
	for i := len(ships) - 1; i >= 0; i-- {
		_, done, err := tx.ShipmentForReturn(ctx, ships[i].ID)
		if err != nil {
			return nil, err
		}
		p := returnPlan{shipment: ships[i].ID}
		for _, dl := range ships[i].Lines {
			if q := min(rest[dl.ProductID], dl.Qty-done[dl.ProductID]); q > 0 {
				rest[dl.ProductID] -= q
				p.lines = append(p.lines, QtyLine{ProductID: dl.ProductID, Qty: q})
			}
		}
		if len(p.lines) > 0 {
			plan = append(plan, p)
		}
	}
	for id, q := range rest {
		if q > 0 {
			return nil, Errorf(ErrConflict, "%s: the shipments of order %s do not have %d more to return", o.line(id).Name, o.Number, q)
		}
	}
	return plan, nil
}

func describeReturn(rets []Return, notes []CreditNote, reason string) string {
	parts := []string{}
	for _, r := range rets {
		parts = append(parts, fmt.Sprintf("return %d of shipment %d: %s", r.ID, r.ShipmentID, describeLines(r.Lines)))
	}
	for _, n := range notes {
		parts = append(parts, fmt.Sprintf("credit note %s on invoice %s for %d", n.Number, n.InvoiceNumber, n.Amount))
	}
	return strings.Join(parts, "; ") + "; " + reason
}

// creditRef names the first credit note a change made, for its event (the
// customer gets the credit notes made with it as PDFs).
func creditRef(notes []CreditNote) string {
	if len(notes) == 0 {
		return ""
	}
	ids := make([]int64, len(notes))
	for i, n := range notes {
		ids[i] = n.ID
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	return fmt.Sprintf("credit:%d", ids[0])
}

// CreditNote returns one credit note, if the actor may see it.
func (s *Orders) CreditNote(ctx context.Context, a Actor, id int64) (*CreditNote, error) {
	cn, err := s.d.Store.CreditNote(ctx, id)
	if err != nil {
		return nil, hideFrom(a, err, ErrNoSuchInvoice)
	}
	if !a.Role.IsStaff() && cn.CustomerID != a.CustomerID {
		return nil, ErrNoSuchInvoice
	}
	return cn, nil
}

// CreditNotes lists an order's credit notes, if the actor may see the order.
func (s *Orders) CreditNotes(ctx context.Context, a Actor, orderID int64) ([]CreditNote, error) {
	if _, err := s.Get(ctx, a, orderID); err != nil {
		return nil, err
	}
	return s.d.Store.CreditNotes(ctx, CreditFilter{OrderID: orderID})
}
