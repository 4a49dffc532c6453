package postgres

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/orderbot/orderbot/core"
)

// The history model of Generate: each order lives out a lifecycle drawn
// from its own random stream, and every change is applied the way the use
// cases apply it (core.Order.Refresh derives the states, core.Allocate the
// allocations), with an event per change. What would happen after now has
// not happened yet, which is what leaves recent orders new, waiting,
// unpaid or overdue.
//
// A well-kept shop: orders are confirmed within a day and shipped within
// days, some in two shipments, a few closed with the rest unshipped;
// prepayment customers (terms 0) are invoiced for what they ordered on
// confirmation, the others for each shipment; most invoices are paid around
// their due date, some in two parts, some weeks late, a few never (written
// off after months); a few invoices are voided and reissued the same day.
// Orders forgotten in a state are closed or rejected eventually, so what is
// open stays about the same however long the history is.

// histConfig is what every order's history shares.
type histConfig struct {
	now      time.Time
	loc      *time.Location
	cur      core.Currency
	policy   core.ReminderPolicy
	opening  time.Duration // reminders go out at this time of each day
	today    time.Time     // business date of now, midnight UTC
	products []core.Product
	managers []core.Actor
}

// histIDs hands out ids and document numbers in the order the generator
// makes the documents.
type histIDs struct {
	shipment, invoice, payment, event, move int64
	invoiceYear                             map[int]int64
}

// orderHistory is one order and everything it left behind, as of now.
type orderHistory struct {
	order     core.Order
	events    []core.Event
	shipments []core.Shipment
	invoices  []histInvoice
	payments  []core.Payment
	allocs    []core.Allocation
	moves     []core.StockMove
	reminders []core.ReminderRecord
}

// histInvoice is an invoice with what became of it.
type histInvoice struct {
	core.Invoice
	voidAt     *time.Time
	voidReason string
	settledAt  *time.Time // when allocations first paid it in full
}

// orderSim plays one order's lifecycle: actions wait in a queue by time and
// may plan further actions; those later than now never happen.
type orderSim struct {
	cfg   *histConfig
	ids   *histIDs
	rng   *rand.Rand
	cust  *core.Customer
	mgr   core.Actor
	h     *orderHistory
	queue []histAction
	seq   int
}

type histAction struct {
	at  time.Time
	seq int
	do  func(time.Time)
}

func (s *orderSim) plan(at time.Time, do func(time.Time)) {
	if at.After(s.cfg.now) {
		return
	}
	s.seq++
	s.queue = append(s.queue, histAction{at: at, seq: s.seq, do: do})
}

func (s *orderSim) run() {
	for len(s.queue) > 0 {
		i := 0
		for j, a := range s.queue {
			if a.at.Before(s.queue[i].at) || (a.at.Equal(s.queue[i].at) && a.seq < s.queue[i].seq) {
				i = j
			}
		}
		a := s.queue[i]
		s.queue = slices.Delete(s.queue, i, i+1)
		a.do(a.at)
	}
}

// between is a random duration in [lo, hi).
func (s *orderSim) between(lo, hi time.Duration) time.Duration {
	return lo + time.Duration(s.rng.Int64N(int64(hi-lo)))
}

const day = 24 * time.Hour

// simulate plays the order placed at t0 to now.
func (s *orderSim) simulate(id int64, t0 time.Time) {
	r := s.rng
	byStaff := r.IntN(4) == 0
	confirmed := byStaff && r.IntN(5) < 3
	s.place(id, t0, byStaff, confirmed)
	tc := t0
	if !confirmed {
		switch u := r.Float64(); {
		case u < 0.04: // refused or withdrawn before confirmation
			s.plan(t0.Add(s.between(20*time.Minute, 30*time.Hour)), s.cancelNew)
			return
		case u < 0.0405: // forgotten, then refused
			s.plan(t0.Add(s.between(20*day, 60*day)), s.cancelNew)
			return
		}
		tc = t0.Add(s.between(5*time.Minute, 20*time.Hour))
		s.plan(tc, s.confirm)
	}
	if s.cust.TermsDays == 0 {
		s.plan(tc.Add(s.between(time.Minute, 2*time.Hour)), func(at time.Time) { s.invoice(at, core.BillOrdered) })
	}
	switch u := r.Float64(); {
	case u < 0.02 && s.cust.TermsDays > 0: // cancelled before anything shipped
		s.plan(tc.Add(s.between(time.Hour, 3*day)), func(at time.Time) {
			s.cancel(at, s.mgr, core.ActCancel, "customer cancelled")
		})
		return
	case u < 0.022 && s.cust.TermsDays > 0: // stuck, then closed
		s.plan(tc.Add(s.between(30*day, 120*day)), func(at time.Time) { s.close(at, "customer no longer needs it") })
		return
	}
	partial := r.Float64() < 0.07 && s.h.order.Outstanding() > 1
	s.plan(tc.Add(s.between(2*time.Hour, 4*day)), func(at time.Time) { s.firstShipment(at, partial) })
}

func (s *orderSim) firstShipment(at time.Time, partial bool) {
	if !s.ship(at, partial) {
		return
	}
	if !partial || s.h.order.Outstanding() == 0 {
		return
	}
	if s.cust.TermsDays > 0 && s.rng.IntN(100) < 15 {
		s.plan(at.Add(s.between(3*day, 20*day)), func(at time.Time) { s.close(at, "the rest is not available") })
		return
	}
	s.plan(at.Add(s.between(day, 10*day)), func(at time.Time) { s.ship(at, false) })
}

// place stores the new order: lines of distinct products, popular ones more
// often, staff orders sometimes confirmed at once and promised for a date.
func (s *orderSim) place(id int64, at time.Time, byStaff, confirmed bool) {
	o := &s.h.order
	c := s.cust
	lines := o.Lines[:0]
	*o = core.Order{Lines: lines, ID: id, CustomerID: c.ID, CustomerName: c.Name, Address: c.Address, Phone: c.Phone,
		Currency: s.cfg.cur.Code, CreatedAt: at, UpdatedAt: at, Status: core.StatusNew, Version: 1}
	o.Number = fmt.Sprintf("%d-%06d", at.In(s.cfg.loc).Year(), id)
	o.CreatedBy = core.Actor{Role: core.RoleCustomer, CustomerID: c.ID, UserID: c.TelegramID, Name: c.Name}
	if byStaff || c.TelegramID == 0 {
		o.CreatedBy = s.mgr
	}
	if confirmed {
		o.ConfirmedAt = &at
	}
	if s.rng.IntN(10) < 4 {
		d := dateIn(at, s.cfg.loc).AddDate(0, 0, 1+s.rng.IntN(7))
		o.PromisedOn = &d
	}
	n := []int{1, 1, 1, 1, 2, 2, 2, 3, 3, 4}[s.rng.IntN(10)]
	for len(o.Lines) < n {
		f := s.rng.Float64()
		p := s.cfg.products[int(f*f*float64(len(s.cfg.products)))]
		if o.Line(p.ID) != nil {
			continue
		}
		qty := int64([]int{1, 1, 1, 2, 2, 3, 4, 5, 8, 12}[s.rng.IntN(10)])
		o.Lines = append(o.Lines, core.Line{No: len(o.Lines) + 1, ProductID: p.ID, SKU: p.SKU, Name: p.Name, Unit: p.Unit,
			Qty: qty, Price: p.Price})
	}
	o.Refresh(at)
	s.event(at, o.CreatedBy, core.ActPlace, "", "", "")
}

// save stores a change the way core's save does: derived states, a new
// version, an event.
func (s *orderSim) save(at time.Time, a core.Actor, act core.Action, detail, ref string) {
	o := &s.h.order
	settled := o.SettledAt
	before := o.Refresh(at)
	o.UpdatedAt = at
	o.Version++
	s.event(at, a, act, detail, ref, before)
	if o.SettledAt != nil && settled == nil {
		s.plan(o.SettledAt.Add(core.DefaultCloseAfter), s.closeSettled)
	}
}

// closeSettled is the close_settled job's run over this order: closed once
// it has been shipped and paid for DefaultCloseAfter.
func (s *orderSim) closeSettled(at time.Time) {
	o := &s.h.order
	if o.ClosedAt != nil || o.CancelledAt != nil || o.SettledAt == nil || at.Sub(*o.SettledAt) < core.DefaultCloseAfter {
		return
	}
	o.ClosedAt, o.CloseReason = &at, core.AutoCloseReason
	s.save(at, core.System, core.ActClose, fmt.Sprintf("shipped and paid for %d days", int(core.DefaultCloseAfter.Hours()/24)), "")
}

func (s *orderSim) event(at time.Time, a core.Actor, act core.Action, detail, ref string, before core.Status) {
	s.ids.event++
	s.h.events = append(s.h.events, core.Event{ID: s.ids.event, OrderID: s.h.order.ID, At: at, Actor: a, Action: act,
		Detail: detail, Before: before, After: s.h.order.Status, Ref: ref})
}

func (s *orderSim) confirm(at time.Time) {
	s.h.order.ConfirmedAt = &at
	s.save(at, s.mgr, core.ActConfirm, "", "")
}

func (s *orderSim) cancelNew(at time.Time) {
	if s.h.order.CreatedBy.Role == core.RoleCustomer && s.rng.IntN(2) == 0 {
		s.cancel(at, s.h.order.CreatedBy, core.ActCancel, "")
		return
	}
	s.cancel(at, s.mgr, core.ActReject, []string{"out of stock at the supplier", "no answer from the customer",
		"duplicate order"}[s.rng.IntN(3)])
}

// cancel releases what is reserved and voids the invoices, like core's
// cancelFn, then re-applies payments.
func (s *orderSim) cancel(at time.Time, a core.Actor, act core.Action, reason string) {
	o := &s.h.order
	s.releaseRest()
	for i := range s.h.invoices {
		if s.h.invoices[i].voidAt == nil {
			s.void(at, &s.h.invoices[i], "order cancelled")
		}
	}
	o.CancelledAt, o.CloseReason = &at, reason
	s.save(at, a, act, reason, "")
	s.rebill(at, a, "", "")
}

func (s *orderSim) close(at time.Time, reason string) {
	o := &s.h.order
	if o.ClosedAt != nil || o.CancelledAt != nil {
		return
	}
	s.releaseRest()
	o.ClosedAt, o.CloseReason = &at, reason
	s.save(at, s.mgr, core.ActClose, reason, "")
	s.rebill(at, s.mgr, "", "")
}

func (s *orderSim) releaseRest() {
	for i := range s.h.order.Lines {
		l := &s.h.order.Lines[i]
		l.Released += l.Outstanding()
	}
}

// ship sends what is outstanding (about half of each line when partial)
// and, for customers on terms, plans the invoice for it.
func (s *orderSim) ship(at time.Time, partial bool) bool {
	o := &s.h.order
	if o.ClosedAt != nil || o.CancelledAt != nil || o.Outstanding() == 0 {
		return false
	}
	s.ids.shipment++
	sh := core.Shipment{ID: s.ids.shipment, OrderID: o.ID, Actor: s.mgr, At: at}
	left := o.Outstanding()
	for _, i := range byProduct(o) {
		l := &o.Lines[i]
		q := l.Outstanding()
		if partial {
			q = min(q, max(q/2, 1), left-1)
		}
		if q <= 0 {
			continue
		}
		left -= q
		sh.Lines = append(sh.Lines, core.DocLine{ProductID: l.ProductID, SKU: l.SKU, Name: l.Name, Unit: l.Unit, Qty: q, Price: l.Price})
		l.Shipped += q
		s.ids.move++
		s.h.moves = append(s.h.moves, core.StockMove{ID: s.ids.move, ProductID: l.ProductID, Delta: -q, Kind: core.MoveShipment,
			OrderID: o.ID, ShipmentID: sh.ID, Actor: s.mgr, At: at})
	}
	if len(sh.Lines) == 0 {
		return false
	}
	s.h.shipments = append(s.h.shipments, sh)
	s.save(at, s.mgr, core.ActShip, fmt.Sprintf("shipment %d: %s", sh.ID, describe(sh.Lines)), fmt.Sprintf("shipment:%d", sh.ID))
	if s.cust.TermsDays > 0 {
		s.plan(at.Add(s.between(10*time.Minute, day)), func(at time.Time) { s.invoice(at, core.BillShipped) })
	}
	return true
}

// byProduct returns line indexes in product order (as core locks and bills).
func byProduct(o *core.Order) []int {
	idx := make([]int, len(o.Lines))
	for i := range idx {
		idx[i] = i
	}
	slices.SortFunc(idx, func(a, b int) int { return int(o.Lines[a].ProductID - o.Lines[b].ProductID) })
	return idx
}

func describe(ls []core.DocLine) string {
	s := ""
	for i, l := range ls {
		if i > 0 {
			s += ", "
		}
		s += fmt.Sprintf("%s x %d", l.SKU, l.Qty)
	}
	return s
}

// dateIn is the business date of t as midnight UTC (core's dates).
func dateIn(t time.Time, loc *time.Location) time.Time {
	y, m, d := t.In(loc).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}
