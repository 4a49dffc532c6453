package redis

import (
	"context"
	"time"

	"github.com/orderbot/orderbot/core"
)

// Carts adapts the store to core.CartStore, the seam through which the
// shopping use cases reach carts and holds.
func (s *Store) Carts() core.CartStore { return carts{s} }

type carts struct{ s *Store }

var _ core.CartStore = carts{}

func (c carts) HeldByOthers(ctx context.Context, ids []int64, holder string) (map[int64]int64, error) {
	return c.s.HeldByOthers(ctx, ids, holder)
}

func (c carts) Hold(ctx context.Context, holder string, productID, qty, available int64, ttl time.Duration) (bool, int64, error) {
	r, err := c.s.Hold(ctx, holder, productID, qty, available, ttl)
	return r.OK, r.Free, err
}

// CartLines reports a line as held only when its whole wanted quantity is.
func (c carts) CartLines(ctx context.Context, holder string) ([]core.CartLine, error) {
	cart, err := c.s.Cart(ctx, holder)
	if err != nil {
		return nil, err
	}
	var out []core.CartLine
	for _, l := range cart.Lines {
		if l.Wanted <= 0 {
			continue
		}
		out = append(out, core.CartLine{ProductID: l.ProductID, Qty: l.Wanted, Held: l.Held >= l.Wanted, Until: l.Expires})
	}
	return out, nil
}

func (c carts) SetCartLine(ctx context.Context, holder string, productID, qty int64) error {
	return c.s.SetCartLine(ctx, holder, productID, qty)
}

func (c carts) TouchHolds(ctx context.Context, holder string, ttl time.Duration) error {
	_, err := c.s.TouchHolds(ctx, holder, ttl)
	return err
}

func (c carts) ClearCart(ctx context.Context, holder string) error { return c.s.ClearCart(ctx, holder) }
