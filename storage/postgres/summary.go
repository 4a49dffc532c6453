package postgres

import (
	"context"
	"errors"

	"github.com/jackc/pgx/v5"

	"github.com/orderbot/orderbot/core"
)

// The owner's daily summary: a handful of aggregate queries, each served by
// an index on the day's range (orders_created, orders_confirmed,
// shipments_at, payments_received) or by a partial index (orders_awaiting).
// Receivables are computed over every open invoice, like the debts read-out.

// DaySummary computes the summary of q.Day.
func (db *DB) DaySummary(ctx context.Context, q core.SummaryQuery) (*core.Summary, error) {
	s := &core.Summary{Day: q.Day}
	steps := []func(context.Context, core.SummaryQuery, *core.Summary) error{
		db.summaryFlows, db.summaryReceivables, db.summaryWaiting, db.summaryStock, db.summaryTop, db.summaryDays,
	}
	for _, step := range steps {
		if err := step(ctx, q, s); err != nil {
			return nil, interpretError(err)
		}
	}
	return s, nil
}

// summaryFlows counts the day's new, confirmed, shipped and paid.
func (db *DB) summaryFlows(ctx context.Context, q core.SummaryQuery, s *core.Summary) error {
	return db.pool.QueryRow(ctx, `SELECT
		(SELECT count(*) FROM orders WHERE created_at >= $1 AND created_at < $2),
		(SELECT coalesce(sum(total), 0) FROM orders WHERE created_at >= $1 AND created_at < $2),
		(SELECT count(*) FROM orders WHERE confirmed_at >= $1 AND confirmed_at < $2),
		(SELECT coalesce(sum(total), 0) FROM orders WHERE confirmed_at >= $1 AND confirmed_at < $2),
		(SELECT count(*) FROM shipments WHERE at >= $1 AND at < $2),
		(SELECT coalesce(sum(l.qty * l.price), 0) FROM shipments sh JOIN shipment_lines l ON l.shipment_id = sh.id
		 WHERE sh.at >= $1 AND sh.at < $2),
		(SELECT count(*) FROM payments p WHERE p.received_on = $3::date
		 AND NOT EXISTS (SELECT 1 FROM payment_reversals r WHERE r.payment_id = p.id)),
		(SELECT coalesce(sum(p.amount), 0) FROM payments p WHERE p.received_on = $3::date
		 AND NOT EXISTS (SELECT 1 FROM payment_reversals r WHERE r.payment_id = p.id))`,
		q.From, q.To, q.Day).Scan(&s.NewOrders, &s.NewAmount, &s.Confirmed, &s.ConfirmedAmount, &s.Shipments,
		&s.ShippedValue, &s.Payments, &s.PaidAmount)
}

// receivablesSQL: debt per customer is invoiced - paid (credit nets it);
// ageing buckets sum what is open on each invoice by days past due as of $1.
const receivablesSQL = `
WITH inv AS (
    SELECT i.customer_id, i.amount, i.due_on, i.amount - coalesce(a.paid, 0) AS open
    FROM invoices i
    LEFT JOIN (SELECT invoice_id, sum(amount) AS paid FROM allocations WHERE invoice_id IS NOT NULL
               GROUP BY invoice_id) a ON a.invoice_id = i.id
    WHERE NOT EXISTS (SELECT 1 FROM invoice_voids v WHERE v.invoice_id = i.id)
), debt AS (
    SELECT d.customer_id, d.invoiced - coalesce(p.paid, 0) AS debt
    FROM (SELECT customer_id, sum(amount) AS invoiced FROM inv GROUP BY customer_id) d
    LEFT JOIN (SELECT customer_id, sum(amount) AS paid FROM payments x
               WHERE NOT EXISTS (SELECT 1 FROM payment_reversals r WHERE r.payment_id = x.id)
               GROUP BY customer_id) p ON p.customer_id = d.customer_id
)
SELECT (SELECT coalesce(sum(debt), 0) FROM debt WHERE debt > 0),
       (SELECT count(*) FROM debt WHERE debt > 0),
       coalesce(sum(open) FILTER (WHERE $1::date - due_on BETWEEN 1 AND 30), 0),
       coalesce(sum(open) FILTER (WHERE $1::date - due_on BETWEEN 31 AND 60), 0),
       coalesce(sum(open) FILTER (WHERE $1::date - due_on BETWEEN 61 AND 90), 0),
       coalesce(sum(open) FILTER (WHERE $1::date - due_on > 90), 0)
FROM inv WHERE open > 0`

func (db *DB) summaryReceivables(ctx context.Context, q core.SummaryQuery, s *core.Summary) error {
	err := db.pool.QueryRow(ctx, receivablesSQL, q.Today).Scan(&s.Receivables, &s.Debtors,
		&s.Ageing[0], &s.Ageing[1], &s.Ageing[2], &s.Ageing[3])
	for _, a := range s.Ageing {
		s.Overdue += a
	}
	return err
}

// summaryWaiting counts orders waiting for shipment and finds the oldest.
func (db *DB) summaryWaiting(ctx context.Context, _ core.SummaryQuery, s *core.Summary) error {
	err := db.pool.QueryRow(ctx, `SELECT count(DISTINCT o.id), coalesce(sum((l.qty - l.shipped - l.released) * l.price), 0)
		FROM orders o JOIN order_lines l ON l.order_id = o.id WHERE `+awaitingWhere).Scan(&s.Waiting, &s.WaitingValue)
	if err != nil {
		return err
	}
	var w core.WaitingOrder
	err = db.pool.QueryRow(ctx, `SELECT o.id, o.number, c.name, o.created_at FROM orders o
		JOIN customers c ON c.id = o.customer_id WHERE `+awaitingWhere+` ORDER BY o.created_at, o.id LIMIT 1`).
		Scan(&w.OrderID, &w.Number, &w.Customer, &w.Since)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil
	}
	s.Oldest = &w
	return err
}

// summaryStock finds active products free to sell at or below the threshold
// (before cart holds, which are minutes long).
func (db *DB) summaryStock(ctx context.Context, q core.SummaryQuery, s *core.Summary) error {
	if err := db.pool.QueryRow(ctx, `SELECT count(*) FROM products p JOIN stock st ON st.product_id = p.id
		WHERE p.active AND st.on_hand - st.reserved <= $1`, q.LowStock).Scan(&s.LowStockCount); err != nil {
		return err
	}
	rows, err := db.pool.Query(ctx, `SELECT p.sku, p.name, st.on_hand - st.reserved FROM products p
		JOIN stock st ON st.product_id = p.id WHERE p.active AND st.on_hand - st.reserved <= $1
		ORDER BY st.on_hand - st.reserved, p.name, p.id LIMIT $2`, q.LowStock, q.Top)
	if err != nil {
		return err
	}
	s.LowStock, err = collect(rows, func(r pgx.Row) (*core.StockItem, error) {
		var it core.StockItem
		return &it, r.Scan(&it.SKU, &it.Name, &it.Free)
	})
	return err
}

// summaryTop ranks the products ordered on the day by value.
func (db *DB) summaryTop(ctx context.Context, q core.SummaryQuery, s *core.Summary) error {
	rows, err := db.pool.Query(ctx, `SELECT min(l.sku), min(l.name), sum(l.qty), sum(l.qty * l.price)
		FROM orders o JOIN order_lines l ON l.order_id = o.id
		WHERE o.created_at >= $1 AND o.created_at < $2 AND o.cancelled_at IS NULL
		GROUP BY l.product_id ORDER BY 4 DESC, 1 LIMIT $3`, q.From, q.To, q.Top)
	if err != nil {
		return err
	}
	s.TopProducts, err = collect(rows, func(r pgx.Row) (*core.TopProduct, error) {
		var t core.TopProduct
		return &t, r.Scan(&t.SKU, &t.Name, &t.Qty, &t.Amount)
	})
	return err
}

// summaryDays is the chart: orders placed and payments received per
// business day over the last q.Days days up to q.Day.
func (db *DB) summaryDays(ctx context.Context, q core.SummaryQuery, s *core.Summary) error {
	from := q.From.AddDate(0, 0, -(q.Days - 1))
	rows, err := db.pool.Query(ctx, `WITH d AS (
			SELECT generate_series($1::date - ($2::int - 1), $1::date, interval '1 day')::date AS day)
		SELECT d.day, coalesce(o.n, 0), coalesce(o.amount, 0), coalesce(p.amount, 0)
		FROM d
		LEFT JOIN (SELECT (created_at AT TIME ZONE $3)::date AS day, count(*) AS n, sum(total) AS amount
		           FROM orders WHERE created_at >= $4 AND created_at < $5 GROUP BY 1) o ON o.day = d.day
		LEFT JOIN (SELECT received_on AS day, sum(amount) AS amount FROM payments x
		           WHERE received_on BETWEEN $1::date - ($2::int - 1) AND $1::date
		             AND NOT EXISTS (SELECT 1 FROM payment_reversals r WHERE r.payment_id = x.id)
		           GROUP BY 1) p ON p.day = d.day
		ORDER BY d.day`, q.Day, q.Days, q.TimeZone, from, q.To)
	if err != nil {
		return err
	}
	s.Days, err = collect(rows, func(r pgx.Row) (*core.DayPoint, error) {
		var d core.DayPoint
		return &d, r.Scan(&d.Day, &d.Orders, &d.Ordered, &d.Paid)
	})
	return err
}
