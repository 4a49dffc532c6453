package postgres

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/orderbot/orderbot/core"
)

// reminderCandidatesSQL lists open invoices due by $1 with the highest
// reminder level each already had.
const reminderCandidatesSQL = `
SELECT i.id, i.number, o.number, i.customer_id, c.name, coalesce(c.telegram_id, 0), i.issued_on, i.due_on,
       i.amount - coalesce(a.paid, 0), r.last
FROM invoices i
JOIN orders o ON o.id = i.order_id
JOIN customers c ON c.id = i.customer_id
LEFT JOIN LATERAL (SELECT sum(x.amount) AS paid FROM allocations x WHERE x.invoice_id = i.id) a ON true
LEFT JOIN LATERAL (SELECT max(m.level) AS last FROM invoice_reminders m WHERE m.invoice_id = i.id) r ON true
WHERE i.due_on <= $1::date
  AND NOT EXISTS (SELECT 1 FROM invoice_voids v WHERE v.invoice_id = i.id)
  AND i.amount > coalesce(a.paid, 0)
ORDER BY i.customer_id, i.due_on, i.id`

// ReminderCandidates lists open invoices due on or before dueBy.
func (db *DB) ReminderCandidates(ctx context.Context, dueBy time.Time) ([]core.ReminderInvoice, error) {
	rows, err := db.pool.Query(ctx, reminderCandidatesSQL, dueBy)
	if err != nil {
		return nil, interpretError(err)
	}
	return collect(rows, func(r pgx.Row) (*core.ReminderInvoice, error) {
		var v core.ReminderInvoice
		var last *int32
		err := r.Scan(&v.InvoiceID, &v.Number, &v.OrderNumber, &v.CustomerID, &v.Customer, &v.Telegram, &v.IssuedOn,
			&v.DueOn, &v.Open, &last)
		if last != nil {
			l := int(*last)
			v.LastLevel = &l
		}
		return &v, interpretError(err)
	})
}

// errAlreadyReminded rolls back a batch of which another run recorded a part.
var errAlreadyReminded = errors.New("already reminded")

// SaveReminders records reminder levels and enqueues their notices in one
// transaction, or does nothing if any level was recorded already.
func (db *DB) SaveReminders(ctx context.Context, rs []core.ReminderRecord, ns []core.Notice) (bool, error) {
	n := len(rs)
	inv, cust, lvl := make([]int64, n), make([]int64, n), make([]int32, n)
	on, at := make([]time.Time, n), make([]time.Time, n)
	for i, r := range rs {
		inv[i], cust[i], lvl[i], on[i], at[i] = r.InvoiceID, r.CustomerID, int32(r.Level), r.On, r.At
	}
	err := pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `INSERT INTO invoice_reminders (invoice_id, customer_id, level, sent_on, at)
			SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::int[], $4::date[], $5::timestamptz[])
			ON CONFLICT DO NOTHING`, inv, cust, lvl, on, at)
		if err != nil {
			return err
		}
		if int(tag.RowsAffected()) != n {
			return errAlreadyReminded
		}
		_, err = enqueue(ctx, tx, ns)
		return err
	})
	if errors.Is(err, errAlreadyReminded) {
		return false, nil
	}
	return err == nil, interpretError(err)
}
