package main

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"github.com/orderbot/orderbot/internal/faulttest"
)

// TestLive_RedisLostAndRedelivered: after customers placed their orders,
// Redis is flushed, then stopped, and Telegram delivers every update of the
// day again each time (as after an unconfirmed batch or a failed webhook).
// What guards the effects lives in Postgres: no order is placed twice and
// no redelivered update gets a second answer. While Redis is down a new
// message is answered with a pause; once it is back the bot serves again.
func TestLive_RedisLostAndRedelivered(t *testing.T) {
	redis := faulttest.Redis(t)
	s := newLiveShop(t, map[string]string{"REDIS_URL": redis.URL})
	s.cli("catalog", "import", writeFile(t, "sku,name,price,stock\nTEA,Green tea,4.50,1000\nCUP,Cup,3.00,1000\n"))
	s.start()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	const n = 12
	people := make([]*person, n)
	for i := range people {
		people[i] = s.person(8_100_000_000+int64(i), fmt.Sprint("Rae", i), "en")
	}
	var sent, taps atomic.Int64
	each(t, people, func(p *person) error {
		_, err := journey(ctx, p, &sent, &taps)
		return err
	})
	orders, _ := checkOrders(t, s, n)
	if orders != n {
		t.Fatalf("%d orders before the outage, want %d", orders, n)
	}
	answers := botMessages(s, people)

	redeliverAll := func(why string) {
		t.Helper()
		ids := s.srv.UpdateIDs()
		for _, id := range ids {
			if _, err := s.srv.Redeliver(id); err != nil {
				t.Fatal(err)
			}
		}
		waitFor(t, ctx, why+": every redelivered update taken", func() bool { return s.srv.PendingUpdates() == 0 })
		time.Sleep(time.Second) // time for a wrong second answer to show
		if now := botMessages(s, people); now != answers {
			t.Fatalf("%s: %d bot messages, was %d: a redelivered update was answered again", why, now, answers)
		}
		if o, _ := checkOrders(t, s, n); o != n {
			t.Fatalf("%s: %d orders, want %d", why, o, n)
		}
	}

	flush := goredis.NewClient(&goredis.Options{Addr: fmt.Sprintf("127.0.0.1:%d", redis.Port)})
	defer flush.Close()
	if err := flush.FlushAll(ctx).Err(); err != nil {
		t.Fatal(err)
	}
	redeliverAll("Redis flushed")

	redis.Stop()
	redeliverAll("Redis stopped")
	rae := people[0]
	if _, err := rae.say(ctx, "/cart", "technical pause"); err != nil {
		t.Fatal(err)
	}
	redis.Start()
	waitFor(t, ctx, "the bot serves again", func() bool {
		try, cancel := context.WithTimeout(ctx, 5*time.Second)
		defer cancel()
		_, err := rae.say(try, "/catalog", "Green tea")
		return err == nil
	})
}

// botMessages counts what the bot sent (or edited) in the people's chats.
func botMessages(s *liveShop, people []*person) int {
	n := 0
	for _, p := range people {
		n += len(s.obs.Events(p.id))
	}
	return n
}

func waitFor(t *testing.T, ctx context.Context, what string, cond func() bool) {
	t.Helper()
	for !cond() {
		select {
		case <-ctx.Done():
			t.Fatalf("%s: %v", what, ctx.Err())
		case <-time.After(50 * time.Millisecond):
		}
	}
}
