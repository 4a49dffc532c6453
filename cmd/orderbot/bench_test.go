package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"regexp"
	"runtime"
	"runtime/pprof"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// The benchmarks here run `orderbot run` as it ships and print figures; they
// assert no timing. Each prints beside its figures the settings it changed.
// ORDERBOT_BENCH=1 runs them (go test -run TestBench -v ./cmd/orderbot/).

func benchOnly(t *testing.T) {
	if os.Getenv("ORDERBOT_BENCH") == "" {
		t.Skip("a benchmark: ORDERBOT_BENCH=1 runs it")
	}
}

// TestBench_Taps: 200 people tapping 5 buttons each, all at once, then the
// same taps paced at 500 a second; with the sending limits raised by
// SEND_RATE and SEND_RATE_CHAT (Telegram's own would make it a benchmark of
// the limits). Figures: per tap the time from the press to its answer (the
// "+1" is a screen-only button: answered as soon as it is stored), and
// updates handled a second (until the last tap's handler ran, as the bot's
// /metrics counts them).
func TestBench_Taps(t *testing.T) {
	benchOnly(t)
	for _, mode := range []string{"polling", "webhook"} {
		t.Run(mode, func(t *testing.T) { benchTaps(t, mode) })
	}
}

func benchTaps(t *testing.T, mode string) {
	env := map[string]string{"SEND_RATE": "1000", "SEND_RATE_CHAT": "1000", "SEND_BURST_CHAT": "1000"}
	s := newLiveShop(t, env)
	if mode == "webhook" { // Telegram posts each update, up to 40 at once
		s.env["WEBHOOK_URL"] = "http://" + s.env["HTTP_ADDR"] + "/tg/hook"
		s.env["WEBHOOK_SECRET"] = "bench-secret-0123456789"
	}
	s.cli("catalog", "import", writeFile(t, "sku,name,price,stock\nTEA,Green tea,4.50,100000\n"))
	s.start()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	const users, taps = 200, 5
	people := make([]*person, users)
	for i := range people {
		people[i] = s.person(9_000_000_000+int64(i), fmt.Sprint("P", i), "en")
	}
	each(t, people, func(p *person) error {
		_, err := p.say(ctx, "/start TEA", "Put 1 in cart")
		return err
	})
	if f := os.Getenv("ORDERBOT_CPUPROFILE"); f != "" { // the whole process: bot, fake Telegram and players
		out, err := os.Create(f)
		if err != nil {
			t.Fatal(err)
		}
		pprof.StartCPUProfile(out) //nolint:errcheck
	}
	burst := tapRound(t, ctx, s, people, taps, 0)
	pprof.StopCPUProfile()
	t.Logf("%s; settings changed: SEND_RATE=1000 SEND_RATE_CHAT=1000 SEND_BURST_CHAT=1000; GOMAXPROCS=%d", mode, runtime.GOMAXPROCS(0))
	t.Logf("%d×%d taps at once: %.0f updates/s handled; per tap answered p50 %v p90 %v p99 %v max %v", users, taps, burst.rate,
		pct(burst.lat, 50), pct(burst.lat, 90), pct(burst.lat, 99), pct(burst.lat, 100))
	paced := tapRound(t, ctx, s, people, taps, 500)
	t.Logf("%d×%d taps paced at 500/s: %.0f updates/s handled; per tap answered p50 %v p90 %v p99 %v max %v", users, taps, paced.rate,
		pct(paced.lat, 50), pct(paced.lat, 90), pct(paced.lat, 99), pct(paced.lat, 100))
}

type tapFigures struct {
	rate float64 // updates handled a second
	lat  []time.Duration
}

// handledCount is how many updates the running bot has handled, from its
// /metrics.
func handledCount(t *testing.T, s *liveShop) int {
	resp, err := http.Get("http://" + s.env["HTTP_ADDR"] + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	m := regexp.MustCompile(`(?m)^orderbot_updates_handled_seconds_count (\d+)`).FindSubmatch(body)
	if m == nil {
		t.Fatalf("no orderbot_updates_handled_seconds_count in /metrics")
	}
	n, _ := strconv.Atoi(string(m[1]))
	return n
}

// tapRound has every person tap "+1" on their product card taps times; at
// rate > 0 the presses are spread at that many a second.
func tapRound(t *testing.T, ctx context.Context, s *liveShop, people []*person, taps int, rate float64) tapFigures {
	before := handledCount(t, s)
	var mu sync.Mutex
	var f tapFigures
	var wg sync.WaitGroup
	var tick <-chan time.Time
	if rate > 0 {
		tk := time.NewTicker(time.Duration(float64(time.Second) / rate))
		defer tk.Stop()
		tick = tk.C
	}
	start := time.Now()
	for i := range taps {
		for _, p := range people {
			if tick != nil {
				<-tick
			}
			wg.Go(func() {
				t0 := time.Now()
				id, err := p.s.srv.PressButton(p.id, "+1")
				if err != nil {
					t.Errorf("press %d of %d: %v", i, p.id, err)
					return
				}
				upd, _ := p.s.srv.Update(id)
				if _, at, err := p.s.obs.Answer(ctx, upd.CallbackQuery.ID); err != nil {
					t.Errorf("tap %d of %d not answered: %v", i, p.id, err)
				} else {
					mu.Lock()
					f.lat = append(f.lat, at.Sub(t0))
					mu.Unlock()
				}
			})
		}
	}
	wg.Wait()
	for handledCount(t, s) < before+len(people)*taps && ctx.Err() == nil {
		time.Sleep(5 * time.Millisecond)
	}
	f.rate = float64(len(people)*taps) / time.Since(start).Seconds()
	return f
}

// TestBench_FlashSaleUnderTelegramLimits: the flash sale with the fake
// Telegram enforcing Telegram's flood limits, and the bot's shipped
// settings. Figures: how long the sale took against the time its messages
// need at 30 a second, answers to taps, messages per placed order, 429s.
func TestBench_FlashSaleUnderTelegramLimits(t *testing.T) {
	benchOnly(t)
	buyers, units := 2000, 100
	if v := os.Getenv("ORDERBOT_SALE"); v != "" {
		fmt.Sscanf(v, "%dx%d", &buyers, &units) //nolint:errcheck
	}
	r := flashSale(t, buyers, units, true)
	budget := time.Duration(float64(r.messages) / 30 * float64(time.Second))
	t.Logf("settings: shipped (SEND_RATE 30, SEND_RATE_CHAT 1, burst 3); fake Telegram enforcing 30/s, 1/s per chat, burst 3")
	t.Logf("%d buyers, %d units: sold %d; sale took %v, its %d messages and edits need %v at 30/s (%.2f×); "+
		"cart taps answered p50 %v p99 %v; refused buyers told p50 %v p99 %v (a toast, no message); "+
		"Place order → placed p50 %v p99 %v; %.1f messages and edits per placed order (product card to placed); %d answered 429",
		buyers, units, r.sold, r.elapsed.Round(time.Second), r.messages, budget.Round(time.Second), r.elapsed.Seconds()/budget.Seconds(),
		pct(r.holdTap, 50), pct(r.holdTap, 99), pct(r.refusedTap, 50), pct(r.refusedTap, 99), pct(r.place, 50), pct(r.place, 99),
		float64(r.perOrder)/float64(max(r.sold, 1)), r.tooMany)
}

// TestLive_QuickTapsEndOnTheLatestScreen: under Telegram's enforced limits
// and the shipped settings, a person taps five buttons within two seconds:
// every tap is answered, and the screen ends on the latest state (edits of
// the same message coalesce rather than queue one a second). The answer
// times are printed; no timing is asserted.
func TestLive_QuickTapsEndOnTheLatestScreen(t *testing.T) {
	s := newLiveShop(t, nil)
	s.srv.EnforceLimits(1, 30, 3)
	s.cli("catalog", "import", writeFile(t, "sku,name,price,stock\nTEA,Green tea,4.50,100\n"))
	s.start()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	p := s.person(9_100_000_001, "Quinn", "en")
	if _, err := p.say(ctx, "/start TEA", "Quantity: 1"); err != nil {
		t.Fatal(err)
	}
	var lat []time.Duration
	var last string
	for range 5 {
		t0 := time.Now()
		id, err := s.srv.PressButton(p.id, "+1")
		if err != nil {
			t.Fatal(err)
		}
		upd, _ := s.srv.Update(id)
		last = upd.CallbackQuery.Data // the quantity the shown screen's +1 asks for
		if _, at, err := s.obs.Answer(ctx, upd.CallbackQuery.ID); err != nil {
			t.Fatal(err)
		} else {
			lat = append(lat, at.Sub(t0))
		}
		time.Sleep(400 * time.Millisecond)
	}
	want := "Quantity: " + last[strings.LastIndex(last, ":")+1:]
	if _, err := p.await(ctx, want); err != nil {
		t.Fatalf("the screen did not end on the latest state: %v\n%s", err, lastSeen(p))
	}
	edits := s.srv.Requests("editMessageText")
	t.Logf("5 taps within 2 s under Telegram's limits: answers %v; %d edits sent for 5 taps; %d answered 429", lat, edits, s.srv.TooManyRequestsSent())
}
