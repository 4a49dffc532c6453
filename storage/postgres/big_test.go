package postgres

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/orderbot/orderbot/core"
)

// TestBig_JobQueries fills a database with ORDERBOT_BIG_ORDERS orders
// (default 100,000) of ORDERBOT_BIG_CUSTOMERS customers (default 5,000), times
// what each scheduled job reads and writes, and prints EXPLAIN ANALYZE of the
// queries that matter. It is a measurement, not a test of correctness: it
// runs only with ORDERBOT_BIG=1 and asserts no timing.
//
//	ORDERBOT_BIG=1 go test ./storage/postgres -run TestBig -v -timeout 60m
func TestBig_JobQueries(t *testing.T) {
	if os.Getenv("ORDERBOT_BIG") != "1" {
		t.Skip("set ORDERBOT_BIG=1 to fill a big database and measure the jobs' queries")
	}
	orders, customers := envInt("ORDERBOT_BIG_ORDERS", 100_000), envInt("ORDERBOT_BIG_CUSTOMERS", 5_000)
	db := bigDB(t)
	today := time.Date(2026, 3, 10, 0, 0, 0, 0, time.UTC)
	start := time.Now()
	generate(t, db, orders, customers, today)
	t.Logf("generated %d orders, %d customers in %v", orders, customers, time.Since(start).Round(time.Second))
	measureJobs(t, db, today)
	explainAll(t, db, today)
	measureClaims(t, db, today)
}

func envInt(name string, def int) int {
	if n, err := strconv.Atoi(os.Getenv(name)); err == nil && n > 0 {
		return n
	}
	return def
}

// measureJobs times the core calls each job makes.
func measureJobs(t *testing.T, db *DB, today time.Time) {
	ctx := context.Background()
	now := today.Add(10 * time.Hour)
	d := core.Deps{Store: db, Currency: core.MustCurrency("USD"), Location: time.UTC, Now: func() time.Time { return now }}
	staff := core.NewStaff(d, db, []int64{900}, []int64{901})
	reports := core.NewReports(d, db, 5)
	timeIt(t, "overdue_shipments (count + first 20)", func() error {
		l, err := reports.OverdueShipments(ctx, core.System, 20)
		if err == nil {
			t.Logf("  %d orders late to ship", l.Total)
		}
		return err
	})
	timeIt(t, "daily_summary (all queries)", func() error {
		_, err := reports.Summary(ctx, core.System, today.AddDate(0, 0, -1))
		return err
	})
	rem, err := core.NewReminders(d, db, staff, core.DefaultReminderPolicy)
	if err != nil {
		t.Fatal(err)
	}
	hours := [2]time.Time{today.Add(9 * time.Hour), today.Add(18 * time.Hour)}
	timeIt(t, "payment_reminders, first run (records + enqueues)", func() error {
		l, err := rem.Send(ctx, hours, "first")
		if err == nil {
			t.Logf("  %d customers reminded", len(l.Customers))
		}
		return err
	})
	timeIt(t, "payment_reminders, second run the same day (nothing new)", func() error {
		_, err := rem.Send(ctx, hours, "second")
		return err
	})
}

func timeIt(t *testing.T, what string, f func() error) {
	t.Helper()
	start := time.Now()
	if err := f(); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	t.Logf("%-60s %v", what, time.Since(start).Round(time.Millisecond))
}

// explainAll prints the plans of the jobs' heaviest queries.
func explainAll(t *testing.T, db *DB, today time.Time) {
	day := today.AddDate(0, 0, -1)
	from, to := day, today
	queries := []struct {
		name string
		sql  string
		args []any
	}{
		{"overdue shipments: count", `SELECT count(*) FROM orders o WHERE o.promised_on IS NOT NULL AND o.promised_on < $1::date AND ` + awaitingWhere, []any{today}},
		{"reminder candidates", reminderCandidatesSQL, []any{today.AddDate(0, 0, 1)}},
		{"summary: receivables and ageing", receivablesSQL, []any{today}},
		{"summary: new orders of the day", `SELECT count(*), coalesce(sum(total), 0) FROM orders WHERE created_at >= $1 AND created_at < $2`, []any{from, to}},
		{"summary: confirmed of the day", `SELECT count(*), coalesce(sum(total), 0) FROM orders WHERE confirmed_at >= $1 AND confirmed_at < $2`, []any{from, to}},
		{"summary: waiting for shipment", `SELECT count(DISTINCT o.id), coalesce(sum((l.qty - l.shipped - l.released) * l.price), 0)
			FROM orders o JOIN order_lines l ON l.order_id = o.id WHERE ` + awaitingWhere, nil},
		{"outbox claim", claimLaneSQL, []any{today.Add(12 * time.Hour), today.Add(13 * time.Hour), "explain"}},
	}
	for _, q := range queries {
		rows, err := db.pool.Query(context.Background(), "EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) "+q.sql, q.args...)
		if err != nil {
			t.Fatalf("%s: %v", q.name, err)
		}
		var plan []string
		for rows.Next() {
			var line string
			if err := rows.Scan(&line); err != nil {
				t.Fatal(err)
			}
			plan = append(plan, line)
		}
		rows.Close()
		t.Logf("EXPLAIN ANALYZE %s:\n%s", q.name, strings.Join(plan, "\n"))
	}
}

// measureClaims times claiming and finishing with the outbox as the first
// reminder run left it, the way a sender works through a backlog.
func measureClaims(t *testing.T, db *DB, today time.Time) {
	ctx := context.Background()
	counts, err := db.OutboxCounts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	now := today.Add(12 * time.Hour)
	start := time.Now()
	n := 0
	for n < 2000 {
		c, err := db.ClaimLane(ctx, now, time.Minute, fmt.Sprint("m", n))
		if err != nil {
			t.Fatal(err)
		}
		if c == nil {
			break
		}
		ns, err := db.LaneNotices(ctx, c, now, 20)
		if err != nil {
			t.Fatal(err)
		}
		for _, x := range ns {
			if _, err := db.Finish(ctx, c, x.ID, core.Outcome{State: core.Sent}, now); err != nil {
				t.Fatal(err)
			}
			n++
		}
		if err := db.ReleaseLane(ctx, c, now); err != nil {
			t.Fatal(err)
		}
	}
	t.Logf("outbox backlog %v: %d claims+finishes in %v (%v each)", counts, n, time.Since(start).Round(time.Millisecond),
		(time.Since(start) / time.Duration(max(n, 1))).Round(time.Microsecond))
}
