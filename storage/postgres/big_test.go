package postgres

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"runtime"
	"runtime/metrics"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/orderbot/orderbot/core"
	"github.com/orderbot/orderbot/jobs"
)

// TestBig_Jobs is a measurement, not a test of correctness: it runs only with
// ORDERBOT_BIG=1 and asserts no timing. It generates ORDERBOT_BIG_ORDERS
// orders (default 1,000,000) of ORDERBOT_BIG_CUSTOMERS customers (default
// 5,000) into a throwaway database, or into ORDERBOT_BIG_URL when that is
// empty (and reuses it when it is not); runs every job ORDERBOT_BIG_RUNS
// times (default 3), alone and while notices are being delivered; measures
// the reminders' Go heap; and writes EXPLAIN (ANALYZE, BUFFERS) of every job
// query to testdata/jobs_explain_<orders>.txt.
//
//	ORDERBOT_BIG=1 go test ./storage/postgres -run TestBig -v -timeout 60m
func TestBig_Jobs(t *testing.T) {
	if os.Getenv("ORDERBOT_BIG") != "1" {
		t.Skip("set ORDERBOT_BIG=1 to fill a big database and measure the jobs")
	}
	orders, customers := envInt("ORDERBOT_BIG_ORDERS", 1_000_000), envInt("ORDERBOT_BIG_CUSTOMERS", 5_000)
	runs := envInt("ORDERBOT_BIG_RUNS", 3)
	db := bigDB(t)
	today := time.Date(2026, 3, 10, 0, 0, 0, 0, time.UTC)
	var n int
	if err := db.pool.QueryRow(context.Background(), `SELECT count(*) FROM orders`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n == 0 {
		start := time.Now()
		res, err := db.Generate(context.Background(), GenerateOptions{Orders: orders, Customers: customers, Seed: 1,
			Now: today.Add(7 * time.Hour)})
		if err != nil {
			t.Fatal(err)
		}
		took := time.Since(start)
		t.Logf("generated %d orders, %d customers in %v (%.0f orders/s; load %v, keys and indexes %v): %+v", orders, customers,
			took.Round(100*time.Millisecond), float64(orders)/took.Seconds(), res.Load.Round(100*time.Millisecond),
			res.Build.Round(100*time.Millisecond), *res)
	}
	b := &bigRun{t: t, db: db, today: today, runs: runs}
	b.logSizes()
	b.resetJobState()
	b.explainAll()
	b.measure("alone")
	b.withDelivery(func() { b.measure("while delivering") })
	b.backlog()
}

func envInt(name string, def int) int {
	if n, err := strconv.Atoi(os.Getenv(name)); err == nil && n > 0 {
		return n
	}
	return def
}

// bigDB is a database for the measurements: ORDERBOT_BIG_URL names one to
// keep between runs (created if missing), else a throwaway one.
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

type bigRun struct {
	t     *testing.T
	db    *DB
	today time.Time
	runs  int
}

func (b *bigRun) exec(sql string, args ...any) {
	b.t.Helper()
	if _, err := b.db.pool.Exec(context.Background(), sql, args...); err != nil {
		b.t.Fatalf("%v\n%s", err, sql)
	}
}

func (b *bigRun) logSizes() {
	var s string
	err := b.db.pool.QueryRow(context.Background(), `SELECT format('orders %s, order lines %s, events %s, invoices %s, payments %s, '
		'allocations %s, reminders sent %s; open invoices %s, customers owing %s, orders awaiting shipment %s (%s late)',
		(SELECT count(*) FROM orders), (SELECT count(*) FROM order_lines), (SELECT count(*) FROM order_events),
		(SELECT count(*) FROM invoices), (SELECT count(*) FROM payments), (SELECT count(*) FROM allocations),
		(SELECT count(*) FROM invoice_reminders), (SELECT count(*) FROM open_invoices),
		(SELECT count(*) FROM customer_balances WHERE invoiced > paid), (SELECT count(*) FROM awaiting_orders),
		(SELECT count(*) FROM awaiting_orders WHERE promised_on < $1))`, b.today).Scan(&s)
	if err != nil {
		b.t.Fatal(err)
	}
	b.t.Log(s)
}

// resetJobState undoes what earlier measurements did: reminders from today
// on, the outbox, job runs; open invoices' reminder dates follow.
func (b *bigRun) resetJobState() {
	b.exec(`DELETE FROM invoice_reminders WHERE sent_on >= $1`, b.today)
	b.restoreReminderDates()
	b.exec(`TRUNCATE outbox, job_runs`)
	b.exec(`VACUUM ANALYZE open_invoices, invoice_reminders, outbox, job_runs`)
}

func (b *bigRun) restoreReminderDates() {
	b.exec(`UPDATE reminder_levels SET levels = '{-1,0,3,7,14}'`)
	b.exec(`UPDATE open_invoices o SET last_level = r.last,
		next_remind_on = next_remind_on(o.due_on, o.issued_on, r.last, '{-1,0,3,7,14}')
		FROM open_invoices x LEFT JOIN LATERAL (SELECT max(level) AS last FROM invoice_reminders m WHERE m.invoice_id = x.invoice_id) r ON true
		WHERE x.invoice_id = o.invoice_id
		  AND (o.last_level, o.next_remind_on) IS DISTINCT FROM (r.last, next_remind_on(o.due_on, o.issued_on, r.last, '{-1,0,3,7,14}'))`)
}

// scheduler builds the real job table on a fixed clock.
func (b *bigRun) scheduler(now time.Time) ([]jobs.Job, *core.Reports) {
	clock := func() time.Time { return now }
	d := core.Deps{Store: b.db, Currency: core.MustCurrency("USD"), Location: time.UTC, Now: clock}
	staff := core.NewStaff(d, b.db, []int64{900}, []int64{901, 902})
	rem, err := core.NewReminders(d, b.db, staff, core.DefaultReminderPolicy)
	if err != nil {
		b.t.Fatal(err)
	}
	reports := core.NewReports(d, b.db, 5)
	s, err := jobs.New(jobs.Config{Location: time.UTC, Now: clock, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))},
		jobs.Services{Outbox: b.db, Reports: reports, Reminders: rem, Staff: staff})
	if err != nil {
		b.t.Fatal(err)
	}
	return s.Table(), reports
}

func job(table []jobs.Job, name string) jobs.Job {
	for _, j := range table {
		if j.Name == name {
			return j
		}
	}
	panic(name)
}

// measure times each job runs times: overdue shipments and the daily
// summary as scheduled, the debts read-out, and the reminders' first run of
// each of runs days and a second run an hour later.
func (b *bigRun) measure(what string) {
	ctx := context.Background()
	table, reports := b.scheduler(b.today.Add(9 * time.Hour))
	b.timeRuns(what, "overdue_shipments", func() error { return job(table, jobs.JobOverdueShipments).Run(ctx, b.today.Add(9*time.Hour)) })
	b.timeRuns(what, "daily_summary", func() error { return job(table, jobs.JobDailySummary).Run(ctx, b.today.Add(8*time.Hour)) })
	b.timeRuns(what, "debts (receivables and ageing)", func() error {
		_, err := reports.JobStatuses(ctx, core.System) // the summary's job line
		if err == nil {
			_, err = b.db.Balances(ctx, core.BalanceFilter{Today: b.today})
		}
		return err
	})
	var first, again []time.Duration
	var peak []uint64
	for d := range b.runs {
		table, _ := b.scheduler(b.today.AddDate(0, 0, d).Add(10 * time.Hour))
		run := job(table, jobs.JobPaymentReminders).Run
		took, heap := b.timeHeap(func() error { return run(ctx, b.today.AddDate(0, 0, d).Add(10*time.Hour)) })
		first, peak = append(first, took), append(peak, heap)
		table, _ = b.scheduler(b.today.AddDate(0, 0, d).Add(11 * time.Hour))
		took, _ = b.timeHeap(func() error {
			return job(table, jobs.JobPaymentReminders).Run(ctx, b.today.AddDate(0, 0, d).Add(11*time.Hour))
		})
		again = append(again, took)
	}
	var levels int
	if err := b.db.pool.QueryRow(ctx, `SELECT count(*) FROM invoice_reminders WHERE sent_on >= $1`, b.today).Scan(&levels); err != nil {
		b.t.Fatal(err)
	}
	b.t.Logf("%-18s %-44s %s  (%d levels recorded over %d days, Go heap peak %s)", what, "payment_reminders, first run of a day",
		span(first), levels, b.runs, spanMB(peak))
	b.t.Logf("%-18s %-44s %s", what, "payment_reminders, again an hour later", span(again))
	b.resetJobState()
}

func (b *bigRun) timeRuns(what, name string, f func() error) {
	b.t.Helper()
	var ds []time.Duration
	for range b.runs {
		took, _ := b.timeHeap(f)
		ds = append(ds, took)
		b.exec(`TRUNCATE outbox`)
	}
	b.t.Logf("%-18s %-44s %s", what, name, span(ds))
}

// timeHeap runs f and returns how long it took and the highest Go heap
// (bytes of live and not yet collected objects) seen while it ran.
func (b *bigRun) timeHeap(f func() error) (time.Duration, uint64) {
	b.t.Helper()
	runtime.GC()
	var peak atomic.Uint64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
		for {
			metrics.Read(s)
			if v := s[0].Value.Uint64(); v > peak.Load() {
				peak.Store(v)
			}
			select {
			case <-stop:
				return
			case <-time.After(time.Millisecond):
			}
		}
	}()
	start := time.Now()
	err := f()
	took := time.Since(start)
	close(stop)
	wg.Wait()
	if err != nil {
		b.t.Fatal(err)
	}
	return took, peak.Load()
}

// withDelivery runs f while delivery works the way it does in a live shop:
// four senders claim and finish notices at Telegram's pace (30 a second in
// all) and changes keep enqueueing new ones (10 a second).
func (b *bigRun) withDelivery(f func()) {
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	var sent atomic.Int64
	now := b.today.Add(12 * time.Hour)
	pace := time.NewTicker(time.Second / 30)
	defer pace.Stop()
	for w := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-ctx.Done():
					return
				case <-pace.C:
				}
				c, err := b.db.ClaimLane(ctx, now, time.Minute, fmt.Sprint("bench", w))
				if err != nil || c == nil {
					continue
				}
				if ns, err := b.db.LaneNotices(ctx, c, now, 1); err == nil && len(ns) == 1 {
					if _, err := b.db.Finish(ctx, c, ns[0].ID, core.Outcome{State: core.Sent}, now); err == nil {
						sent.Add(1)
					}
				}
				b.db.ReleaseLane(ctx, c, now) //nolint:errcheck
			}
		}()
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 0; ctx.Err() == nil; i++ {
			n, _ := core.NewNotice(fmt.Sprintf("bench:%d", i), 1000+int64(i%500), core.NoticeOrderUpdate, map[string]int{"i": i}, now)
			b.db.Enqueue(ctx, []core.Notice{n}) //nolint:errcheck
			time.Sleep(100 * time.Millisecond)
		}
	}()
	start := time.Now()
	f()
	cancel()
	wg.Wait()
	b.t.Logf("while delivering: %d notices claimed and sent in %v", sent.Load(), time.Since(start).Round(time.Second))
}

// backlog measures the reminders' first run with no reminder ever sent
// (as right after reminders were switched on): every overdue invoice is due.
func (b *bigRun) backlog() {
	ctx := context.Background()
	var first []time.Duration
	var peak []uint64
	var customers, levels int
	for range b.runs {
		b.exec(`TRUNCATE invoice_reminders, outbox, job_runs`)
		b.restoreReminderDates()
		b.exec(`VACUUM ANALYZE open_invoices, invoice_reminders`)
		table, _ := b.scheduler(b.today.Add(10 * time.Hour))
		took, heap := b.timeHeap(func() error { return job(table, jobs.JobPaymentReminders).Run(ctx, b.today.Add(10*time.Hour)) })
		first, peak = append(first, took), append(peak, heap)
		if err := b.db.pool.QueryRow(ctx, `SELECT count(DISTINCT customer_id), count(*) FROM invoice_reminders`).Scan(&customers, &levels); err != nil {
			b.t.Fatal(err)
		}
	}
	b.t.Logf("%-18s %-44s %s  (%d customers, %d levels, Go heap peak %s)", "no reminder history",
		"payment_reminders, first run", span(first), customers, levels, spanMB(peak))
	b.t.Log("the reminder history is gone from this database now; generate it again for the next measurement")
}

func span(ds []time.Duration) string {
	slices.Sort(ds)
	ms := func(d time.Duration) string { return strconv.FormatFloat(float64(d.Microseconds())/1000, 'f', 1, 64) }
	return fmt.Sprintf("%s–%s ms over %d runs", ms(ds[0]), ms(ds[len(ds)-1]), len(ds))
}

func spanMB(bs []uint64) string {
	slices.Sort(bs)
	mb := func(v uint64) string { return strconv.FormatFloat(float64(v)/(1<<20), 'f', 1, 64) }
	return fmt.Sprintf("%s–%s MB", mb(bs[0]), mb(bs[len(bs)-1]))
}
