package jobs

import (
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"github.com/robfig/cron/v3"

	"github.com/orderbot/orderbot/core"
)

// Config tunes the jobs and the delivery. Zero values take the defaults in
// fill; Validate reports every bad value at once, naming the variable cmd
// reads it from.
type Config struct {
	Location      *time.Location   // business time zone (TIMEZONE)
	BusinessHours [2]time.Duration // customers are reminded only within these (BUSINESS_HOURS)

	OverdueSchedule  string // JOBS_OVERDUE_SCHEDULE, cron in the business time zone
	ReminderSchedule string // JOBS_REMINDER_SCHEDULE; reminders go out at the first run within hours
	SummarySchedule  string // JOBS_SUMMARY_SCHEDULE
	CloseSchedule    string // JOBS_CLOSE_SCHEDULE: when settled orders are closed
	// CloseAfter is how long an order stays shipped and paid before the
	// close_settled job closes it (CLOSE_AFTER_DAYS); 0 is the default, a
	// negative value turns the job off.
	CloseAfter time.Duration
	Reminders  core.ReminderPolicy
	// Timeout bounds one run of a job (JOBS_TIMEOUT).
	Timeout time.Duration
	// A failed run is tried again after RetryBackoff, then after twice as
	// long each time, up to Retries times.
	RetryBackoff time.Duration
	Retries      int

	Workers     int           // OUTBOX_WORKERS: chat lanes delivered at once
	Poll        time.Duration // OUTBOX_POLL: how often to look for work when not woken
	Lease       time.Duration // how long a claimed lane is held without renewal (renewed while working)
	MaxAttempts int           // OUTBOX_MAX_ATTEMPTS: tries before a notice is given up

	Now    func() time.Time
	Logger *slog.Logger
}

// Defaults, documented for configuration.
const (
	DefaultOverdueSchedule  = "0 9 * * *"
	DefaultReminderSchedule = "0 * * * *"
	DefaultSummarySchedule  = "0 8 * * *"
	DefaultCloseSchedule    = "30 2 * * *"
)

func (c *Config) fill() {
	def := func(s *string, v string) {
		if strings.TrimSpace(*s) == "" {
			*s = v
		}
	}
	def(&c.OverdueSchedule, DefaultOverdueSchedule)
	def(&c.ReminderSchedule, DefaultReminderSchedule)
	def(&c.SummarySchedule, DefaultSummarySchedule)
	def(&c.CloseSchedule, DefaultCloseSchedule)
	if c.CloseAfter == 0 {
		c.CloseAfter = core.DefaultCloseAfter
	}
	if c.Reminders.Before == 0 && c.Reminders.After == nil {
		c.Reminders = core.DefaultReminderPolicy
	}
	if c.BusinessHours == [2]time.Duration{} {
		c.BusinessHours = [2]time.Duration{9 * time.Hour, 18 * time.Hour}
	}
	if c.Timeout <= 0 {
		c.Timeout = 10 * time.Minute
	}
	if c.RetryBackoff <= 0 {
		c.RetryBackoff = time.Minute
	}
	if c.Retries <= 0 {
		c.Retries = 5
	}
	if c.Workers <= 0 {
		c.Workers = 256
	}
	if c.Poll <= 0 {
		c.Poll = 500 * time.Millisecond
	}
	if c.Lease <= 0 {
		c.Lease = 30 * time.Second
	}
	if c.MaxAttempts <= 0 {
		c.MaxAttempts = 12
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
}

// Validate checks the time zone, the hours and every schedule.
func (c *Config) Validate() error {
	var errs []error
	if c.Location == nil {
		errs = append(errs, errors.New("TIMEZONE: the business time zone is not set"))
	} else if c.Location.String() == "Local" {
		errs = append(errs, errors.New("TIMEZONE: name the business time zone (an IANA name such as Europe/Berlin), not Local"))
	}
	h := c.BusinessHours
	if h[0] < 0 || h[1] > 24*time.Hour || h[1] <= h[0] {
		errs = append(errs, fmt.Errorf("BUSINESS_HOURS: opening %v must come before closing %v within one day", h[0], h[1]))
	}
	for _, s := range []struct{ name, spec string }{{"JOBS_OVERDUE_SCHEDULE", c.OverdueSchedule},
		{"JOBS_REMINDER_SCHEDULE", c.ReminderSchedule}, {"JOBS_SUMMARY_SCHEDULE", c.SummarySchedule},
		{"JOBS_CLOSE_SCHEDULE", c.CloseSchedule}} {
		if _, err := ParseSchedule(s.spec); err != nil {
			errs = append(errs, fmt.Errorf("%s=%q: %w", s.name, s.spec, err))
		}
	}
	if err := c.Reminders.Validate(); err != nil {
		errs = append(errs, fmt.Errorf("REMIND_BEFORE_DAYS / REMIND_AFTER_DAYS: %s", core.SafeMessage(err)))
	}
	if c.Lease < 3*time.Second {
		errs = append(errs, fmt.Errorf("outbox lease %v is too short to be renewed in time", c.Lease))
	}
	return errors.Join(errs...)
}

// ParseSchedule reads a standard five-field cron spec ("0 8 * * *") or a
// descriptor (@daily, @every 1h). Time zones come from TIMEZONE, so a
// CRON_TZ= prefix is refused rather than silently disagreeing with it.
func ParseSchedule(spec string) (cron.Schedule, error) {
	if strings.Contains(spec, "TZ=") {
		return nil, errors.New("set the time zone with TIMEZONE, not in the schedule")
	}
	s, err := cron.ParseStandard(spec)
	if err != nil {
		return nil, fmt.Errorf("want a cron schedule such as \"0 8 * * *\" (minute hour day month weekday): %w", err)
	}
	return s, nil
}

// ParseDays reads a comma-separated list of day counts ("3,7,14"), for
// REMIND_AFTER_DAYS.
func ParseDays(s string) ([]int, error) {
	var out []int
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' }) {
		n, err := strconv.Atoi(f)
		if err != nil {
			return nil, fmt.Errorf("%q is not a number of days", f)
		}
		out = append(out, n)
	}
	return out, nil
}
