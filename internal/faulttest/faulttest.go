// Package faulttest starts private Postgres and Redis servers on spare
// ports for fault tests, which stop and restart them mid-work without
// touching the shared services other tests use. Tests fail, never skip,
// when the server binaries are missing. It imports only the standard
// library.
package faulttest

import (
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"testing"
	"time"
)

// Server is a private server that can be stopped and started again on the
// same port, keeping its data (Postgres) between starts.
type Server struct {
	t     testing.TB
	Port  int
	URL   string
	start func() error
	stop  func()
	up    bool
}

// Stop takes the server away.
func (s *Server) Stop() {
	s.t.Helper()
	if s.up {
		s.stop()
		s.up = false
	}
}

// Start brings it back on the same port.
func (s *Server) Start() {
	s.t.Helper()
	if err := s.start(); err != nil {
		s.t.Fatalf("faulttest: start: %v", err)
	}
	s.up = true
}

func freePort(t testing.TB) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

func waitPort(port int, up bool) error {
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		c, err := net.DialTimeout("tcp", fmt.Sprintf("127.0.0.1:%d", port), 200*time.Millisecond)
		if c != nil {
			c.Close()
		}
		if (err == nil) == up {
			return nil
		}
		time.Sleep(50 * time.Millisecond)
	}
	return fmt.Errorf("port %d did not become %v", port, map[bool]string{true: "open", false: "closed"}[up])
}

// Redis starts a private redis-server (nothing kept on disk).
func Redis(t testing.TB) *Server {
	t.Helper()
	bin, err := exec.LookPath("redis-server")
	if err != nil {
		t.Fatal("faulttest: redis-server not found; install Debian's redis-server package")
	}
	s := &Server{t: t, Port: freePort(t)}
	s.URL = fmt.Sprintf("redis://127.0.0.1:%d/0", s.Port)
	var cmd *exec.Cmd
	s.start = func() error {
		cmd = exec.Command(bin, "--port", strconv.Itoa(s.Port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no")
		if err := cmd.Start(); err != nil {
			return err
		}
		return waitPort(s.Port, true)
	}
	s.stop = func() {
		cmd.Process.Kill()      //nolint:errcheck
		cmd.Wait()              //nolint:errcheck
		waitPort(s.Port, false) //nolint:errcheck
	}
	s.Start()
	t.Cleanup(s.Stop)
	return s
}

// Postgres initializes a private cluster (as the postgres user when run as
// root, since initdb refuses root) and starts it with trust auth.
func Postgres(t testing.TB) *Server {
	t.Helper()
	bins, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	if len(bins) == 0 {
		t.Fatal("faulttest: no /usr/lib/postgresql/*/bin; install Debian's postgresql package")
	}
	bin := bins[len(bins)-1]
	dir, err := os.MkdirTemp("", "orderbot-pg-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	run := asPostgres(t, dir)
	if out, err := run(filepath.Join(bin, "initdb"), "-D", filepath.Join(dir, "data"), "-A", "trust", "-U", "postgres", "--no-sync").CombinedOutput(); err != nil {
		t.Fatalf("faulttest: initdb: %v\n%s", err, out)
	}
	s := &Server{t: t, Port: freePort(t)}
	s.URL = fmt.Sprintf("postgres://postgres@127.0.0.1:%d/orderbot?sslmode=disable", s.Port)
	ctl := func(args ...string) error {
		full := append([]string{"-D", filepath.Join(dir, "data"), "-w", "-l", filepath.Join(dir, "log")}, args...)
		if out, err := run(filepath.Join(bin, "pg_ctl"), full...).CombinedOutput(); err != nil {
			return fmt.Errorf("pg_ctl %v: %v\n%s", args, err, out)
		}
		return nil
	}
	s.start = func() error {
		opts := fmt.Sprintf("-p %d -k %s -c listen_addresses=127.0.0.1 -c fsync=off", s.Port, dir)
		if err := ctl("-o", opts, "start"); err != nil {
			return err
		}
		return waitPort(s.Port, true)
	}
	s.stop = func() {
		if err := ctl("-m", "immediate", "stop"); err != nil {
			t.Logf("faulttest: %v", err)
		}
		waitPort(s.Port, false) //nolint:errcheck
	}
	s.Start()
	t.Cleanup(s.Stop)
	return s
}

// asPostgres returns a command maker that runs as the postgres user when
// this process is root, after giving that user the directory.
func asPostgres(t testing.TB, dir string) func(name string, args ...string) *exec.Cmd {
	if os.Geteuid() != 0 {
		return exec.Command
	}
	u, err := user.Lookup("postgres")
	if err != nil {
		t.Fatal("faulttest: running as root and there is no postgres user to run initdb as")
	}
	uid, _ := strconv.Atoi(u.Uid)
	gid, _ := strconv.Atoi(u.Gid)
	if err := os.Chown(dir, uid, gid); err != nil {
		t.Fatal(err)
	}
	return func(name string, args ...string) *exec.Cmd {
		return exec.Command("runuser", append([]string{"-u", "postgres", "--", name}, args...)...)
	}
}
