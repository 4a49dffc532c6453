package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/orderbot/orderbot/bot"
	"github.com/orderbot/orderbot/core"
	"github.com/orderbot/orderbot/jobs"
	"github.com/orderbot/orderbot/storage/postgres"
	redisstore "github.com/orderbot/orderbot/storage/redis"
)

// app is everything a running orderbot holds: stores, services, the bot.
type app struct {
	cfg      Config
	metrics  *metrics
	log      *slog.Logger
	db       *postgres.DB
	cache    *redisstore.Store
	svc      bot.Services
	bot      *bot.Bot
	runner   *jobs.Runner
	delivery *jobs.Delivery
	// httpLn, when set, is where the HTTP server listens instead of
	// HTTP_ADDR (the sandbox opens its own).
	httpLn net.Listener
}

func (a *app) close() {
	if a.bot != nil {
		a.bot.Close()
	}
	if a.cache != nil {
		a.cache.Close() //nolint:errcheck
	}
	if a.db != nil {
		a.db.Close()
	}
	if a.httpLn != nil {
		a.httpLn.Close() //nolint:errcheck // closed already once served
	}
}

func newLogger(cfg Config, w io.Writer) *slog.Logger {
	opts := &slog.HandlerOptions{Level: slog.LevelInfo}
	if cfg.LogFormat == "text" {
		return slog.New(slog.NewTextHandler(w, opts))
	}
	return slog.New(slog.NewJSONHandler(w, opts))
}

// wire opens the stores and builds the services and the bot.
func wire(ctx context.Context, cfg Config, log *slog.Logger, botCfg bot.Config) (*app, error) {
	a := &app{cfg: cfg, log: log}
	a.metrics = newMetrics(func() *bot.Bot { return a.bot })
	var err error
	if a.db, err = openDB(ctx, cfg); err != nil {
		return nil, err
	}
	rctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	ropts := []redisstore.Option{redisstore.WithTimeouts(2*time.Second, 3*time.Second)}
	if cfg.redisPrefix != "" {
		ropts = append(ropts, redisstore.WithPrefix(cfg.redisPrefix))
	}
	if a.cache, err = redisstore.Open(rctx, cfg.RedisURL, ropts...); err != nil {
		a.close()
		return nil, fmt.Errorf("%w\n(is Redis running? start it with: redis-server --daemonize yes)", err)
	}
	store := countingStore{Store: a.db, reports: a.db, m: a.metrics}
	d := core.Deps{Store: store, Holds: a.cache.Carts(), Currency: cfg.Currency, Location: cfg.Location, Pricing: cfg.Pricing,
		KeepStarsOnCancel: !cfg.StarsRefundOnCancel}
	orders := core.NewOrders(d)
	a.svc = bot.Services{Orders: orders, Catalog: core.NewCatalog(d), Customers: core.NewCustomers(d),
		Shopping: core.NewShopping(d, a.cache.Carts(), orders, cfg.HoldTTL),
		Staff:    core.NewStaff(d, a.db, cfg.OwnerIDs, cfg.ManagerIDs),
		Reports:  core.NewReports(d, a.db, cfg.LowStock), Exports: core.NewExports(d, a.db)}
	botCfg.StaffChatID, botCfg.DefaultLang, botCfg.Currency = cfg.StaffChatID, cfg.Lang, cfg.Currency
	botCfg.Location, botCfg.LowStock, botCfg.Logger = cfg.Location, cfg.LowStock, log
	botCfg.Instance, botCfg.Limits, botCfg.PaymentMethods = cfg.Instance, cfg.Limits, cfg.PaymentMethods
	botCfg.Pricing, botCfg.Payments = cfg.Pricing, cfg.Payments
	botCfg.Seller = pdfSeller(cfg)
	if a.bot, err = bot.New(ctx, botCfg, a.svc, a.cache, a.db, a.db); err != nil {
		a.close()
		return nil, err
	}
	a.bot.SetMetrics(a.metrics)
	if err := a.wireJobs(d); err != nil {
		a.close()
		return nil, err
	}
	return a, nil
}

func cmdRun(ctx context.Context, cfg Config, stderr io.Writer) error {
	if cfg.TelegramToken == "" {
		return fmt.Errorf("TELEGRAM_TOKEN is not set: create a bot with @BotFather and set its token")
	}
	log := newLogger(cfg, stderr)
	a, err := wire(ctx, cfg, log, bot.Config{Token: cfg.TelegramToken, APIURL: cfg.TelegramAPIURL})
	if err != nil {
		return err
	}
	defer a.close()
	log.Info("orderbot started", "version", version, "mode", map[bool]string{true: "webhook", false: "long polling"}[cfg.WebhookURL != ""])
	return a.serve(ctx)
}

// wireJobs builds the scheduled jobs and the outbox delivery; a bad
// schedule or time zone stops the start with a message naming it.
func (a *app) wireJobs(d core.Deps) error {
	jcfg := a.cfg.Jobs
	jcfg.Location, jcfg.BusinessHours, jcfg.Logger = a.cfg.Location, a.cfg.BusinessHours, a.log
	rem, err := core.NewReminders(d, a.db, a.svc.Staff, jcfg.Reminders)
	if err != nil {
		return fmt.Errorf("reminders: %w", err)
	}
	sched, err := jobs.New(jcfg, jobs.Services{Outbox: a.db, Reports: core.NewReports(d, a.db, a.cfg.LowStock),
		Reminders: rem, Staff: a.svc.Staff, Orders: a.svc.Orders})
	if err != nil {
		return err
	}
	if a.runner, err = jobs.NewRunner(jcfg, a.db, sched.Table()); err != nil {
		return err
	}
	a.runner.OnRun(a.metrics.JobRun)
	a.delivery = jobs.NewDelivery(jcfg, a.db, core.NewNotices(d, a.db, a.svc.Staff, a.cfg.StaffChatID), a.bot)
	a.bot.UseOutbox(a.delivery.Wake)
	return nil
}

// serve runs the bot (long polling, or webhook when WEBHOOK_URL is set) and
// the HTTP server until ctx ends, then shuts both down gracefully: stop
// taking updates, finish those in flight, and stop.
func (a *app) serve(ctx context.Context) error {
	var webhook http.Handler
	if a.cfg.WebhookURL != "" {
		webhook = a.bot.WebhookHandler(a.cfg.WebhookSecret)
	}
	srv := httpServer(a.cfg.HTTPAddr, a.metrics, map[string]pinger{"postgres": a.db, "redis": a.cache},
		webhookPath(a.cfg.WebhookURL), webhook)
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error { return serve(gctx, srv, a.httpLn, a.log) })
	g.Go(func() error { a.delivery.Run(gctx); return nil })
	a.runner.Start(gctx)
	defer a.runner.Wait(30 * time.Second)
	g.Go(func() error {
		if webhook != nil {
			return a.bot.RunWebhook(gctx, a.cfg.WebhookURL, a.cfg.WebhookSecret)
		}
		return a.bot.Run(gctx)
	})
	err := g.Wait()
	a.log.Info("orderbot stopped")
	return err
}
