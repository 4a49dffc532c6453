package redis

import (
	"cmp"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"time"

	goredis "github.com/redis/go-redis/v9"

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
	// Gen is the cart's generation the hold is tagged with.
	Gen string
}

// Cart is a holder's cart: what the customer wants and what is held for it.
type Cart struct {
	Holder string
	// Gen is the cart's generation: "" for an empty cart; it changes when
	// the cart is cleared (after it was placed, or by the customer).
	Gen string
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
// it), tagged with the cart's generation. It succeeds only if qty fits in
// available (on hand minus reserved, read from Postgres by the caller with
// the stock row locked) minus the live holds of every other holder, leaving
// out the holds of the placed cart generations (Postgres counts those as
// reserved already). A refused Hold leaves the previous hold as it was.
// Expired holds of the product are purged on the way, all in one script on
// the server's clock.
func (s *Store) Hold(ctx context.Context, holder string, productID, qty, available int64, placed []core.CartKey, ttl time.Duration) (HoldResult, error) {
	ms, err := ttlArg("hold", ttl)
	if err != nil {
		return HoldResult{}, err
	}
	if err := checkLine(holder, productID, qty); err != nil {
		return HoldResult{}, err
	}
	exp, held := s.holdKeys(productID)
	holds, _, gen := s.cartKeys(holder)
	args := []any{holder, productID, qty, available, ms, newGen(), s.cartTTL.Milliseconds()}
	for _, k := range placed {
		args = append(args, k.Holder+"|"+k.Gen)
	}
	v, err := holdScript.Run(ctx, s.rdb, []string{exp, held, holds, gen}, args...).Slice()
	if err != nil {
		return HoldResult{}, fmt.Errorf("hold product %d for %s: %w", productID, holder, interpretError(err))
	}
	if len(v) != 4 {
		return HoldResult{}, fmt.Errorf("hold product %d for %s: script returned %d values", productID, holder, len(v))
	}
	ok, _ := v[0].(int64)
	free, _ := v[1].(int64)
	until, _ := v[2].(int64)
	g, _ := v[3].(string)
	return HoldResult{OK: ok == 1, Free: free, Expires: unixMilli(until), Gen: g}, nil
}

// LiveHolds lists, per product, the holds not expired by the server's clock,
// each with its cart generation; products nobody holds are left out. One
// script reads them all at one instant.
func (s *Store) LiveHolds(ctx context.Context, productIDs []int64) (map[int64][]core.LiveHold, error) {
	out := make(map[int64][]core.LiveHold)
	if len(productIDs) == 0 {
		return out, nil
	}
	keys := make([]string, 0, 2*len(productIDs))
	for _, id := range productIDs {
		exp, qty := s.holdKeys(id)
		keys = append(keys, exp, qty)
	}
	v, err := liveHoldsScript.Run(ctx, s.rdb, keys).Slice()
	if err != nil {
		return nil, fmt.Errorf("read holds: %w", interpretError(err))
	}
	i := 0
	for _, id := range productIDs {
		if i >= len(v) {
			return nil, fmt.Errorf("read holds: script returned %d values", len(v))
		}
		n, _ := v[i].(int64)
		i++
		for ; n > 0 && i+2 < len(v); n-- {
			holder, _ := v[i].(string)
			gen, _ := v[i+1].(string)
			qty, _ := v[i+2].(int64)
			i += 3
			if qty <= 0 {
				continue
			}
			out[id] = append(out[id], core.LiveHold{Cart: core.CartKey{Holder: holder, Gen: gen}, Qty: qty})
		}
	}
	return out, nil
}

// CartGen returns holder's cart generation, "" when the cart has none.
func (s *Store) CartGen(ctx context.Context, holder string) (string, error) {
	if holder == "" {
		return "", core.Errorf(core.ErrInvalid, "cart holder is empty")
	}
	_, _, gen := s.cartKeys(holder)
	g, err := s.rdb.Get(ctx, gen).Result()
	if errors.Is(err, goredis.Nil) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("read cart of %s: %w", holder, interpretError(err))
	}
	return g, nil
}

// SetCartLine records that holder wants qty of productID (0 removes the
// line) and renews the cart's TTL. It does not hold anything: callers call
// Hold as well, so a line can outlive its hold.
func (s *Store) SetCartLine(ctx context.Context, holder string, productID, qty int64) error {
	if err := checkLine(holder, productID, qty); err != nil {
		return err
	}
	_, lines, gen := s.cartKeys(holder)
	err := setLineScript.Run(ctx, s.rdb, []string{lines, gen}, productID, qty, s.cartTTL.Milliseconds()).Err()
	if err != nil {
		return fmt.Errorf("set cart line %d of %s: %w", productID, holder, interpretError(err))
	}
	return nil
}

// Cart returns holder's generation and lines with what is held for each,
// read at one instant. A missing cart is an empty one, not an error; a cart
// with lines and no generation is given one.
func (s *Store) Cart(ctx context.Context, holder string) (Cart, error) {
	if holder == "" {
		return Cart{}, core.Errorf(core.ErrInvalid, "cart holder is empty")
	}
	holds, lines, gen := s.cartKeys(holder)
	v, err := cartScript.Run(ctx, s.rdb, []string{holds, lines, gen}, s.prefix, holder, newGen(), s.cartTTL.Milliseconds()).Slice()
	if err != nil {
		return Cart{}, fmt.Errorf("read cart of %s: %w", holder, interpretError(err))
	}
	c := Cart{Holder: holder}
	if len(v) == 0 {
		return c, nil
	}
	c.Gen, _ = v[0].(string)
	n := func(x any) int64 { i, _ := x.(int64); return i }
	for i := 1; i+3 < len(v); i += 4 {
		c.Lines = append(c.Lines, CartLine{ProductID: n(v[i]), Wanted: n(v[i+1]), Held: n(v[i+2]), Expires: unixMilli(n(v[i+3]))})
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
	holds, lines, gen := s.cartKeys(holder)
	n, err := touchScript.Run(ctx, s.rdb, []string{holds, lines, gen}, s.prefix, holder, ms, s.cartTTL.Milliseconds()).Int()
	if err != nil {
		return 0, fmt.Errorf("renew holds of %s: %w", holder, interpretError(err))
	}
	return n, nil
}

// ClearCart drops holder's lines, holds and generation, after an order was
// placed (its holds became reservations) or when the customer clears the
// cart; the next cart is a new generation.
func (s *Store) ClearCart(ctx context.Context, holder string) error {
	if holder == "" {
		return core.Errorf(core.ErrInvalid, "cart holder is empty")
	}
	holds, lines, gen := s.cartKeys(holder)
	if err := clearScript.Run(ctx, s.rdb, []string{holds, lines, gen}, s.prefix, holder).Err(); err != nil {
		return fmt.Errorf("clear cart of %s: %w", holder, interpretError(err))
	}
	return nil
}

// Release drops holder's holds on the products and keeps the cart's lines,
// which then show as not held.
func (s *Store) Release(ctx context.Context, holder string, productIDs []int64) error {
	if holder == "" {
		return core.Errorf(core.ErrInvalid, "cart holder is empty")
	}
	if len(productIDs) == 0 {
		return nil
	}
	holds, _, _ := s.cartKeys(holder)
	args := []any{s.prefix, holder}
	for _, id := range productIDs {
		args = append(args, id)
	}
	if err := releaseScript.Run(ctx, s.rdb, []string{holds}, args...).Err(); err != nil {
		return fmt.Errorf("release holds of %s: %w", holder, interpretError(err))
	}
	return nil
}

// newGen is a new cart generation: random, so that one drawn after Redis
// lost everything never repeats one an order already records.
func newGen() string {
	b := make([]byte, 8)
	rand.Read(b) //nolint:errcheck
	return hex.EncodeToString(b)
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
