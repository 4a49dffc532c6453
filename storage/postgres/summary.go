package postgres

import (
	"context"
	"errors"

	"github.com/jackc/pgx/v5"

	"github.com/orderbot/orderbot/core"
)

// The owner's daily summary. What happened on the day is read by index-only
// scans over the day's range (orders_created and orders_confirmed include
// the total, payments_received the amount) and by the day's shipments;
// where things stand comes from the open items of migration 010
// (customer_balances, open_invoices, awaiting_orders). Nothing reads history.

// DaySummary computes the summary of q.Day, every figure from one snapshot.
// The queries are small: parallel workers would cost more to start than
// they save.
func (db *DB) DaySummary(ctx context.Context, q core.SummaryQuery) (*core.Summary, error) {
	s := &core.Summary{Day: q.Day}
	steps := []func(context.Context, querier, core.SummaryQuery, *core.Summary) error{
		summaryFlows, summaryReceivables, summaryWaiting, summaryStock, summaryTop, summaryDays,
	}
	err := pgx.BeginTxFunc(ctx, db.pool, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly}, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SET LOCAL max_parallel_workers_per_gather = 0`); err != nil {
			return err
		}
		for _, step := range steps {
			if err := step(ctx, tx, q, s); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, interpretError(err)
	}
	return s, nil
}

// summaryFlowsSQL counts the day's new, confirmed, shipped and paid. Order
// totals are o.Total() (goods after discount, tax, delivery); shipped value
// is the shipment lines' gross (qty * price on rows from before taxes).
const summaryFlowsSQL = `
SELECT n.count, n.amount, f.count, f.amount, sh.count, sh.value, p.count, p.amount
FROM (SELECT count(*), coalesce(sum(total), 0) AS amount FROM orders WHERE created_at >= $1 AND created_at < $2) n,
     (SELECT count(*), coalesce(sum(total), 0) AS amount FROM orders WHERE confirmed_at >= $1 AND confirmed_at < $2) f,
     (SELECT count(*), coalesce(sum(v.value), 0) AS value FROM shipments x
      CROSS JOIN LATERAL (SELECT sum(coalesce(l.gross, l.qty * l.price)) AS value FROM shipment_lines l
                          WHERE l.shipment_id = x.id) v
      WHERE x.at >= $1 AND x.at < $2) sh,
     (SELECT count(*), coalesce(sum(x.amount), 0) AS amount FROM payments x WHERE x.received_on = $3::date
      AND NOT EXISTS (SELECT 1 FROM payment_reversals r WHERE r.payment_id = x.id)) p`

func summaryFlows(ctx context.Context, db querier, q core.SummaryQuery, s *core.Summary) error {
	return db.QueryRow(ctx, summaryFlowsSQL, q.From, q.To, q.Day).Scan(&s.NewOrders, &s.NewAmount, &s.Confirmed,
		&s.ConfirmedAmount, &s.Shipments, &s.ShippedValue, &s.Payments, &s.PaidAmount)
}

// receivablesSQL: what customers who owe owe (debt = invoiced - paid, credit
// nets it), and what is open on invoices by days past due as of $1.
const receivablesSQL = `
SELECT d.owed, d.debtors, a.d30, a.d60, a.d90, a.older
FROM (SELECT coalesce(sum(invoiced - paid) FILTER (WHERE invoiced > paid), 0) AS owed,
             count(*) FILTER (WHERE invoiced > paid) AS debtors
      FROM customer_balances WHERE invoiced <> paid) d,
     (SELECT coalesce(sum(open) FILTER (WHERE $1::date - due_on BETWEEN 1 AND 30), 0) AS d30,
             coalesce(sum(open) FILTER (WHERE $1::date - due_on BETWEEN 31 AND 60), 0) AS d60,
             coalesce(sum(open) FILTER (WHERE $1::date - due_on BETWEEN 61 AND 90), 0) AS d90,
             coalesce(sum(open) FILTER (WHERE $1::date - due_on > 90), 0) AS older
      FROM open_invoices WHERE due_on < $1::date) a`

func summaryReceivables(ctx context.Context, db querier, q core.SummaryQuery, s *core.Summary) error {
	err := db.QueryRow(ctx, receivablesSQL, q.Today).Scan(&s.Receivables, &s.Debtors,
		&s.Ageing[0], &s.Ageing[1], &s.Ageing[2], &s.Ageing[3])
	for _, a := range s.Ageing {
		s.Overdue += a
	}
	return err
}

// waitingSQL counts orders waiting for shipment with what is left to ship.
const waitingSQL = `SELECT count(*), coalesce(sum(value), 0) FROM awaiting_orders`

// oldestWaitingSQL finds the order that has waited longest.
const oldestWaitingSQL = `
SELECT w.order_id, o.number, c.name, w.created_at FROM awaiting_orders w
JOIN orders o ON o.id = w.order_id JOIN customers c ON c.id = w.customer_id
ORDER BY w.created_at, w.order_id LIMIT 1`

func summaryWaiting(ctx context.Context, db querier, _ core.SummaryQuery, s *core.Summary) error {
	if err := db.QueryRow(ctx, waitingSQL).Scan(&s.Waiting, &s.WaitingValue); err != nil {
		return err
	}
	var w core.WaitingOrder
	err := db.QueryRow(ctx, oldestWaitingSQL).Scan(&w.OrderID, &w.Number, &w.Customer, &w.Since)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil
	}
	s.Oldest = &w
	return err
}

const lowStockCountSQL = `SELECT count(*) FROM products p JOIN stock st ON st.product_id = p.id
WHERE p.active AND st.on_hand - st.reserved <= $1`

const lowStockSQL = `SELECT p.sku, p.name, st.on_hand - st.reserved FROM products p
JOIN stock st ON st.product_id = p.id WHERE p.active AND st.on_hand - st.reserved <= $1
ORDER BY st.on_hand - st.reserved, p.name, p.id LIMIT $2`

// summaryStock finds active products free to sell at or below the threshold
// (before cart holds, which are minutes long).
func summaryStock(ctx context.Context, db querier, q core.SummaryQuery, s *core.Summary) error {
	if err := db.QueryRow(ctx, lowStockCountSQL, q.LowStock).Scan(&s.LowStockCount); err != nil {
		return err
	}
	rows, err := db.Query(ctx, lowStockSQL, q.LowStock, q.Top)
	if err != nil {
		return err
	}
	s.LowStock, err = collect(rows, func(r pgx.Row) (*core.StockItem, error) {
		var it core.StockItem
		return &it, r.Scan(&it.SKU, &it.Name, &it.Free)
	})
	return err
}

const topProductsSQL = `SELECT min(l.sku), min(l.name), sum(l.qty),
       sum(line_gross(l.price, l.qty, l.discount, l.tax_rate, o.tax_included, l.qty))
FROM orders o JOIN order_lines l ON l.order_id = o.id
WHERE o.created_at >= $1 AND o.created_at < $2 AND o.cancelled_at IS NULL
GROUP BY l.product_id ORDER BY 4 DESC, 1 LIMIT $3`

// summaryTop ranks the products ordered on the day by value: their lines'
// gross, after discount and with tax (line_gross, migration 032).
func summaryTop(ctx context.Context, db querier, q core.SummaryQuery, s *core.Summary) error {
	rows, err := db.Query(ctx, topProductsSQL, q.From, q.To, q.Top)
	if err != nil {
		return err
	}
	s.TopProducts, err = collect(rows, func(r pgx.Row) (*core.TopProduct, error) {
		var t core.TopProduct
		return &t, r.Scan(&t.SKU, &t.Name, &t.Qty, &t.Amount)
	})
	return err
}

// summaryDaysSQL sums orders placed and payments received per business
// day over the $2 days up to $1 (index-only scans of the range).
const summaryDaysSQL = `WITH d AS (
    SELECT generate_series($1::date - ($2::int - 1), $1::date, interval '1 day')::date AS day)
SELECT d.day, coalesce(o.n, 0), coalesce(o.amount, 0), coalesce(p.amount, 0)
FROM d
LEFT JOIN (SELECT (created_at AT TIME ZONE $3)::date AS day, count(*) AS n, sum(total) AS amount
           FROM orders WHERE created_at >= $4 AND created_at < $5 GROUP BY 1) o ON o.day = d.day
LEFT JOIN (SELECT received_on AS day, sum(amount) AS amount FROM payments x
           WHERE received_on BETWEEN $1::date - ($2::int - 1) AND $1::date
             AND NOT EXISTS (SELECT 1 FROM payment_reversals r WHERE r.payment_id = x.id)
           GROUP BY 1) p ON p.day = d.day
ORDER BY d.day`

// summaryDays is the chart: orders placed and payments received per
// business day over the last q.Days days up to q.Day.
func summaryDays(ctx context.Context, db querier, q core.SummaryQuery, s *core.Summary) error {
	from := q.From.AddDate(0, 0, -(q.Days - 1))
	rows, err := db.Query(ctx, summaryDaysSQL, q.Day, q.Days, q.TimeZone, from, q.To)
	if err != nil {
		return err
	}
	s.Days, err = collect(rows, func(r pgx.Row) (*core.DayPoint, error) {
		var d core.DayPoint
		return &d, r.Scan(&d.Day, &d.Orders, &d.Ordered, &d.Paid)
	})
	return err
}
