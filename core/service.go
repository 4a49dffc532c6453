package core

import (
	"context"
	"time"
)

// Holds reads the short-lived cart holds kept outside the system of record
// (storage/redis). Holds are advisory: Postgres reservations are the truth,
// so a failing Holds is treated as "no holds" rather than stopping sales.
type Holds interface {
	// HeldByOthers sums, per product, the active holds of every cart except
	// holder's ("" counts every cart).
	HeldByOthers(ctx context.Context, productIDs []int64, holder string) (map[int64]int64, error)
}

// NoHolds is the Holds of a process without carts (the command line).
type NoHolds struct{}

// HeldByOthers returns no holds.
func (NoHolds) HeldByOthers(context.Context, []int64, string) (map[int64]int64, error) {
	return nil, nil
}

// Deps is what the services share: the store, the holds, the shop's currency
// and business time zone, and an injectable clock.
type Deps struct {
	Store    Store
	Holds    Holds
	Currency Currency
	Location *time.Location
	Now      func() time.Time
}

func (d *Deps) fill() {
	if d.Holds == nil {
		d.Holds = NoHolds{}
	}
	if d.Location == nil {
		d.Location = time.UTC
	}
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.Currency.Code == "" {
		d.Currency = MustCurrency("USD")
	}
}

// now is the current instant in the business time zone.
func (d *Deps) now() time.Time { return d.Now().In(d.Location) }

// today is the current business date as midnight UTC (see dateOf).
func (d *Deps) today() time.Time { return dateOf(d.now()) }

// heldByOthers reads holds, treating an unavailable cache as no holds.
func (d *Deps) heldByOthers(ctx context.Context, ids []int64, holder string) map[int64]int64 {
	h, err := d.Holds.HeldByOthers(ctx, ids, holder)
	if err != nil || h == nil {
		return map[int64]int64{}
	}
	return h
}
