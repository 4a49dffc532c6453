package bot

import (
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/orderbot/orderbot/bot/fakeapi"
	"github.com/orderbot/orderbot/core"
)

// BenchmarkUpdates measures one process end to end: users of the fake Bot
// API type catalog searches (a Postgres read, a Redis hold lookup, a reply);
// each op is one update from the user's send to the bot's reply arriving at
// the fake server, through the real client's long polling. It reports
// updates per second and latency percentiles.
func BenchmarkUpdates(b *testing.B) {
	b.Run("burst", func(b *testing.B) { benchUpdates(b, 0) })
	b.Run("paced_200_per_s", func(b *testing.B) { benchUpdates(b, 200) })
}

// benchUpdates sends b.N updates, all at once (rate 0) or paced at rate per
// second, and measures each from send to reply.
func benchUpdates(b *testing.B, rate int) {
	w := newWorld(b)
	for i := range 20 {
		w.product(fmt.Sprintf("SKU-%02d", i), fmt.Sprintf("Product %02d", i), core.Money(100+10*i), 1000)
	}
	const users = 50
	for u := range users {
		w.user(int64(5000+u), fmt.Sprintf("User %d", u), "en")
	}
	events, cancel := w.srv.Subscribe()
	defer cancel()
	sent := make(map[string]time.Time, b.N)
	var mu sync.Mutex
	var lat []time.Duration
	done := make(chan struct{})
	go func() {
		defer close(done)
		for got := 0; got < b.N; {
			ev := <-events
			if ev.Kind != fakeapi.EventMessage || !ev.Message.FromBot {
				continue
			}
			i := strings.Index(ev.Message.PlainText, "q-")
			if i < 0 {
				continue
			}
			key := strings.FieldsFunc(ev.Message.PlainText[i:], func(r rune) bool { return r == '”' || r == ' ' || r == '.' })[0]
			mu.Lock()
			if at, ok := sent[key]; ok {
				lat = append(lat, time.Since(at))
				delete(sent, key)
				got++
			}
			mu.Unlock()
		}
	}()
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		key := fmt.Sprintf("q-%d", i)
		mu.Lock()
		sent[key] = time.Now()
		mu.Unlock()
		if _, err := w.srv.SendText(int64(5000+i%users), key); err != nil {
			b.Fatal(err)
		}
		if rate > 0 {
			time.Sleep(time.Second / time.Duration(rate))
		}
	}
	select {
	case <-done:
	case <-time.After(2 * time.Minute):
		b.Fatalf("only %d of %d replies arrived", len(lat), b.N)
	}
	b.StopTimer()
	slices.Sort(lat)
	pct := func(p float64) float64 { return float64(lat[int(p*float64(len(lat)-1))].Microseconds()) / 1000 }
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "updates/s")
	b.ReportMetric(pct(0.5), "p50_ms")
	b.ReportMetric(pct(0.99), "p99_ms")
}
