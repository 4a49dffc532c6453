package fakeapi

import (
	"context"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	tg "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"
)

// hookRecorder fronts the client's webhook handler: it records the secret
// header and answers 500 to the first failures requests.
type hookRecorder struct {
	mu       sync.Mutex
	secrets  []string
	failures int
	next     http.Handler
}

func (h *hookRecorder) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h.mu.Lock()
	h.secrets = append(h.secrets, r.Header.Get("X-Telegram-Bot-Api-Secret-Token"))
	fail := h.failures > 0
	if fail {
		h.failures--
	}
	h.mu.Unlock()
	if fail {
		http.Error(w, "boom", http.StatusInternalServerError)
		return
	}
	h.next.ServeHTTP(w, r)
}

func TestWebhookDeliveryWithRetries(t *testing.T) {
	srv := newServer(t, WithWebhookBackoff(5*time.Millisecond, 20*time.Millisecond))
	ctx := testCtx(t)
	const secret = "s3cret_-X"
	var mu sync.Mutex
	seen := map[int64][]string{}
	b := newBot(t, srv, tg.WithWebhookSecretToken(secret), tg.WithNotAsyncHandlers(),
		tg.WithDefaultHandler(func(ctx context.Context, b *tg.Bot, u *models.Update) {
			mu.Lock()
			seen[u.Message.Chat.ID] = append(seen[u.Message.Chat.ID], u.Message.Text)
			mu.Unlock()
			_, _ = sendTo(ctx, b, u.Message.Chat.ID, "echo "+u.Message.Text, "")
		}))
	rec := &hookRecorder{failures: 2, next: b.WebhookHandler()}
	hook := httptest.NewServer(rec)
	defer hook.Close()
	botCtx, stop := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { b.StartWebhook(botCtx); close(done) }()
	defer func() { stop(); <-done }()

	ok, err := b.SetWebhook(ctx, &tg.SetWebhookParams{URL: hook.URL, SecretToken: secret})
	if err != nil || !ok {
		t.Fatalf("setWebhook: %v %v", ok, err)
	}
	for _, text := range []string{"1", "2", "3"} {
		need(t)(srv.SendText(alice.ID, text))
	}
	need(t)(srv.SendText(bob.ID, "b"))
	for chat, last := range map[int64]string{alice.ID: "echo 3", bob.ID: "echo b"} {
		if _, err := srv.WaitBotMessage(ctx, chat, func(m Message) bool { return m.PlainText == last }); err != nil {
			t.Fatalf("chat %d: %v", chat, err)
		}
	}
	mu.Lock()
	if !slices.Equal(seen[alice.ID], []string{"1", "2", "3"}) || !slices.Equal(seen[bob.ID], []string{"b"}) {
		t.Fatalf("handler order = %v", seen)
	}
	mu.Unlock()
	if err := srv.WaitIdle(ctx); err != nil {
		t.Fatal(err)
	}
	st := srv.WebhookStatuses()
	if len(st) != 6 || st[0] != 500 || st[1] != 500 || slices.ContainsFunc(st[2:], func(c int) bool { return c != 200 }) {
		t.Fatalf("statuses = %v", st)
	}
	rec.mu.Lock()
	if len(rec.secrets) != 6 || slices.ContainsFunc(rec.secrets, func(s string) bool { return s != secret }) {
		t.Fatalf("secret headers = %q", rec.secrets)
	}
	rec.mu.Unlock()
	info, err := b.GetWebhookInfo(ctx)
	if err != nil || info.URL != hook.URL || info.PendingUpdateCount != 0 || !strings.Contains(info.LastErrorMessage, "500") {
		t.Fatalf("webhook info = %+v, %v", info, err)
	}
}

func TestWebhookStopsOnDelete(t *testing.T) {
	srv := newServer(t, WithWebhookBackoff(time.Millisecond, 5*time.Millisecond))
	ctx := testCtx(t)
	hits := make(chan struct{}, 100)
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		hits <- struct{}{}
		w.WriteHeader(http.StatusBadGateway)
	}))
	defer hook.Close()
	b := newBot(t, srv)
	if _, err := b.SetWebhook(ctx, &tg.SetWebhookParams{URL: hook.URL, AllowedUpdates: []string{"message"}}); err != nil {
		t.Fatal(err)
	}
	if got := srv.AllowedUpdates(); !slices.Equal(got, []string{"message"}) {
		t.Fatalf("allowed = %v", got)
	}
	need(t)(srv.SendText(alice.ID, "x"))
	<-hits
	<-hits // retried after a failure
	if _, err := b.DeleteWebhook(ctx, &tg.DeleteWebhookParams{}); err != nil {
		t.Fatal(err)
	}
	// The update was never delivered, so getUpdates gets it now.
	r := callJSON(t, srv, "getUpdates", map[string]any{})
	if got := updateIDs(t, r); len(got) != 1 {
		t.Fatalf("after deleteWebhook = %v", got)
	}
}
