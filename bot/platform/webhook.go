package platform

import (
	"crypto/subtle"
	"errors"
	"io"
	"log/slog"
	"net/http"
)

// maxWebhookBody bounds one update's JSON; Telegram's are far smaller.
const maxWebhookBody = 1 << 20

// WebhookHandler serves Telegram's webhook requests. A request without the
// right X-Telegram-Bot-Api-Secret-Token gets 401 and nothing is stored; a
// malformed body gets 400. The update is stored in the inbox before the 200,
// so a 200 means it will be handled, by this replica or, if it dies, by
// another; a repeat of a stored update is answered 200 and dropped. Any
// replica may take any update: each chat's lane keeps its order.
func (in *Intake) WebhookHandler(secret string, log *slog.Logger) http.Handler {
	in.mu.Lock()
	in.shared = true // replicas behind a balancer share the chats
	in.mu.Unlock()
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			w.Header().Set("Allow", http.MethodPost)
			http.Error(w, "use POST", http.StatusMethodNotAllowed)
			return
		}
		got := r.Header.Get("X-Telegram-Bot-Api-Secret-Token")
		if secret == "" || subtle.ConstantTimeCompare([]byte(got), []byte(secret)) != 1 {
			log.Warn("webhook request with a wrong secret", "remote", r.RemoteAddr)
			http.Error(w, "unauthorized", http.StatusUnauthorized)
			return
		}
		raw, err := io.ReadAll(io.LimitReader(r.Body, maxWebhookBody))
		if err != nil {
			http.Error(w, "read body: "+err.Error(), http.StatusBadRequest)
			return
		}
		u, err := Decode(raw)
		if err != nil {
			log.Warn("malformed webhook body", "err", err)
			http.Error(w, "malformed update: "+err.Error(), http.StatusBadRequest)
			return
		}
		switch err := in.Receive(r.Context(), []Incoming{u}); {
		case errors.Is(err, ErrStopping):
			http.Error(w, "shutting down", http.StatusServiceUnavailable)
		case err != nil:
			log.Error("webhook update not stored", "update_id", u.ID, "err", err)
			http.Error(w, "try again", http.StatusInternalServerError)
		default:
			w.WriteHeader(http.StatusOK)
		}
	})
}
