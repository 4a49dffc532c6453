package jobs_test

import (
	"strings"
	"testing"
	"time"

	"github.com/orderbot/orderbot/jobs"
)

// TestPaymentReminders_BusinessHoursAcrossTimeZones: in Los Angeles, 17:30 on
// 10 March is 00:30 on the 11th in UTC. Hours and dates are the shop's:
// the invoice due on the 11th is "due in 1 day" then, nothing goes out at
// 18:30 (01:30 UTC) or at 08:30, and "due today" comes at 09:30 on the 11th.
// A reminder still undelivered at closing waits for the next opening.
func TestPaymentReminders_BusinessHoursAcrossTimeZones(t *testing.T) {
	s := newShop(t, withLocation("America/Los_Angeles", time.Date(2026, 3, 4, 20, 0, 0, 0, time.UTC)))
	la := s.loc
	alice := s.customer("Alice", 1001, 7)
	s.invoiced(alice, s.product("TEA", "Green tea", 450, 10), 2) // issued 4 Mar (LA), due 11 Mar
	s.drain()
	run := func(wall time.Time) string {
		t.Helper()
		s.clock.Set(wall)
		mark := s.sentCount(alice.TelegramID)
		if res, err := s.runner.RunAt(ctx(), jobs.JobPaymentReminders, wall); err != nil || res != jobs.Ran {
			t.Fatalf("run at %v: %v %v", wall, res, err)
		}
		s.drain()
		return s.since(alice.TelegramID, mark)
	}
	if got := run(time.Date(2026, 3, 10, 8, 30, 0, 0, la)); got != "" {
		t.Fatalf("08:30 in LA (15:30 UTC) is before opening, yet:\n%s", got)
	}
	got := run(time.Date(2026, 3, 10, 17, 30, 0, 0, la))
	if !strings.Contains(got, "due in 1 d") || !strings.Contains(got, "friendly reminder") {
		t.Fatalf("17:30 in LA (00:30 UTC on the 11th): want the reminder before the due date, got:\n%s", got)
	}
	if got := run(time.Date(2026, 3, 10, 18, 30, 0, 0, la)); got != "" {
		t.Fatalf("18:30 in LA (01:30 UTC, within UTC's day) is after closing, yet:\n%s", got)
	}
	if got := run(time.Date(2026, 3, 11, 8, 59, 0, 0, la)); got != "" {
		t.Fatalf("08:59 in LA on the 11th, yet:\n%s", got)
	}

	// enqueued a minute before closing, delivered only the next morning
	s.clock.Set(time.Date(2026, 3, 11, 17, 59, 0, 0, la))
	if res, err := s.runner.RunAt(ctx(), jobs.JobPaymentReminders, s.clock.Now()); err != nil || res != jobs.Ran {
		t.Fatalf("run: %v %v", res, err)
	}
	mark := s.sentCount(alice.TelegramID)
	s.clock.Set(time.Date(2026, 3, 11, 18, 0, 30, 0, la))
	s.drain()
	if got := s.since(alice.TelegramID, mark); got != "" {
		t.Fatalf("delivered after closing:\n%s", got)
	}
	s.clock.Set(time.Date(2026, 3, 12, 8, 30, 0, 0, la))
	s.drain()
	if got := s.since(alice.TelegramID, mark); got != "" {
		t.Fatalf("delivered before opening:\n%s", got)
	}
	s.clock.Set(time.Date(2026, 3, 12, 9, 0, 30, 0, la))
	s.drain()
	if got := s.since(alice.TelegramID, mark); !strings.Contains(got, "Payment is due today") {
		t.Fatalf("next morning: want the due-today reminder, got:\n%s", got)
	}
}
