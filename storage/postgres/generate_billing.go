package postgres

import (
	"fmt"
	"time"

	"github.com/orderbot/orderbot/core"
)

// The billing side of an order's generated history: invoices, voids,
// payments, allocations and the reminders the daily runs sent.

// invoice bills what the basis says is left to bill, like core's invoice,
// and plans either its payments or, rarely, its void and reissue.
func (s *orderSim) invoice(at time.Time, basis core.InvoiceBasis) {
	o := &s.h.order
	if o.CancelledAt != nil {
		return
	}
	issued := dateIn(at, s.cfg.loc)
	inv := histInvoice{Invoice: core.Invoice{OrderID: o.ID, OrderNumber: o.Number, CustomerID: o.CustomerID, Customer: o.CustomerName,
		Basis: basis, IssuedOn: issued, DueOn: issued.AddDate(0, 0, s.cust.TermsDays), Currency: o.Currency, Actor: s.mgr, CreatedAt: at}}
	for _, i := range byProduct(o) {
		l := &o.Lines[i]
		q := l.Kept() - l.Invoiced
		if basis == core.BillShipped {
			q = l.Shipped - l.Returned - l.Invoiced
		}
		if q <= 0 {
			continue
		}
		inv.Lines = append(inv.Lines, core.DocLine{ProductID: l.ProductID, SKU: l.SKU, Name: l.Name, Unit: l.Unit, Qty: q, Price: l.Price})
		inv.Amount += l.Price * core.Money(q)
		l.Invoiced += q
	}
	if len(inv.Lines) == 0 {
		return
	}
	s.ids.invoice++
	s.ids.invoiceYear[issued.Year()]++
	inv.ID = s.ids.invoice
	inv.Number = fmt.Sprintf("INV-%d-%06d", issued.Year(), s.ids.invoiceYear[issued.Year()])
	s.h.invoices = append(s.h.invoices, inv)
	s.save(at, s.mgr, core.ActInvoice, fmt.Sprintf("invoice %s for %s, due %s", inv.Number, s.cfg.cur.Display(inv.Amount),
		inv.DueOn.Format(time.DateOnly)), fmt.Sprintf("invoice:%d", inv.ID))
	s.rebill(at, s.mgr, "", "")
	k := len(s.h.invoices) - 1
	if s.rng.IntN(1000) < 7 {
		s.plan(at.Add(s.between(10*time.Minute, 4*time.Hour)), func(at time.Time) {
			s.void(at, &s.h.invoices[k], "wrong delivery address")
			s.save(at, s.mgr, core.ActVoid, fmt.Sprintf("invoice %s void: wrong delivery address", s.h.invoices[k].Number), "")
			s.rebill(at, s.mgr, "", "")
			s.plan(at.Add(s.between(time.Minute, 30*time.Minute)), func(at time.Time) { s.invoice(at, basis) })
		})
		return
	}
	s.planPayments(k)
}

// void marks an invoice void and frees its quantities for billing again.
func (s *orderSim) void(at time.Time, inv *histInvoice, reason string) {
	inv.voidAt, inv.voidReason = &at, reason
	for _, dl := range inv.Lines {
		s.h.order.Line(dl.ProductID).Invoiced -= dl.Qty
	}
}

// planPayments decides how invoice k gets paid: mostly in full around the
// due date (soon after issue for prepayment), sometimes in two parts or
// weeks late, rarely never (written off months later).
func (s *orderSim) planPayments(k int) {
	inv := s.h.invoices[k].Invoice
	dueAt := time.Date(inv.DueOn.Year(), inv.DueOn.Month(), inv.DueOn.Day(), 0, 0, 0, 0, s.cfg.loc)
	around := func() time.Time {
		if s.cust.TermsDays == 0 {
			return inv.CreatedAt.Add(s.between(30*time.Minute, 4*day))
		}
		t := dueAt.Add(s.between(-time.Duration(s.cust.TermsDays)*day/2, 4*day))
		return later(t, inv.CreatedAt.Add(time.Hour))
	}
	switch u := s.rng.Float64(); {
	case u < 0.004:
		s.plan(dueAt.Add(s.between(120*day, 240*day)), func(at time.Time) { s.writeOff(at, k) })
	case u < 0.045:
		first := max(1, min(inv.Amount-1, inv.Amount*core.Money(30+s.rng.IntN(50))/100))
		t := around()
		s.plan(t, func(at time.Time) { s.pay(at, first) })
		s.plan(t.Add(s.between(2*day, 25*day)), func(at time.Time) { s.pay(at, inv.Amount-first) })
	case u < 0.14:
		s.plan(dueAt.Add(s.between(10*day, 90*day)), func(at time.Time) { s.pay(at, inv.Amount) })
	default:
		s.plan(around(), func(at time.Time) { s.pay(at, inv.Amount) })
	}
}

func (s *orderSim) writeOff(at time.Time, k int) {
	inv := &s.h.invoices[k]
	if inv.voidAt != nil || inv.settledAt != nil {
		return
	}
	s.void(at, inv, "written off: bad debt")
	s.save(at, s.mgr, core.ActVoid, fmt.Sprintf("invoice %s void: written off: bad debt", inv.Number), "")
	s.rebill(at, s.mgr, "", "")
}

// pay records a payment for the order, like core's RecordPayment.
func (s *orderSim) pay(at time.Time, amount core.Money) {
	if amount <= 0 || s.h.order.CancelledAt != nil {
		return
	}
	s.ids.payment++
	p := core.Payment{ID: s.ids.payment, CustomerID: s.cust.ID, OrderID: s.h.order.ID, Amount: amount, Currency: s.cfg.cur.Code,
		Method:     []core.PaymentMethod{core.PayBank, core.PayBank, core.PayCard, core.PayCash}[s.rng.IntN(4)],
		ReceivedOn: dateIn(at, s.cfg.loc), Actor: s.mgr, CreatedAt: at}
	s.h.payments = append(s.h.payments, p)
	cause := fmt.Sprintf("payment %d: %s %s", p.ID, s.cfg.cur.Display(p.Amount), p.Method)
	s.rebill(at, s.mgr, cause, fmt.Sprintf("payment:%d", p.ID))
}

// rebill re-applies the order's payments like core's rebill. Payments are
// made for this order and never exceed its invoices, so allocating the
// order's documents alone gives what allocating the customer's would.
func (s *orderSim) rebill(at time.Time, a core.Actor, cause, ref string) {
	o := &s.h.order
	b := &core.Billing{Payments: s.h.payments,
		Orders: []core.OrderDue{{OrderID: o.ID, Open: o.ClosedAt == nil && o.CancelledAt == nil, Due: o.Due(), Paid: o.Paid}}}
	for _, inv := range s.h.invoices {
		if inv.voidAt == nil {
			b.Invoices = append(b.Invoices, inv.Invoice)
		}
	}
	as, paid := core.Allocate(b)
	s.h.allocs = as
	s.settle(at, as)
	if paid[o.ID] == o.Paid {
		return
	}
	o.Paid = paid[o.ID]
	detail := fmt.Sprintf("paid %s of %s", s.cfg.cur.Display(o.Paid), s.cfg.cur.Display(o.Due()))
	if cause != "" {
		detail = cause + "; " + detail
	}
	s.save(at, a, core.ActPay, detail, ref)
}

// settle notes when each invoice was first paid in full.
func (s *orderSim) settle(at time.Time, as []core.Allocation) {
	paid := map[int64]core.Money{}
	for _, a := range as {
		paid[a.InvoiceID] += a.Amount
	}
	for i := range s.h.invoices {
		inv := &s.h.invoices[i]
		if inv.settledAt == nil && inv.voidAt == nil && paid[inv.ID] >= inv.Amount {
			inv.settledAt = &at
		}
	}
}

// remind records the reminders the daily runs before today sent: each run
// (at opening time) records the level an open invoice newly reached.
func (s *orderSim) remind() {
	for _, inv := range s.h.invoices {
		gone := inv.settledAt
		if inv.voidAt != nil && (gone == nil || inv.voidAt.Before(*gone)) {
			gone = inv.voidAt
		}
		var last *int
		for {
			next, ok := s.cfg.policy.NextRemindOn(inv.DueOn, inv.IssuedOn, last)
			run := time.Date(next.Year(), next.Month(), next.Day(), 0, 0, 0, 0, s.cfg.loc).Add(s.cfg.opening)
			if !ok || !next.Before(s.cfg.today) || (gone != nil && !gone.After(run)) {
				break
			}
			lvl, _ := s.cfg.policy.Reached(inv.DueOn, next)
			s.h.reminders = append(s.h.reminders, core.ReminderRecord{InvoiceID: inv.ID, CustomerID: inv.CustomerID, Level: lvl,
				On: next, At: run})
			last = &lvl
		}
	}
}
