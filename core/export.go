package core

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// CreditPDFNotice is the payload of NoticeCreditPDF: the credit note an
// event made; the others made in the same change go with it.
type CreditPDFNotice struct {
	CreditID int64 `json:"credit_id"`
	OrderID  int64 `json:"order_id"`
}

// Exports are the tables the accountant takes away: orders, order lines,
// invoices (with credit notes), payments and debts, streamed row by row from
// one snapshot so that a history of millions of orders never sits in
// memory. Only staff may export.
type Exports struct {
	d     Deps
	store ExportStore
}

// ExportStore streams the rows of an export (storage/postgres). Each row's
// values follow the kind's columns (ExportColumns): string, int64 (whole
// numbers and tax rates), Money, bool, time.Time, or nil for an empty cell.
type ExportStore interface {
	CountExport(ctx context.Context, kind ExportKind, f ExportFilter) (int64, error)
	ExportRows(ctx context.Context, kind ExportKind, f ExportFilter, fn func(row []any) error) error
}

// NewExports returns the export service.
func NewExports(d Deps, store ExportStore) *Exports {
	d.fill()
	return &Exports{d: d, store: store}
}

// ExportKind names what an export lists.
type ExportKind string

// Export kinds.
const (
	ExportOrders   ExportKind = "orders"
	ExportLines    ExportKind = "lines"
	ExportInvoices ExportKind = "invoices"
	ExportPayments ExportKind = "payments"
	ExportDebts    ExportKind = "debts"
)

// ExportKinds lists every kind in the order they are offered.
var ExportKinds = []ExportKind{ExportOrders, ExportLines, ExportInvoices, ExportPayments, ExportDebts}

// ParseExportKind accepts a kind's name.
func ParseExportKind(s string) (ExportKind, error) {
	for _, k := range ExportKinds {
		if string(k) == strings.ToLower(strings.TrimSpace(s)) {
			return k, nil
		}
	}
	return "", Errorf(ErrInvalid, "unknown export %q: want orders, lines, invoices, payments or debts", s)
}

// ColType is how a column's values are written.
type ColType int

// Column types: text, whole numbers, money (a decimal number in the shop's
// currency), dates (ISO 2006-01-02), instants (ISO, in the business time
// zone), yes/no, and tax rates (int64 basis points in a row, written as a
// percent: 20, 7.5).
const (
	ColText ColType = iota
	ColInt
	ColMoney
	ColDate
	ColTime
	ColBool
	ColRate
)

// ExportColumn is one column of an export.
type ExportColumn struct {
	Name string
	Type ColType
}

// ExportFilter narrows an export to a period of business dates, both ends
// included (nil: open). Orders and lines go by the day the order was
// placed, invoices and credit notes by the day they were issued, payments
// by the day received. Debts are the balances now, aged as of To (default
// today).
type ExportFilter struct {
	From, To *time.Time
	// Location is the business time zone (orders are placed at instants).
	Location *time.Location
}

func cols(spec string) []ExportColumn {
	var out []ExportColumn
	types := map[string]ColType{"t": ColText, "i": ColInt, "m": ColMoney, "d": ColDate, "ts": ColTime, "b": ColBool, "r": ColRate}
	for _, f := range strings.Fields(spec) {
		name, typ, _ := strings.Cut(f, ":")
		out = append(out, ExportColumn{Name: name, Type: types[typ]})
	}
	return out
}

var exportColumns = map[ExportKind][]ExportColumn{
	ExportOrders: cols(`number:t created_at:ts customer_id:i customer:t phone:t status:t fulfilment:t payment:t
		total:m kept:m invoiced:m paid:m to_pay:m awaited_units:i expected_on:d currency:t confirmed_at:ts closed_at:ts
		cancelled_at:ts close_reason:t promised_on:d address:t comment:t`),
	// A line's amount is qty * price - discount, in the terms of the prices
	// (with tax when they include it); tax is the line's, rounded on the
	// line; total is its gross, as the documents state it.
	ExportLines: cols(`order_number:t order_date:d customer_id:i customer:t line_no:i sku:t name:t unit:t qty:i
		price:m discount:m amount:m tax_rate:r tax:m total:m shipped:i returned:i released:i awaited:i invoiced:i expected_on:d status:t`),
	ExportInvoices: cols(`type:t number:t issued_on:d due_on:d order_number:t customer_id:i customer:t basis:t
		amount:m credited:m paid:m open:m void:b void_reason:t credits_invoice:t reason:t currency:t`),
	ExportPayments: cols(`number:t received_on:d customer_id:i customer:t order_number:t amount:m method:t
		reference:t applied:m unapplied:m reversed:b reversal_reason:t currency:t recorded_by:t`),
	ExportDebts: cols(`customer_id:i customer:t phone:t invoiced:m paid:m debt:m not_due:m overdue_1_30:m
		overdue_31_60:m overdue_61_90:m overdue_over_90:m oldest_due:d credit_limit:m terms_days:i`),
}

// ExportColumns are the columns of an export kind, in order.
func ExportColumns(k ExportKind) []ExportColumn { return exportColumns[k] }

// Check validates a filter: dates only, From not after To.
func (f *ExportFilter) Check() error {
	if f.From != nil && f.To != nil && f.From.After(*f.To) {
		return Errorf(ErrInvalid, "--from %s is after --to %s", f.From.Format(time.DateOnly), f.To.Format(time.DateOnly))
	}
	return nil
}

// Count is how many rows the export will have (for progress).
func (e *Exports) Count(ctx context.Context, a Actor, k ExportKind, f ExportFilter) (int64, error) {
	if err := e.check(a, k, &f); err != nil {
		return 0, err
	}
	n, err := e.store.CountExport(ctx, k, f)
	if err != nil {
		return 0, fmt.Errorf("count %s: %w", k, err)
	}
	return n, nil
}

// Stream hands every row of the export to fn, in order, from one snapshot.
func (e *Exports) Stream(ctx context.Context, a Actor, k ExportKind, f ExportFilter, fn func(row []any) error) error {
	if err := e.check(a, k, &f); err != nil {
		return err
	}
	if err := e.store.ExportRows(ctx, k, f, fn); err != nil {
		return fmt.Errorf("export %s: %w", k, err)
	}
	return nil
}

func (e *Exports) check(a Actor, k ExportKind, f *ExportFilter) error {
	if err := a.requireStaff("export"); err != nil {
		return err
	}
	if _, ok := exportColumns[k]; !ok {
		return Errorf(ErrInvalid, "unknown export %q", k)
	}
	if f.Location == nil {
		f.Location = e.d.Location
	}
	if k == ExportDebts && f.To == nil {
		t := e.d.today()
		f.To = &t
	}
	return f.Check()
}

// Currency is the shop's currency, for writing money.
func (e *Exports) Currency() Currency { return e.d.Currency }

// Location is the business time zone, for writing instants.
func (e *Exports) Location() *time.Location { return e.d.Location }
