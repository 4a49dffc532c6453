package postgres

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/orderbot/orderbot/core"
)

// balancesSQL reads debt = invoiced - paid per customer from
// customer_balances (every customer who owes or has credit, or just
// customer $2) and ages what is open on their invoices by days past the due
// date as of $1, from open_invoices.
const balancesSQL = `
WITH b AS (
    SELECT customer_id, invoiced, paid FROM customer_balances WHERE $2 = 0 AND invoiced <> paid
    UNION ALL
    SELECT c.id, coalesce(x.invoiced, 0), coalesce(x.paid, 0)
    FROM customers c LEFT JOIN customer_balances x ON x.customer_id = c.id
    WHERE $2 <> 0 AND c.id = $2
), age AS (
    SELECT customer_id,
           sum(open) FILTER (WHERE due_on >= $1::date) AS not_due,
           sum(open) FILTER (WHERE $1::date - due_on BETWEEN 1 AND 30) AS o30,
           sum(open) FILTER (WHERE $1::date - due_on BETWEEN 31 AND 60) AS o60,
           sum(open) FILTER (WHERE $1::date - due_on BETWEEN 61 AND 90) AS o90,
           sum(open) FILTER (WHERE $1::date - due_on > 90) AS o90plus,
           min(due_on) AS oldest_due
    FROM open_invoices WHERE customer_id IN (SELECT customer_id FROM b)
    GROUP BY customer_id
), bal AS (
    SELECT c.id, c.name, c.phone, coalesce(c.telegram_id, 0) AS telegram_id, c.credit_limit, b.invoiced, b.paid,
           coalesce(age.not_due, 0) AS not_due, coalesce(age.o30, 0) AS o30, coalesce(age.o60, 0) AS o60,
           coalesce(age.o90, 0) AS o90, coalesce(age.o90plus, 0) AS o90plus, age.oldest_due
    FROM b JOIN customers c ON c.id = b.customer_id
    LEFT JOIN age ON age.customer_id = b.customer_id
)
SELECT id, name, phone, telegram_id, invoiced, paid, invoiced - paid, not_due, o30, o60, o90, o90plus,
       oldest_due, credit_limit
FROM bal
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
