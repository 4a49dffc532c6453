package jobs_test

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/orderbot/orderbot/core"
)

// TestDelivery_Throughput measures the sender against Telegram's limits as
// the fake server enforces them (1 message/s per chat with bursts of 3, 30/s
// overall): a burst of one notice to each of many chats, and a run of notices
// to one chat. It checks that all arrive once and in order, and logs the rate
// and how many 429s the server answered; it asserts no timing.
// ORDERBOT_THROUGHPUT_CHATS (default 60) and ORDERBOT_THROUGHPUT_RUN
// (default 10) size it.
func TestDelivery_Throughput(t *testing.T) {
	chats, run := envInt("ORDERBOT_THROUGHPUT_CHATS", 60), envInt("ORDERBOT_THROUGHPUT_RUN", 10)
	s := newShop(t, withLimits(defaultLimits()))
	s.srv.EnforceLimits(1, 30, 3)
	enqueue := func(chat int64, from, n int) {
		var ns []core.Notice
		for i := from; i < from+n; i++ {
			list := core.RemindedList{Day: s.clock.Now(), Customers: []core.RemindedCustomer{{Name: fmt.Sprintf("message %d", i), OnTelegram: true}}}
			x, err := core.NewNotice(fmt.Sprintf("tp:%d:%d", chat, i), chat, core.NoticeReminded, list, s.clock.Now())
			if err != nil {
				t.Fatal(err)
			}
			ns = append(ns, x)
		}
		if _, err := s.db.Enqueue(ctx(), ns); err != nil {
			t.Fatal(err)
		}
	}
	for i := range chats {
		s.user(int64(5000+i), fmt.Sprint("User ", i))
	}
	s.runDelivery()
	measure := func(what string, n int, fill func()) {
		sent, limited, start := s.srv.Sent(), s.srv.TooManyRequestsSent(), time.Now()
		fill()
		s.delivery.Wake()
		s.settle(10 * time.Minute)
		took := time.Since(start)
		t.Logf("%s: %d messages in %v, %.1f msg/s, %d answered 429", what, s.srv.Sent()-sent, took.Round(time.Millisecond),
			float64(s.srv.Sent()-sent)/took.Seconds(), s.srv.TooManyRequestsSent()-limited)
		if s.srv.Sent()-sent != n {
			t.Fatalf("%s: %d of %d delivered", what, s.srv.Sent()-sent, n)
		}
	}
	measure(fmt.Sprintf("one notice to each of %d chats", chats), chats, func() {
		for i := range chats {
			enqueue(int64(5000+i), 0, 1)
		}
	})
	measure(fmt.Sprintf("%d notices to one chat", run), run, func() { enqueue(ownerID, 0, run) })
	for i := range chats {
		if got := len(s.srv.BotMessages(int64(5000 + i))); got != 1 {
			t.Fatalf("chat %d got %d messages", 5000+i, got)
		}
	}
	for i, m := range s.srv.BotMessages(ownerID) {
		if !strings.Contains(m.PlainText, fmt.Sprintf("message %d ", i)) {
			t.Fatalf("message %d out of order: %q", i, m.PlainText)
		}
	}
}

func envInt(name string, def int) int {
	if n, err := strconv.Atoi(os.Getenv(name)); err == nil && n > 0 {
		return n
	}
	return def
}
