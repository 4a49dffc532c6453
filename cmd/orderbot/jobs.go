package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"sync/atomic"
	"text/tabwriter"
	"time"

	"github.com/orderbot/orderbot/core"
	"github.com/orderbot/orderbot/jobs"
	"github.com/orderbot/orderbot/storage/postgres"
)

// `orderbot jobs list` and `orderbot jobs run NAME [--at TIME] [--dry-run]`:
// an operator sees the scheduled jobs and runs (and times) any of them by
// hand, through the same runner as `run` (lock, one run per period), or as a
// dry run that computes and prints what it would send and changes nothing.

func cmdJobs(ctx context.Context, cfg Config, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return usageError{"want: orderbot jobs list, or orderbot jobs run NAME [--at TIME] [--dry-run]"}
	}
	switch args[0] {
	case "list":
		if len(args) > 1 {
			return usageError{"want: orderbot jobs list"}
		}
		return jobsList(ctx, cfg, stdout)
	case "run":
		return jobsRun(ctx, cfg, args[1:], stdout, stderr)
	}
	return usageError{fmt.Sprintf("unknown jobs command %q: want list or run", args[0])}
}

// cliJobs builds the job table on the database alone (the notices go to the
// outbox; a running orderbot delivers them) with the clock now.
type cliJobs struct {
	sched  *jobs.Scheduler
	runner *jobs.Runner
	table  map[string]jobs.Job
	names  []string
}

func newCLIJobs(cfg Config, db *postgres.DB, now func() time.Time, outbox jobs.Outbox, reminders func(core.ReminderStore) core.ReminderStore,
	log *slog.Logger) (*cliJobs, error) {
	d := core.Deps{Store: db, Currency: cfg.Currency, Location: cfg.Location, Pricing: cfg.Pricing, Now: now,
		KeepStarsOnCancel: !cfg.StarsRefundOnCancel}
	staff := core.NewStaff(d, db, cfg.OwnerIDs, cfg.ManagerIDs)
	jcfg := cfg.Jobs
	jcfg.Location, jcfg.BusinessHours, jcfg.Now, jcfg.Logger = cfg.Location, cfg.BusinessHours, now, log
	rem, err := core.NewReminders(d, reminders(db), staff, jcfg.Reminders)
	if err != nil {
		return nil, fmt.Errorf("reminders: %w", err)
	}
	sched, err := jobs.New(jcfg, jobs.Services{Outbox: outbox, Reports: core.NewReports(d, db, cfg.LowStock), Reminders: rem, Staff: staff,
		Orders: core.NewOrders(d)})
	if err != nil {
		return nil, err
	}
	runner, err := jobs.NewRunner(jcfg, db, sched.Table())
	if err != nil {
		return nil, err
	}
	c := &cliJobs{sched: sched, runner: runner, table: map[string]jobs.Job{}}
	for _, j := range sched.Table() {
		c.table[j.Name] = j
		c.names = append(c.names, j.Name)
	}
	return c, nil
}

func jobsList(ctx context.Context, cfg Config, stdout io.Writer) error {
	db, err := openDB(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	c, err := newCLIJobs(cfg, db, time.Now, db, func(s core.ReminderStore) core.ReminderStore { return s }, slog.New(slog.DiscardHandler))
	if err != nil {
		return err
	}
	last, err := db.JobStatuses(ctx)
	if err != nil {
		return err
	}
	byJob := map[string]core.JobStatus{}
	for _, s := range last {
		byJob[s.Job] = s
	}
	tw := tabwriter.NewWriter(stdout, 2, 4, 2, ' ', 0)
	for _, name := range c.names {
		run := "never ran"
		if s, ok := byJob[name]; ok {
			state := "done"
			if s.Failed {
				state = fmt.Sprintf("FAILED after %d attempt(s): %s", s.Attempts, shorten(s.Error, 80))
			}
			run = fmt.Sprintf("last %s %s in %s", s.Period, state, s.Took.Round(time.Millisecond))
		}
		next := c.runner.Next(name, time.Now()).Format("2006-01-02 15:04")
		fmt.Fprintf(tw, "%s\t%s\t%s\tnext %s\n", name, c.table[name].Schedule, run, next)
	}
	return tw.Flush()
}

func jobsRun(ctx context.Context, cfg Config, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("jobs run", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	at := fs.String("at", "", "")
	dry := fs.Bool("dry-run", false, "")
	bad := usageError{"want: orderbot jobs run NAME [--at TIME] [--dry-run] (TIME: 2026-03-10 08:00, 2026-03-10 or RFC 3339)"}
	if err := fs.Parse(args); err != nil || fs.NArg() == 0 {
		return bad
	}
	name := fs.Arg(0)
	if err := fs.Parse(fs.Args()[1:]); err != nil || fs.NArg() > 0 {
		return bad
	}
	db, err := openDB(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	started := time.Now()
	when := started
	clock := func() time.Time { return when.Add(time.Since(started)) }
	rec := &jobs.Recorder{}
	var out jobs.Outbox = &countingOutbox{Outbox: db}
	wrap := func(s core.ReminderStore) core.ReminderStore {
		return &countingReminders{ReminderStore: s, n: &out.(*countingOutbox).n}
	}
	if *dry {
		out, wrap = rec, rec.Reminders
	}
	c, err := newCLIJobs(cfg, db, clock, out, wrap, newLogger(Config{LogFormat: "text"}, stderr))
	if err != nil {
		return err
	}
	job, ok := c.table[name]
	if !ok {
		return usageError{fmt.Sprintf("no job %q: want one of %v", name, c.names)}
	}
	tick := started.In(cfg.Location).Truncate(time.Minute)
	if *at != "" {
		if tick, err = parseAt(*at, cfg.Location, c.runner, name); err != nil {
			return usageError{err.Error()}
		}
		when = tick
	}
	if *dry {
		return dryRun(ctx, job, tick, rec, stdout)
	}
	start := time.Now()
	res, err := c.runner.RunAt(ctx, name, tick)
	took := time.Since(start)
	switch res {
	case jobs.Ran:
		fmt.Fprintf(stdout, "%s for %s: ran in %s, %d notice(s) enqueued\n", name, tick.Format("2006-01-02 15:04 MST"),
			took.Round(time.Millisecond), out.(*countingOutbox).n.Load())
	case jobs.Failed:
		return fmt.Errorf("%s for %s failed after %s: %w", name, tick.Format("2006-01-02 15:04 MST"), took.Round(time.Millisecond), err)
	default:
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "%s for %s: not run (%s): the period ran already or runs elsewhere; "+
			"--dry-run shows what it computes\n", name, tick.Format("2006-01-02 15:04 MST"), res)
	}
	return nil
}

// parseAt reads --at in the business time zone. A bare date means the
// job's first period that day (its scheduled time), so that a missed or
// past period can be named by its day.
func parseAt(s string, loc *time.Location, r *jobs.Runner, job string) (time.Time, error) {
	for _, layout := range []string{time.RFC3339, "2006-01-02T15:04", "2006-01-02 15:04"} {
		if t, err := time.ParseInLocation(layout, s, loc); err == nil {
			return t.Truncate(time.Minute), nil
		}
	}
	d, err := time.ParseInLocation(time.DateOnly, s, loc)
	if err != nil {
		return time.Time{}, fmt.Errorf("--at %q: want 2026-03-10 08:00, 2026-03-10 or RFC 3339", s)
	}
	if next := r.Next(job, d.Add(-time.Second)); next.Before(d.AddDate(0, 0, 1)) {
		return next, nil
	}
	return d, nil
}

// dryRun runs the job's work with the Recorder in place of the outbox and
// prints each notice it would send.
func dryRun(ctx context.Context, job jobs.Job, tick time.Time, rec *jobs.Recorder, stdout io.Writer) error {
	start := time.Now()
	if err := job.Run(ctx, tick); err != nil {
		return fmt.Errorf("%s (dry run) for %s: %w", job.Name, tick.Format("2006-01-02 15:04 MST"), err)
	}
	took := time.Since(start)
	ns := rec.Notices()
	for _, n := range ns {
		fmt.Fprintf(stdout, "would send to %d: %s %s\n", n.ChatID, n.Kind, describeNotice(n))
	}
	if n := rec.Closed(); n > 0 {
		fmt.Fprintf(stdout, "would close %d order(s) shipped and paid long enough\n", n)
	}
	fmt.Fprintf(stdout, "%s for %s (dry run): computed in %s; would send %d notice(s) and record %d reminder level(s); nothing was changed\n",
		job.Name, tick.Format("2006-01-02 15:04 MST"), took.Round(time.Millisecond), len(ns), rec.Levels())
	return nil
}

// describeNotice is one line on what a notice says.
func describeNotice(n core.Notice) string {
	switch n.Kind {
	case core.NoticeReminder:
		var r core.Reminder
		if json.Unmarshal(n.Payload, &r) == nil {
			var open core.Money
			for _, l := range r.Invoices {
				open += l.Open
			}
			return fmt.Sprintf("%s: %d invoice(s), %d open (minor units), level %d", r.Customer, len(r.Invoices), open, r.Level)
		}
	case core.NoticeInvoicePDF:
		var p core.InvoicePDFNotice
		if json.Unmarshal(n.Payload, &p) == nil {
			return "invoice " + p.Number
		}
	case core.NoticeReminded:
		var l core.RemindedList
		if json.Unmarshal(n.Payload, &l) == nil {
			return fmt.Sprintf("%d customer(s) reminded", len(l.Customers))
		}
	case core.NoticeOverdueShipments:
		var l core.OverdueList
		if json.Unmarshal(n.Payload, &l) == nil {
			return fmt.Sprintf("%d order(s) late to ship", l.Total)
		}
	case core.NoticeSummary, core.NoticeSummaryChart:
		var s core.Summary
		if json.Unmarshal(n.Payload, &s) == nil {
			return fmt.Sprintf("%s: %d new orders, %d payments, receivables %d, %d waiting", s.Day.Format(time.DateOnly),
				s.NewOrders, s.Payments, s.Receivables, s.Waiting)
		}
	}
	return n.Key
}

// countingOutbox and countingReminders count what a real run enqueues.
type countingOutbox struct {
	jobs.Outbox
	n atomic.Int64
}

func (c *countingOutbox) Enqueue(ctx context.Context, ns []core.Notice) (int, error) {
	k, err := c.Outbox.Enqueue(ctx, ns)
	c.n.Add(int64(k))
	return k, err
}

type countingReminders struct {
	core.ReminderStore
	n *atomic.Int64
}

func (c *countingReminders) SaveReminders(ctx context.Context, batch []core.CustomerReminder) ([]int64, error) {
	saved, err := c.ReminderStore.SaveReminders(ctx, batch)
	ok := map[int64]bool{}
	for _, id := range saved {
		ok[id] = true
	}
	for _, b := range batch {
		if ok[b.Customer.CustomerID] {
			c.n.Add(int64(len(b.Notices)))
		}
	}
	return saved, err
}

func (c *countingReminders) Enqueue(ctx context.Context, ns []core.Notice) (int, error) {
	k, err := c.ReminderStore.Enqueue(ctx, ns)
	c.n.Add(int64(k))
	return k, err
}
