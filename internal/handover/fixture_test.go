package handover

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/orderbot/orderbot/core"
	"github.com/orderbot/orderbot/storage/postgres"
	"github.com/orderbot/orderbot/storage/postgres/pgtest"
	redisstore "github.com/orderbot/orderbot/storage/redis"
	"github.com/orderbot/orderbot/storage/redis/redistest"
)

// shop is core on real Postgres and Redis, with hooks in the cart store.
type shop struct {
	t        testing.TB
	db       *postgres.DB
	dbURL    string
	cache    *redisstore.Store
	carts    *hookedCarts
	orders   *core.Orders
	catalog  *core.Catalog
	shopping *core.Shopping
	people   *core.Customers
	nextUser atomic.Int64
}

var manager = core.Actor{Role: core.RoleManager, UserID: 100, Name: "Mia Manager"}

func newShop(t testing.TB, holdTTL time.Duration) *shop {
	t.Helper()
	db, url := pgtest.NewWithURL(t)
	cache := redistest.New(t, "handover")
	carts := &hookedCarts{CartStore: cache.Carts()}
	d := core.Deps{Store: db, Holds: carts, Currency: core.MustCurrency("USD")}
	orders := core.NewOrders(d)
	s := &shop{t: t, db: db, dbURL: url, cache: cache, carts: carts, orders: orders, catalog: core.NewCatalog(d),
		shopping: core.NewShopping(d, carts, orders, holdTTL), people: core.NewCustomers(d)}
	s.nextUser.Store(5_000_000_000) // Telegram ids past 2^32
	return s
}

func ctx() context.Context { return context.Background() }

// product adds a product with stock on hand.
func (s *shop) product(sku string, stock int64) core.Product {
	s.t.Helper()
	rows := []core.CatalogRow{{Line: 2, Product: core.Product{SKU: sku, Name: "Product " + sku, Price: 150, Active: true}, Stock: stock}}
	if _, err := s.catalog.Import(ctx(), manager, rows, false); err != nil {
		s.t.Fatalf("import %s: %v", sku, err)
	}
	p, err := s.db.ProductBySKU(ctx(), sku)
	if err != nil {
		s.t.Fatal(err)
	}
	return *p
}

// buyer registers a customer as the bot does and returns them as an actor.
func (s *shop) buyer() core.Actor {
	s.t.Helper()
	id := s.nextUser.Add(1)
	c, _, err := s.people.Register(ctx(), core.TelegramProfile{UserID: id, FirstName: fmt.Sprintf("Buyer %d", id)})
	if err != nil {
		s.t.Fatalf("register buyer: %v", err)
	}
	return core.Actor{Role: core.RoleCustomer, UserID: id, CustomerID: c.ID, Name: c.Name}
}

// hold puts qty in the buyer's cart; it reports whether the hold was given.
func (s *shop) hold(a core.Actor, p core.Product, qty int64) bool {
	s.t.Helper()
	_, err := s.shopping.SetQty(ctx(), a, p.ID, qty)
	var short *core.ShortageError
	switch {
	case err == nil:
		return true
	case asShortage(err, &short):
		return false
	}
	s.t.Fatalf("hold %d of %s: %v", qty, p.SKU, err)
	return false
}

func (s *shop) mustHold(a core.Actor, p core.Product, qty int64) {
	s.t.Helper()
	if !s.hold(a, p, qty) {
		s.t.Fatalf("%s could not hold %d of %s (stock %+v)", a.Name, qty, p.SKU, s.stock(p))
	}
}

// placeUncleared holds qty of p and places the cart as an order the way a
// process that stopped right after the commit leaves it: the order placed,
// the cart not yet cleared.
func (s *shop) placeUncleared(a core.Actor, p core.Product, qty int64) core.CartKey {
	s.t.Helper()
	s.mustHold(a, p, qty)
	cart, err := s.shopping.View(ctx(), a)
	if err != nil {
		s.t.Fatal(err)
	}
	if _, err := s.orders.Place(ctx(), a, core.PlaceOrder{CustomerID: a.CustomerID, Cart: cart.Key, Address: "1 Main St",
		Lines: []core.OrderLineInput{{ProductID: p.ID, Qty: qty}}}); err != nil {
		s.t.Fatal(err)
	}
	return cart.Key
}

func (s *shop) checkout(a core.Actor) (*core.Placement, error) {
	return s.shopping.Checkout(ctx(), a, core.PlaceOrder{Address: "1 Main St", Phone: "+15550100"})
}

// stock is the exact read-out: rows share-locked, holds read with them.
func (s *shop) stock(p core.Product) core.StockLevel {
	s.t.Helper()
	ls, err := s.catalog.Stock(ctx(), core.StockFilter{ProductIDs: []int64{p.ID}, Exact: true})
	if err != nil || len(ls) != 1 {
		s.t.Fatalf("stock of %s: %v %v", p.SKU, ls, err)
	}
	return ls[0]
}

// hookedCarts is the real cart store with a hook before ClearCart: the gap
// between a placement's commit and the Redis write that forgets its holds,
// widened at will.
type hookedCarts struct {
	core.CartStore
	mu          sync.Mutex
	beforeClear func(holder string)
}

func (h *hookedCarts) ClearCart(ctx context.Context, holder string) error {
	h.mu.Lock()
	hook := h.beforeClear
	h.mu.Unlock()
	if hook != nil {
		hook(holder)
	}
	return h.CartStore.ClearCart(ctx, holder)
}

func (h *hookedCarts) setBeforeClear(fn func(holder string)) {
	h.mu.Lock()
	h.beforeClear = fn
	h.mu.Unlock()
}
