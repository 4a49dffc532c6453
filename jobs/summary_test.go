package jobs_test

import (
	"bytes"
	"context"
	"errors"
	"image/png"
	"strings"
	"testing"
	"time"

	"github.com/orderbot/orderbot/bot/fakeapi"
	"github.com/orderbot/orderbot/core"
	"github.com/orderbot/orderbot/jobs"
)

// TestDailySummary_Golden: the owner gets yesterday's figures with buttons to
// each list and a 14-day chart; managers get nothing; a second run of the
// same day is a no-op.
func TestDailySummary_Golden(t *testing.T) {
	s := newShop(t, withLocation("Europe/Berlin", time.Date(2026, 3, 10, 8, 0, 0, 0, time.UTC)))
	tea := s.product("TEA", "Green tea", 450, 100)
	cup := s.product("CUP", "Cup", 1200, 3)
	alice := s.customer("Alice", 1001, 7)
	bob := s.customer("Bob", 0, 0)
	at := func(d, h int) { s.clock.Set(time.Date(2026, 3, d, h, 30, 0, 0, s.loc)) }
	at(2, 10)
	old := s.order(bob, nil, core.OrderLineInput{ProductID: tea.ID, Qty: 2}) // waits longest
	at(8, 11)
	s.invoiced(alice, tea, 4)
	at(9, 0) // 00:30 in Berlin is still the 8th in UTC: counted on the 9th
	o := s.order(alice, nil, core.OrderLineInput{ProductID: cup.ID, Qty: 2}, core.OrderLineInput{ProductID: tea.ID, Qty: 1})
	at(9, 15)
	if _, _, err := s.orders.Ship(ctx(), staffActor, o.ID, o.Version, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := s.orders.RecordPayment(ctx(), staffActor, core.PaymentInput{CustomerID: alice.ID, Amount: 1000, Method: core.PayBank}); err != nil {
		t.Fatal(err)
	}
	s.order(bob, nil, core.OrderLineInput{ProductID: tea.ID, Qty: 5})
	at(10, 7)
	s.order(bob, nil, core.OrderLineInput{ProductID: tea.ID, Qty: 9}) // today: not in yesterday's figures
	s.clock.Set(time.Date(2026, 3, 10, 8, 0, 0, 0, s.loc))
	s.drain()
	before, mgr := s.sentCount(ownerID), s.sentCount(managerID)

	tick := time.Date(2026, 3, 10, 8, 0, 0, 0, s.loc)
	if res, err := s.runner.RunAt(ctx(), jobs.JobDailySummary, tick); err != nil || res != jobs.Ran {
		t.Fatalf("run: %v %v", res, err)
	}
	s.drain()
	golden(t, "summary_owner.golden", s.since(ownerID, before))
	if s.sentCount(managerID) != mgr {
		t.Errorf("a manager got the owner's summary")
	}
	msgs := s.srv.BotMessages(ownerID)
	photo := msgs[len(msgs)-1].Photo
	if photo == nil {
		t.Fatal("no chart")
	}
	img, err := png.Decode(bytes.NewReader(photo.Data))
	if err != nil || img.Bounds().Dx() != 840 || img.Bounds().Dy() != 440 {
		t.Fatalf("chart: %v %v", err, img.Bounds())
	}
	if res, _ := s.runner.RunAt(ctx(), jobs.JobDailySummary, tick); res != jobs.AlreadyDone {
		t.Fatalf("second run of the day: %v", res)
	}
	_ = old
	if !strings.Contains(s.since(ownerID, before), old.Number) {
		t.Errorf("the oldest waiting order %s is not named", old.Number)
	}
}

// TestSummaryCommand: the owner's /summary shows yesterday's summary and the
// chart on demand; its buttons open the staff lists; a manager may not.
func TestSummaryCommand(t *testing.T) {
	s := newShop(t)
	tea := s.product("TEA", "Green tea", 450, 100)
	s.clock.Set(time.Date(2026, 3, 9, 12, 0, 0, 0, time.UTC))
	s.order(s.customer("Alice", 0, 0), nil, core.OrderLineInput{ProductID: tea.ID, Qty: 2})
	s.clock.Set(time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC))
	c, cancel := context.WithCancel(ctx())
	done := make(chan struct{})
	go func() { defer close(done); s.bot.Run(c) }() //nolint:errcheck
	t.Cleanup(func() { cancel(); <-done })
	wait := func(chat int64, cur fakeapi.Cursor, want string) fakeapi.Message {
		t.Helper()
		wctx, wcancel := context.WithTimeout(ctx(), 20*time.Second)
		defer wcancel()
		m, err := s.srv.WaitBotMessageAfter(wctx, cur, chat, func(m fakeapi.Message) bool {
			return strings.Contains(m.PlainText+m.PlainCaption, want)
		})
		if err != nil {
			t.Fatalf("waiting for %q: %v\n%s", want, err, s.transcript(chat))
		}
		return m
	}
	cur := s.srv.Cursor()
	if _, err := s.srv.SendText(ownerID, "/summary"); err != nil {
		t.Fatal(err)
	}
	m := wait(ownerID, cur, "Summary for 9 Mar 2026")
	if !strings.Contains(m.PlainText, "New orders: 1 · 9.00 USD") {
		t.Errorf("summary: %q", m.PlainText)
	}
	wait(ownerID, cur, "Orders and payments, last 14 days")
	cur = s.srv.Cursor()
	if _, err := s.srv.PressButtonOn(ownerID, m.ID, "📦 To ship (1)"); err != nil {
		t.Fatal(err)
	}
	list := wait(ownerID, cur, "2026-000001")
	if list.ID == m.ID {
		t.Error("the list replaced the summary instead of following it")
	}
	cur = s.srv.Cursor()
	if _, err := s.srv.SendText(managerID, "/summary"); err != nil {
		t.Fatal(err)
	}
	if got := wait(managerID, cur, ""); strings.Contains(got.PlainText, "Summary for") {
		t.Errorf("a manager got the owner's summary: %q", got.PlainText)
	}
}

// TestDailySummary_ShowsJobRuns: the owner's summary says when each job last
// ran and which one failed.
func TestDailySummary_ShowsJobRuns(t *testing.T) {
	s := newShop(t) // 10 March 2026, 10:00 UTC
	failing, err := jobs.NewRunner(s.cfg, s.db, []jobs.Job{{Name: jobs.JobPaymentReminders, Schedule: "@hourly",
		Run: func(context.Context, time.Time) error { return errors.New("database went away") }}})
	if err != nil {
		t.Fatal(err)
	}
	tick := time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC)
	if res, _ := failing.RunAt(ctx(), jobs.JobPaymentReminders, tick); res != jobs.Failed {
		t.Fatalf("failing job: %v", res)
	}
	if res, err := s.runner.RunAt(ctx(), jobs.JobOverdueShipments, tick); res != jobs.Ran {
		t.Fatalf("overdue: %v %v", res, err)
	}
	before := s.sentCount(ownerID)
	if res, err := s.runner.RunAt(ctx(), jobs.JobDailySummary, time.Date(2026, 3, 10, 8, 0, 0, 0, time.UTC)); res != jobs.Ran {
		t.Fatalf("summary: %v %v", res, err)
	}
	s.drain()
	want := "⚙️ Jobs: late shipments 10 Mar 2026 10:00 ✓ · reminders 10 Mar 2026 10:00 ✗ failed"
	if got := s.since(ownerID, before); !strings.Contains(got, want) {
		t.Fatalf("summary lacks %q:\n%s", want, got)
	}
}
