package core

import (
	"context"
	"fmt"
	"time"
)

// Holds reads the short-lived cart holds kept outside the system of record
// (storage/redis). Holds are advisory: Postgres reservations are the truth,
// so a failing Holds is treated as "no holds" rather than stopping sales.
type Holds interface {
	// LiveHolds lists, per product, the holds that have not expired, each
	// with the cart generation it was taken for.
	LiveHolds(ctx context.Context, productIDs []int64) (map[int64][]LiveHold, error)
}

// NoHolds is the Holds of a process without carts.
type NoHolds struct{}

// LiveHolds returns no holds.
func (NoHolds) LiveHolds(context.Context, []int64) (map[int64][]LiveHold, error) { return nil, nil }

// PlacedReader tells which cart generations became orders. Both Store (for
// a glance) and Tx (for a count that must be exact) implement it.
type PlacedReader interface {
	// PlacedCarts returns the id of the order each given cart generation
	// was placed as; generations not placed are left out.
	PlacedCarts(ctx context.Context, keys []CartKey) (map[CartKey]int64, error)
}

// Deps is what the services share: the store, the holds, the shop's currency
// and business time zone, and an injectable clock.
type Deps struct {
	Store    Store
	Holds    Holds
	Currency Currency
	Location *time.Location
	Now      func() time.Time
	// Pricing is the shop's tax and delivery settings.
	Pricing Pricing
	// KeepStarsOnCancel keeps the Stars payments of a cancelled order as
	// the customer's credit instead of refunding them in Stars.
	KeepStarsOnCancel bool
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

// heldByOthers counts, per product, the units held by live carts other than
// own that have not become orders, and returns the generations it left out
// because they did. own is the cart being placed: its holds are the buyer's
// to take. Any other generation counts, the same holder's stale ones
// included (they lapse with their TTL). Inside a transaction that locked the
// products' stock rows (Tx.LockStock) the count is exact: every hold that
// grows and every reservation takes those locks first, and a placed
// generation is visible exactly when its reservation is (see the package
// comment). An unavailable cache counts as no holds.
func (d *Deps) heldByOthers(ctx context.Context, r PlacedReader, ids []int64, own CartKey) (map[int64]int64, []CartKey, error) {
	held := map[int64]int64{}
	holds, err := d.Holds.LiveHolds(ctx, ids)
	if err != nil || len(holds) == 0 {
		return held, nil, nil
	}
	var keys []CartKey
	seen := map[CartKey]bool{}
	for _, hs := range holds {
		for _, h := range hs {
			if h.Cart != own && !seen[h.Cart] {
				seen[h.Cart] = true
				keys = append(keys, h.Cart)
			}
		}
	}
	if len(keys) == 0 {
		return held, nil, nil
	}
	placed, err := r.PlacedCarts(ctx, keys)
	if err != nil {
		return nil, nil, fmt.Errorf("placed carts: %w", err)
	}
	var out []CartKey
	for k := range placed {
		out = append(out, k)
	}
	for id, hs := range holds {
		for _, h := range hs {
			if _, done := placed[h.Cart]; h.Cart != own && !done {
				held[id] += h.Qty
			}
		}
	}
	return held, out, nil
}
