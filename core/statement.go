package core

import (
	"context"
	"fmt"
	"sort"
	"time"
)

// A statement of account lists every document between the shop and one
// customer in a period, each with what it added to the customer's debt
// (debit) or took off it (credit), and the debt before and after. Its
// closing balance on a day is the customer's debt (invoiced - paid) as of
// that day: invoices less their credit notes and voids, less payments not
// reversed.

// StatementKind is what a statement entry records.
type StatementKind string

// Statement entry kinds.
const (
	EntryInvoice  StatementKind = "invoice"  // debit: the invoice's amount
	EntryVoid     StatementKind = "void"     // credit: what the invoice was still worth
	EntryCredit   StatementKind = "credit"   // credit: a credit note
	EntryPayment  StatementKind = "payment"  // credit: money received
	EntryReversal StatementKind = "reversal" // debit: a payment taken back
)

// StatementEntry is one document of a customer's account.
type StatementEntry struct {
	Kind StatementKind
	// Date is the document's business date; the store leaves it zero for
	// voids and reversals, which are dated by At in the business zone.
	Date time.Time
	At   time.Time // when it was recorded
	ID   int64     // the invoice's, credit note's or payment's id
	// Number is the invoice's or credit note's number ("" for payments);
	// Ref the order of an invoice, the invoice of a credit note, a
	// payment's reference.
	Number, Ref   string
	Debit, Credit Money
}

// Statement is a customer's account over a period, both days included.
type Statement struct {
	Customer         Customer
	From, To         time.Time // dates
	Opening, Closing Money     // debt before From and after To; negative is a credit
	Debit, Credit    Money     // turnover in the period
	Entries          []StatementEntry
}

// MaxStatementDays bounds a statement's period.
const MaxStatementDays = 3700

// Statement returns a customer's account from one date to another (zero
// from: the first document; zero to: today). Staff may read anyone's; a
// customer only their own.
func (s *Orders) Statement(ctx context.Context, a Actor, customerID int64, from, to time.Time) (*Statement, error) {
	if !a.Role.IsStaff() && (a.CustomerID == 0 || a.CustomerID != customerID) {
		return nil, ErrNoSuchCustomer
	}
	cust, err := s.d.Store.Customer(ctx, customerID)
	if err != nil {
		return nil, fmt.Errorf("statement of customer %d: %w", customerID, hideFrom(a, err, ErrNoSuchCustomer))
	}
	entries, err := s.d.Store.StatementEntries(ctx, customerID)
	if err != nil {
		return nil, fmt.Errorf("statement of customer %d: %w", customerID, err)
	}
	for i := range entries {
		if entries[i].Date.IsZero() {
			entries[i].Date = dateOf(entries[i].At.In(s.d.Location))
		}
	}
	sort.SliceStable(entries, func(i, j int) bool {
		ei, ej := &entries[i], &entries[j]
		if !ei.Date.Equal(ej.Date) {
			return ei.Date.Before(ej.Date)
		}
		return ei.At.Before(ej.At)
	})
	if to.IsZero() {
		to = s.d.today()
	}
	if from.IsZero() {
		from = to
		if len(entries) > 0 && entries[0].Date.Before(to) {
			from = entries[0].Date
		}
	}
	from, to = dateOf(from), dateOf(to)
	if to.Before(from) {
		return nil, Errorf(ErrInvalid, "the period ends (%s) before it starts (%s)", to.Format(time.DateOnly), from.Format(time.DateOnly))
	}
	if to.Sub(from) > MaxStatementDays*24*time.Hour {
		return nil, Errorf(ErrInvalid, "a statement covers at most %d days", MaxStatementDays)
	}
	return statementOf(cust, entries, from, to), nil
}

// statementOf sums sorted entries into the statement of [from, to].
func statementOf(cust *Customer, entries []StatementEntry, from, to time.Time) *Statement {
	st := &Statement{Customer: *cust, From: from, To: to}
	for _, e := range entries {
		switch {
		case e.Date.Before(from):
			st.Opening += e.Debit - e.Credit
		case !e.Date.After(to):
			st.Debit += e.Debit
			st.Credit += e.Credit
			st.Entries = append(st.Entries, e)
		}
	}
	st.Closing = st.Opening + st.Debit - st.Credit
	return st
}
