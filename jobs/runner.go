package jobs

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"time"

	"github.com/robfig/cron/v3"
)

// Job is one row of the job table: a name, a cron schedule in the business
// time zone, and the work of one period, which starts at tick.
type Job struct {
	Name     string
	Schedule string
	Run      func(ctx context.Context, tick time.Time) error
}

// RunStore coordinates replicas (storage/postgres): an advisory lock while a
// job runs, and a row per job and period that makes a second run of the same
// period a no-op.
type RunStore interface {
	TryJobLock(ctx context.Context, job string) (release func(), ok bool, err error)
	ClaimRun(ctx context.Context, job, period string, now, staleBefore time.Time) (bool, error)
	FinishRun(ctx context.Context, job, period, runErr string, now time.Time) error
}

// Result says what became of a request to run a job for a period.
type Result string

// Results of RunAt.
const (
	Ran         Result = "ran"
	Failed      Result = "failed"
	StillBusy   Result = "still_running" // the previous run in this process has not finished
	LockedElse  Result = "locked"        // another replica is running it
	AlreadyDone Result = "period_done"   // this period ran already
)

// Runner runs the job table on its schedules. Every run gets a timeout,
// logging, recovery from panics, a skip when the previous run is still going,
// the cross-replica lock and the per-period row. A failed run is retried
// with back-off; at start, each job's latest period runs if it has not (the
// process was down when it came).
type Runner struct {
	cfg     Config
	store   RunStore
	jobs    map[string]Job
	scheds  map[string]cron.Schedule
	busy    map[string]*atomic.Bool
	log     *slog.Logger
	wg      sync.WaitGroup
	started atomic.Bool
	onRun   func(job, outcome string)
}

// NewRunner checks the table: every schedule parses, names are unique.
func NewRunner(cfg Config, store RunStore, table []Job) (*Runner, error) {
	cfg.fill()
	r := &Runner{cfg: cfg, store: store, jobs: map[string]Job{}, scheds: map[string]cron.Schedule{},
		busy: map[string]*atomic.Bool{}, log: cfg.Logger}
	var errs []error
	for _, j := range table {
		if _, dup := r.jobs[j.Name]; dup || j.Name == "" || j.Run == nil {
			errs = append(errs, fmt.Errorf("job %q: empty, without work, or named twice", j.Name))
			continue
		}
		s, err := ParseSchedule(j.Schedule)
		if err != nil {
			errs = append(errs, fmt.Errorf("job %s: schedule %q: %w", j.Name, j.Schedule, err))
			continue
		}
		r.jobs[j.Name], r.scheds[j.Name], r.busy[j.Name] = j, s, new(atomic.Bool)
	}
	if cfg.Location == nil {
		errs = append(errs, errors.New("jobs: the business time zone is not set"))
	}
	return r, errors.Join(errs...)
}

// Next is when a job runs next after t (for logs, tests and read-outs).
func (r *Runner) Next(name string, t time.Time) time.Time {
	return r.scheds[name].Next(t.In(r.cfg.Location))
}

// catchUpWindow bounds how far back Prev looks for a job's latest period.
const catchUpWindow = 8 * 24 * time.Hour

// Prev is the start of a job's latest period at or before t, if one began
// within the last eight days.
func (r *Runner) Prev(name string, t time.Time) (time.Time, bool) {
	s, ok := r.scheds[name]
	if !ok {
		return time.Time{}, false
	}
	t = t.In(r.cfg.Location)
	var prev time.Time
	for at := s.Next(t.Add(-catchUpWindow)); !at.IsZero() && !at.After(t); at = s.Next(at) {
		prev = at
	}
	return prev, !prev.IsZero()
}

// Start runs every job on its schedule until ctx ends, first catching up
// on each job's latest period; Wait waits for runs in flight after that.
func (r *Runner) Start(ctx context.Context) {
	if !r.started.CompareAndSwap(false, true) {
		return
	}
	c := cron.New(cron.WithLocation(r.cfg.Location))
	for name, s := range r.scheds {
		c.Schedule(s, cron.FuncJob(func() {
			tick := r.cfg.Now().In(r.cfg.Location).Truncate(time.Minute)
			r.wg.Add(1)
			defer r.wg.Done()
			r.runWithRetry(ctx, name, tick)
		}))
		r.log.Info("job scheduled", "job", name, "schedule", r.jobs[name].Schedule, "next", r.Next(name, r.cfg.Now()))
	}
	c.Start()
	r.catchUp(ctx)
	go func() {
		<-ctx.Done()
		<-c.Stop().Done()
	}()
}

// catchUp runs each job's latest period unless it ran: a period missed
// while the process was down runs once when it comes back (older missed
// periods are not replayed), and a period that failed is tried again.
func (r *Runner) catchUp(ctx context.Context) {
	now := r.cfg.Now()
	for name := range r.scheds {
		tick, ok := r.Prev(name, now)
		if !ok {
			continue
		}
		r.wg.Add(1)
		go func() {
			defer r.wg.Done()
			r.runWithRetry(ctx, name, tick)
		}()
	}
}

// Settle records each job's latest period as done without running it: a
// history just written (the sandbox's demo) is not news to report, and the
// catch-up at Start would otherwise report it. Periods already recorded are
// left as they are.
func (r *Runner) Settle(ctx context.Context) error {
	now := r.cfg.Now()
	for name := range r.scheds {
		tick, ok := r.Prev(name, now)
		if !ok {
			continue
		}
		p := period(r.cfg.Location, tick)
		claimed, err := r.store.ClaimRun(ctx, name, p, now, now.Add(-2*r.cfg.Timeout))
		if err != nil {
			return fmt.Errorf("settle job %s: %w", name, err)
		}
		if claimed {
			if err := r.store.FinishRun(ctx, name, p, "", now); err != nil {
				return fmt.Errorf("settle job %s: %w", name, err)
			}
		}
	}
	return nil
}

// runWithRetry runs a period and, while it fails (or its bookkeeping does),
// tries it again after RetryBackoff, doubling the wait each time.
func (r *Runner) runWithRetry(ctx context.Context, name string, tick time.Time) {
	wait := r.cfg.RetryBackoff
	for attempt := 0; ; attempt++ {
		res, err := r.RunAt(ctx, name, tick)
		if (res != Failed && err == nil) || res == StillBusy || attempt >= r.cfg.Retries {
			return
		}
		r.log.Warn("job will be retried", "job", name, "period", period(r.cfg.Location, tick), "in", wait.String(),
			"retry", attempt+1, "of", r.cfg.Retries)
		select {
		case <-ctx.Done():
			return
		case <-time.After(wait):
		}
		wait *= 2
	}
}

// period names the period that starts at tick, as job_runs records it.
func period(loc *time.Location, tick time.Time) string {
	return tick.In(loc).Format("2006-01-02T15:04")
}

// Wait blocks until runs in flight finish or the timeout passes.
func (r *Runner) Wait(timeout time.Duration) bool {
	done := make(chan struct{})
	go func() { r.wg.Wait(); close(done) }()
	select {
	case <-done:
		return true
	case <-time.After(timeout):
		return false
	}
}

// RunAt runs a job for the period that starts at tick, unless it is running
// here or elsewhere or that period ran already.
func (r *Runner) RunAt(ctx context.Context, name string, tick time.Time) (res Result, err error) {
	if r.onRun != nil {
		defer func() { r.onRun(name, string(res)) }()
	}
	return r.runAt(ctx, name, tick)
}

// OnRun sets a function told of every run's outcome (metrics).
func (r *Runner) OnRun(f func(job, outcome string)) { r.onRun = f }

func (r *Runner) runAt(ctx context.Context, name string, tick time.Time) (Result, error) {
	j, ok := r.jobs[name]
	if !ok {
		return Failed, fmt.Errorf("no job %q", name)
	}
	period := period(r.cfg.Location, tick)
	log := r.log.With("job", name, "period", period)
	if !r.busy[name].CompareAndSwap(false, true) {
		log.Warn("job skipped: the previous run is still going")
		return StillBusy, nil
	}
	defer r.busy[name].Store(false)
	release, ok, err := r.store.TryJobLock(ctx, name)
	if err != nil || !ok {
		log.Info("job skipped: running on another replica", "err", err)
		return LockedElse, err
	}
	defer release()
	now := r.cfg.Now()
	claimed, err := r.store.ClaimRun(ctx, name, period, now, now.Add(-2*r.cfg.Timeout))
	if err != nil || !claimed {
		log.Info("job skipped: period already run", "err", err)
		return AlreadyDone, err
	}
	start := time.Now()
	err = r.protect(ctx, j, tick)
	msg := ""
	if err != nil {
		msg = err.Error()
	}
	if ferr := r.store.FinishRun(context.WithoutCancel(ctx), name, period, msg, r.cfg.Now()); ferr != nil {
		log.Error("job run not recorded", "err", ferr)
	}
	if err != nil {
		log.Error("job failed", "err", err, "duration_ms", time.Since(start).Milliseconds())
		return Failed, err
	}
	log.Info("job done", "duration_ms", time.Since(start).Milliseconds())
	return Ran, nil
}

// protect runs the work under the timeout, turning a panic into an error.
func (r *Runner) protect(ctx context.Context, j Job, tick time.Time) (err error) {
	ctx, cancel := context.WithTimeout(ctx, r.cfg.Timeout)
	defer cancel()
	defer func() {
		if p := recover(); p != nil {
			r.log.Error("job panicked", "job", j.Name, "panic", fmt.Sprint(p), "stack", string(debug.Stack()))
			err = fmt.Errorf("panic: %v", p)
		}
	}()
	return j.Run(ctx, tick)
}
