package postgres_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/orderbot/orderbot/core"
	"github.com/orderbot/orderbot/storage/postgres"
	"github.com/orderbot/orderbot/storage/postgres/pgtest"
)

// shop is a test fixture: a fresh database with the services on a fixed,
// movable clock.
type shop struct {
	t         testing.TB
	db        *postgres.DB
	orders    *core.Orders
	catalog   *core.Catalog
	customers *core.Customers
	clock     *clock
}

var manager = core.Actor{Role: core.RoleManager, UserID: 100, Name: "Mia Manager"}

type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }

func (c *clock) Advance(d time.Duration) { c.mu.Lock(); c.now = c.now.Add(d); c.mu.Unlock() }

func newShop(t testing.TB) *shop {
	t.Helper()
	db := pgtest.New(t)
	clk := &clock{now: time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC)}
	d := core.Deps{Store: db, Currency: core.MustCurrency("USD"), Now: clk.Now}
	return &shop{t: t, db: db, orders: core.NewOrders(d), catalog: core.NewCatalog(d), customers: core.NewCustomers(d), clock: clk}
}

func ctx() context.Context { return context.Background() }

// product adds a product with stock on hand and returns it.
func (s *shop) product(sku string, price core.Money, stock int64) core.Product {
	s.t.Helper()
	rows := []core.CatalogRow{{Line: 2, Product: core.Product{SKU: sku, Name: "Product " + sku, Price: price, Active: true}, Stock: stock}}
	if _, err := s.catalog.Import(ctx(), manager, rows, false); err != nil {
		s.t.Fatalf("import %s: %v", sku, err)
	}
	p, err := s.db.ProductBySKU(ctx(), sku)
	if err != nil {
		s.t.Fatal(err)
	}
	return *p
}

func (s *shop) customer(name string, terms int) *core.Customer {
	s.t.Helper()
	c, err := s.customers.Create(ctx(), manager, core.Customer{Name: name, TermsDays: terms, Phone: "+1 555 0100"})
	if err != nil {
		s.t.Fatalf("create customer: %v", err)
	}
	return c
}

func (s *shop) stock(productID int64) core.StockLevel {
	s.t.Helper()
	levels, err := s.catalog.Stock(ctx(), core.StockFilter{ProductIDs: []int64{productID}})
	if err != nil || len(levels) != 1 {
		s.t.Fatalf("stock of %d: %v %v", productID, levels, err)
	}
	return levels[0]
}

func (s *shop) place(c *core.Customer, confirmed bool, lines ...core.OrderLineInput) *core.Order {
	s.t.Helper()
	o, err := s.orders.Place(ctx(), manager, core.PlaceOrder{CustomerID: c.ID, Lines: lines, Address: "1 Main St", Confirmed: confirmed})
	if err != nil {
		s.t.Fatalf("place: %v", err)
	}
	return o
}

func line(p core.Product, qty int64) core.OrderLineInput {
	return core.OrderLineInput{ProductID: p.ID, Qty: qty}
}

func customerActor(c *core.Customer) core.Actor {
	return core.Actor{Role: core.RoleCustomer, CustomerID: c.ID, UserID: c.TelegramID, Name: c.Name}
}

func (s *shop) balance(c *core.Customer) core.Balance {
	s.t.Helper()
	bs, err := s.orders.Balances(ctx(), manager, c.ID)
	if err != nil || len(bs) != 1 {
		s.t.Fatalf("balance of %s: %v %v", c.Name, bs, err)
	}
	return bs[0]
}

func must[T any](t testing.TB) func(T, error) T {
	return func(v T, err error) T {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
}
