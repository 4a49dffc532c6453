package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/orderbot/orderbot/bot"
	"github.com/orderbot/orderbot/bot/fakeapi"
	"github.com/orderbot/orderbot/bot/sandbox"
)

// sandboxDatabase is the sandbox's own database when DATABASE_URL is not
// set, so demo orders never land among real ones.
const sandboxDatabase = "orderbot_sandbox"

// cmdSandbox runs the real bot and its jobs against the built-in Bot API
// emulator, with a chat page in the browser: no token, no Telegram account.
// It listens where --addr and --http say; without them, on SANDBOX_ADDR and
// HTTP_ADDR (on this machine only) if those are free, else on free ports,
// and it prints the addresses it really uses.
func cmdSandbox(ctx context.Context, cfg Config, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("sandbox", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	addr := fs.String("addr", "", "")
	httpAddr := fs.String("http", "", "")
	if err := fs.Parse(args); err != nil || fs.NArg() > 0 {
		return usageError{"want: orderbot sandbox [--addr HOST:PORT] [--http HOST:PORT]"}
	}
	if !cfg.databaseSet {
		cfg.DatabaseURL = strings.Replace(cfg.DatabaseURL, "/orderbot?", "/"+sandboxDatabase+"?", 1)
	}
	// The emulator numbers updates afresh at every start: a prefix of this
	// run keeps de-duplication from mistaking them for old ones.
	cfg.redisPrefix = fmt.Sprintf("%ssandbox:%d:", cfg.redisPrefix, time.Now().UnixNano())
	if !cfg.paymentsSet {
		cfg.Payments.ProviderToken = sandboxProviderToken // a newcomer sees invoices paid in chat
	}
	cfg.OwnerIDs = append(cfg.OwnerIDs, demoOwnerID)
	cfg.ManagerIDs = append(cfg.ManagerIDs, demoManagerID)
	if err := checkServices(ctx, cfg); err != nil {
		return err
	}
	pageLn, pageNote, err := listenSandbox("page", "--addr", *addr, "SANDBOX_ADDR", cfg.SandboxAddr)
	if err != nil {
		return err
	}
	defer pageLn.Close()
	httpLn, httpNote, err := listenSandbox("health and metrics", "--http", *httpAddr, "HTTP_ADDR", localOnly(cfg.HTTPAddr))
	if err != nil {
		return err
	}
	if cfg.LogFormat == "json" {
		cfg.LogFormat = "text"
	}
	log := newLogger(cfg, stderr)
	srv := fakeapi.New(fakeapi.WithBotUsername("orderbot_sandbox_bot"), fakeapi.WithBotName("Shop bot"))
	if err := srv.Start(); err != nil {
		return err
	}
	defer srv.Close()
	a, err := wire(ctx, cfg, log, bot.Config{Token: "sandbox:token", APIURL: srv.URL(), PollTimeout: 10 * time.Second})
	if err != nil {
		httpLn.Close()
		return err
	}
	defer a.close()
	a.httpLn = httpLn
	loaded, err := loadDemo(ctx, a.db, cfg)
	if err == nil && loaded {
		err = quietDemo(ctx, a.db, a.svc.Staff)
	}
	if err == nil && loaded {
		err = a.runner.Settle(ctx) // yesterday's summary of a history written just now is no news
	}
	if err != nil {
		return fmt.Errorf("demo data: %w", err)
	}
	page, err := sandboxPage(srv, log)
	if err != nil {
		return err
	}
	defer page.Close()
	fmt.Fprintf(stdout, "orderbot sandbox: open http://%s in a browser%s (demo data loaded: %v; database %s)\n",
		browsable(pageLn.Addr().String()), pageNote, loaded, redactURL(cfg.DatabaseURL))
	fmt.Fprintf(stdout, "orderbot sandbox: health and metrics at http://%s/healthz and /metrics%s\n",
		browsable(httpLn.Addr().String()), httpNote)
	return a.runSandbox(ctx, pageLn, page, srv)
}

// listenSandbox opens one of the sandbox's listeners: at the flag's address
// exactly (a taken one is an error), else at the configured one, or at a
// free port on the same host when that is taken; note says which happened.
func listenSandbox(what, flagName, flagAddr, env, configured string) (net.Listener, string, error) {
	if flagAddr != "" {
		ln, err := net.Listen("tcp", flagAddr)
		if err != nil {
			return nil, "", fmt.Errorf("sandbox %s at %s %s: %w", what, flagName, flagAddr, err)
		}
		return ln, "", nil
	}
	ln, err := net.Listen("tcp", configured)
	if err == nil {
		return ln, "", nil
	}
	host, _, serr := net.SplitHostPort(configured)
	if serr != nil {
		return nil, "", fmt.Errorf("sandbox %s: %s=%q: %w", what, env, configured, err)
	}
	ln, ferr := net.Listen("tcp", net.JoinHostPort(host, "0"))
	if ferr != nil {
		return nil, "", fmt.Errorf("sandbox %s at %s (%s): %w", what, configured, env, err)
	}
	return ln, fmt.Sprintf(" (%s %s is taken: a free port instead; choose one with %s)", env, configured, flagName), nil
}

// localOnly binds an address without a host (":8081") to this machine: the
// sandbox's metrics are nobody else's business.
func localOnly(addr string) string {
	if host, port, err := net.SplitHostPort(addr); err == nil && (host == "" || host == "0.0.0.0" || host == "::") {
		return net.JoinHostPort("127.0.0.1", port)
	}
	return addr
}

func (a *app) runSandbox(ctx context.Context, ln net.Listener, page *sandbox.Page, srv *fakeapi.Server) error {
	web := &http.Server{Handler: page.Handler(), ReadHeaderTimeout: 10 * time.Second}
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error {
		go func() { <-gctx.Done(); page.Close(); web.Shutdown(context.Background()) }() //nolint:errcheck
		if err := web.Serve(ln); err != http.ErrServerClosed {
			return err
		}
		return nil
	})
	g.Go(func() error { return a.serve(gctx) })
	for _, p := range page.Personas() {
		srv.SendText(p.ID, "/start") //nolint:errcheck // opens each persona's chat, as a person would
	}
	return g.Wait()
}

func sandboxPage(srv *fakeapi.Server, log interface{ Info(string, ...any) }) (*sandbox.Page, error) {
	page := sandbox.New(srv, sandbox.WithTitle("orderbot sandbox"), sandbox.WithFirstCustomerID(2001))
	for _, p := range []struct {
		id                      int64
		name, role, lang, phone string
	}{
		{demoOwnerID, "Olga (owner)", "owner", "en", "+15550000001"},
		{demoManagerID, "Mike (manager)", "manager", "en", "+15550000002"},
		{demoAnnaID, "Anna Smith", "customer", "en", "+15550101"},
		{demoBorisID, "Борис Петров", "customer", "ru", "+79001234567"},
	} {
		if err := page.AddPersona(p.id, p.name, p.role, p.lang, p.phone); err != nil {
			return nil, fmt.Errorf("sandbox persona %s: %w", p.name, err)
		}
	}
	return page, nil
}

// checkServices stops at once, with how to start them, when Postgres or
// Redis does not answer.
func checkServices(ctx context.Context, cfg Config) error {
	var problems []string
	d := net.Dialer{Timeout: 3 * time.Second}
	for _, s := range []struct{ name, addr, start string }{
		{"Postgres", hostPort(cfg.DatabaseURL, "127.0.0.1:5432"), "pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start  (or: docker compose up -d postgres)"},
		{"Redis", hostPort(cfg.RedisURL, "127.0.0.1:6379"), "redis-server --daemonize yes --save '' --appendonly no  (or: docker compose up -d redis)"},
	} {
		c, err := d.DialContext(ctx, "tcp", s.addr)
		if err != nil {
			problems = append(problems, fmt.Sprintf("%s does not answer at %s; start it:\n    %s", s.name, s.addr, s.start))
			continue
		}
		c.Close()
	}
	if len(problems) > 0 {
		return fmt.Errorf("the sandbox needs Postgres and Redis:\n  %s", strings.Join(problems, "\n  "))
	}
	return nil
}

// hostPort pulls host:port out of a service URL.
func hostPort(raw, def string) string {
	rest := raw
	if i := strings.Index(rest, "://"); i >= 0 {
		rest = rest[i+3:]
	}
	if i := strings.LastIndex(rest, "@"); i >= 0 {
		rest = rest[i+1:]
	}
	if i := strings.IndexAny(rest, "/?"); i >= 0 {
		rest = rest[:i]
	}
	if rest == "" {
		return def
	}
	if !strings.Contains(rest, ":") {
		rest += map[bool]string{true: ":5432", false: ":6379"}[strings.HasPrefix(raw, "postgres")]
	}
	return rest
}

// browsable turns a listen address into one a browser can open.
func browsable(addr string) string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil || host == "" || host == "::" || host == "0.0.0.0" {
		return "127.0.0.1:" + port
	}
	return addr
}
