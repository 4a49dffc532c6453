package postgres

import (
	"context"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// bigDB is a database for the measurements: ORDERBOT_BIG_URL names one to
// keep between runs (created if missing), else a throwaway test database.
func bigDB(t *testing.T) *DB {
	t.Helper()
	ctx := context.Background()
	if url := os.Getenv("ORDERBOT_BIG_URL"); url != "" {
		db, err := Open(ctx, url)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(db.Close)
		return db
	}
	name := "orderbot_big_" + time.Now().Format("150405")
	admin, err := pgx.Connect(ctx, "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable")
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close(ctx)
	db, err := Open(ctx, "postgres://postgres@127.0.0.1:5432/"+name+"?sslmode=disable")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		db.Close()
		c, err := pgx.Connect(context.Background(), "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable")
		if err == nil {
			c.Exec(context.Background(), "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)") //nolint:errcheck
			c.Close(context.Background())
		}
	})
	return db
}

// generate fills the shop with set-based SQL: products with stock, customers
// (most on Telegram, on 0/7/14/30-day terms), orders over the last year in a
// realistic mix of states with 1-3 lines, shipments, invoices for what
// shipped, payments for most invoices (allocated), and a few voids. Order
// events are not generated: the jobs do not read them.
func generate(t *testing.T, db *DB, orders, customers int, today time.Time) {
	t.Helper()
	steps := []string{
		`INSERT INTO products (sku, name, price) SELECT 'SKU-' || g, 'Product ' || g, 100 + (g * 137) % 20000 FROM generate_series(1, 300) g`,
		`INSERT INTO stock (product_id, on_hand, reserved) SELECT id, 1000000, 0 FROM products`,
		`UPDATE stock SET on_hand = (product_id % 7) WHERE product_id % 25 = 0`,
		`INSERT INTO customers (telegram_id, name, phone, terms_days)
		 SELECT CASE WHEN g % 5 <> 0 THEN 100000 + g END, 'Customer ' || g, '+1 555 ' || g, (ARRAY[0, 7, 14, 30])[1 + g % 4]
		 FROM generate_series(1, $2) g`,
		// state: 0-3 new, 4-6 cancelled, 7-16 confirmed waiting, 17-18 partly shipped, rest shipped
		`CREATE TEMP TABLE gen AS
		 SELECT g AS n, 1 + (g * 7919) % $2 AS customer_id, (g * 37) % 100 AS st,
		        $3::timestamptz - ((g * 104729) % (365 * 24 * 60)) * interval '1 minute' AS at
		 FROM generate_series(1::bigint, $1) g`,
		`INSERT INTO orders (number, customer_id, status, fulfilment, payment, created_by_role, promised_on, currency,
		   total, due, invoiced, confirmed_at, cancelled_at, created_at, updated_at)
		 SELECT 'G-' || n, customer_id,
		   CASE WHEN st < 4 THEN 'new' WHEN st < 7 THEN 'cancelled' WHEN st < 19 THEN 'in_progress' ELSE 'shipped' END,
		   CASE WHEN st < 17 THEN 'not_shipped' WHEN st < 19 THEN 'partly_shipped' ELSE 'shipped' END,
		   'unpaid', 'customer', CASE WHEN st BETWEEN 7 AND 18 THEN (at + interval '3 days')::date END, 'USD',
		   0, 0, 0, CASE WHEN st >= 7 THEN at + interval '1 hour' END, CASE WHEN st BETWEEN 4 AND 6 THEN at + interval '2 hours' END,
		   at, at
		 FROM gen ORDER BY n`,
		`INSERT INTO order_lines (order_id, line_no, product_id, sku, name, unit, qty, price, shipped)
		 SELECT o.id, l, p.id, p.sku, p.name, 'pcs', 1 + (o.id + l) % 5, p.price,
		   CASE WHEN o.fulfilment = 'shipped' THEN 1 + (o.id + l) % 5 WHEN o.fulfilment = 'partly_shipped' AND l = 1 THEN 1 ELSE 0 END
		 FROM orders o CROSS JOIN generate_series(1, 1 + o.id % 3) l
		 JOIN products p ON p.id = 1 + (o.id * 13 + l * 101) % 300`,
		`UPDATE orders o SET total = x.t, due = x.t FROM (SELECT order_id, sum(qty * price) t FROM order_lines GROUP BY order_id) x WHERE x.order_id = o.id`,
		`INSERT INTO shipments (order_id, actor_role, at) SELECT id, 'manager', created_at + interval '1 day' FROM orders WHERE fulfilment <> 'not_shipped'`,
		`INSERT INTO shipment_lines (shipment_id, product_id, sku, name, unit, qty, price)
		 SELECT s.id, l.product_id, l.sku, l.name, l.unit, l.shipped, l.price FROM shipments s JOIN order_lines l ON l.order_id = s.order_id WHERE l.shipped > 0`,
		`INSERT INTO invoices (number, order_id, customer_id, basis, issued_on, due_on, amount, currency, actor_role, created_at)
		 SELECT 'GI-' || o.id, o.id, o.customer_id, 'shipped', (o.created_at + interval '1 day')::date,
		   (o.created_at + interval '1 day')::date + c.terms_days, x.amt, 'USD', 'manager', o.created_at + interval '1 day'
		 FROM orders o JOIN customers c ON c.id = o.customer_id
		 JOIN (SELECT order_id, sum(shipped * price) amt FROM order_lines GROUP BY order_id) x ON x.order_id = o.id
		 WHERE o.fulfilment <> 'not_shipped'`,
		`INSERT INTO invoice_lines (invoice_id, product_id, sku, name, unit, qty, price)
		 SELECT i.id, l.product_id, l.sku, l.name, l.unit, l.shipped, l.price FROM invoices i JOIN order_lines l ON l.order_id = i.order_id WHERE l.shipped > 0`,
		`UPDATE order_lines SET invoiced = shipped WHERE shipped > 0`,
		`UPDATE orders o SET invoiced = i.amount FROM invoices i WHERE i.order_id = o.id`,
		// most invoices are paid in full a few days after issue; recent ones less often
		`INSERT INTO payments (customer_id, order_id, amount, currency, method, received_on, actor_role, created_at)
		 SELECT i.customer_id, i.order_id, i.amount, 'USD', 'bank', least(i.due_on + (i.id % 9)::int - 4, $3::date - 1), 'manager', i.created_at
		 FROM invoices i WHERE i.id % 10 < CASE WHEN i.issued_on > $3::date - 30 THEN 5 ELSE 9 END`,
		`INSERT INTO allocations (customer_id, payment_id, invoice_id, order_id, amount)
		 SELECT p.customer_id, p.id, i.id, i.order_id, p.amount FROM payments p JOIN invoices i ON i.order_id = p.order_id`,
		`UPDATE orders o SET paid = p.amount, payment = 'paid',
		   status = CASE WHEN o.fulfilment = 'shipped' THEN 'closed' ELSE 'paid' END,
		   closed_at = CASE WHEN o.fulfilment = 'shipped' THEN p.created_at END,
		   close_reason = CASE WHEN o.fulfilment = 'shipped' THEN 'shipped and paid' ELSE '' END
		 FROM payments p WHERE p.order_id = o.id AND p.amount >= o.due`,
		`INSERT INTO invoice_voids (invoice_id, reason, actor_role, at)
		 SELECT i.id, 'mistake', 'manager', i.created_at FROM invoices i
		 WHERE i.id % 97 = 0 AND NOT EXISTS (SELECT 1 FROM allocations a WHERE a.invoice_id = i.id)`,
		`ANALYZE`,
	}
	ctx := context.Background()
	// the generator's own numbers, not input: written into the statements so
	// that each may use any of them
	r := strings.NewReplacer("$1", strconv.Itoa(orders), "$2", strconv.Itoa(customers),
		"$3", "'"+today.Format("2006-01-02")+" 00:00:00+00'")
	for _, sql := range steps {
		sql = r.Replace(sql)
		if _, err := db.pool.Exec(ctx, sql); err != nil {
			t.Fatalf("generate: %v\n%s", err, sql)
		}
	}
}
