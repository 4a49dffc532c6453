package core

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Payment reminders: before an invoice falls due, on the day, and at
// escalating steps after it, each customer gets one message listing their
// invoices with the PDFs, and staff learn whom the reminders went to. Each
// (invoice, level) is recorded in the transaction that enqueues the message,
// so no restart or second replica sends it twice.

// ReminderPolicy says when invoices are chased, in days from the due date.
type ReminderPolicy struct {
	Before int   // days before the due date (0: no early reminder)
	After  []int // days after it, each a level of its own
}

// DefaultReminderPolicy is one day before, on the day, and 3, 7 and 14 days after.
var DefaultReminderPolicy = ReminderPolicy{Before: 1, After: []int{3, 7, 14}}

// Validate checks the policy has sensible steps.
func (p ReminderPolicy) Validate() error {
	if p.Before < 0 || p.Before > 30 {
		return Errorf(ErrInvalid, "remind %d days before the due date: want 0 to 30", p.Before)
	}
	for i, d := range p.After {
		if d <= 0 || d > 365 || (i > 0 && d <= p.After[i-1]) {
			return Errorf(ErrInvalid, "reminder steps after the due date %v: want increasing days from 1 to 365", p.After)
		}
	}
	return nil
}

// Levels are the steps as signed day offsets, ascending.
func (p ReminderPolicy) Levels() []int {
	var ls []int
	if p.Before > 0 {
		ls = append(ls, -p.Before)
	}
	return append(append(ls, 0), p.After...)
}

// level is the step an invoice reaches on a day d days past its due date
// (negative: before it), and whether there is one.
func (p ReminderPolicy) level(d int) (int, bool) {
	cur, ok := 0, false
	for _, l := range p.Levels() {
		if l <= d {
			cur, ok = l, true
		}
	}
	return cur, ok
}

// NextRemindOn is the first day on which an invoice due on due and issued
// on issued reaches a level above last (nil: none recorded): the day of the
// next level, never the issue day (plan does not chase an invoice on the
// day it was issued). ok is false when every level was recorded. The store
// keeps this date for each open invoice (SQL next_remind_on, migration 010).
func (p ReminderPolicy) NextRemindOn(due, issued time.Time, last *int) (time.Time, bool) {
	for _, l := range p.Levels() {
		if last == nil || l > *last {
			d := dateOf(due).AddDate(0, 0, l)
			if first := dateOf(issued).AddDate(0, 0, 1); d.Before(first) {
				d = first
			}
			return d, true
		}
	}
	return time.Time{}, false
}

// Reached is the level an invoice due on due has reached on day (the one a
// reminder sent that day carries), and whether it reached any.
func (p ReminderPolicy) Reached(due, day time.Time) (int, bool) {
	return p.level(int(dateOf(day).Sub(dateOf(due)).Hours() / 24))
}

// ReminderInvoice is an open invoice that may need a reminder.
type ReminderInvoice struct {
	InvoiceID   int64
	Number      string
	OrderNumber string
	CustomerID  int64
	Customer    string
	Telegram    int64
	IssuedOn    time.Time
	DueOn       time.Time
	Open        Money
	LastLevel   *int // highest level already sent
}

// ReminderRecord says a level of an invoice was sent.
type ReminderRecord struct {
	InvoiceID  int64
	CustomerID int64
	Level      int
	On         time.Time // business date
	At         time.Time
	// Next is the invoice's next reminder date after this level under the
	// policy (NextRemindOn), nil when this was the last level.
	Next *time.Time
}

// ReminderStore reads candidates and records reminders (storage/postgres).
// The store keeps each open invoice's next reminder date under the levels
// in force, so that finding what is due costs what is due, not history.
type ReminderStore interface {
	// UseReminderLevels makes levels (ReminderPolicy.Levels) the policy the
	// store keeps next reminder dates by, recomputing them if it changed.
	UseReminderLevels(ctx context.Context, levels []int) error
	// ReminderCandidates calls fn, one customer at a time in customer order,
	// with every open invoice due on or before dueBy (by due date) of each
	// customer who has an invoice reaching a new level under levels on or
	// before today. It streams: fn may save while candidates are read.
	ReminderCandidates(ctx context.Context, today, dueBy time.Time, levels []int, fn func([]ReminderInvoice) error) error
	// SaveReminders records each customer's levels and enqueues their
	// notices, all in one transaction. A customer any of whose levels was
	// recorded already (another run got there first) is left out whole. It
	// returns the ids of the customers saved.
	SaveReminders(ctx context.Context, batch []CustomerReminder) ([]int64, error)
	// Enqueue adds notices, skipping keys that exist.
	Enqueue(ctx context.Context, ns []Notice) (int, error)
}

// CustomerReminder is what one customer's reminder records and sends.
type CustomerReminder struct {
	Customer RemindedCustomer
	Records  []ReminderRecord
	Notices  []Notice
}

// reminderBatch bounds the customers saved in one transaction: few round
// trips, and memory that does not grow with the number reminded.
const reminderBatch = 100

// Reminder is the payload of a customer's reminder.
type Reminder struct {
	CustomerID int64          `json:"customer_id"`
	Customer   string         `json:"customer"`
	Day        time.Time      `json:"day"`
	Level      int            `json:"level"` // the highest level reached: its tone
	Invoices   []ReminderLine `json:"invoices"`
}

// ReminderLine is one invoice in a reminder.
type ReminderLine struct {
	InvoiceID   int64     `json:"invoice_id"`
	Number      string    `json:"number"`
	OrderNumber string    `json:"order"`
	DueOn       time.Time `json:"due_on"`
	Open        Money     `json:"open"`
	DaysPastDue int       `json:"days_past_due"` // negative: days left
}

// InvoicePDFNotice is the payload of an invoice sent as a PDF.
type InvoicePDFNotice struct {
	InvoiceID int64  `json:"invoice_id"`
	Number    string `json:"number"`
	// Issued marks the copy sent when the invoice was issued: it goes out
	// even if credit already paid it (a reminder's copy does not).
	Issued bool `json:"issued,omitempty"`
}

// ReceiptNotice is the payload of a payment or shipment receipt sent as a
// PDF: one of PaymentID and ShipmentID is set.
type ReceiptNotice struct {
	PaymentID  int64 `json:"payment_id,omitempty"`
	ShipmentID int64 `json:"shipment_id,omitempty"`
	OrderID    int64 `json:"order_id"`
}

// RemindedList is the payload of the staff's list of whom was reminded.
type RemindedList struct {
	Day       time.Time          `json:"day"`
	Customers []RemindedCustomer `json:"customers"`
}

// RemindedCustomer is one customer reminded (or, off Telegram, to call).
type RemindedCustomer struct {
	CustomerID int64  `json:"customer_id"`
	Name       string `json:"name"`
	OnTelegram bool   `json:"on_telegram"`
	Invoices   int    `json:"invoices"`
	Open       Money  `json:"open"`
	Level      int    `json:"level"`
}

// MaxReminderPDFs bounds the documents attached to one reminder.
const MaxReminderPDFs = 10

// Reminders sends payment reminders.
type Reminders struct {
	d      Deps
	store  ReminderStore
	staff  *Staff
	policy ReminderPolicy
}

// NewReminders returns the reminder service.
func NewReminders(d Deps, store ReminderStore, staff *Staff, p ReminderPolicy) (*Reminders, error) {
	d.fill()
	if err := p.Validate(); err != nil {
		return nil, err
	}
	return &Reminders{d: d, store: store, staff: staff, policy: p}, nil
}

// Send records and enqueues every reminder due today; customers' messages
// are delivered only within hours (today's opening and closing instants; a
// message still undelivered at closing waits for the next day's). period
// names the run for the staff's list. Customers are planned as the
// candidates stream in and saved in batches by two savers meanwhile, so
// memory stays bounded and the database works while candidates are read.
// It returns whom it reminded.
func (r *Reminders) Send(ctx context.Context, hours [2]time.Time, period string) (*RemindedList, error) {
	today := r.d.today()
	levels := r.policy.Levels()
	if err := r.store.UseReminderLevels(ctx, levels); err != nil {
		return nil, fmt.Errorf("reminders: %w", err)
	}
	list := &RemindedList{Day: today}
	sv := newSavers(ctx, r.store, reminderSavers)
	var batch []CustomerReminder
	err := r.store.ReminderCandidates(sv.ctx, today, today.AddDate(0, 0, r.policy.Before), levels, func(group []ReminderInvoice) error {
		rc, recs, ns, err := r.plan(group, today, hours)
		if err != nil || len(recs) == 0 {
			return err
		}
		batch = append(batch, CustomerReminder{Customer: *rc, Records: recs, Notices: ns})
		if len(batch) < reminderBatch {
			return nil
		}
		err = sv.save(batch)
		batch = nil
		return err
	})
	if err == nil && len(batch) > 0 {
		err = sv.save(batch)
	}
	saved, serr := sv.wait()
	if err == nil {
		err = serr
	}
	if err != nil {
		return nil, fmt.Errorf("reminders: %w", err)
	}
	list.Customers = saved
	slices.SortFunc(list.Customers, func(a, b RemindedCustomer) int { return cmp.Compare(a.CustomerID, b.CustomerID) })
	if len(list.Customers) > 0 {
		if err := r.tellStaff(ctx, list, period); err != nil {
			return nil, err
		}
	}
	return list, nil
}

// plan decides one customer's reminder: which invoices reached a new level
// (recorded), and what the message lists (those plus everything overdue).
func (r *Reminders) plan(invs []ReminderInvoice, today time.Time, hours [2]time.Time) (*RemindedCustomer, []ReminderRecord, []Notice, error) {
	now := r.d.now()
	c := invs[0]
	rc := &RemindedCustomer{CustomerID: c.CustomerID, Name: c.Customer, OnTelegram: c.Telegram != 0, Level: -1 << 30}
	rem := Reminder{CustomerID: c.CustomerID, Customer: c.Customer, Day: today}
	var recs []ReminderRecord
	var trig []string
	for _, inv := range invs {
		d := int(today.Sub(dateOf(inv.DueOn)).Hours() / 24)
		lvl, due := r.policy.level(d)
		fresh := due && (inv.LastLevel == nil || *inv.LastLevel < lvl) && !(lvl <= 0 && dateOf(inv.IssuedOn).Equal(today))
		if fresh {
			rec := ReminderRecord{InvoiceID: inv.InvoiceID, CustomerID: c.CustomerID, Level: lvl, On: today, At: now}
			if next, ok := r.policy.NextRemindOn(inv.DueOn, inv.IssuedOn, &lvl); ok {
				rec.Next = &next
			}
			recs = append(recs, rec)
			trig = append(trig, fmt.Sprintf("%d.%d", inv.InvoiceID, lvl))
			rc.Level = max(rc.Level, lvl)
		}
		if fresh || d > 0 {
			rem.Invoices = append(rem.Invoices, ReminderLine{InvoiceID: inv.InvoiceID, Number: inv.Number,
				OrderNumber: inv.OrderNumber, DueOn: dateOf(inv.DueOn), Open: inv.Open, DaysPastDue: d})
			rc.Invoices++
			rc.Open += inv.Open
		}
	}
	if len(recs) == 0 || c.Telegram == 0 {
		return rc, recs, nil, nil
	}
	rem.Level = rc.Level
	ns, err := reminderNotices(c.Telegram, rem, trig, now, hours)
	return rc, recs, ns, err
}

// reminderNotices is the message and its PDFs, keyed by what triggered them.
func reminderNotices(chat int64, rem Reminder, trig []string, now time.Time, hours [2]time.Time) ([]Notice, error) {
	slices.Sort(trig)
	h := sha256.Sum256([]byte(strings.Join(trig, ",")))
	key := fmt.Sprintf("remind:%d:%s", rem.CustomerID, hex.EncodeToString(h[:10]))
	var ns []Notice
	n, err := NewNotice(key, chat, NoticeReminder, rem, now)
	if err != nil {
		return nil, err
	}
	ns = append(ns, n)
	for i, l := range rem.Invoices {
		if i == MaxReminderPDFs {
			break
		}
		n, err := NewNotice(fmt.Sprintf("%s:pdf:%d", key, l.InvoiceID), chat, NoticeInvoicePDF,
			InvoicePDFNotice{InvoiceID: l.InvoiceID, Number: l.Number}, now)
		if err != nil {
			return nil, err
		}
		ns = append(ns, n)
	}
	for i := range ns {
		ns[i].Lane, ns[i].NotBefore, ns[i].NotAfter = LaneHours, hours[0], &hours[1]
	}
	return ns, nil
}

func (r *Reminders) tellStaff(ctx context.Context, list *RemindedList, period string) error {
	chats, err := r.staff.Recipients(ctx)
	if err != nil {
		return fmt.Errorf("reminders: %w", err)
	}
	var ns []Notice
	for _, chat := range uniqueIDs(chats) {
		n, err := NewNotice(fmt.Sprintf("reminded:%s:%d", period, chat), chat, NoticeReminded, list, r.d.now())
		if err != nil {
			return err
		}
		ns = append(ns, n)
	}
	if _, err := r.store.Enqueue(ctx, ns); err != nil {
		return fmt.Errorf("reminders: tell staff: %w", err)
	}
	return nil
}
