package bot

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"time"

	tg "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"
)

// maxWebhookBody bounds one update's JSON; Telegram's are far smaller.
const maxWebhookBody = 1 << 20

// WebhookHandler serves Telegram's webhook requests. A request without the
// right X-Telegram-Bot-Api-Secret-Token gets 401 and nothing is processed; a
// malformed body gets 400. The update is handled before the answer, so 200
// means it is done: a crash before that makes Telegram deliver it again,
// and de-duplication by update_id keeps a repeat from doing anything twice.
// Several replicas may serve the same bot: the chat lock (SetChatLock)
// keeps one chat's updates one at a time across them.
func (b *Bot) WebhookHandler(secret string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			w.Header().Set("Allow", http.MethodPost)
			http.Error(w, "use POST", http.StatusMethodNotAllowed)
			return
		}
		got := r.Header.Get("X-Telegram-Bot-Api-Secret-Token")
		if secret == "" || subtle.ConstantTimeCompare([]byte(got), []byte(secret)) != 1 {
			b.log.Warn("webhook request with a wrong secret", "remote", r.RemoteAddr)
			http.Error(w, "unauthorized", http.StatusUnauthorized)
			return
		}
		upd, err := decodeUpdate(r.Body)
		if err != nil {
			b.log.Warn("malformed webhook body", "err", err)
			http.Error(w, "malformed update: "+err.Error(), http.StatusBadRequest)
			return
		}
		if !b.HandleNow(r.Context(), upd) {
			http.Error(w, "shutting down", http.StatusServiceUnavailable)
			return
		}
		w.WriteHeader(http.StatusOK)
	})
}

func decodeUpdate(body io.Reader) (*models.Update, error) {
	dec := json.NewDecoder(io.LimitReader(body, maxWebhookBody))
	var upd models.Update
	if err := dec.Decode(&upd); err != nil {
		return nil, err
	}
	if upd.ID <= 0 {
		return nil, errors.New("no update_id")
	}
	if chatOf(&upd) == 0 && upd.MyChatMember == nil {
		return nil, errors.New("not a message, callback query or membership change")
	}
	return &upd, nil
}

// HandleNow de-duplicates and handles one update right away, in the
// caller's goroutine. It reports false when the bot is shutting down.
func (b *Bot) HandleNow(ctx context.Context, upd *models.Update) bool {
	if b.stopping.Load() {
		return false
	}
	b.inflight.Add(1)
	defer b.inflight.Done()
	if b.firstSeen(ctx, upd) {
		b.process(upd)
	}
	return true
}

// RunWebhook registers the webhook with its secret and waits until ctx
// ends; updates arrive through WebhookHandler, served by the caller's HTTP
// server. On the way out it waits for the updates being handled.
func (b *Bot) RunWebhook(ctx context.Context, url, secret string) error {
	if err := b.registerCommands(ctx); err != nil {
		b.log.Warn("register commands", "err", err)
	}
	_, err := b.api.SetWebhook(ctx, &tg.SetWebhookParams{URL: url, SecretToken: secret, AllowedUpdates: allowedUpdates,
		MaxConnections: 40})
	if err != nil {
		return err
	}
	b.log.Info("webhook registered", "url", url)
	<-ctx.Done()
	b.stopping.Store(true)
	done := make(chan struct{})
	go func() { b.inflight.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		b.log.Error("shutdown: webhook updates still in flight after 30s")
	}
	return nil
}
