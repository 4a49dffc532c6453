package redis

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os/exec"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/orderbot/orderbot/core"
)

// privateRedis is a redis-server of the test's own, which it may kill.
type privateRedis struct {
	t    *testing.T
	port int
	cmd  *exec.Cmd
}

// startPrivateRedis starts redis-server on a free port; the test fails when
// redis-server is not installed.
func startPrivateRedis(t *testing.T) *privateRedis {
	t.Helper()
	if _, err := exec.LookPath("redis-server"); err != nil {
		t.Fatalf("redis-server is needed for fault tests: %v", err)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &privateRedis{t: t, port: l.Addr().(*net.TCPAddr).Port}
	_ = l.Close()
	p.start()
	t.Cleanup(p.stop)
	return p
}

func (p *privateRedis) url() string { return fmt.Sprintf("redis://127.0.0.1:%d/0", p.port) }

// start runs the server and waits until it accepts connections.
func (p *privateRedis) start() {
	p.t.Helper()
	p.cmd = exec.Command("redis-server", "--port", strconv.Itoa(p.port), "--bind", "127.0.0.1",
		"--save", "", "--appendonly", "no")
	if err := p.cmd.Start(); err != nil {
		p.t.Fatalf("start redis-server: %v", err)
	}
	waitUntil(p.t, 5*time.Second, "listening", func() bool {
		c, err := net.Dial("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(p.port)))
		if err == nil {
			_ = c.Close()
		}
		return err == nil
	})
}

// stop kills the server, as a crash would.
func (p *privateRedis) stop() {
	if p.cmd == nil {
		return
	}
	_ = p.cmd.Process.Kill()
	_ = p.cmd.Wait()
	p.cmd = nil
}

// TestStore_RedisDown kills the server under a Store: every call reports
// core.ErrUnavailable, and the same Store works again once the server is
// back (its script cache empty, its connections new).
func TestStore_RedisDown(t *testing.T) {
	t.Parallel()
	srv := startPrivateRedis(t)
	ctx := context.Background()
	s, err := Open(ctx, srv.url(), WithTimeouts(200*time.Millisecond, 200*time.Millisecond), WithRetries(0))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	mustHold(t, s, "c:a", 1, 1, 5, time.Minute)

	killUnderLoad(t, s, srv)
	for name, call := range storeCalls(s) {
		cctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		start := time.Now()
		if err := call(cctx); !errors.Is(err, core.ErrUnavailable) {
			t.Errorf("%s with Redis down: err = %v, want ErrUnavailable", name, err)
		}
		t.Logf("%s failed after %v", name, time.Since(start))
		cancel()
	}

	srv.start()
	waitUntil(t, 5*time.Second, "answering again", func() bool { return s.Ping(ctx) == nil })
	for name, call := range storeCalls(s) {
		if err := call(ctx); err != nil {
			t.Errorf("%s after restart: %v", name, err)
		}
	}
}

// killUnderLoad kills the server while holds are being taken: calls in
// flight fail with core.ErrUnavailable, never another error.
func killUnderLoad(t *testing.T, s *Store, srv *privateRedis) {
	t.Helper()
	done := make(chan struct{})
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			for i := 0; ; i++ {
				select {
				case <-done:
					return
				default:
				}
				holder := fmt.Sprintf("c:%d:%d", g, i%10)
				if _, err := s.Hold(context.Background(), holder, 2, 1, 1000, nil, time.Minute); err != nil && !errors.Is(err, core.ErrUnavailable) {
					t.Errorf("Hold during the crash: %v, want ErrUnavailable", err)
				}
			}
		})
	}
	time.Sleep(100 * time.Millisecond)
	srv.stop()
	time.Sleep(100 * time.Millisecond)
	close(done)
	wg.Wait()
}

// storeCalls is one call of each kind the Store makes.
func storeCalls(s *Store) map[string]func(context.Context) error {
	return map[string]func(context.Context) error{
		"Ping": s.Ping,
		"Hold": func(ctx context.Context) error { _, err := s.Hold(ctx, "c:a", 1, 1, 5, nil, time.Minute); return err },
		"LiveHolds": func(ctx context.Context) error {
			_, err := sumHolds(ctx, s, []int64{1, 2}, "")
			return err
		},
		"Cart":        func(ctx context.Context) error { _, err := s.Cart(ctx, "c:a"); return err },
		"SetCartLine": func(ctx context.Context) error { return s.SetCartLine(ctx, "c:a", 1, 1) },
		"FirstSeen":   func(ctx context.Context) error { _, err := s.FirstSeen(ctx, 1, time.Hour); return err },
		"SaveDialog":  func(ctx context.Context) error { return s.SaveDialog(ctx, 1, "x", time.Hour) },
		"LoadDialog":  func(ctx context.Context) error { _, err := s.LoadDialog(ctx, 1, new(string)); return err },
		"Lang":        func(ctx context.Context) error { _, err := s.Lang(ctx, 1); return err },
		"LockChat": func(ctx context.Context) error {
			unlock, err := s.LockChat(ctx, 1, time.Second)
			if err == nil {
				unlock()
			}
			return err
		},
	}
}
