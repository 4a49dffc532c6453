package platform

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/go-telegram/bot/models"
)

// Poller is long polling done so that nothing is lost: it asks Telegram for
// updates, stores them (Intake.Receive) and only then asks again with an
// offset past them, which is what acknowledges them. (The client library's
// own poller acknowledges a batch as soon as it has handed the updates to
// its workers, before they are stored: a crash then would lose them.)
type Poller struct {
	APIURL         string // "https://api.telegram.org" or a local Bot API server
	Token          string
	Client         *http.Client
	Timeout        time.Duration // long-poll timeout (default 50s)
	AllowedUpdates []string
	Intake         *Intake
	Log            func(msg string, args ...any)
}

type getUpdatesRequest struct {
	Offset         int64    `json:"offset,omitempty"`
	Limit          int      `json:"limit"`
	Timeout        int      `json:"timeout"`
	AllowedUpdates []string `json:"allowed_updates"`
}

type apiResponse struct {
	OK          bool              `json:"ok"`
	Result      []json.RawMessage `json:"result"`
	ErrorCode   int               `json:"error_code"`
	Description string            `json:"description"`
	Parameters  struct {
		RetryAfter int `json:"retry_after"`
	} `json:"parameters"`
}

// Run polls until ctx ends.
func (p *Poller) Run(ctx context.Context) {
	if p.Timeout <= 0 {
		p.Timeout = 50 * time.Second
	}
	var offset int64
	backoff := time.Duration(0)
	for ctx.Err() == nil {
		if backoff > 0 {
			select {
			case <-ctx.Done():
				return
			case <-time.After(backoff):
			}
		}
		batch, next, err := p.fetch(ctx, offset)
		if err == nil && len(batch) > 0 {
			err = p.Intake.Receive(ctx, batch)
		}
		if err != nil {
			if ctx.Err() != nil {
				return
			}
			backoff = min(max(2*backoff, 100*time.Millisecond), 5*time.Second)
			p.Log("polling for updates", "err", err, "retry_in", backoff)
			continue
		}
		backoff = 0
		offset = max(offset, next)
	}
}

// fetch asks for the updates after offset; it returns them and the offset
// that acknowledges them.
func (p *Poller) fetch(ctx context.Context, offset int64) ([]Incoming, int64, error) {
	body, _ := json.Marshal(getUpdatesRequest{Offset: offset, Limit: 100, Timeout: int(p.Timeout.Seconds()),
		AllowedUpdates: p.AllowedUpdates})
	rctx, cancel := context.WithTimeout(ctx, p.Timeout+15*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(rctx, http.MethodPost, strings.TrimRight(p.APIURL, "/")+"/bot"+p.Token+"/getUpdates", bytes.NewReader(body))
	if err != nil {
		return nil, offset, err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := p.Client.Do(req)
	if err != nil {
		return nil, offset, fmt.Errorf("getUpdates: %w", redactToken(err, p.Token))
	}
	defer resp.Body.Close()
	var r apiResponse
	if err := json.NewDecoder(io.LimitReader(resp.Body, 64<<20)).Decode(&r); err != nil {
		return nil, offset, fmt.Errorf("getUpdates: HTTP %d: %w", resp.StatusCode, err)
	}
	if !r.OK {
		err := fmt.Errorf("getUpdates: %d %s", r.ErrorCode, r.Description)
		if r.Parameters.RetryAfter > 0 {
			time.Sleep(time.Duration(r.Parameters.RetryAfter) * time.Second)
		}
		return nil, offset, err
	}
	var out []Incoming
	next := offset
	for _, raw := range r.Result {
		u, err := Decode(raw)
		if err != nil {
			p.Log("update skipped: it does not decode", "err", err)
		}
		var id struct {
			ID int64 `json:"update_id"`
		}
		if json.Unmarshal(raw, &id) == nil && id.ID >= next {
			next = id.ID + 1
		}
		if err == nil {
			out = append(out, u)
		}
	}
	return out, next, nil
}

// Decode reads one update's JSON into what the inbox keeps.
func Decode(raw []byte) (Incoming, error) {
	var upd models.Update
	if err := json.Unmarshal(raw, &upd); err != nil {
		return Incoming{}, err
	}
	if upd.ID <= 0 {
		return Incoming{}, fmt.Errorf("no update_id")
	}
	chat := ChatOf(&upd)
	if chat == 0 && upd.MyChatMember == nil {
		return Incoming{}, fmt.Errorf("update %d is not a message, callback query or membership change", upd.ID)
	}
	return Incoming{ID: upd.ID, ChatID: chat, Payload: raw}, nil
}

// ChatOf is the chat an update belongs to: where its messages go, and the
// key that orders it behind the chat's earlier updates. An update with no
// chat gets its sender's private chat.
func ChatOf(upd *models.Update) int64 {
	switch {
	case upd.Message != nil:
		return upd.Message.Chat.ID
	case upd.CallbackQuery != nil:
		if m := upd.CallbackQuery.Message.Message; m != nil {
			return m.Chat.ID
		}
		return upd.CallbackQuery.From.ID
	case upd.MyChatMember != nil:
		return upd.MyChatMember.Chat.ID
	case upd.PreCheckoutQuery != nil:
		return upd.PreCheckoutQuery.From.ID
	case upd.EditedMessage != nil:
		return upd.EditedMessage.Chat.ID
	}
	return 0
}

func redactToken(err error, token string) error {
	if token == "" {
		return err
	}
	return fmt.Errorf("%s", strings.ReplaceAll(err.Error(), token, "***"))
}
