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
