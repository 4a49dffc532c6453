package postgres

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/orderbot/orderbot/core"
)

// balancesSQL computes debt = invoiced - paid per customer, and ages what is
// open on each invoice by days past its due date as of $1.
const balancesSQL = `
WITH inv AS (
    SELECT i.customer_id, i.amount, i.due_on,
           i.amount - coalesce((SELECT sum(a.amount) FROM allocations a WHERE a.invoice_id = i.id), 0) AS open
    FROM invoices i
    WHERE NOT EXISTS (SELECT 1 FROM invoice_voids v WHERE v.invoice_id = i.id)
      AND ($2 = 0 OR i.customer_id = $2)
), agg AS (
    SELECT customer_id, sum(amount) AS invoiced,
           sum(open) FILTER (WHERE due_on >= $1::date) AS not_due,
           sum(open) FILTER (WHERE $1::date - due_on BETWEEN 1 AND 30) AS o30,
           sum(open) FILTER (WHERE $1::date - due_on BETWEEN 31 AND 60) AS o60,
           sum(open) FILTER (WHERE $1::date - due_on BETWEEN 61 AND 90) AS o90,
           sum(open) FILTER (WHERE $1::date - due_on > 90) AS o90plus,
           min(due_on) FILTER (WHERE open > 0) AS oldest_due
    FROM inv GROUP BY customer_id
), pay AS (
    SELECT p.customer_id, sum(p.amount) AS paid
    FROM payments p
    WHERE NOT EXISTS (SELECT 1 FROM payment_reversals r WHERE r.payment_id = p.id)
      AND ($2 = 0 OR p.customer_id = $2)
    GROUP BY p.customer_id
), bal AS (
    SELECT c.id, c.name, c.phone, coalesce(c.telegram_id, 0) AS telegram_id, c.credit_limit,
           coalesce(agg.invoiced, 0) AS invoiced, coalesce(pay.paid, 0) AS paid,
           coalesce(agg.not_due, 0) AS not_due, coalesce(agg.o30, 0) AS o30, coalesce(agg.o60, 0) AS o60,
           coalesce(agg.o90, 0) AS o90, coalesce(agg.o90plus, 0) AS o90plus, agg.oldest_due
    FROM customers c
    LEFT JOIN agg ON agg.customer_id = c.id
    LEFT JOIN pay ON pay.customer_id = c.id
    WHERE ($2 = 0 AND (agg.customer_id IS NOT NULL OR pay.customer_id IS NOT NULL)) OR c.id = $2
)
SELECT id, name, phone, telegram_id, invoiced, paid, invoiced - paid, not_due, o30, o60, o90, o90plus,
       oldest_due, credit_limit
FROM bal
WHERE $2 <> 0 OR invoiced <> paid
ORDER BY (o30 + o60 + o90 + o90plus) DESC, invoiced - paid DESC, id`

// Balances returns debts with ageing buckets, overdue first.
func (db *DB) Balances(ctx context.Context, f core.BalanceFilter) ([]core.Balance, error) {
	rows, err := db.pool.Query(ctx, balancesSQL, f.Today, f.CustomerID)
	if err != nil {
		return nil, interpretError(err)
	}
	return collect(rows, func(r pgx.Row) (*core.Balance, error) {
		var b core.Balance
		var limit *int64
		err := r.Scan(&b.CustomerID, &b.Customer, &b.Phone, &b.TelegramID, &b.Invoiced, &b.Paid, &b.Debt, &b.NotDue,
			&b.Overdue1_30, &b.Overdue31_60, &b.Overdue61_90, &b.Overdue90, &b.OldestDue, &limit)
		if limit != nil {
			m := core.Money(*limit)
			b.CreditLimit = &m
		}
		return &b, interpretError(err)
	})
}
