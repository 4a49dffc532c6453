package jobs

import (
	"context"
	"fmt"
	"time"

	"github.com/orderbot/orderbot/core"
)

// Services are the core pieces the jobs work with.
type Services struct {
	Outbox    Outbox
	Reports   *core.Reports
	Reminders *core.Reminders
	Staff     *core.Staff
	// Orders closes the orders shipped and paid long enough (nil: the
	// close_settled job is not in the table).
	Orders *core.Orders
}

// Outbox is what the jobs need of the outbox (core.OutboxStore has it; a
// dry run's Recorder stands in for it).
type Outbox interface {
	Enqueue(ctx context.Context, ns []core.Notice) (int, error)
	PruneOutbox(ctx context.Context, before time.Time) (int, error)
}

// Scheduler holds the job table.
type Scheduler struct {
	cfg Config
	svc Services
}

// Job names, as logged and recorded in job_runs.
const (
	JobOverdueShipments = "overdue_shipments"
	JobPaymentReminders = "payment_reminders"
	JobDailySummary     = "daily_summary"
	JobOutboxPrune      = "outbox_prune"
	JobCloseSettled     = "close_settled"
)

// closeBatch is how many orders one transaction of the close_settled job
// reads; a run goes on until none is left.
const closeBatch = 500

// OutboxRetention is how long delivered notices are kept: longer than any
// job could re-enqueue the same key (reminders are guarded by their own rows).
const OutboxRetention = 30 * 24 * time.Hour

// MaxOverdueListed bounds the orders one overdue notice lists (with buttons).
const MaxOverdueListed = 20

// New checks the configuration (time zone, hours, schedules, reminder steps)
// and returns the scheduler.
func New(cfg Config, svc Services) (*Scheduler, error) {
	cfg.fill()
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	return &Scheduler{cfg: cfg, svc: svc}, nil
}

// Table is the job table: name, schedule and the work of one period.
func (s *Scheduler) Table() []Job {
	t := []Job{
		{Name: JobOverdueShipments, Schedule: s.cfg.OverdueSchedule, Run: s.overdueShipments},
		{Name: JobPaymentReminders, Schedule: s.cfg.ReminderSchedule, Run: s.paymentReminders},
		{Name: JobDailySummary, Schedule: s.cfg.SummarySchedule, Run: s.dailySummary},
		{Name: JobOutboxPrune, Schedule: "30 3 * * *", Run: s.pruneOutbox},
	}
	if s.svc.Orders != nil && s.cfg.CloseAfter > 0 {
		t = append(t, Job{Name: JobCloseSettled, Schedule: s.cfg.CloseSchedule, Run: s.closeSettled})
	}
	return t
}

// closeSettled closes the orders shipped and paid for CloseAfter, each with
// an event (the customer is thanked, the staff cards say it).
func (s *Scheduler) closeSettled(ctx context.Context, _ time.Time) error {
	if rec, dry := s.svc.Outbox.(*Recorder); dry {
		ids, err := s.svc.Orders.Settled(ctx, core.System, s.cfg.CloseAfter, 1_000_000)
		rec.closes(len(ids))
		return err
	}
	total := 0
	for {
		n, err := s.svc.Orders.CloseSettled(ctx, core.System, s.cfg.CloseAfter, closeBatch)
		total += n
		if err != nil {
			return err
		}
		if n < closeBatch {
			s.cfg.Logger.Info("settled orders closed", "orders", total)
			return nil
		}
	}
}

// overdueShipments tells staff which confirmed orders are past their
// promised date and not fully shipped.
func (s *Scheduler) overdueShipments(ctx context.Context, tick time.Time) error {
	list, err := s.svc.Reports.OverdueShipments(ctx, core.System, MaxOverdueListed)
	if err != nil || list.Total == 0 {
		return err
	}
	chats, err := s.svc.Staff.Recipients(ctx)
	if err != nil {
		return err
	}
	return s.enqueue(ctx, chats, func(chat int64) (core.Notice, error) {
		return core.NewNotice(fmt.Sprintf("overdue:%s:%d", day(list.Day), chat), chat, core.NoticeOverdueShipments, list, s.cfg.Now())
	})
}

// paymentReminders sends the reminders due today, but only within business
// hours: a run outside them does nothing, and the first run inside them
// catches up. Messages not delivered by closing time wait for the next day.
func (s *Scheduler) paymentReminders(ctx context.Context, tick time.Time) error {
	now := s.cfg.Now().In(s.cfg.Location)
	open, close := s.hours(now)
	if now.Before(open) || !now.Before(close) {
		s.cfg.Logger.Info("payment reminders wait for business hours", "now", now.Format(time.RFC3339),
			"opens", open.Format(time.RFC3339))
		return nil
	}
	list, err := s.svc.Reminders.Send(ctx, [2]time.Time{open, close}, tick.In(s.cfg.Location).Format("2006-01-02T15:04"))
	if err != nil {
		return err
	}
	s.cfg.Logger.Info("payment reminders", "customers", len(list.Customers))
	return nil
}

// hours are the day's opening and closing instants in the business time
// zone (wall-clock times, right on days the clocks change).
func (s *Scheduler) hours(now time.Time) (time.Time, time.Time) {
	at := func(d time.Duration) time.Time {
		return time.Date(now.Year(), now.Month(), now.Day(), int(d/time.Hour), int(d%time.Hour/time.Minute), 0, 0, s.cfg.Location)
	}
	return at(s.cfg.BusinessHours[0]), at(s.cfg.BusinessHours[1])
}

// dailySummary sends owners the summary of the business day before the
// tick, with its chart.
func (s *Scheduler) dailySummary(ctx context.Context, tick time.Time) error {
	t := tick.In(s.cfg.Location)
	yesterday := time.Date(t.Year(), t.Month(), t.Day()-1, 0, 0, 0, 0, time.UTC)
	sum, err := s.svc.Reports.Summary(ctx, core.System, yesterday)
	if err != nil {
		return err
	}
	owners, err := s.svc.Staff.Owners(ctx)
	if err != nil {
		return err
	}
	now := s.cfg.Now()
	return s.enqueue(ctx, owners, func(chat int64) (core.Notice, error) {
		return core.NewNotice(fmt.Sprintf("summary:%s:%d", day(yesterday), chat), chat, core.NoticeSummary, sum, now)
	}, func(chat int64) (core.Notice, error) {
		return core.NewNotice(fmt.Sprintf("summary-chart:%s:%d", day(yesterday), chat), chat, core.NoticeSummaryChart, sum, now)
	})
}

// enqueue builds each notice for each chat (in that order per chat) and
// adds them to the outbox in one statement.
func (s *Scheduler) enqueue(ctx context.Context, chats []int64, build ...func(chat int64) (core.Notice, error)) error {
	var ns []core.Notice
	seen := map[int64]bool{}
	for _, chat := range chats {
		if chat == 0 || seen[chat] {
			continue
		}
		seen[chat] = true
		for _, b := range build {
			n, err := b(chat)
			if err != nil {
				return err
			}
			ns = append(ns, n)
		}
	}
	_, err := s.svc.Outbox.Enqueue(ctx, ns)
	return err
}

// pruneOutbox deletes notices delivered long ago, keeping the table small.
func (s *Scheduler) pruneOutbox(ctx context.Context, _ time.Time) error {
	n, err := s.svc.Outbox.PruneOutbox(ctx, s.cfg.Now().Add(-OutboxRetention))
	if err == nil {
		s.cfg.Logger.Info("outbox pruned", "deleted", n)
	}
	return err
}

func day(t time.Time) string { return t.Format(time.DateOnly) }
