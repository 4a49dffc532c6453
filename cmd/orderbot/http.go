package main

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"time"

	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// pinger is anything /readyz asks.
type pinger interface {
	Ping(ctx context.Context) error
}

// httpServer serves /healthz (the process is alive), /readyz (Postgres and
// Redis answer), /metrics (Prometheus) and, in webhook mode, the webhook.
func httpServer(addr string, m *metrics, deps map[string]pinger, webhookPath string, webhook http.Handler) *http.Server {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) { w.Write([]byte("ok\n")) }) //nolint:errcheck
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		defer cancel()
		status, body := http.StatusOK, ""
		for name, p := range deps {
			if err := p.Ping(ctx); err != nil {
				status = http.StatusServiceUnavailable
				body += name + ": " + err.Error() + "\n"
			} else {
				body += name + ": ok\n"
			}
		}
		w.WriteHeader(status)
		w.Write([]byte(body)) //nolint:errcheck
	})
	mux.Handle("GET /metrics", promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{}))
	if webhook != nil {
		mux.Handle(webhookPath, webhook)
	}
	return &http.Server{Addr: addr, Handler: mux, ReadHeaderTimeout: 10 * time.Second}
}

// serve runs srv on ln (nil: it listens on srv.Addr) until ctx ends, then
// shuts it down, letting requests in flight finish.
func serve(ctx context.Context, srv *http.Server, ln net.Listener, log *slog.Logger) error {
	if ln == nil {
		var err error
		if ln, err = net.Listen("tcp", srv.Addr); err != nil {
			return err
		}
	}
	log.Info("http listening", "addr", ln.Addr().String())
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// webhookPath is the path part of WEBHOOK_URL, where Telegram will POST.
func webhookPath(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Path == "" {
		return "/telegram/webhook"
	}
	return u.Path
}
