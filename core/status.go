package core

// Status is the headline status of an order shown to people. It is derived
// from the order's phase, fulfilment and payment by deriveStatus, never set by
// hand.
type Status string

// Headline statuses (DESIGN.md, "Order lifecycle").
const (
	StatusNew        Status = "new"
	StatusInProgress Status = "in_progress"
	StatusShipped    Status = "shipped"
	StatusPaid       Status = "paid"
	StatusClosed     Status = "closed"
	StatusCancelled  Status = "cancelled"
)

// Statuses lists every status in lifecycle order.
var Statuses = []Status{StatusNew, StatusInProgress, StatusShipped, StatusPaid, StatusClosed, StatusCancelled}

// ParseStatus accepts a status name as written in Statuses; "in progress" with
// a space is accepted too.
func ParseStatus(s string) (Status, error) {
	if s == "in progress" {
		s = string(StatusInProgress)
	}
	for _, st := range Statuses {
		if string(st) == s {
			return st, nil
		}
	}
	return "", Errorf(ErrInvalid, "unknown status %q: want one of new, in_progress, shipped, paid, closed, cancelled", s)
}

// Fulfilment says how much of an order has left the warehouse.
type Fulfilment string

// Fulfilment states.
const (
	NotShipped    Fulfilment = "not_shipped"
	PartlyShipped Fulfilment = "partly_shipped"
	FullyShipped  Fulfilment = "shipped"
)

// PaymentState says how much of an order's value has been paid.
type PaymentState string

// Payment states.
const (
	Unpaid     PaymentState = "unpaid"
	PartlyPaid PaymentState = "partly_paid"
	FullyPaid  PaymentState = "paid"
)

// Action is something that can be done to an order.
type Action string

// Order actions, each written to the order's event trail.
const (
	ActPlace   Action = "place"
	ActConfirm Action = "confirm"
	ActReject  Action = "reject"
	ActCancel  Action = "cancel"
	ActShip    Action = "ship"
	ActReturn  Action = "return"
	ActInvoice Action = "invoice"
	ActVoid    Action = "void_invoice"
	ActPay     Action = "payment"
	ActClose   Action = "close"
	ActReopen  Action = "reopen"
	ActNote    Action = "note"
	// ActEdit changes lines, quantities, address, phone or comment.
	ActEdit Action = "edit"
	// ActArrive reserves goods that arrived for the order's awaited lines.
	ActArrive Action = "arrival"
	// ActPrice changes a discount or the delivery charge.
	ActPrice Action = "price"
	// ActReverse takes a reversed payment off what it paid.
	ActReverse Action = "reverse_payment"
)

// allowed is the one transition table: which action may be taken on an order
// in which headline status. Payments are customer documents; ActPay here means
// money may be applied to the order.
var allowed = map[Status]map[Action]bool{
	StatusNew:        {ActConfirm: true, ActReject: true, ActCancel: true, ActPay: true, ActEdit: true, ActArrive: true, ActPrice: true},
	StatusInProgress: {ActShip: true, ActInvoice: true, ActVoid: true, ActPay: true, ActCancel: true, ActClose: true, ActReturn: true, ActEdit: true, ActArrive: true, ActPrice: true},
	StatusShipped:    {ActInvoice: true, ActVoid: true, ActPay: true, ActClose: true, ActReturn: true, ActPrice: true},
	StatusPaid:       {ActShip: true, ActInvoice: true, ActVoid: true, ActPay: true, ActClose: true, ActReturn: true, ActEdit: true, ActArrive: true, ActPrice: true},
	StatusClosed:     {ActInvoice: true, ActVoid: true, ActPay: true, ActReturn: true},
	StatusCancelled:  {},
}

// Allowed reports whether action may be taken on an order in status s.
func Allowed(s Status, a Action) bool { return allowed[s][a] }

func checkAllowed(o *Order, a Action) error {
	if !Allowed(o.Status, a) {
		return Errorf(ErrConflict, "order %s is %s: cannot %s it", o.Number, o.Status.Text(), a.Text())
	}
	return nil
}

// Text is the status as people read it ("in progress").
func (s Status) Text() string {
	if s == StatusInProgress {
		return "in progress"
	}
	return string(s)
}

// Text is the action as a verb phrase for messages.
func (a Action) Text() string {
	switch a {
	case ActVoid:
		return "void an invoice of"
	case ActPay:
		return "apply a payment to"
	case ActInvoice:
		return "invoice"
	case ActEdit:
		return "change"
	case ActArrive:
		return "receive goods for"
	case ActPrice:
		return "change the prices of"
	case ActReverse:
		return "reverse a payment of"
	}
	return string(a)
}

// deriveStatus computes the headline status. An order paid before it ships is
// "paid" (its fulfilment says what is still to ship); one shipped but not paid
// is "shipped"; shipped and paid is "paid" until staff or the close_settled
// job close it.
func deriveStatus(confirmed, cancelled, closed bool, f Fulfilment, p PaymentState) Status {
	switch {
	case cancelled:
		return StatusCancelled
	case closed:
		return StatusClosed
	case !confirmed:
		return StatusNew
	case p == FullyPaid:
		return StatusPaid
	case f == FullyShipped:
		return StatusShipped
	}
	return StatusInProgress
}
