package fakeapi

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"time"

	"github.com/go-telegram/bot/models"
)

// webhook is one setWebhook registration; replaced or cleared as a whole.
type webhook struct {
	url      string
	secret   string
	maxConn  int
	cancel   context.CancelFunc
	inflight int
}

type webhookState struct {
	active   *webhook
	statuses []int // every HTTP status received, 0 for transport errors
	errDate  int
	errText  string
}

var secretRE = regexp.MustCompile(`^[A-Za-z0-9_-]{1,256}$`)

func (s *Server) setWebhook(_ *http.Request, p *params) (any, error) {
	raw := p.str("url")
	if raw == "" {
		return s.deleteWebhook(nil, p)
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return nil, badRequest("bad webhook: An HTTPS URL must be provided for webhook")
	}
	secret := p.str("secret_token")
	if secret != "" && !secretRE.MatchString(secret) {
		return nil, badRequest("bad webhook: Secret token contains unallowed characters")
	}
	maxConn, err := p.int("max_connections")
	if err != nil {
		return nil, err
	}
	if maxConn <= 0 || maxConn > 100 {
		maxConn = 40
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if p.has("allowed_updates") {
		if s.upd.allowed, err = p.stringList("allowed_updates"); err != nil {
			return nil, err
		}
	}
	if p.bool("drop_pending_updates") {
		s.upd.queue = nil
	}
	s.stopWebhookLocked()
	ctx, cancel := context.WithCancel(context.Background())
	wh := &webhook{url: raw, secret: secret, maxConn: maxConn, cancel: cancel}
	s.wh.active = wh
	s.wh.errDate, s.wh.errText = 0, ""
	s.notifyLocked() // ends long polls with 409
	go s.webhookLoop(ctx, wh)
	return described{true, "Webhook was set"}, nil
}

func (s *Server) deleteWebhook(_ *http.Request, p *params) (any, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if p.bool("drop_pending_updates") {
		s.upd.queue = nil
	}
	if s.wh.active == nil {
		return described{true, "Webhook is already deleted"}, nil
	}
	s.stopWebhookLocked()
	s.notifyLocked()
	return described{true, "Webhook was deleted"}, nil
}

func (s *Server) stopWebhookLocked() {
	if s.wh.active != nil {
		s.wh.active.cancel()
		s.wh.active = nil
	}
	for _, q := range s.upd.queue {
		q.inflight = false
	}
}

func (s *Server) getWebhookInfo(*http.Request, *params) (any, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	info := &models.WebhookInfo{PendingUpdateCount: len(s.upd.queue)}
	if wh := s.wh.active; wh != nil {
		info.URL, info.MaxConnections = wh.url, wh.maxConn
		info.LastErrorDate, info.LastErrorMessage = s.wh.errDate, s.wh.errText
		info.AllowedUpdates = slices.Clone(s.upd.allowed)
	}
	return info, nil
}

// webhookLoop starts a delivery for the first pending update of every chat
// that has none in flight, so each chat gets its updates one at a time and
// in order while different chats proceed in parallel.
func (s *Server) webhookLoop(ctx context.Context, wh *webhook) {
	for {
		s.mu.Lock()
		if s.wh.active != wh {
			s.mu.Unlock()
			return
		}
		for _, q := range s.pickWebhookLocked(wh) {
			go s.deliver(ctx, wh, q)
		}
		ch := s.changed
		s.mu.Unlock()
		select {
		case <-ch:
		case <-ctx.Done():
			return
		}
	}
}

func (s *Server) pickWebhookLocked(wh *webhook) []*queued {
	s.upd.queue = slices.DeleteFunc(s.upd.queue, func(e *queued) bool { return !s.allowedLocked(e.kind) })
	seen := map[int64]bool{}
	var out []*queued
	for _, q := range s.upd.queue {
		if seen[q.chatID] {
			continue
		}
		seen[q.chatID] = true
		if q.inflight || wh.inflight >= wh.maxConn {
			continue
		}
		q.inflight, q.forced = true, false
		wh.inflight++
		out = append(out, q)
	}
	return out
}

// deliver POSTs one update until the receiver answers 2xx, backing off
// between attempts, or the webhook is removed.
func (s *Server) deliver(ctx context.Context, wh *webhook, q *queued) {
	backoff := s.backoffMin
	for {
		status, errText := s.post(ctx, wh, q.raw)
		if ctx.Err() != nil {
			s.finishDelivery(wh, q, false)
			return
		}
		ok := status >= 200 && status < 300
		s.recordDelivery(status, errText)
		if ok {
			s.finishDelivery(wh, q, true)
			return
		}
		select {
		case <-time.After(backoff):
		case <-ctx.Done():
			s.finishDelivery(wh, q, false)
			return
		}
		backoff = min(backoff*2, s.backoffMax)
	}
}

func (s *Server) post(ctx context.Context, wh *webhook, body []byte) (int, string) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, wh.url, bytes.NewReader(body))
	if err != nil {
		return 0, err.Error()
	}
	req.Header.Set("Content-Type", "application/json")
	if wh.secret != "" {
		req.Header.Set("X-Telegram-Bot-Api-Secret-Token", wh.secret)
	}
	client := &http.Client{Timeout: 30 * time.Second}
	resp, err := client.Do(req)
	if err != nil {
		return 0, "Connection failed: " + err.Error()
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20))
	_ = resp.Body.Close()
	return resp.StatusCode, fmt.Sprintf("Wrong response from the webhook: %d %s", resp.StatusCode, http.StatusText(resp.StatusCode))
}

func (s *Server) recordDelivery(status int, errText string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.wh.statuses = append(s.wh.statuses, status)
	if status < 200 || status >= 300 {
		s.wh.errDate, s.wh.errText = s.nowUnix(), errText
	}
	s.notifyLocked()
}

func (s *Server) finishDelivery(wh *webhook, q *queued, delivered bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	wh.inflight--
	q.inflight = false
	if delivered {
		s.upd.queue = slices.DeleteFunc(s.upd.queue, func(e *queued) bool { return e == q })
	}
	s.notifyLocked()
}

// WebhookStatuses returns the HTTP status of every webhook delivery attempt
// in order (0 when the connection failed).
func (s *Server) WebhookStatuses() []int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.wh.statuses)
}
