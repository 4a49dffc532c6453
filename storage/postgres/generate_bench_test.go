package postgres

import (
	"testing"
	"time"

	"github.com/orderbot/orderbot/core"
)

// BenchmarkGenerate_Build measures the generator's own work per order (the
// history and its COPY rows), without the database: it runs beside
// Postgres on the same cores, so what it spends Postgres cannot.
func BenchmarkGenerate_Build(b *testing.B) {
	opt := GenerateOptions{Orders: b.N, Customers: 5000, Seed: 1, Now: time.Date(2026, 3, 10, 7, 0, 0, 0, time.UTC)}
	if err := opt.fill(); err != nil {
		b.Fatal(err)
	}
	g := newGenerator(opt)
	for i := 1; i <= opt.Products; i++ {
		g.cfg.products = append(g.cfg.products, core.Product{ID: int64(i), SKU: "SKU", Name: "Product", Unit: "pcs", Price: 1000})
	}
	for i := 1; i <= opt.Customers; i++ {
		g.customers = append(g.customers, core.Customer{ID: int64(i), Name: "Customer", TermsDays: []int{0, 7, 14, 30}[i%4]})
	}
	g.balances = make([][2]core.Money, opt.Customers)
	g.shipped, g.reserved = make([]int64, opt.Products), make([]int64, opt.Products)
	t := newGenTables()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 1; i <= b.N; i++ {
		g.order(t, int64(i))
		if i%batchOrders == 0 {
			for _, c := range t.all() {
				c.reset()
			}
		}
	}
}
