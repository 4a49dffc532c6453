package postgres_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/orderbot/orderbot/core"
)

// BenchmarkFlashSale is the hot path of a flash sale: many buyers reserving
// one popular product at once. "core" places orders through core.Orders;
// "bare_sql" does the same writes as plain statements (order, line, event,
// conditional stock update), so the ratio shows what the core adds.
// Latency percentiles are reported per placement.
func BenchmarkFlashSale(b *testing.B) {
	for _, mode := range []string{"core", "bare_sql"} {
		b.Run(mode+"/32_buyers", func(b *testing.B) {
			s := newShop(b)
			p := s.product("HOT", 1999, 1_000_000_000)
			buyers := make([]*core.Customer, 32)
			for i := range buyers {
				buyers[i] = s.customer(fmt.Sprintf("Buyer %d", i), 0)
			}
			place := s.placeFunc(mode, p)
			var next atomic.Int64
			lat := newLatencies()
			b.SetParallelism(16) // 16 x GOMAXPROCS goroutines: 32 on two cores
			b.ReportAllocs()
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				buyer := buyers[next.Add(1)%int64(len(buyers))]
				for pb.Next() {
					start := time.Now()
					if err := place(buyer); err != nil {
						b.Error(err)
						return
					}
					lat.add(time.Since(start))
				}
			})
			b.StopTimer()
			lat.report(b)
		})
	}
	b.Run("core/2000_buyers_100_units", func(b *testing.B) {
		s := newShop(b)
		p := s.product("LIMITED", 4999, 0)
		buyers := make([]*core.Customer, 2000)
		for i := range buyers {
			buyers[i] = s.customer(fmt.Sprintf("Buyer %d", i), 0)
		}
		place := s.placeFunc("core", p)
		lat := newLatencies()
		b.ReportAllocs()
		b.ResetTimer()
		for range b.N {
			b.StopTimer()
			if _, err := s.catalog.Receive(ctx(), manager, p.ID, 100, "restock"); err != nil {
				b.Fatal(err)
			}
			b.StartTimer()
			var won atomic.Int64
			var wg sync.WaitGroup
			for _, buyer := range buyers {
				wg.Add(1)
				go func() {
					defer wg.Done()
					start := time.Now()
					err := place(buyer)
					lat.add(time.Since(start))
					switch {
					case err == nil:
						won.Add(1)
					case !errors.Is(err, core.ErrOutOfStock):
						b.Error(err)
					}
				}()
			}
			wg.Wait()
			if won.Load() != 100 {
				b.Fatalf("%d buyers got a unit of 100", won.Load())
			}
		}
		b.StopTimer()
		lat.report(b)
	})
}

// placeFunc returns how one buyer places an order of one unit of p.
func (s *shop) placeFunc(mode string, p core.Product) func(*core.Customer) error {
	if mode == "core" {
		return func(c *core.Customer) error {
			_, err := s.orders.Place(ctx(), core.Actor{Role: core.RoleCustomer, CustomerID: c.ID, Name: c.Name},
				core.PlaceOrder{CustomerID: c.ID, Lines: []core.OrderLineInput{{ProductID: p.ID, Qty: 1}}})
			return err
		}
	}
	return func(c *core.Customer) error {
		return pgx.BeginFunc(context.Background(), s.db.Pool(), func(tx pgx.Tx) error {
			var id int64
			err := tx.QueryRow(ctx(), `INSERT INTO orders (number, customer_id, status, fulfilment, payment, created_by_role,
				currency, total, due, created_at, updated_at)
				VALUES ('B-' || nextval('order_number_seq'), $1, 'new', 'not_shipped', 'unpaid', 'customer', 'USD', $2, $2, now(), now())
				RETURNING id`, c.ID, p.Price).Scan(&id)
			if err != nil {
				return err
			}
			if _, err := tx.Exec(ctx(), `INSERT INTO order_lines (order_id, line_no, product_id, sku, name, unit, qty, price)
				VALUES ($1, 1, $2, $3, $4, $5, 1, $6)`, id, p.ID, p.SKU, p.Name, p.Unit, p.Price); err != nil {
				return err
			}
			if _, err := tx.Exec(ctx(), `INSERT INTO order_events (order_id, at, actor_role, action, status_after)
				VALUES ($1, now(), 'customer', 'place', 'new')`, id); err != nil {
				return err
			}
			tag, err := tx.Exec(ctx(), `UPDATE stock SET reserved = reserved + 1 WHERE product_id = $1 AND on_hand - reserved >= 1`, p.ID)
			if err == nil && tag.RowsAffected() != 1 {
				err = core.ErrOutOfStock
			}
			return err
		})
	}
}

type latencies struct {
	mu sync.Mutex
	d  []time.Duration
}

func newLatencies() *latencies { return &latencies{} }

func (l *latencies) add(d time.Duration) { l.mu.Lock(); l.d = append(l.d, d); l.mu.Unlock() }

func (l *latencies) report(b *testing.B) {
	if len(l.d) == 0 {
		return
	}
	slices.Sort(l.d)
	pct := func(p float64) float64 { return float64(l.d[int(p*float64(len(l.d)-1))].Microseconds()) / 1000 }
	b.ReportMetric(pct(0.50), "p50_ms")
	b.ReportMetric(pct(0.99), "p99_ms")
	b.ReportMetric(float64(len(l.d))/b.Elapsed().Seconds(), "placements/s")
}
