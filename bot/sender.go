package bot

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"
	"unicode/utf16"

	tg "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"
	"golang.org/x/time/rate"
)

// Limits are the outgoing rates the sender keeps to: Telegram allows about
// 30 messages a second per bot and one a second per chat, with small bursts.
type Limits struct {
	Global      float64 // messages per second over all chats
	GlobalBurst int
	PerChat     float64 // messages per second in one chat
	ChatBurst   int
	// Retries bounds retries of network and server errors; 429 answers are
	// retried after their retry_after for as long as the context allows.
	Retries int
}

func (l *Limits) fill() {
	if l.Global <= 0 {
		l.Global = 30
	}
	if l.GlobalBurst <= 0 {
		l.GlobalBurst = 30
	}
	if l.PerChat <= 0 {
		l.PerChat = 1
	}
	if l.ChatBurst <= 0 {
		l.ChatBurst = 3
	}
	if l.Retries <= 0 {
		l.Retries = 4
	}
}

// errBlocked means the user blocked the bot: the chat is marked and nothing
// more is sent to it until they write again.
var errBlocked = errors.New("the user blocked the bot")

// sender sends everything that leaves the bot. It waits for the rate limits,
// honours 429 retry_after, retries network and server errors with backoff,
// treats "message is not modified" as success, and marks chats that blocked
// the bot. Nothing is dropped, only delayed.
type sender struct {
	api    *tg.Bot
	lim    Limits
	global *rate.Limiter
	chats  Chats
	log    *slog.Logger

	mu      sync.Mutex
	perChat map[int64]*rate.Limiter

	statsMu sync.Mutex
	stats   Stats
}

// Stats counts what the sender did, for metrics.
type Stats struct {
	Sent     int64
	Limited  int64 // 429 answers received
	Retried  int64
	Blocked  int64
	Failures int64
}

func newSender(api *tg.Bot, lim Limits, chats Chats, log *slog.Logger) *sender {
	lim.fill()
	return &sender{api: api, lim: lim, global: rate.NewLimiter(rate.Limit(lim.Global), lim.GlobalBurst),
		chats: chats, log: log, perChat: map[int64]*rate.Limiter{}}
}

func (s *sender) chatLimiter(chatID int64) *rate.Limiter {
	s.mu.Lock()
	defer s.mu.Unlock()
	l, ok := s.perChat[chatID]
	if !ok {
		if len(s.perChat) > 50_000 {
			s.perChat = map[int64]*rate.Limiter{} // forget idle chats now and then
		}
		l = rate.NewLimiter(rate.Limit(s.lim.PerChat), s.lim.ChatBurst)
		s.perChat[chatID] = l
	}
	return l
}

// do runs one Bot API call for a chat under the limits and the retry rules.
func (s *sender) do(ctx context.Context, chatID int64, limited bool, call func() error) error {
	for attempt := 0; ; attempt++ {
		if limited {
			if err := s.global.Wait(ctx); err != nil {
				return err
			}
			if err := s.chatLimiter(chatID).Wait(ctx); err != nil {
				return err
			}
		}
		err := call()
		wait, retry := s.classify(ctx, chatID, err, attempt)
		if !retry {
			return err
		}
		s.count(func(st *Stats) { st.Retried++ })
		select {
		case <-ctx.Done():
			return fmt.Errorf("%w (gave up: %v)", ctx.Err(), err)
		case <-time.After(wait):
		}
	}
}

// classify decides what an error means: how long to wait before a retry, or
// that there is nothing more to do.
func (s *sender) classify(ctx context.Context, chatID int64, err error, attempt int) (time.Duration, bool) {
	var tooMany *tg.TooManyRequestsError
	switch {
	case err == nil:
		s.count(func(st *Stats) { st.Sent++ })
		return 0, false
	case errors.As(err, &tooMany):
		s.count(func(st *Stats) { st.Limited++ })
		return time.Duration(max(tooMany.RetryAfter, 1)) * time.Second, true
	case errors.Is(err, tg.ErrorForbidden):
		s.count(func(st *Stats) { st.Blocked++ })
		if s.chats != nil && chatID > 0 {
			if merr := s.chats.MarkBlocked(ctx, chatID, time.Now()); merr != nil {
				s.log.Warn("mark chat blocked", "chat_id", chatID, "err", merr)
			}
		}
		return 0, false
	case errors.Is(err, tg.ErrorBadRequest), errors.Is(err, tg.ErrorUnauthorized), errors.Is(err, tg.ErrorNotFound),
		errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		s.count(func(st *Stats) { st.Failures++ })
		return 0, false
	case attempt >= s.lim.Retries:
		s.count(func(st *Stats) { st.Failures++ })
		return 0, false
	}
	return time.Duration(1<<attempt) * 250 * time.Millisecond, true // network or 5xx
}

func (s *sender) count(f func(*Stats)) {
	s.statsMu.Lock()
	f(&s.stats)
	s.statsMu.Unlock()
}

// Snapshot returns the counters.
func (s *sender) Snapshot() Stats {
	s.statsMu.Lock()
	defer s.statsMu.Unlock()
	return s.stats
}

func isNotModified(err error) bool {
	return err != nil && strings.Contains(err.Error(), "message is not modified")
}

// message sends HTML text; texts longer than Telegram allows are split on
// line boundaries and the keyboard goes with the last part. It returns the
// id of the last message.
func (s *sender) message(ctx context.Context, chatID int64, text string, markup any) (int, error) {
	parts := splitText(text, maxTextUnits)
	var id int
	for i, part := range parts {
		p := &tg.SendMessageParams{ChatID: chatID, Text: part, ParseMode: models.ParseModeHTML,
			LinkPreviewOptions: &models.LinkPreviewOptions{IsDisabled: tg.True()}}
		if i == len(parts)-1 && markup != nil {
			p.ReplyMarkup = markup
		}
		err := s.do(ctx, chatID, true, func() error {
			m, err := s.api.SendMessage(ctx, p)
			if err == nil {
				id = m.ID
			}
			return err
		})
		if err != nil {
			return id, err
		}
	}
	return id, nil
}

// edit replaces a message's text and keyboard; "not modified" is success.
func (s *sender) edit(ctx context.Context, chatID int64, msgID int, text string, markup any) error {
	parts := splitText(text, maxTextUnits)
	p := &tg.EditMessageTextParams{ChatID: chatID, MessageID: msgID, Text: parts[0], ParseMode: models.ParseModeHTML,
		LinkPreviewOptions: &models.LinkPreviewOptions{IsDisabled: tg.True()}}
	if markup != nil {
		p.ReplyMarkup = markup
	}
	err := s.do(ctx, chatID, true, func() error {
		_, err := s.api.EditMessageText(ctx, p)
		if isNotModified(err) {
			return nil
		}
		return err
	})
	if err == nil && len(parts) > 1 {
		_, err = s.message(ctx, chatID, strings.Join(parts[1:], "\n"), nil)
	}
	return err
}

// document sends a file with an HTML caption.
func (s *sender) document(ctx context.Context, chatID int64, name string, data []byte, caption string) (int, error) {
	var id int
	err := s.do(ctx, chatID, true, func() error {
		m, err := s.api.SendDocument(ctx, &tg.SendDocumentParams{ChatID: chatID,
			Document: &models.InputFileUpload{Filename: name, Data: bytes.NewReader(data)},
			Caption:  caption, ParseMode: models.ParseModeHTML})
		if err == nil {
			id = m.ID
		}
		return err
	})
	return id, err
}

// photo sends a picture with an HTML caption and an optional keyboard.
func (s *sender) photo(ctx context.Context, chatID int64, name string, data []byte, caption string, markup any) (int, error) {
	var id int
	err := s.do(ctx, chatID, true, func() error {
		p := &tg.SendPhotoParams{ChatID: chatID, Photo: &models.InputFileUpload{Filename: name, Data: bytes.NewReader(data)},
			Caption: caption, ParseMode: models.ParseModeHTML}
		if markup != nil {
			p.ReplyMarkup = markup
		}
		m, err := s.api.SendPhoto(ctx, p)
		if err == nil {
			id = m.ID
		}
		return err
	})
	return id, err
}

// answer answers a callback query (not rate limited: it is not a message).
func (s *sender) answer(ctx context.Context, queryID, text string, alert bool) error {
	return s.do(ctx, 0, false, func() error {
		_, err := s.api.AnswerCallbackQuery(ctx, &tg.AnswerCallbackQueryParams{CallbackQueryID: queryID, Text: clip(text, 190), ShowAlert: alert})
		return err
	})
}

// maxTextUnits is Telegram's limit on a message, counted here in UTF-16 code
// units of the HTML source: never less than what Telegram counts.
const maxTextUnits = 4096

// splitText cuts text into parts of at most max UTF-16 units, on line
// boundaries (our HTML never spans lines), and hard-cuts a line that is
// itself too long.
func splitText(text string, max int) []string {
	if units(text) <= max {
		return []string{text}
	}
	var parts []string
	var cur strings.Builder
	flush := func() {
		if cur.Len() > 0 {
			parts = append(parts, strings.TrimRight(cur.String(), "\n"))
			cur.Reset()
		}
	}
	for _, line := range strings.SplitAfter(text, "\n") {
		for units(line) > max {
			flush()
			r := []rune(line)
			n := 0
			for u := 0; n < len(r) && u+len(utf16.Encode(r[n:n+1])) <= max; n++ {
				u += len(utf16.Encode(r[n : n+1]))
			}
			parts = append(parts, string(r[:n]))
			line = string(r[n:])
		}
		if units(cur.String())+units(line) > max {
			flush()
		}
		cur.WriteString(line)
	}
	flush()
	return parts
}

func units(s string) int { return len(utf16.Encode([]rune(s))) }
