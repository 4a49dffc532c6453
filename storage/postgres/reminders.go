package postgres

import (
	"context"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/orderbot/orderbot/core"
)

// Payment reminders read open_invoices alone (with the customers): the
// customers with a reminder due come from the partial index on
// next_remind_on, and only their open invoices are read; no invoice or
// order of history is touched.

// reminderCandidatesSQL lists the open invoices due by $2 of every customer
// with an invoice whose next reminder is due by $1.
const reminderCandidatesSQL = `
SELECT x.invoice_id, x.number, x.order_number, x.customer_id, c.name, coalesce(c.telegram_id, 0), x.issued_on, x.due_on,
       x.open, x.last_level
FROM (SELECT DISTINCT customer_id FROM open_invoices WHERE next_remind_on <= $1::date) d
JOIN open_invoices x ON x.customer_id = d.customer_id AND x.due_on <= $2::date
JOIN customers c ON c.id = x.customer_id
ORDER BY x.customer_id, x.due_on, x.invoice_id`

// reminderCandidatesOtherLevelsSQL is reminderCandidatesSQL for levels $3
// other than those the stored dates follow (a dry run under a new policy):
// it computes each open invoice's date instead of reading it.
const reminderCandidatesOtherLevelsSQL = `
SELECT x.invoice_id, x.number, x.order_number, x.customer_id, c.name, coalesce(c.telegram_id, 0), x.issued_on, x.due_on,
       x.open, x.last_level
FROM (SELECT DISTINCT customer_id FROM open_invoices
      WHERE next_remind_on(due_on, issued_on, last_level, $3::int[]) <= $1::date) d
JOIN open_invoices x ON x.customer_id = d.customer_id AND x.due_on <= $2::date
JOIN customers c ON c.id = x.customer_id
ORDER BY x.customer_id, x.due_on, x.invoice_id`

// ReminderLevels returns the levels the stored reminder dates follow.
func (db *DB) ReminderLevels(ctx context.Context) ([]int, error) {
	var ls []int32
	if err := db.pool.QueryRow(ctx, `SELECT levels FROM reminder_levels`).Scan(&ls); err != nil {
		return nil, interpretError(err)
	}
	out := make([]int, len(ls))
	for i, l := range ls {
		out[i] = int(l)
	}
	return out, nil
}

// UseReminderLevels stores the policy's levels and, when they changed,
// recomputes every open invoice's next reminder date in the same
// transaction. Invoice changes read the policy row FOR SHARE, so none
// slips between the two.
func (db *DB) UseReminderLevels(ctx context.Context, levels []int) error {
	cur, err := db.ReminderLevels(ctx)
	if err != nil || slices.Equal(cur, levels) {
		return err
	}
	err = pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `UPDATE reminder_levels SET levels = $1`, levels); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `UPDATE open_invoices SET next_remind_on = next_remind_on(due_on, issued_on, last_level, $1)
			WHERE next_remind_on IS DISTINCT FROM next_remind_on(due_on, issued_on, last_level, $1)`, levels)
		return err
	})
	return interpretError(err)
}

// ReminderCandidates streams the candidates one customer at a time.
func (db *DB) ReminderCandidates(ctx context.Context, today, dueBy time.Time, levels []int,
	fn func([]core.ReminderInvoice) error) error {
	cur, err := db.ReminderLevels(ctx)
	if err != nil {
		return err
	}
	sql, args := reminderCandidatesSQL, []any{today, dueBy}
	if !slices.Equal(cur, levels) {
		sql, args = reminderCandidatesOtherLevelsSQL, append(args, levels)
	}
	rows, err := db.pool.Query(ctx, sql, args...)
	if err != nil {
		return interpretError(err)
	}
	defer rows.Close()
	var group []core.ReminderInvoice
	for rows.Next() {
		v, err := scanReminderInvoice(rows)
		if err != nil {
			return err
		}
		if len(group) > 0 && group[0].CustomerID != v.CustomerID {
			if err := fn(group); err != nil {
				return err
			}
			group = group[:0:0] // fn may keep the slice
		}
		group = append(group, v)
	}
	if err := rows.Err(); err != nil {
		return interpretError(err)
	}
	if len(group) > 0 {
		return fn(group)
	}
	return nil
}

func scanReminderInvoice(r pgx.Row) (core.ReminderInvoice, error) {
	var v core.ReminderInvoice
	var last *int32
	err := r.Scan(&v.InvoiceID, &v.Number, &v.OrderNumber, &v.CustomerID, &v.Customer, &v.Telegram, &v.IssuedOn,
		&v.DueOn, &v.Open, &last)
	if last != nil {
		l := int(*last)
		v.LastLevel = &l
	}
	return v, interpretError(err)
}

// SaveReminders records a batch of customers' reminder levels, moves their
// invoices' next reminder dates and enqueues their notices in one
// transaction. The customers are locked first (key share, in id order): a
// billing change of theirs, which locks the customer for update, runs wholly
// before or after, so an invoice coming back to open_invoices reads the
// levels as they are.
func (db *DB) SaveReminders(ctx context.Context, batch []core.CustomerReminder) ([]int64, error) {
	var saved []int64
	err := pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		saved = nil
		ids := make([]int64, len(batch))
		for i, c := range batch {
			ids[i] = c.Customer.CustomerID
		}
		if _, err := tx.Exec(ctx, `SELECT id FROM customers WHERE id = ANY($1) ORDER BY id FOR KEY SHARE`, ids); err != nil {
			return err
		}
		inserted, err := insertReminders(ctx, tx, batch)
		if err != nil {
			return err
		}
		var keep []core.ReminderRecord
		var lost []core.ReminderRecord
		var ns []core.Notice
		for _, c := range batch {
			whole := true
			for _, r := range c.Records {
				whole = whole && inserted[[2]int64{r.InvoiceID, int64(r.Level)}]
			}
			if !whole {
				lost = append(lost, c.Records...)
				continue
			}
			saved = append(saved, c.Customer.CustomerID)
			keep = append(keep, c.Records...)
			ns = append(ns, c.Notices...)
		}
		if err := unrecord(ctx, tx, lost, inserted); err != nil {
			return err
		}
		if err := advanceReminderDates(ctx, tx, keep); err != nil {
			return err
		}
		_, err = enqueue(ctx, tx, ns)
		return err
	})
	if err != nil {
		return nil, interpretError(err)
	}
	return saved, nil
}

// insertReminders records every level of the batch that is not recorded yet
// and returns those it recorded.
func insertReminders(ctx context.Context, tx pgx.Tx, batch []core.CustomerReminder) (map[[2]int64]bool, error) {
	var inv, cust []int64
	var lvl []int32
	var on, at []time.Time
	for _, c := range batch {
		for _, r := range c.Records {
			inv, cust, lvl = append(inv, r.InvoiceID), append(cust, r.CustomerID), append(lvl, int32(r.Level))
			on, at = append(on, r.On), append(at, r.At)
		}
	}
	rows, err := tx.Query(ctx, `INSERT INTO invoice_reminders (invoice_id, customer_id, level, sent_on, at)
		SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::int[], $4::date[], $5::timestamptz[])
		ON CONFLICT DO NOTHING RETURNING invoice_id, level`, inv, cust, lvl, on, at)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	got := make(map[[2]int64]bool, len(inv))
	for rows.Next() {
		var id int64
		var l int32
		if err := rows.Scan(&id, &l); err != nil {
			return nil, err
		}
		got[[2]int64{id, int64(l)}] = true
	}
	return got, rows.Err()
}

// unrecord takes back what this transaction recorded of customers another
// run reached first.
func unrecord(ctx context.Context, tx pgx.Tx, rs []core.ReminderRecord, inserted map[[2]int64]bool) error {
	var inv []int64
	var lvl []int32
	for _, r := range rs {
		if inserted[[2]int64{r.InvoiceID, int64(r.Level)}] {
			inv, lvl = append(inv, r.InvoiceID), append(lvl, int32(r.Level))
		}
	}
	if len(inv) == 0 {
		return nil
	}
	_, err := tx.Exec(ctx, `DELETE FROM invoice_reminders r USING unnest($1::bigint[], $2::int[]) AS u(invoice_id, level)
		WHERE r.invoice_id = u.invoice_id AND r.level = u.level`, inv, lvl)
	return err
}

// advanceReminderDatesSQL moves each reminded invoice's last level and next
// reminder date (the record's Next: core computes it under the policy it
// stored with UseReminderLevels; openitems_test holds it to next_remind_on).
const advanceReminderDatesSQL = `
UPDATE open_invoices o SET last_level = u.level, next_remind_on = u.next
FROM unnest($1::bigint[], $2::int[], $3::date[]) AS u(invoice_id, level, next)
WHERE o.invoice_id = ANY($1) AND o.invoice_id = u.invoice_id AND (o.last_level IS NULL OR o.last_level < u.level)`

func advanceReminderDates(ctx context.Context, tx pgx.Tx, rs []core.ReminderRecord) error {
	if len(rs) == 0 {
		return nil
	}
	inv, lvl, next := make([]int64, len(rs)), make([]int32, len(rs)), make([]*time.Time, len(rs))
	for i, r := range rs {
		inv[i], lvl[i], next[i] = r.InvoiceID, int32(r.Level), r.Next
	}
	_, err := tx.Exec(ctx, advanceReminderDatesSQL, inv, lvl, next)
	return err
}
