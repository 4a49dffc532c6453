package postgres_test

import (
	"fmt"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/orderbot/orderbot/core"
	"github.com/orderbot/orderbot/storage/postgres"
	"github.com/orderbot/orderbot/storage/postgres/pgtest"
)

func notice(t *testing.T, key string, chat int64, now time.Time) core.Notice {
	t.Helper()
	n, err := core.NewNotice(key, chat, core.NoticeReminded, map[string]string{"k": key}, now)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// claimOne claims the most urgent due lane and returns its first due notice
// (nil when nothing is due), with a function that records the notice's
// outcome and gives the lane back.
func claimOne(t *testing.T, db *postgres.DB, now time.Time, token string) (*core.Notice, func(core.Outcome) bool) {
	t.Helper()
	for range 10 {
		c, err := db.ClaimLane(ctx(), now, time.Minute, token)
		if err != nil {
			t.Fatal(err)
		}
		if c == nil {
			return nil, nil
		}
		ns, err := db.LaneNotices(ctx(), c, now, 1)
		if err != nil {
			t.Fatal(err)
		}
		if len(ns) == 0 { // due by its lane, not by its notice: looked at again later
			if err := db.ReleaseLane(ctx(), c, now); err != nil {
				t.Fatal(err)
			}
			continue
		}
		return &ns[0], func(o core.Outcome) bool {
			t.Helper()
			ok, err := db.Finish(ctx(), c, ns[0].ID, o, now)
			if err != nil {
				t.Fatal(err)
			}
			if err := db.ReleaseLane(ctx(), c, now); err != nil {
				t.Fatal(err)
			}
			return ok
		}
	}
	t.Fatal("lanes due with nothing due in them, ten times")
	return nil, nil
}

// TestOutbox_EnqueueIsIdempotent: a key enqueued again adds nothing.
func TestOutbox_EnqueueIsIdempotent(t *testing.T) {
	db := pgtest.New(t)
	now := time.Date(2026, 3, 10, 10, 0, 0, 0, time.UTC)
	ns := []core.Notice{notice(t, "a", 1, now), notice(t, "b", 1, now)}
	for i, want := range []int{2, 0} {
		if n, err := db.Enqueue(ctx(), ns); err != nil || n != want {
			t.Fatalf("enqueue %d: %d %v, want %d", i, n, err, want)
		}
	}
	_, finish := claimOne(t, db, now, "t")
	if !finish(core.Outcome{State: core.Sent}) {
		t.Fatal("claim lost")
	}
	if n, err := db.PruneOutbox(ctx(), now.Add(time.Second)); n != 1 || err != nil {
		t.Fatalf("prune: %d %v, want the one sent notice", n, err)
	}
	if c, _ := db.OutboxCounts(ctx()); c[core.Pending] != 1 || len(c) != 1 {
		t.Fatalf("after prune: %v", c)
	}
}

// TestOutbox_SendersKeepChatOrder: eight senders claim side by side; every
// notice is claimed once, a chat never has two in flight, and each chat's
// notices are claimed in the order they were enqueued.
func TestOutbox_SendersKeepChatOrder(t *testing.T) {
	db := pgtest.New(t)
	now := time.Date(2026, 3, 10, 10, 0, 0, 0, time.UTC)
	var ns []core.Notice
	for i := range 200 {
		ns = append(ns, notice(t, fmt.Sprint("n", i), int64(1+i%10), now))
	}
	if _, err := db.Enqueue(ctx(), ns); err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	inFlight := map[int64]bool{}
	claimed := map[int64][]int64{}
	var wg sync.WaitGroup
	for w := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				token := fmt.Sprintf("w%d-%d", w, i)
				n, finish := claimOne(t, db, now, token)
				if n == nil {
					return
				}
				mu.Lock()
				if inFlight[n.ChatID] {
					t.Errorf("chat %d has two notices in flight", n.ChatID)
				}
				inFlight[n.ChatID] = true
				claimed[n.ChatID] = append(claimed[n.ChatID], n.ID)
				mu.Unlock()
				time.Sleep(time.Millisecond)
				mu.Lock()
				inFlight[n.ChatID] = false
				mu.Unlock()
				if !finish(core.Outcome{State: core.Sent}) {
					t.Errorf("finish %d: claim lost", n.ID)
				}
			}
		}()
	}
	wg.Wait()
	total := 0
	for chat, ids := range claimed {
		total += len(ids)
		for i := 1; i < len(ids); i++ {
			if ids[i] <= ids[i-1] {
				t.Fatalf("chat %d claimed out of order: %v", chat, ids)
			}
		}
	}
	if total != 200 {
		t.Fatalf("%d claims of 200 notices", total)
	}
}

// TestOutbox_RetryKeepsChatOrder: a notice waiting to be retried holds back
// the later notices of its chat and lane, not other chats or lanes.
func TestOutbox_RetryKeepsChatOrder(t *testing.T) {
	db := pgtest.New(t)
	now := time.Date(2026, 3, 10, 10, 0, 0, 0, time.UTC)
	later := now.Add(time.Hour)
	hours := notice(t, "hours", 1, now)
	hours.Lane, hours.NotAfter = core.LaneHours, &later
	early := now.Add(-2 * time.Second) // the first lane claimed
	if _, err := db.Enqueue(ctx(), []core.Notice{notice(t, "first", 1, early), notice(t, "second", 1, early), notice(t, "other", 2, now), hours}); err != nil {
		t.Fatal(err)
	}
	first, finish := claimOne(t, db, now, "t1")
	if first == nil || first.Key != "first" {
		t.Fatalf("claimed %+v", first)
	}
	finish(core.Outcome{State: core.Pending, RetryAt: now.Add(10 * time.Second), Err: "502"})
	var keys []string
	for {
		n, finish := claimOne(t, db, now, "t2")
		if n == nil {
			break
		}
		keys = append(keys, n.Key)
		finish(core.Outcome{State: core.Sent})
	}
	sort.Strings(keys)
	if fmt.Sprint(keys) != "[hours other]" {
		t.Fatalf("while first waits for its retry, claimed %v", keys)
	}
	n, _ := claimOne(t, db, now.Add(11*time.Second), "t3")
	if n == nil || n.Key != "first" || n.Attempts != 1 {
		t.Fatalf("after the wait: %+v", n)
	}
}

// TestOutbox_DeferExpired: a notice whose hours passed waits for the same
// hours of the next day that is not over.
func TestOutbox_DeferExpired(t *testing.T) {
	db := pgtest.New(t)
	open := time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC)
	closing := open.Add(9 * time.Hour)
	n := notice(t, "r", 1, open)
	n.NotBefore, n.NotAfter, n.Lane = open, &closing, core.LaneHours
	if _, err := db.Enqueue(ctx(), []core.Notice{n}); err != nil {
		t.Fatal(err)
	}
	if x, _ := claimOne(t, db, closing.Add(time.Minute), "t"); x != nil {
		t.Fatal("claimed after closing")
	}
	check := func(now time.Time, wantOpen time.Time) {
		t.Helper()
		if _, err := db.DeferExpired(ctx(), now); err != nil {
			t.Fatal(err)
		}
		if x, _ := claimOne(t, db, wantOpen.Add(-time.Second), "t"); x != nil {
			t.Fatalf("claimed before %v", wantOpen)
		}
	}
	check(closing.Add(30*time.Minute), open.AddDate(0, 0, 1))
	check(closing.AddDate(0, 0, 2).Add(time.Hour), open.AddDate(0, 0, 3))
	if x, _ := claimOne(t, db, open.AddDate(0, 0, 3).Add(time.Minute), "t"); x == nil {
		t.Fatal("not claimed within the next hours")
	}
}

// TestFeed_LateCommitIsNotLost: an event written by a transaction that
// commits after a later event's transaction is still fanned out.
func TestFeed_LateCommitIsNotLost(t *testing.T) {
	s := newShop(t)
	p := s.product("TEA", 450, 100)
	c := s.customer("Alice", 0)
	o := s.place(c, true, core.OrderLineInput{ProductID: p.ID, Qty: 1})
	ids := func() []int64 {
		var got []int64
		_, err := s.db.FanOut(ctx(), 100, func(evs []core.FeedEvent) ([]core.Notice, error) {
			for _, e := range evs {
				got = append(got, e.ID)
			}
			return nil, nil
		})
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	ids()
	slow, err := s.db.Pool().Begin(ctx())
	if err != nil {
		t.Fatal(err)
	}
	var early int64
	insert := `INSERT INTO order_events (order_id, at, actor_role, action, status_after) VALUES ($1, now(), 'system', 'note', 'in_progress') RETURNING id`
	if err := slow.QueryRow(ctx(), insert, o.ID).Scan(&early); err != nil {
		t.Fatal(err)
	}
	var late int64
	if err := s.db.Pool().QueryRow(ctx(), insert, o.ID).Scan(&late); err != nil {
		t.Fatal(err)
	}
	if got := ids(); fmt.Sprint(got) != fmt.Sprint([]int64{late}) || late < early {
		t.Fatalf("before the slow commit: %v (early %d, late %d)", got, early, late)
	}
	if err := slow.Commit(ctx()); err != nil {
		t.Fatal(err)
	}
	if got := ids(); fmt.Sprint(got) != fmt.Sprint([]int64{early}) {
		t.Fatalf("after the slow commit: %v, want [%d]", got, early)
	}
}

// TestOutbox_UrgentLanesFirst: a storm of reminders queued first does not
// hold up an answer or a new-order card queued after it.
func TestOutbox_UrgentLanesFirst(t *testing.T) {
	db := pgtest.New(t)
	now := time.Date(2026, 3, 10, 10, 0, 0, 0, time.UTC)
	var storm []core.Notice
	for i := range 300 {
		storm = append(storm, notice(t, fmt.Sprint("rem", i), int64(100+i), now.Add(-time.Hour)))
	}
	card, err := core.NewNotice("card", 7, core.NoticeOrderCard, map[string]int{"order_id": 1}, now)
	if err != nil {
		t.Fatal(err)
	}
	reply, err := core.NewNotice(core.ReplyKey(42), 8, core.NoticeReply, core.ReplyNotice{UpdateID: 42}, now)
	if err != nil {
		t.Fatal(err)
	}
	for _, batch := range [][]core.Notice{storm, {card}, {reply}} {
		if _, err := db.Enqueue(ctx(), batch); err != nil {
			t.Fatal(err)
		}
	}
	var order []string
	for range 3 {
		n, finish := claimOne(t, db, now, "t")
		order = append(order, n.Key)
		finish(core.Outcome{State: core.Sent})
	}
	if order[0] != core.ReplyKey(42) || order[1] != "card" || order[2] == "card" {
		t.Fatalf("claimed %v; want the answer, then the card, then the reminders", order)
	}
}
