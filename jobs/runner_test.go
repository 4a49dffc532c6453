package jobs_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/orderbot/orderbot/core"
	"github.com/orderbot/orderbot/jobs"
)

// TestSchedules_Validated: every default schedule parses and runs when it
// says in the business time zone; bad schedules, steps and time zones fail
// at start with the variable's name.
func TestSchedules_Validated(t *testing.T) {
	berlin, _ := time.LoadLocation("Europe/Berlin")
	cfg := jobs.Config{Location: berlin}
	sched, err := jobs.New(cfg, jobs.Services{})
	if err != nil {
		t.Fatal(err)
	}
	r, err := jobs.NewRunner(cfg, nil, sched.Table())
	if err != nil {
		t.Fatal(err)
	}
	from := time.Date(2026, 3, 10, 7, 30, 0, 0, berlin)
	for name, want := range map[string]time.Time{
		jobs.JobOverdueShipments: time.Date(2026, 3, 10, 9, 0, 0, 0, berlin),
		jobs.JobPaymentReminders: time.Date(2026, 3, 10, 8, 0, 0, 0, berlin),
		jobs.JobDailySummary:     time.Date(2026, 3, 10, 8, 0, 0, 0, berlin),
		jobs.JobOutboxPrune:      time.Date(2026, 3, 11, 3, 30, 0, 0, berlin),
	} {
		if got := r.Next(name, from); !got.Equal(want) {
			t.Errorf("%s next after %v: %v, want %v", name, from, got, want)
		}
	}
	bad := []struct {
		cfg  jobs.Config
		want string
	}{
		{jobs.Config{Location: berlin, SummarySchedule: "0 25 * * *"}, "JOBS_SUMMARY_SCHEDULE"},
		{jobs.Config{Location: berlin, OverdueSchedule: "every day"}, "JOBS_OVERDUE_SCHEDULE"},
		{jobs.Config{Location: berlin, ReminderSchedule: "CRON_TZ=UTC 0 * * * *"}, "JOBS_REMINDER_SCHEDULE"},
		{jobs.Config{}, "TIMEZONE"},
		{jobs.Config{Location: time.Local}, "TIMEZONE"},
		{jobs.Config{Location: berlin, BusinessHours: [2]time.Duration{18 * time.Hour, 9 * time.Hour}}, "BUSINESS_HOURS"},
		{jobs.Config{Location: berlin, Reminders: core.ReminderPolicy{Before: 1, After: []int{7, 3}}}, "REMIND_AFTER_DAYS"},
	}
	for _, b := range bad {
		_, err := jobs.New(b.cfg, jobs.Services{})
		if err == nil || !strings.Contains(err.Error(), b.want) {
			t.Errorf("config %+v: error %v, want one naming %s", b.cfg, err, b.want)
		}
	}
	if _, err := jobs.NewRunner(cfg, nil, []jobs.Job{{Name: "x", Schedule: "61 * * * *", Run: func(context.Context, time.Time) error { return nil }}}); err == nil {
		t.Error("a runner took a bad schedule")
	}
}

// TestRunner_TwoReplicasOnePeriod: two replicas (each its own bot, jobs and
// database pool) run the same period at once; one runs, the other skips,
// and the owner gets one summary; runs later in the period are no-ops.
func TestRunner_TwoReplicasOnePeriod(t *testing.T) {
	a := newShop(t)
	b := newShop(t, withDB(a.db))
	a.order(a.customer("Alice", 0, 0), nil, core.OrderLineInput{ProductID: a.product("TEA", "Tea", 450, 10).ID, Qty: 1})
	tick := time.Date(2026, 3, 10, 8, 0, 0, 0, time.UTC)
	var wg sync.WaitGroup
	results := make([]jobs.Result, 2)
	for i, s := range []*shop{a, b} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			res, err := s.runner.RunAt(ctx(), jobs.JobDailySummary, tick)
			if err != nil {
				t.Error(err)
			}
			results[i] = res
		}()
	}
	wg.Wait()
	ran := 0
	for _, r := range results {
		if r == jobs.Ran {
			ran++
		}
	}
	if ran != 1 {
		t.Fatalf("results %v: want exactly one run", results)
	}
	for _, s := range []*shop{a, b, a} {
		if res, _ := s.runner.RunAt(ctx(), jobs.JobDailySummary, tick); res != jobs.AlreadyDone {
			t.Fatalf("a later run of the period: %v", res)
		}
	}
	a.drain()
	b.drain()
	summaries := 0
	for _, s := range []*shop{a, b} {
		summaries += strings.Count(s.transcript(ownerID), "Summary for 9 Mar 2026")
	}
	runs, err := a.db.JobRuns(ctx(), jobs.JobDailySummary)
	if summaries != 1 || err != nil || len(runs) != 1 || runs[0].State != "done" {
		t.Fatalf("%d summaries, runs %+v %v", summaries, runs, err)
	}
}

// TestRunner_Guards: a failing job is recorded failed and may run again in
// its period; a panic is a failure, not a crash; a run still going is not
// started twice; a slow job hits its timeout.
func TestRunner_Guards(t *testing.T) {
	s := newShop(t)
	var calls atomic.Int32
	release := make(chan struct{})
	table := []jobs.Job{
		{Name: "flaky", Schedule: "@hourly", Run: func(context.Context, time.Time) error {
			if calls.Add(1) == 1 {
				return errors.New("database went away")
			}
			return nil
		}},
		{Name: "panics", Schedule: "@hourly", Run: func(context.Context, time.Time) error { panic("boom") }},
		{Name: "slow", Schedule: "@hourly", Run: func(ctx context.Context, _ time.Time) error {
			<-release
			<-ctx.Done()
			return ctx.Err()
		}},
	}
	cfg := s.cfg
	cfg.Timeout = 300 * time.Millisecond
	r, err := jobs.NewRunner(cfg, s.db, table)
	if err != nil {
		t.Fatal(err)
	}
	tick := time.Date(2026, 3, 10, 10, 0, 0, 0, time.UTC)
	for _, want := range []jobs.Result{jobs.Failed, jobs.Ran, jobs.AlreadyDone} {
		if res, _ := r.RunAt(ctx(), "flaky", tick); res != want {
			t.Fatalf("flaky: %v, want %v", res, want)
		}
	}
	if res, err := r.RunAt(ctx(), "panics", tick); res != jobs.Failed || !strings.Contains(err.Error(), "boom") {
		t.Fatalf("panics: %v %v", res, err)
	}
	done := make(chan jobs.Result)
	go func() { res, _ := r.RunAt(ctx(), "slow", tick); done <- res }()
	time.Sleep(100 * time.Millisecond)
	if res, _ := r.RunAt(ctx(), "slow", tick.Add(time.Hour)); res != jobs.StillBusy {
		t.Fatalf("second slow run: %v", res)
	}
	close(release)
	if res := <-done; res != jobs.Failed {
		t.Fatalf("slow run past its timeout: %v", res)
	}
}

// TestRunner_CatchesUpMissedPeriodOnce: a process that starts after a
// period began (it was down at 08:00) runs that period once at start; a
// restart later runs it no more; older missed periods are not replayed.
func TestRunner_CatchesUpMissedPeriodOnce(t *testing.T) {
	s := newShop(t) // 10 March 2026, 10:00 UTC
	var mu sync.Mutex
	var ticks []string
	table := []jobs.Job{
		{Name: "daily", Schedule: "0 8 * * *", Run: func(_ context.Context, tick time.Time) error {
			mu.Lock()
			defer mu.Unlock()
			ticks = append(ticks, tick.UTC().Format("01-02T15:04"))
			return nil
		}},
	}
	start := func() {
		t.Helper()
		r, err := jobs.NewRunner(s.cfg, s.db, table)
		if err != nil {
			t.Fatal(err)
		}
		c, cancel := context.WithCancel(ctx())
		r.Start(c)
		if !r.Wait(10 * time.Second) {
			t.Fatal("catch-up did not finish")
		}
		cancel()
	}
	start()
	start()
	s.clock.Advance(2 * time.Hour)
	start()
	mu.Lock()
	defer mu.Unlock()
	if strings.Join(ticks, ",") != "03-10T08:00" {
		t.Fatalf("runs %v, want the 10 March period once", ticks)
	}
	runs, err := s.db.JobRuns(ctx(), "daily")
	if err != nil || len(runs) != 1 || runs[0].Period != "2026-03-10T08:00" || runs[0].State != "done" {
		t.Fatalf("runs %+v %v", runs, err)
	}
}

// TestRunner_SettleSkipsTheLatestPeriod: a runner settled before it starts
// (the sandbox, on a history it just wrote) records the latest period done
// without running it; the next period runs as usual.
func TestRunner_SettleSkipsTheLatestPeriod(t *testing.T) {
	s := newShop(t) // 10 March 2026, 10:00 UTC
	var runs atomic.Int32
	table := []jobs.Job{{Name: "daily", Schedule: "0 8 * * *", Run: func(context.Context, time.Time) error {
		runs.Add(1)
		return nil
	}}}
	r, err := jobs.NewRunner(s.cfg, s.db, table)
	if err != nil {
		t.Fatal(err)
	}
	if err := r.Settle(ctx()); err != nil {
		t.Fatal(err)
	}
	c, cancel := context.WithCancel(ctx())
	defer cancel()
	r.Start(c)
	if !r.Wait(10 * time.Second) {
		t.Fatal("catch-up did not finish")
	}
	if n := runs.Load(); n != 0 {
		t.Fatalf("the settled period ran %d times", n)
	}
	if res, err := r.RunAt(ctx(), "daily", time.Date(2026, 3, 11, 8, 0, 0, 0, time.UTC)); res != jobs.Ran || err != nil {
		t.Fatalf("next period: %s %v", res, err)
	}
	recorded, err := s.db.JobRuns(ctx(), "daily")
	if err != nil || len(recorded) != 2 || recorded[0].State != "done" {
		t.Fatalf("runs %+v %v", recorded, err)
	}
}

// TestRunner_RetriesFailuresWithBackoff: a failed run is tried again after
// the back-off, waiting twice as long each time, until it succeeds; one
// that keeps failing is given up after the retries, recorded failed.
func TestRunner_RetriesFailuresWithBackoff(t *testing.T) {
	s := newShop(t)
	var mu sync.Mutex
	var flakyAt []time.Time
	var broken atomic.Int32
	table := []jobs.Job{
		{Name: "flaky", Schedule: "0 9 * * *", Run: func(context.Context, time.Time) error {
			mu.Lock()
			defer mu.Unlock()
			flakyAt = append(flakyAt, time.Now())
			if len(flakyAt) < 3 {
				return errors.New("database went away")
			}
			return nil
		}},
		{Name: "broken", Schedule: "0 9 * * *", Run: func(context.Context, time.Time) error {
			broken.Add(1)
			return errors.New("always")
		}},
	}
	cfg := s.cfg
	cfg.RetryBackoff, cfg.Retries = 40*time.Millisecond, 3
	r, err := jobs.NewRunner(cfg, s.db, table)
	if err != nil {
		t.Fatal(err)
	}
	c, cancel := context.WithCancel(ctx())
	defer cancel()
	r.Start(c)
	if !r.Wait(20 * time.Second) {
		t.Fatal("retries did not finish")
	}
	mu.Lock()
	defer mu.Unlock()
	if len(flakyAt) != 3 {
		t.Fatalf("flaky ran %d times, want 3", len(flakyAt))
	}
	if first, second := flakyAt[1].Sub(flakyAt[0]), flakyAt[2].Sub(flakyAt[1]); first < 40*time.Millisecond || second < 80*time.Millisecond {
		t.Errorf("waits %v then %v: want at least 40ms, then twice that", first, second)
	}
	if n := broken.Load(); n != 4 {
		t.Errorf("broken ran %d times, want 1 + 3 retries", n)
	}
	type want struct {
		State    string
		Attempts int
	}
	for name, want := range map[string]want{"flaky": {"done", 3}, "broken": {"failed", 4}} {
		runs, err := s.db.JobRuns(ctx(), name)
		if err != nil || len(runs) != 1 || runs[0].State != want.State || runs[0].Attempts != want.Attempts {
			t.Errorf("%s: runs %+v %v, want %+v", name, runs, err, want)
		}
	}
}
