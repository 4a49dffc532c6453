package core

import (
	"context"
	"fmt"
	"time"
)

// Reports are the read-outs scheduled work sends: orders late to ship and the
// owner's daily summary.

// OverdueShipment is a confirmed order past its promised date with goods
// still to ship.
type OverdueShipment struct {
	OrderID     int64     `json:"order_id"`
	Number      string    `json:"number"`
	Customer    string    `json:"customer"`
	PromisedOn  time.Time `json:"promised_on"` // date
	DaysLate    int       `json:"days_late"`
	Outstanding int64     `json:"outstanding"` // units still to ship
	Value       Money     `json:"value"`       // their value: line gross, after discount, with tax
}

// OverdueList is the payload of the staff's overdue shipments notice.
type OverdueList struct {
	Day    time.Time         `json:"day"`
	Orders []OverdueShipment `json:"orders"` // oldest promise first, at most a page
	Total  int               `json:"total"`  // how many there are in all
}

// Summary is the owner's picture of one business day and of where things
// stand. Amounts are in the shop's currency and agree with the documents:
// order amounts are order totals (after discounts, with tax and delivery),
// shipped, waiting and product values are line gross (after discount, with
// tax; delivery is not goods).
type Summary struct {
	Day             time.Time     `json:"day"` // the business date summarised
	NewOrders       int           `json:"new_orders"`
	NewAmount       Money         `json:"new_amount"`
	Confirmed       int           `json:"confirmed"`
	ConfirmedAmount Money         `json:"confirmed_amount"`
	Shipments       int           `json:"shipments"`
	ShippedValue    Money         `json:"shipped_value"`
	Payments        int           `json:"payments"`
	PaidAmount      Money         `json:"paid_amount"`
	Receivables     Money         `json:"receivables"` // owed, over every customer who owes
	Debtors         int           `json:"debtors"`
	Overdue         Money         `json:"overdue"`
	Ageing          [4]Money      `json:"ageing"` // overdue 1-30, 31-60, 61-90, over 90 days
	Waiting         int           `json:"waiting"`
	WaitingValue    Money         `json:"waiting_value"`
	Oldest          *WaitingOrder `json:"oldest,omitempty"`
	LowStock        []StockItem   `json:"low_stock"`
	LowStockCount   int           `json:"low_stock_count"`
	TopProducts     []TopProduct  `json:"top_products"`
	Days            []DayPoint    `json:"days"` // the last days up to Day, oldest first
	// Jobs is how each scheduled job's latest finished run went.
	Jobs []JobStatus `json:"jobs,omitempty"`
}

// JobStatus is a scheduled job's latest finished run, so staff see that the
// jobs run and when one failed.
type JobStatus struct {
	Job      string        `json:"job"`
	Period   string        `json:"period"` // the run's period, as the job runner names it
	Failed   bool          `json:"failed"`
	Error    string        `json:"error,omitempty"`
	Attempts int           `json:"attempts"`
	At       time.Time     `json:"at"`   // when the run finished
	Took     time.Duration `json:"took"` // how long it ran
}

// WaitingOrder is the order that has waited longest for shipment.
type WaitingOrder struct {
	OrderID  int64     `json:"order_id"`
	Number   string    `json:"number"`
	Customer string    `json:"customer"`
	Since    time.Time `json:"since"`
}

// StockItem is a product low on stock.
type StockItem struct {
	SKU  string `json:"sku"`
	Name string `json:"name"`
	Free int64  `json:"free"`
}

// TopProduct is a product by value ordered on the day.
type TopProduct struct {
	SKU    string `json:"sku"`
	Name   string `json:"name"`
	Qty    int64  `json:"qty"`
	Amount Money  `json:"amount"`
}

// DayPoint is one day of the chart: orders placed and payments received.
type DayPoint struct {
	Day     time.Time `json:"day"`
	Orders  int       `json:"orders"`
	Ordered Money     `json:"ordered"`
	Paid    Money     `json:"paid"`
}

// SummaryQuery is what the store needs to compute a Summary.
type SummaryQuery struct {
	Day      time.Time // business date, midnight UTC
	From, To time.Time // the day's instants in the business time zone
	Today    time.Time // ageing is counted as of this date
	TimeZone string    // IANA name, for grouping instants by business date
	LowStock int64     // free at or below this is low
	Days     int       // chart length
	Top      int       // how many top products and low-stock items
}

// ReportStore computes the reports (storage/postgres).
type ReportStore interface {
	OverdueShipments(ctx context.Context, today time.Time, limit int) ([]OverdueShipment, int, error)
	DaySummary(ctx context.Context, q SummaryQuery) (*Summary, error)
	// JobStatuses lists each job's latest finished run, by job name.
	JobStatuses(ctx context.Context) ([]JobStatus, error)
}

// Reports computes the read-outs of scheduled work.
type Reports struct {
	d        Deps
	store    ReportStore
	lowStock int64
}

// NewReports returns the reports; lowStock is the free quantity at or below
// which a product counts as low.
func NewReports(d Deps, store ReportStore, lowStock int64) *Reports {
	d.fill()
	return &Reports{d: d, store: store, lowStock: lowStock}
}

// Reports returns the reports over the orders' own store, when it can
// compute them (storage/postgres can); the bot's /summary uses it.
func (s *Orders) Reports(lowStock int64) (*Reports, error) {
	rs, ok := s.d.Store.(ReportStore)
	if !ok {
		return nil, Errorf(ErrUnavailable, "reports are not available")
	}
	return NewReports(s.d, rs, lowStock), nil
}

// Today is the current business date.
func (r *Reports) Today() time.Time { return r.d.today() }

// OverdueShipments lists up to limit confirmed orders past their promised
// date with goods still to ship, oldest promise first, and how many there are.
func (r *Reports) OverdueShipments(ctx context.Context, a Actor, limit int) (*OverdueList, error) {
	if err := a.requireStaff("see overdue shipments"); err != nil {
		return nil, err
	}
	today := r.d.today()
	list, total, err := r.store.OverdueShipments(ctx, today, limit)
	if err != nil {
		return nil, fmt.Errorf("overdue shipments: %w", err)
	}
	return &OverdueList{Day: today, Orders: list, Total: total}, nil
}

// Summary summarises a business day (midnight UTC of the date) for owners.
func (r *Reports) Summary(ctx context.Context, a Actor, day time.Time) (*Summary, error) {
	if err := a.requireOwner("see the summary"); err != nil {
		return nil, err
	}
	day = dateOf(day)
	loc := r.d.Location
	from := time.Date(day.Year(), day.Month(), day.Day(), 0, 0, 0, 0, loc)
	q := SummaryQuery{Day: day, From: from, To: from.AddDate(0, 0, 1), Today: r.d.today(), TimeZone: loc.String(),
		LowStock: r.lowStock, Days: 14, Top: 5}
	s, err := r.store.DaySummary(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("summary of %s: %w", day.Format(time.DateOnly), err)
	}
	if s.Jobs, err = r.store.JobStatuses(ctx); err != nil {
		return nil, fmt.Errorf("summary of %s: job runs: %w", day.Format(time.DateOnly), err)
	}
	return s, nil
}

// JobStatuses lists each scheduled job's latest finished run.
func (r *Reports) JobStatuses(ctx context.Context, a Actor) ([]JobStatus, error) {
	if err := a.requireStaff("see job runs"); err != nil {
		return nil, err
	}
	js, err := r.store.JobStatuses(ctx)
	if err != nil {
		return nil, fmt.Errorf("job runs: %w", err)
	}
	return js, nil
}
