package core

import (
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Order is a customer's order with its lines. Quantities on the lines carry
// the whole fulfilment state; the headline Status is derived from them and
// from the payments applied to the order.
type Order struct {
	ID           int64
	Number       string // human-friendly, sequential: 2026-000123
	CustomerID   int64
	CustomerName string
	Status       Status
	Fulfilment   Fulfilment
	Payment      PaymentState
	Lines        []Line
	Address      string
	Phone        string
	Comment      string
	CreatedBy    Actor
	PromisedOn   *time.Time // date only, in the business time zone
	Currency     string
	Paid         Money // applied to the order: to its invoices or held for it
	Invoiced     Money // sum of its invoices that are not void
	ConfirmedAt  *time.Time
	ClosedAt     *time.Time
	CancelledAt  *time.Time
	CloseReason  string
	Version      int64 // bumped by every change; conditional updates check it
	CreatedAt    time.Time
	UpdatedAt    time.Time
	// Cart is the cart generation the order was placed from (zero for
	// orders staff placed).
	Cart CartKey
	// SettledAt is when the order became shipped and paid; the close_settled
	// job closes it some days later. Nil while it is not both.
	SettledAt *time.Time
	// TaxIncluded says the prices on the order include tax; fixed when it
	// is placed, like the prices.
	TaxIncluded bool
	// Delivery is the delivery charge (in the terms of the prices) and
	// DeliveryRate its tax rate. It is no product: nothing is reserved or
	// shipped for it; the first invoice of the order bills it
	// (DeliveryInvoiced until that invoice is void).
	Delivery         Money
	DeliveryRate     int
	DeliveryInvoiced bool
}

// Line is one product on an order. Price is fixed when the order is placed.
//
//	outstanding (to ship) = Qty - Shipped - Released
//	reserved (ready)      = outstanding - Awaited
//	kept (billable)       = Qty - Released - Returned
type Line struct {
	No        int
	ProductID int64
	SKU       string
	Name      string
	Unit      string
	Qty       int64
	Price     Money // per unit, the customer's price when it was placed
	// Discount is taken off the whole line (Qty x Price), in the terms of
	// the price; units billed in parts carry their share of it.
	Discount Money
	// TaxRate is the line's tax rate in basis points (2000 = 20 %).
	TaxRate  int
	Shipped  int64 // gross shipped
	Returned int64 // came back from shipments
	Released int64 // unshipped quantity given up by cancel or close
	Invoiced int64 // quantity billed by invoices that are not void
	// Awaited is ordered but not reserved: nothing was free when it was
	// ordered (a product sold beyond stock). Goods received are reserved
	// for it, oldest order first. It is not a reservation of stock on hand.
	Awaited int64
	// ExpectedOn is when the awaited units are expected (nil: not known).
	ExpectedOn *time.Time
}

// Outstanding is what is still to ship: reserved (Ready) or awaited.
func (l Line) Outstanding() int64 { return l.Qty - l.Shipped - l.Released }

// Ready is what is reserved for the line and may ship now.
func (l Line) Ready() int64 { return l.Outstanding() - l.Awaited }

// Kept is the quantity the customer keeps and pays for.
func (l Line) Kept() int64 { return l.Qty - l.Released - l.Returned }

// Amount is the line's value at its fixed price less its discount, in the
// terms of the price (tax is added on top when prices exclude it).
func (l Line) Amount() Money { return l.Price*Money(l.Qty) - l.Discount }

// Total is what everything ordered comes to, tax and delivery included.
func (o *Order) Total() Money { return o.Totals().Gross }

// Due is what the customer owes for the order: what they keep, with tax,
// and the delivery when they keep anything.
func (o *Order) Due() Money {
	t := o.valueOf(Line.Kept)
	if o.kept() > 0 || o.DeliveryInvoiced {
		t += o.DeliveryAmounts().Gross
	}
	return t
}

// ShippedValue is the value of what was shipped and not returned.
func (o *Order) ShippedValue() Money {
	return o.valueOf(func(l Line) int64 { return l.Shipped - l.Returned })
}

// Outstanding is the total quantity still to ship, ready or awaited.
func (o *Order) Outstanding() int64 {
	var n int64
	for _, l := range o.Lines {
		n += l.Outstanding()
	}
	return n
}

// Ready is the total quantity reserved and ready to ship.
func (o *Order) Ready() int64 { return o.Outstanding() - o.Awaited() }

// Awaited is the total quantity waiting for goods to arrive.
func (o *Order) Awaited() int64 {
	var n int64
	for _, l := range o.Lines {
		n += l.Awaited
	}
	return n
}

// ExpectedOn is the latest date an awaited line is expected; nil when
// nothing is awaited or no awaited line has a date.
func (o *Order) ExpectedOn() *time.Time {
	var d *time.Time
	for _, l := range o.Lines {
		if l.Awaited > 0 && l.ExpectedOn != nil && (d == nil || l.ExpectedOn.After(*d)) {
			d = l.ExpectedOn
		}
	}
	return d
}

// Open reports whether the order still holds reservations or may ship.
func (o *Order) Open() bool {
	return o.Status != StatusCancelled && o.Status != StatusClosed
}

// Line is the order's line of a product, or nil.
func (o *Order) Line(productID int64) *Line { return o.line(productID) }

func (o *Order) line(productID int64) *Line {
	for i := range o.Lines {
		if o.Lines[i].ProductID == productID {
			return &o.Lines[i]
		}
	}
	return nil
}

func (o *Order) fulfilment() Fulfilment {
	var shipped int64
	for _, l := range o.Lines {
		shipped += l.Shipped
	}
	switch {
	case shipped == 0:
		return NotShipped
	case o.Outstanding() == 0:
		return FullyShipped
	}
	return PartlyShipped
}

// paymentState says how much of what the customer keeps is paid. Nothing
// paid is unpaid, also when nothing is due (a cancelled order says nothing
// about payment), except for goods kept that cost nothing.
func (o *Order) paymentState() PaymentState {
	due := o.Due()
	switch {
	case o.Paid <= 0 && due == 0 && o.CancelledAt == nil && o.kept() > 0:
		return FullyPaid
	case o.Paid <= 0:
		return Unpaid
	case o.Paid >= due:
		return FullyPaid
	}
	return PartlyPaid
}

func (o *Order) kept() int64 {
	var n int64
	for _, l := range o.Lines {
		n += l.Kept()
	}
	return n
}

// Refresh is refresh for code that builds an order's history outside the
// use cases (the history generator): after changing lines, Paid or the
// phase times, it derives what every stored change derives.
func (o *Order) Refresh(now time.Time) Status { return o.refresh(now) }

// refresh recomputes fulfilment, payment and the headline status. An order
// that becomes shipped and paid is "paid" and settled (SettledAt); it is
// closed by staff or by the close_settled job, not here. One the job closed
// reopens when a payment is reversed or goods come back. It returns the
// status before.
func (o *Order) refresh(now time.Time) Status {
	before := o.Status
	o.Fulfilment = o.fulfilment()
	o.Payment = o.paymentState()
	o.Invoiced = o.valueOf(func(l Line) int64 { return l.Invoiced })
	if o.DeliveryInvoiced {
		o.Invoiced += o.DeliveryAmounts().Gross
	}
	confirmed := o.ConfirmedAt != nil
	settled := confirmed && o.CancelledAt == nil && o.Fulfilment == FullyShipped && o.Payment == FullyPaid
	if o.ClosedAt != nil && o.CloseReason == AutoCloseReason && !settled {
		o.ClosedAt, o.CloseReason = nil, ""
	}
	switch {
	case !settled:
		o.SettledAt = nil
	case o.SettledAt == nil:
		t := now
		o.SettledAt = &t
	}
	o.Status = deriveStatus(confirmed, o.CancelledAt != nil, o.ClosedAt != nil, o.Fulfilment, o.Payment)
	return before
}

// AutoCloseReason is the reason the close_settled job gives: the order was
// shipped and paid some days ago.
const AutoCloseReason = "shipped and paid"

// OrderLineInput is one line of an order being placed.
type OrderLineInput struct {
	ProductID int64
	SKU       string // used when ProductID is 0
	Qty       int64
}

// PlaceOrder is everything needed to place an order.
type PlaceOrder struct {
	CustomerID int64
	Lines      []OrderLineInput
	Address    string
	Phone      string
	Comment    string
	PromisedOn *time.Time
	// Confirmed places a staff order directly "in progress".
	Confirmed bool
	// OverrideCreditLimit lets staff place beyond the customer's credit limit;
	// the override is written to the order's events.
	OverrideCreditLimit bool
	// Delivery is the delivery charge staff typed (a phone order); nil:
	// the shop's (DeliveryFor the goods total).
	Delivery *Money
	// Cart is the cart generation whose holds this order turns into
	// reservations (other carts' holds are respected); the order records
	// it, so the same cart is placed once.
	Cart CartKey
}

// Limits on free text, so a message or a document never breaks on it.
const (
	MaxAddressLen = 500
	MaxSearchLen  = 100
	MaxCommentLen = 1000
	MaxNameLen    = 200
	MaxReasonLen  = 500
	MaxLines      = 500
	MaxQty        = 1_000_000
)

// Validate checks the shape of the input; stock and credit are checked when
// the order is placed.
func (p *PlaceOrder) Validate() error {
	if p.CustomerID <= 0 {
		return Errorf(ErrInvalid, "choose a customer")
	}
	if len(p.Lines) == 0 {
		return Errorf(ErrInvalid, "the order has no lines")
	}
	if len(p.Lines) > MaxLines {
		return Errorf(ErrInvalid, "an order may have at most %d lines", MaxLines)
	}
	seen := map[string]bool{}
	for i, l := range p.Lines {
		key := fmt.Sprintf("%d/%s", l.ProductID, strings.ToLower(l.SKU))
		if l.ProductID <= 0 && l.SKU == "" {
			return Errorf(ErrInvalid, "line %d: no product", i+1)
		}
		if seen[key] {
			return Errorf(ErrInvalid, "line %d: the same product twice; change the quantity instead", i+1)
		}
		seen[key] = true
		if err := validQty(l.Qty); err != nil {
			return Errorf(ErrInvalid, "line %d: %s", i+1, SafeMessage(err))
		}
	}
	if err := checkText("address", p.Address, MaxAddressLen); err != nil {
		return err
	}
	phone, err := NormalizePhone(p.Phone)
	if err != nil {
		return err
	}
	p.Phone = phone
	return checkText("comment", p.Comment, MaxCommentLen)
}

func validQty(q int64) error {
	if q <= 0 {
		return Errorf(ErrInvalid, "quantity must be a whole number above zero")
	}
	if q > MaxQty {
		return Errorf(ErrInvalid, "quantity must be at most %d", MaxQty)
	}
	return nil
}

func checkText(field, s string, max int) error { return CheckText(field, s, max) }

// CheckText refuses text no message, document or database can carry, with
// a message that says what is wrong: more than max characters, bytes that
// are not UTF-8, a NUL or another control character (line breaks and tabs
// are fine). Every free text a person gives goes through it before it is
// stored or searched for.
func CheckText(field, s string, max int) error {
	if !utf8.ValidString(s) {
		return Errorf(ErrInvalid, "%s is not readable text (it is not valid UTF-8)", field)
	}
	n := 0
	for _, r := range s {
		n++
		if r == 0 || (unicode.IsControl(r) && r != '\n' && r != '\t' && r != '\r') {
			return Errorf(ErrInvalid, "%s contains an invisible control character (U+%04X); type it again without it", field, r)
		}
	}
	if n > max {
		return Errorf(ErrInvalid, "%s is too long: %d characters, at most %d", field, n, max)
	}
	return nil
}

// Event is one entry of an order's audit trail.
type Event struct {
	ID      int64
	OrderID int64
	At      time.Time
	Actor   Actor
	Action  Action
	Detail  string
	Before  Status
	After   Status
	// Ref names the document the change made ("invoice:12", "shipment:7",
	// "payment:3"), so notices can attach it.
	Ref string
}
