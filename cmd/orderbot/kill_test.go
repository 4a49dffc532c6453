package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"maps"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

var (
	buildOnce sync.Once
	builtBin  string
	buildErr  error
)

// binary builds orderbot once per test run: the kill tests run the real
// process, as a seller does, to kill it.
func binary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "orderbot-bin-")
		if err != nil {
			buildErr = err
			return
		}
		builtBin = filepath.Join(dir, "orderbot")
		out, err := exec.Command("go", "build", "-o", builtBin, ".").CombinedOutput()
		if err != nil {
			buildErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return builtBin
}

// process is one run of the orderbot binary.
type process struct {
	cmd *exec.Cmd
	out *syncBuffer
}

// spawn starts `orderbot run` as a process with the shop's environment and
// extra (a replica's own HTTP_ADDR and INSTANCE_ID).
func (s *liveShop) spawn(t *testing.T, extra map[string]string) *process {
	t.Helper()
	cmd := exec.Command(binary(t), "run")
	cmd.Env = append(os.Environ()[:0:0], "PATH="+os.Getenv("PATH"))
	env := maps.Clone(s.env)
	maps.Copy(env, extra)
	for k, v := range env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	p := &process{cmd: cmd, out: &syncBuffer{}}
	cmd.Stdout, cmd.Stderr = p.out, p.out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.kill() })
	waitHTTP(t, "http://"+env["HTTP_ADDR"]+"/readyz", 200)
	return p
}

// kill is SIGKILL: no shutdown, no flush, nothing.
func (p *process) kill() {
	if p.cmd.ProcessState == nil {
		p.cmd.Process.Signal(syscall.SIGKILL) //nolint:errcheck
		p.cmd.Wait()                          //nolint:errcheck
	}
}

// TestLive_SIGKILL kills `orderbot run` with SIGKILL at random instants
// while customers browse, fill carts and place orders, and starts it again
// each time. Nothing accepted is lost (every tap is answered and every
// message gets its answer), nothing is applied twice (one order per buyer),
// and no placed order goes untold.
func TestLive_SIGKILL(t *testing.T) {
	kills, buyers := 3, 40
	if os.Getenv("ORDERBOT_KILLS") != "" {
		fmt.Sscanf(os.Getenv("ORDERBOT_KILLS"), "%dx%d", &kills, &buyers) //nolint:errcheck
	}
	for _, replicas := range []int{0, 2} {
		name := "polling"
		if replicas > 0 {
			name = fmt.Sprintf("webhook_%d_replicas", replicas)
		}
		t.Run(name, func(t *testing.T) {
			r := killRun(t, kills, buyers, replicas)
			t.Logf("%s: %d kills under %d buyers: %d updates sent, %d taps all answered, %d orders placed, each told; "+
				"updates delivered again %d; longest wait for an answer %v",
				name, kills, buyers, r.sent, r.taps, r.orders, r.repeats, r.longest.Round(time.Millisecond))
		})
	}
}

// fleet is the processes of a shop: one polling, or webhook replicas behind
// a round-robin balancer.
type fleet struct {
	s     *liveShop
	procs []*process
	extra []map[string]string
}

func startFleet(t *testing.T, s *liveShop, replicas int) *fleet {
	f := &fleet{s: s}
	if replicas == 0 {
		f.extra = []map[string]string{nil}
	} else {
		var backends []string
		for i := range replicas {
			addr := freeAddr(t)
			backends = append(backends, addr)
			f.extra = append(f.extra, map[string]string{"HTTP_ADDR": addr, "INSTANCE_ID": fmt.Sprintf("replica-%d", i)})
		}
		lb := balancer(t, backends)
		s.env["WEBHOOK_URL"] = lb + "/tg/hook"
		s.env["WEBHOOK_SECRET"] = "kill-test-secret-0123456789"
	}
	for _, e := range f.extra {
		f.procs = append(f.procs, s.spawn(t, e))
	}
	return f
}

// killOne kills a process at random and starts it again.
func (f *fleet) killOne(t *testing.T) {
	i := rand.IntN(len(f.procs))
	f.procs[i].kill()
	f.procs[i] = f.s.spawn(t, f.extra[i])
}

func (f *fleet) logs() string {
	var out []string
	for i, p := range f.procs {
		out = append(out, fmt.Sprintf("process %d:\n%s", i, tail(p.out.String(), 40)))
	}
	return strings.Join(out, "\n")
}

// balancer forwards each request to the next backend, trying the others
// when one does not answer (a replica being restarted).
func balancer(t *testing.T, backends []string) string {
	var next atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		start := int(next.Add(1))
		for k := range backends {
			b := backends[(start+k)%len(backends)]
			req, _ := http.NewRequestWithContext(r.Context(), r.Method, "http://"+b+r.URL.Path, bytes.NewReader(body))
			req.Header = r.Header.Clone()
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				continue
			}
			w.WriteHeader(resp.StatusCode)
			io.Copy(w, resp.Body) //nolint:errcheck
			resp.Body.Close()
			return
		}
		http.Error(w, "no replica answers", http.StatusBadGateway)
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

type killResult struct {
	sent, taps, orders, repeats int
	longest                     time.Duration
}

func killRun(t *testing.T, kills, n, replicas int) killResult {
	s := newLiveShop(t, nil)
	s.cli("catalog", "import", writeFile(t, "sku,name,price,stock\nTEA,Green tea,4.50,100000\nCUP,Cup,3.00,100000\n"))
	f := startFleet(t, s, replicas)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("the processes' logs:\n%s\ninbox and lanes: %s", f.logs(), inboxState(t, s))
		}
	})
	var res killResult
	var mu sync.Mutex
	var sent, taps atomic.Int64
	done := make(chan struct{})
	var wg sync.WaitGroup
	for i := range n {
		b := s.person(8_000_000_000+int64(i), fmt.Sprintf("Kim%d", i), "en")
		wg.Go(func() {
			wait, err := journey(ctx, b, &sent, &taps)
			mu.Lock()
			defer mu.Unlock()
			res.longest = max(res.longest, wait)
			if err != nil {
				t.Errorf("buyer %d: %v\nlast: %s", b.id, err, lastSeen(b))
			}
		})
	}
	go func() { wg.Wait(); close(done) }()
	for k := 0; k < kills; k++ {
		select {
		case <-done:
			k = kills
			continue
		case <-time.After(time.Duration(500+rand.IntN(2500)) * time.Millisecond):
		}
		f.killOne(t)
	}
	<-done
	res.sent, res.taps = int(sent.Load()), int(taps.Load())
	if un := s.srv.UnansweredCallbacks(); len(un) > 0 {
		t.Errorf("%d taps never answered", len(un))
	}
	res.orders, res.repeats = checkOrders(t, s, n)
	return res
}

// journey is one buyer's visit: browse, search, fill the cart, check out,
// look at the order. Every step waits for its own answer, however many
// restarts that takes.
func journey(ctx context.Context, b *person, sent, taps *atomic.Int64) (time.Duration, error) {
	var longest time.Duration
	say := func(text, want string) error {
		sent.Add(1)
		t0 := time.Now()
		_, err := b.say(ctx, text, want)
		longest = max(longest, time.Since(t0))
		return err
	}
	tap := func(label, want string) error {
		sent.Add(1)
		taps.Add(1)
		t0 := time.Now()
		if _, _, err := b.tap(ctx, label); err != nil {
			return err
		}
		longest = max(longest, time.Since(t0))
		if want == "" {
			return nil
		}
		_, err := b.await(ctx, want)
		return err
	}
	steps := []func() error{
		func() error { return say("/start", "Hello") },
		func() error { return say(fmt.Sprintf("nothing-%d-a", b.id), fmt.Sprintf("nothing-%d-a", b.id)) },
		func() error { return say("/catalog", "Green tea") },
		func() error { return tap("Green tea · 4.50 USD", "SKU: TEA") },
		func() error { return tap("+1", "Quantity: 2") },
		func() error { return tap("➕ Put 2 in cart", "Check out") },
		func() error { return say(fmt.Sprintf("nothing-%d-b", b.id), fmt.Sprintf("nothing-%d-b", b.id)) },
		func() error { return say("/cart", "Check out") },
		func() error { return tap("✅ Check out", "Where should we deliver?") },
		func() error { return say(fmt.Sprintf("%d Kill Street", b.id%1000), "Your phone number") },
		func() error { return say(fmt.Sprintf("+1555%07d", b.id%10_000_000), "Place order") },
		func() error { return tap("✅ Place order", "is placed") },
		func() error { return say("/orders", "Your orders") },
	}
	for i, st := range steps {
		if err := st(); err != nil {
			return longest, fmt.Errorf("step %d: %w", i+1, err)
		}
	}
	return longest, nil
}

// checkOrders: one order per buyer (a redelivered or repeated "Place
// order" placed nothing twice), each buyer told of theirs; and how many
// updates were handled more than once (their changes guarded, their
// answers possibly repeated).
func checkOrders(t *testing.T, s *liveShop, n int) (orders, repeats int) {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, s.env["DATABASE_URL"])
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	rows, err := conn.Query(ctx, `SELECT c.telegram_id, o.number FROM orders o JOIN customers c ON c.id = o.customer_id`)
	if err != nil {
		t.Fatal(err)
	}
	per := map[int64][]string{}
	for rows.Next() {
		var tgID int64
		var number string
		if err := rows.Scan(&tgID, &number); err != nil {
			t.Fatal(err)
		}
		per[tgID] = append(per[tgID], number)
	}
	rows.Close()
	if len(per) != n {
		t.Errorf("%d buyers have orders, want %d", len(per), n)
	}
	for tgID, numbers := range per {
		orders += len(numbers)
		if len(numbers) != 1 {
			t.Errorf("buyer %d has %d orders %v, want 1", tgID, len(numbers), numbers)
		}
		told := false
		for _, e := range s.obs.Events(tgID) {
			told = told || strings.Contains(e.Message.PlainText, numbers[0]) && strings.Contains(e.Message.PlainText, "is placed")
		}
		if !told {
			t.Errorf("buyer %d was never told order %s is placed", tgID, numbers[0])
		}
	}
	// Marks are written in batches once the answers are out: give them a
	// moment before calling an update left pending.
	for deadline := time.Now().Add(15 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		if err := conn.QueryRow(ctx, `SELECT count(*) FROM inbox WHERE done_at IS NULL`).Scan(&repeats); err != nil {
			t.Fatal(err)
		}
		if repeats == 0 || time.Now().After(deadline) {
			break
		}
	}
	if repeats != 0 {
		t.Errorf("%d updates still pending in the inbox", repeats)
	}
	return orders, repeatedUpdates(s)
}

// repeatedUpdates counts updates the fake Telegram delivered more than once
// (a kill between storing and acknowledging them).
func repeatedUpdates(s *liveShop) int { return s.srv.Redeliveries() }

// tail is the last n lines of s.
func tail(s string, n int) string {
	lines := strings.Split(s, "\n")
	return strings.Join(lines[max(0, len(lines)-n):], "\n")
}

// inboxState says what the inbox holds, for a failing test's log.
func inboxState(t *testing.T, s *liveShop) string {
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, s.env["DATABASE_URL"])
	if err != nil {
		return err.Error()
	}
	defer conn.Close(ctx)
	var pending, done, lanes int
	var owners string
	conn.QueryRow(ctx, `SELECT count(*) FILTER (WHERE done_at IS NULL), count(*) FILTER (WHERE done_at IS NOT NULL) FROM inbox`).Scan(&pending, &done)            //nolint:errcheck
	conn.QueryRow(ctx, `SELECT count(*), coalesce(string_agg(DISTINCT owner || ' until ' || lease_until::text, ', '), '') FROM chat_lanes`).Scan(&lanes, &owners) //nolint:errcheck
	return fmt.Sprintf("%d pending, %d done; %d lanes (%s); fake Telegram holds %d unconfirmed", pending, done, lanes, owners, s.srv.PendingUpdates())
}
