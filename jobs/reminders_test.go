package jobs_test

import (
	"strings"
	"testing"
	"time"

	"github.com/orderbot/orderbot/core"
	"github.com/orderbot/orderbot/jobs"
)

// remindersShop prepares invoices at every reminder level on 10 March 2026.
type remindersShop struct {
	*shop
	alice, bob, dan int64
}

func newRemindersShop(t *testing.T, opts ...shopOpt) *remindersShop {
	s := &remindersShop{shop: newShop(t, opts...), alice: 1001, bob: 1002, dan: 1003}
	tea := s.product("TEA", "Green tea", 450, 1000)
	alice := s.customer("Alice", s.alice, 7)
	bob := s.customer("Bob", s.bob, 14)
	carl := s.customer("Carl", 0, 30)
	dan := s.customer("Dan", s.dan, 0)
	eve := s.customer("Eve", 1005, 7)
	now := s.clock.Now()
	at := func(y int, m time.Month, d int) { s.clock.Set(time.Date(y, m, d, 12, 0, 0, 0, s.loc)) }
	at(2026, 2, 27)
	s.invoiced(alice, tea, 2) // due 6 Mar: 4 days late, level +3
	at(2026, 3, 3)
	s.invoiced(alice, tea, 3) // due 10 Mar: today
	at(2026, 3, 4)
	s.invoiced(alice, tea, 4) // due 11 Mar: tomorrow, level -1
	at(2026, 2, 10)
	s.invoiced(bob, tea, 10) // due 24 Feb: 14 days late
	if _, err := s.orders.RecordPayment(ctx(), staffActor, core.PaymentInput{CustomerID: bob.ID, Amount: 1000, Method: core.PayBank}); err != nil {
		t.Fatal(err)
	}
	at(2026, 1, 1)
	s.invoiced(carl, tea, 1) // due 31 Jan, not on Telegram: staff call
	at(2026, 2, 20)
	inv := s.invoiced(eve, tea, 1) // paid: nothing to remind
	if _, err := s.orders.RecordPayment(ctx(), staffActor, core.PaymentInput{CustomerID: eve.ID, Amount: inv.Amount, Method: core.PayCash}); err != nil {
		t.Fatal(err)
	}
	s.clock.Set(now)
	s.invoiced(dan, tea, 1) // issued today, due today (prepayment): not chased yet
	s.drain()
	return s
}

// TestPaymentReminders_Golden: each customer gets one message listing their
// invoices at a new level plus everything overdue, the PDFs follow, staff get
// the list with the customers to call; a second run of the period and a later
// run the same day send nothing more, and the next day only the new level.
func TestPaymentReminders_Golden(t *testing.T) {
	s := newRemindersShop(t)
	before := map[int64]int{}
	for _, c := range []int64{s.alice, s.bob, s.dan, managerID} {
		before[c] = s.sentCount(c)
	}
	run := func(tick time.Time, want jobs.Result) {
		t.Helper()
		if res, err := s.runner.RunAt(ctx(), jobs.JobPaymentReminders, tick); err != nil || res != want {
			t.Fatalf("run at %v: %v %v, want %v", tick, res, err, want)
		}
		s.drain()
	}
	run(time.Date(2026, 3, 10, 10, 0, 0, 0, time.UTC), jobs.Ran)
	golden(t, "reminder_alice.golden", s.since(s.alice, before[s.alice]))
	golden(t, "reminder_bob.golden", s.since(s.bob, before[s.bob]))
	golden(t, "reminded_manager.golden", s.since(managerID, before[managerID]))
	if got := s.since(s.dan, before[s.dan]); got != "" {
		t.Errorf("Dan was reminded of an invoice issued today:\n%s", got)
	}
	sent := s.srv.Sent()
	run(time.Date(2026, 3, 10, 10, 0, 0, 0, time.UTC), jobs.AlreadyDone)
	s.clock.Advance(time.Hour)
	run(time.Date(2026, 3, 10, 11, 0, 0, 0, time.UTC), jobs.Ran)
	if s.srv.Sent() != sent {
		t.Fatalf("a rerun the same day sent %d more messages", s.srv.Sent()-sent)
	}

	s.clock.Advance(23 * time.Hour)
	mark := s.sentCount(s.alice)
	run(time.Date(2026, 3, 11, 10, 0, 0, 0, time.UTC), jobs.Ran)
	next := s.since(s.alice, mark)
	if !strings.Contains(next, "Payment is due today") || strings.Count(next, "[document") != 3 {
		t.Errorf("next day, Alice's third invoice falls due and all three are listed:\n%s", next)
	}
	if s.sentCount(s.bob)-before[s.bob] != 2 {
		t.Errorf("Bob was reminded again: %d messages", s.sentCount(s.bob)-before[s.bob])
	}
}
