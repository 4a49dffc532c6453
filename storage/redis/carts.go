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

func (c carts) LiveHolds(ctx context.Context, ids []int64) (map[int64][]core.LiveHold, error) {
	return c.s.LiveHolds(ctx, ids)
}

func (c carts) Hold(ctx context.Context, holder string, productID, qty, available int64, placed []core.CartKey, ttl time.Duration) (bool, int64, error) {
	r, err := c.s.Hold(ctx, holder, productID, qty, available, placed, ttl)
	return r.OK, r.Free, err
}

func (c carts) CartGen(ctx context.Context, holder string) (string, error) {
	return c.s.CartGen(ctx, holder)
}

func (c carts) Release(ctx context.Context, holder string, ids []int64) error {
	return c.s.Release(ctx, holder, ids)
}

// CartLines reports a line as held only when its whole wanted quantity is.
func (c carts) CartLines(ctx context.Context, holder string) (string, []core.CartLine, error) {
	cart, err := c.s.Cart(ctx, holder)
	if err != nil {
		return "", nil, err
	}
	var out []core.CartLine
	for _, l := range cart.Lines {
		if l.Wanted <= 0 {
			continue
		}
		out = append(out, core.CartLine{ProductID: l.ProductID, Qty: l.Wanted, Held: l.Held >= l.Wanted, Until: l.Expires})
	}
	return cart.Gen, out, nil
}

func (c carts) SetCartLine(ctx context.Context, holder string, productID, qty int64) error {
	return c.s.SetCartLine(ctx, holder, productID, qty)
}

func (c carts) TouchHolds(ctx context.Context, holder string, ttl time.Duration) error {
	_, err := c.s.TouchHolds(ctx, holder, ttl)
	return err
}

func (c carts) ClearCart(ctx context.Context, holder string) error { return c.s.ClearCart(ctx, holder) }
