package postgres

import (
	"context"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

// explainAll writes EXPLAIN (ANALYZE, BUFFERS) of every query the jobs run,
// writes inside a transaction that is rolled back.
func (b *bigRun) explainAll() {
	ctx := context.Background()
	day, today := b.today.AddDate(0, 0, -1), b.today
	queries := []struct {
		job, name, sql string
		args           []any
	}{
		{"overdue_shipments", "count", overdueCountSQL, []any{today}},
		{"overdue_shipments", "first 20", overdueListSQL, []any{today, 20}},
		{"overdue_shipments, daily_summary, payment_reminders", "staff", `SELECT user_id, role, name, added_by, added_at FROM staff ORDER BY added_at, user_id`, nil},
		{"daily_summary", "the day's flows", summaryFlowsSQL, []any{day, today, day}},
		{"daily_summary, debts", "receivables and ageing", receivablesSQL, []any{today}},
		{"daily_summary", "waiting for shipment", waitingSQL, nil},
		{"daily_summary", "oldest waiting", oldestWaitingSQL, nil},
		{"daily_summary", "low stock count", lowStockCountSQL, []any{5}},
		{"daily_summary", "low stock", lowStockSQL, []any{5, 5}},
		{"daily_summary", "top products", topProductsSQL, []any{day, today, 5}},
		{"daily_summary", "14-day chart", summaryDaysSQL, []any{day, 14, "UTC", day.AddDate(0, 0, -13), today}},
		{"daily_summary (/summary)", "job statuses", jobStatusesSQL, nil},
		{"debts (/debts)", "balances with ageing", balancesSQL, []any{today, 0}},
		{"payment_reminders", "policy", `SELECT levels FROM reminder_levels`, nil},
		{"payment_reminders", "candidates", reminderCandidatesSQL, []any{today, today.AddDate(0, 0, 1)}},
		{"payment_reminders (dry run, other policy)", "candidates", reminderCandidatesOtherLevelsSQL, []any{today, today.AddDate(0, 0, 1), []int{-2, 0, 5}}},
		{"outbox_prune", "delete old", `DELETE FROM outbox WHERE state <> 'pending' AND done_at < $1`, []any{today.AddDate(0, 0, -30)}},
	}
	var out strings.Builder
	fmt.Fprintf(&out, "EXPLAIN (ANALYZE, BUFFERS) of every query the scheduled jobs run, on the generated history of\n"+
		"storage/postgres/generate.go (TestBig_Jobs), today %s, after a cold start of the test's connections.\n\n", today.Format(time.DateOnly))
	var sizes string
	b.db.pool.QueryRow(ctx, `SELECT format('orders %s, order lines %s, events %s, invoices %s, payments %s, allocations %s; '
		'open invoices %s, orders awaiting shipment %s', (SELECT count(*) FROM orders), (SELECT count(*) FROM order_lines),
		(SELECT count(*) FROM order_events), (SELECT count(*) FROM invoices), (SELECT count(*) FROM payments),
		(SELECT count(*) FROM allocations), (SELECT count(*) FROM open_invoices), (SELECT count(*) FROM awaiting_orders))`).Scan(&sizes) //nolint:errcheck
	out.WriteString(sizes + "\n")
	for _, q := range queries {
		out.WriteString("\n== " + q.job + ": " + q.name + "\n" + b.explain(strings.HasPrefix(q.job, "daily_summary"), q.sql, q.args...))
	}
	out.WriteString(b.explainSave())
	name := fmt.Sprintf("testdata/jobs_explain_%s.txt", countName(b.orders()))
	if err := os.WriteFile(name, []byte(out.String()), 0o644); err != nil {
		b.t.Fatal(err)
	}
	b.t.Logf("wrote %s", name)
}

func (b *bigRun) orders() int {
	var n int
	b.db.pool.QueryRow(context.Background(), `SELECT count(*) FROM orders`).Scan(&n) //nolint:errcheck
	return n
}

func countName(n int) string {
	if n%1_000_000 == 0 {
		return fmt.Sprintf("%dm", n/1_000_000)
	}
	return fmt.Sprintf("%dk", n/1000)
}

func (b *bigRun) explain(serial bool, sql string, args ...any) string {
	b.t.Helper()
	var plan []string
	err := pgx.BeginFunc(context.Background(), b.db.pool, func(tx pgx.Tx) error {
		if serial {
			if _, err := tx.Exec(context.Background(), `SET LOCAL max_parallel_workers_per_gather = 0`); err != nil {
				return err
			}
		}
		rows, err := tx.Query(context.Background(), "EXPLAIN (ANALYZE, BUFFERS) "+sql, args...)
		if err != nil {
			return err
		}
		plan, err = pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil {
			return err
		}
		return errRollback
	})
	if err != nil && err != errRollback {
		b.t.Fatalf("%v\n%s", err, sql)
	}
	return strings.Join(plan, "\n") + "\n"
}

var errRollback = fmt.Errorf("rolled back")

// explainSave explains what SaveReminders writes for one batch of the
// customers the candidates bring (rolled back).
func (b *bigRun) explainSave() string {
	ctx := context.Background()
	var inv, cust []int64
	var lvl []int32
	rows, err := b.db.pool.Query(ctx, `SELECT invoice_id, customer_id FROM open_invoices WHERE next_remind_on <= $1
		ORDER BY customer_id LIMIT 600`, b.today)
	if err != nil {
		b.t.Fatal(err)
	}
	for rows.Next() {
		var i, c int64
		if err := rows.Scan(&i, &c); err != nil {
			b.t.Fatal(err)
		}
		inv, cust, lvl = append(inv, i), append(cust, c), append(lvl, 14)
	}
	rows.Close()
	on := make([]time.Time, len(inv))
	for i := range on {
		on[i] = b.today
	}
	var out strings.Builder
	fmt.Fprintf(&out, "\n== payment_reminders: save a batch (%d levels; rolled back)\n", len(inv))
	err = pgx.BeginFunc(ctx, b.db.pool, func(tx pgx.Tx) error {
		for _, q := range []struct {
			sql  string
			args []any
		}{
			{`SELECT id FROM customers WHERE id = ANY($1) ORDER BY id FOR KEY SHARE`, []any{cust}},
			{`INSERT INTO invoice_reminders (invoice_id, customer_id, level, sent_on, at)
				SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::int[], $4::date[], $4::timestamptz[])
				ON CONFLICT DO NOTHING RETURNING invoice_id, level`, []any{inv, cust, lvl, on}},
			{advanceReminderDatesSQL, []any{inv, lvl, on}},
		} {
			rows, err := tx.Query(ctx, "EXPLAIN (ANALYZE, BUFFERS) "+q.sql, q.args...)
			if err != nil {
				return fmt.Errorf("%w\n%s", err, q.sql)
			}
			plan, err := pgx.CollectRows(rows, pgx.RowTo[string])
			if err != nil {
				return err
			}
			out.WriteString(strings.Join(plan, "\n") + "\n\n")
		}
		return errRollback
	})
	if err != nil && err != errRollback {
		b.t.Fatal(err)
	}
	return out.String()
}
