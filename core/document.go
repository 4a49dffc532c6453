package core

import "time"

// Shipment is a document: goods that left with an order. It is never edited;
// a Return reverses part or all of it.
type Shipment struct {
	ID      int64
	OrderID int64
	Lines   []DocLine
	Actor   Actor
	At      time.Time
}

// Taxes sums the shipment's lines by rate (their value, for receipts).
func (s *Shipment) Taxes() TaxTotals { return docTaxes(s.Lines, 0, Amounts{}) }

// Return brings shipped goods back on hand. It reverses a shipment's lines.
type Return struct {
	ID         int64
	ShipmentID int64
	OrderID    int64
	Lines      []DocLine
	Reason     string
	Actor      Actor
	At         time.Time
}

// DocLine is one product on a document.
type DocLine struct {
	ProductID int64
	SKU       string
	Name      string
	Unit      string
	Qty       int64
	Price     Money
	// Discount is the discount on these units, TaxRate their rate (basis
	// points), Tax their rounded tax and Gross what they come to. A line
	// with none of them set (documents from before taxes) is Qty x Price.
	Discount Money
	TaxRate  int
	Tax      Money
	Gross    Money
}

// Amount is what the line comes to, tax included.
func (l DocLine) Amount() Money {
	if l.Gross == 0 && l.Discount == 0 && l.Tax == 0 {
		return l.Price * Money(l.Qty)
	}
	return l.Gross
}

// Net is the line's amount without tax.
func (l DocLine) Net() Money { return l.Amount() - l.Tax }

// withValue sets the line's discount, tax and gross from amounts a of its
// units: a line of an order billed (or shipped) in part.
func (l DocLine) withValue(a Amounts, discount Money, rate int) DocLine {
	l.Discount, l.TaxRate, l.Tax, l.Gross = discount, rate, a.Tax, a.Gross
	return l
}

// InvoiceBasis says what an invoice bills.
type InvoiceBasis string

// Invoice bases. Prepayment customers are billed for what they ordered;
// customers on deferred terms for what was shipped and not yet billed.
const (
	BillOrdered InvoiceBasis = "ordered"
	BillShipped InvoiceBasis = "shipped"
)

// Invoice is a document asking a customer to pay. Numbers are gap-free and
// sequential per year. It is never edited; voiding it is a separate record.
type Invoice struct {
	ID          int64
	Number      string
	OrderID     int64
	OrderNumber string
	CustomerID  int64
	Customer    string
	Basis       InvoiceBasis
	IssuedOn    time.Time // date
	DueOn       time.Time // date: IssuedOn + the customer's payment terms
	Amount      Money     // what it bills: its lines and its delivery, tax included
	Currency    string
	Lines       []DocLine
	// TaxIncluded: the prices on it include tax.
	TaxIncluded bool
	// Delivery is the order's delivery charge when this invoice bills it
	// (the order's first invoice does), in the terms of the prices, with
	// its rate and tax.
	Delivery     Money
	DeliveryRate int
	DeliveryTax  Money
	Paid         Money // applied to it so far
	// Credited is what credit notes took back of it: it is worth Amount -
	// Credited.
	Credited   Money
	Voided     bool
	VoidReason string
	Actor      Actor
	CreatedAt  time.Time
}

// DeliveryAmounts is the invoice's delivery line's money.
func (i *Invoice) DeliveryAmounts() Amounts {
	if i.TaxIncluded {
		return Amounts{Net: i.Delivery - i.DeliveryTax, Tax: i.DeliveryTax, Gross: i.Delivery}
	}
	return Amounts{Net: i.Delivery, Tax: i.DeliveryTax, Gross: i.Delivery + i.DeliveryTax}
}

// Taxes sums the invoice's lines and delivery by rate.
func (i *Invoice) Taxes() TaxTotals {
	return docTaxes(i.Lines, i.DeliveryRate, i.DeliveryAmounts())
}

func docTaxes(lines []DocLine, deliveryRate int, delivery Amounts) TaxTotals {
	var t TaxTotals
	for _, l := range lines {
		t.Add(l.TaxRate, Amounts{Net: l.Net(), Tax: l.Tax, Gross: l.Amount()})
	}
	if delivery != (Amounts{}) {
		t.Add(deliveryRate, delivery)
	}
	return t
}

// Open is what is still to be paid on the invoice.
func (i *Invoice) Open() Money {
	if i.Voided {
		return 0
	}
	return i.Amount - i.Credited - i.Paid
}

// Net is what the invoice asks for after its credit notes.
func (i *Invoice) Net() Money { return i.Amount - i.Credited }

// DaysOverdue counts whole days past the due date on day today (0 if not due).
func (i *Invoice) DaysOverdue(today time.Time) int {
	d := int(dateOf(today).Sub(dateOf(i.DueOn)).Hours() / 24)
	if d < 0 {
		return 0
	}
	return d
}

// PaymentMethod is how money arrived.
type PaymentMethod string

// Payment methods.
const (
	PayCash  PaymentMethod = "cash"
	PayBank  PaymentMethod = "bank"
	PayCard  PaymentMethod = "card"
	PayOther PaymentMethod = "other"
)

// ParsePaymentMethod accepts one of the method names.
func ParsePaymentMethod(s string) (PaymentMethod, error) {
	switch m := PaymentMethod(s); m {
	case PayCash, PayBank, PayCard, PayOther:
		return m, nil
	}
	return "", Errorf(ErrInvalid, "payment method %q: want cash, bank, card or other", s)
}

// Payment is a document: money received from a customer. It is applied to
// invoices (oldest first, or a chosen order's first); what is left is a
// prepayment credit.
type Payment struct {
	ID          int64
	CustomerID  int64
	OrderID     int64 // the order the customer paid for; 0 when not said
	Amount      Money
	Currency    string
	Method      PaymentMethod
	Reference   string
	ReceivedOn  time.Time // date
	Reversed    bool
	Actor       Actor
	CreatedAt   time.Time
	Unallocated Money // credit left after applying it
}

// Allocation applies part of a payment to an invoice, or holds it for an order
// that has no invoice yet (InvoiceID 0). Allocations are bookkeeping, not
// documents: they move when invoices are issued or voided.
type Allocation struct {
	PaymentID int64
	InvoiceID int64
	OrderID   int64
	Amount    Money
}

// dateOf is the calendar date of t (in t's own location) as midnight UTC, so
// dates from the database and from the business clock compare and subtract
// exactly.
func dateOf(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}
