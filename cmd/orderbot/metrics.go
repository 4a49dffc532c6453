package main

import (
	"context"
	"errors"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/orderbot/orderbot/bot"
	"github.com/orderbot/orderbot/core"
)

// metrics are what /metrics exposes in Prometheus format.
type metrics struct {
	reg        *prometheus.Registry
	updates    prometheus.Histogram
	reserved   prometheus.Counter
	outOfStock prometheus.Counter
	jobRuns    *prometheus.CounterVec
}

func newMetrics(b func() *bot.Bot) *metrics {
	m := &metrics{reg: prometheus.NewRegistry()}
	m.updates = prometheus.NewHistogram(prometheus.HistogramOpts{Name: "orderbot_updates_handled_seconds",
		Help: "Telegram updates handled, by how long each took.", Buckets: prometheus.ExponentialBuckets(0.002, 2, 14)})
	m.reserved = prometheus.NewCounter(prometheus.CounterOpts{Name: "orderbot_reservations_total",
		Help: "Order lines reserved in Postgres."})
	m.outOfStock = prometheus.NewCounter(prometheus.CounterOpts{Name: "orderbot_out_of_stock_total",
		Help: "Reservations refused because not enough was free."})
	m.jobRuns = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "orderbot_job_runs_total",
		Help: "Scheduled job runs by job and outcome."}, []string{"job", "outcome"})
	sender := func(f func(bot.Stats) int64) func() float64 {
		return func() float64 {
			if b() == nil {
				return 0
			}
			return float64(f(b().SenderStats()))
		}
	}
	m.reg.MustRegister(m.updates, m.reserved, m.outOfStock, m.jobRuns,
		prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "orderbot_messages_sent_total", Help: "Bot API calls that sent or edited a message and succeeded."},
			sender(func(s bot.Stats) int64 { return s.Sent })),
		prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "orderbot_telegram_429_total", Help: "429 Too Many Requests answers from the Bot API."},
			sender(func(s bot.Stats) int64 { return s.Limited })),
		prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "orderbot_blocked_chats_total", Help: "Sends refused because the user blocked the bot."},
			sender(func(s bot.Stats) int64 { return s.Blocked })),
		prometheus.NewGoCollector(), prometheus.NewProcessCollector(prometheus.ProcessCollectorOpts{}))
	return m
}

// Update implements bot.Metrics.
func (m *metrics) Update(d time.Duration) { m.updates.Observe(d.Seconds()) }

// JobRun counts a job run; outcome is "ok", "skipped" or "failed".
func (m *metrics) JobRun(job, outcome string) { m.jobRuns.WithLabelValues(job, outcome).Inc() }

// countingStore wraps the store so every reservation is counted, whoever
// places the order. Embedding hides the optional interfaces core looks for
// on its store, so those are passed on explicitly: core.ReportStore (the
// owner's /summary).
type countingStore struct {
	core.Store
	reports core.ReportStore
	m       *metrics
}

var _ core.ReportStore = countingStore{}

func (s countingStore) OverdueShipments(ctx context.Context, today time.Time, limit int) ([]core.OverdueShipment, int, error) {
	return s.reports.OverdueShipments(ctx, today, limit)
}

func (s countingStore) DaySummary(ctx context.Context, q core.SummaryQuery) (*core.Summary, error) {
	return s.reports.DaySummary(ctx, q)
}

func (s countingStore) JobStatuses(ctx context.Context) ([]core.JobStatus, error) {
	return s.reports.JobStatuses(ctx)
}

func (s countingStore) InTx(ctx context.Context, fn func(ctx context.Context, tx core.Tx) error) error {
	return s.Store.InTx(ctx, func(ctx context.Context, tx core.Tx) error {
		return fn(ctx, countingTx{Tx: tx, m: s.m})
	})
}

type countingTx struct {
	core.Tx
	m *metrics
}

func (t countingTx) Reserve(ctx context.Context, productID, qty, keepFree int64) (bool, int64, error) {
	ok, free, err := t.Tx.Reserve(ctx, productID, qty, keepFree)
	switch {
	case err != nil && errors.Is(err, core.ErrOutOfStock), err == nil && !ok:
		t.m.outOfStock.Inc()
	case err == nil:
		t.m.reserved.Inc()
	}
	return ok, free, err
}
