package redis

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/orderbot/orderbot/core"
)

// HoldResult is the outcome of Hold.
type HoldResult struct {
	// OK is true when the hold now equals the asked quantity.
	OK bool
	// Free is the most the holder could hold on the product right now:
	// available minus the other holders' live holds, never negative.
	Free int64
	// Expires is when the hold lapses; zero when refused or released.
	Expires time.Time
}

// Cart is a holder's cart: what the customer wants and what is held for it.
type Cart struct {
	Holder string
	// Lines are ordered by product id.
	Lines []CartLine
}

// CartLine is one product of a cart. The wanted quantity outlives the hold,
// so a lapsed line can be shown and held again.
type CartLine struct {
	ProductID int64
	// Wanted is the quantity the customer asked for (0 for a hold placed
	// without a line).
	Wanted int64
	// Held is the quantity held now; 0 once the hold lapsed.
	Held int64
	// Expires is when the hold lapses; zero when nothing is held.
	Expires time.Time
}

// Lapsed reports whether the customer wants the product but nothing is held
// for it any more, so the cart should offer to hold it again.
func (l CartLine) Lapsed() bool { return l.Wanted > 0 && l.Held == 0 }

// Hold sets holder's hold on productID to exactly qty for ttl (qty 0 releases
// it). It succeeds only if qty fits in available (on hand minus reserved, read
// from Postgres by the caller) minus the live holds of every other holder;
// a refused Hold leaves the previous hold as it was. Expired holds of the
// product are purged on the way, all in one script on the server's clock.
func (s *Store) Hold(ctx context.Context, holder string, productID, qty, available int64, ttl time.Duration) (HoldResult, error) {
	ms, err := ttlArg("hold", ttl)
	if err != nil {
		return HoldResult{}, err
	}
	if err := checkLine(holder, productID, qty); err != nil {
		return HoldResult{}, err
	}
	exp, held := s.holdKeys(productID)
	holds, _ := s.cartKeys(holder)
	v, err := holdScript.Run(ctx, s.rdb, []string{exp, held, holds}, holder, productID, qty, available, ms).Int64Slice()
	if err != nil {
		return HoldResult{}, fmt.Errorf("hold product %d for %s: %w", productID, holder, interpretError(err))
	}
	return HoldResult{OK: v[0] == 1, Free: v[1], Expires: unixMilli(v[2])}, nil
}

// HeldByOthers sums, per product, the live holds of every holder except
// holder ("" counts all); products nobody else holds are left out. One script
// reads the whole page, comparing expiries with the server clock, so a hold
// stops counting at its expiry even before anything purges it.
func (s *Store) HeldByOthers(ctx context.Context, productIDs []int64, holder string) (map[int64]int64, error) {
	out := make(map[int64]int64)
	if len(productIDs) == 0 {
		return out, nil
	}
	keys := make([]string, 0, 2*len(productIDs))
	for _, id := range productIDs {
		exp, qty := s.holdKeys(id)
		keys = append(keys, exp, qty)
	}
	sums, err := heldByOthersScript.Run(ctx, s.rdb, keys, holder).Int64Slice()
	if err != nil {
		return nil, fmt.Errorf("read holds: %w", interpretError(err))
	}
	for i, id := range productIDs {
		if sums[i] > 0 {
			out[id] = sums[i]
		}
	}
	return out, nil
}

// SetCartLine records that holder wants qty of productID (0 removes the
// line) and renews the cart's TTL. It does not hold anything: callers call
// Hold as well, so a line can outlive its hold.
func (s *Store) SetCartLine(ctx context.Context, holder string, productID, qty int64) error {
	if err := checkLine(holder, productID, qty); err != nil {
		return err
	}
	_, lines := s.cartKeys(holder)
	err := setLineScript.Run(ctx, s.rdb, []string{lines}, productID, qty, s.cartTTL.Milliseconds()).Err()
	if err != nil {
		return fmt.Errorf("set cart line %d of %s: %w", productID, holder, interpretError(err))
	}
	return nil
}

// Cart returns holder's lines with what is held for each, read at one
// instant. A missing cart is an empty one, not an error.
func (s *Store) Cart(ctx context.Context, holder string) (Cart, error) {
	if holder == "" {
		return Cart{}, core.Errorf(core.ErrInvalid, "cart holder is empty")
	}
	holds, lines := s.cartKeys(holder)
	v, err := cartScript.Run(ctx, s.rdb, []string{holds, lines}, s.prefix, holder).Int64Slice()
	if err != nil {
		return Cart{}, fmt.Errorf("read cart of %s: %w", holder, interpretError(err))
	}
	c := Cart{Holder: holder}
	for i := 0; i+3 < len(v); i += 4 {
		c.Lines = append(c.Lines, CartLine{ProductID: v[i], Wanted: v[i+1], Held: v[i+2], Expires: unixMilli(v[i+3])})
	}
	slices.SortFunc(c.Lines, func(a, b CartLine) int { return cmp.Compare(a.ProductID, b.ProductID) })
	return c, nil
}

// TouchHolds renews every live hold of holder to last ttl from now (a longer
// expiry is kept) and renews the cart's TTL: activity keeps a cart alive.
// Renewing does not re-check stock, as the quantities do not grow. It
// returns how many holds were renewed; lapsed ones are dropped.
func (s *Store) TouchHolds(ctx context.Context, holder string, ttl time.Duration) (int, error) {
	ms, err := ttlArg("hold", ttl)
	if err != nil {
		return 0, err
	}
	if holder == "" {
		return 0, core.Errorf(core.ErrInvalid, "cart holder is empty")
	}
	holds, lines := s.cartKeys(holder)
	n, err := touchScript.Run(ctx, s.rdb, []string{holds, lines}, s.prefix, holder, ms, s.cartTTL.Milliseconds()).Int()
	if err != nil {
		return 0, fmt.Errorf("renew holds of %s: %w", holder, interpretError(err))
	}
	return n, nil
}

// ClearCart drops holder's lines and releases its holds, after an order was
// placed (its holds became reservations) or when the customer clears the cart.
func (s *Store) ClearCart(ctx context.Context, holder string) error {
	if holder == "" {
		return core.Errorf(core.ErrInvalid, "cart holder is empty")
	}
	holds, lines := s.cartKeys(holder)
	if err := clearScript.Run(ctx, s.rdb, []string{holds, lines}, s.prefix, holder).Err(); err != nil {
		return fmt.Errorf("clear cart of %s: %w", holder, interpretError(err))
	}
	return nil
}

// maxQty keeps quantities exact in Lua, whose numbers are doubles.
const maxQty = 1 << 50

// checkLine refuses what no cart can contain.
func checkLine(holder string, productID, qty int64) error {
	switch {
	case holder == "":
		return core.Errorf(core.ErrInvalid, "cart holder is empty")
	case productID <= 0:
		return core.Errorf(core.ErrInvalid, "unknown product %d", productID)
	case qty < 0 || qty > maxQty:
		return core.Errorf(core.ErrInvalid, "quantity must be between 0 and %d, got %d", maxQty, qty)
	}
	return nil
}

// unixMilli turns a script's millisecond time into a time, 0 being none.
func unixMilli(ms int64) time.Time {
	if ms == 0 {
		return time.Time{}
	}
	return time.UnixMilli(ms)
}
