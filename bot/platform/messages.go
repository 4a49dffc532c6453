package platform

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"time"
	"unicode/utf16"

	tg "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"
)

// Send queues an HTML message; texts longer than Telegram allows go as
// several messages split on line boundaries, the keyboard with the last.
// It returns at once; Telegram's answer is logged, not returned. tr (may
// be nil) counts the send until it is done.
func (s *Sender) Send(tr *Track, chat int64, p Priority, text string, markup any) {
	s.send(tr, chat, p, text, markup, nil)
}

// SendWait is Send that waits for Telegram's answer and returns the id of
// the last message. Use it where the outcome matters (the outbox records it);
// an update's handler should not wait.
func (s *Sender) SendWait(ctx context.Context, chat int64, p Priority, text string, markup any) (int, error) {
	return wait(ctx, func(done chan result) { s.send(nil, chat, p, text, markup, done) })
}

func (s *Sender) send(tr *Track, chat int64, p Priority, text string, markup any, done chan result) {
	parts := splitText(text, maxTextUnits)
	for i, part := range parts {
		params := &tg.SendMessageParams{ChatID: chat, Text: part, ParseMode: models.ParseModeHTML,
			LinkPreviewOptions: &models.LinkPreviewOptions{IsDisabled: tg.True()}, AllowPaidBroadcast: s.paid(p)}
		if i == len(parts)-1 && markup != nil {
			params.ReplyMarkup = markup
		}
		j := &job{prio: p, call: func(ctx context.Context) (int, error) {
			m, err := s.api.SendMessage(ctx, params)
			if err != nil {
				return 0, err
			}
			return m.ID, nil
		}}
		if i == len(parts)-1 && done != nil {
			j.waiters = []chan result{done}
		}
		s.enqueue(tr, chat, j)
	}
}

// Edit queues a change of a message's text and keyboard. An edit of the
// same message still waiting is replaced by this one: only the latest state
// goes out. Text beyond one message goes as new messages after it.
func (s *Sender) Edit(tr *Track, chat int64, msgID int, p Priority, text string, markup any) {
	s.edit(tr, chat, msgID, p, text, markup, nil)
}

// EditWait is Edit that waits for Telegram's answer.
func (s *Sender) EditWait(ctx context.Context, chat int64, msgID int, p Priority, text string, markup any) error {
	_, err := wait(ctx, func(done chan result) { s.edit(nil, chat, msgID, p, text, markup, done) })
	return err
}

func (s *Sender) edit(tr *Track, chat int64, msgID int, p Priority, text string, markup any, done chan result) {
	parts := splitText(text, maxTextUnits)
	params := &tg.EditMessageTextParams{ChatID: chat, MessageID: msgID, Text: parts[0], ParseMode: models.ParseModeHTML,
		LinkPreviewOptions: &models.LinkPreviewOptions{IsDisabled: tg.True()}}
	if markup != nil {
		params.ReplyMarkup = markup
	}
	j := &job{prio: p, editOf: msgID, call: func(ctx context.Context) (int, error) {
		_, err := s.api.EditMessageText(ctx, params)
		return msgID, err
	}}
	if len(parts) == 1 && done != nil {
		j.waiters = []chan result{done}
	}
	s.enqueue(tr, chat, j)
	if len(parts) > 1 {
		s.send(tr, chat, p, strings.Join(parts[1:], "\n"), nil, done)
	}
}

// DocumentWait sends a file with an HTML caption and waits for the answer.
func (s *Sender) DocumentWait(ctx context.Context, chat int64, p Priority, name string, data []byte, caption string, markup any) (int, error) {
	return wait(ctx, func(done chan result) {
		s.enqueue(nil, chat, &job{prio: p, waiters: []chan result{done}, call: func(ctx context.Context) (int, error) {
			params := &tg.SendDocumentParams{ChatID: chat, Document: &models.InputFileUpload{Filename: name, Data: bytes.NewReader(data)},
				Caption: caption, ParseMode: models.ParseModeHTML, AllowPaidBroadcast: s.paid(p)}
			if markup != nil {
				params.ReplyMarkup = markup
			}
			m, err := s.api.SendDocument(ctx, params)
			if err != nil {
				return 0, err
			}
			return m.ID, nil
		}})
	})
}

// PhotoWait sends a picture with an HTML caption and waits for the answer.
func (s *Sender) PhotoWait(ctx context.Context, chat int64, p Priority, name string, data []byte, caption string, markup any) (int, error) {
	return wait(ctx, func(done chan result) {
		s.enqueue(nil, chat, &job{prio: p, waiters: []chan result{done}, call: func(ctx context.Context) (int, error) {
			params := &tg.SendPhotoParams{ChatID: chat, Photo: &models.InputFileUpload{Filename: name, Data: bytes.NewReader(data)},
				Caption: caption, ParseMode: models.ParseModeHTML, AllowPaidBroadcast: s.paid(p)}
			if markup != nil {
				params.ReplyMarkup = markup
			}
			m, err := s.api.SendPhoto(ctx, params)
			if err != nil {
				return 0, err
			}
			return m.ID, nil
		}})
	})
}

// Answer answers a callback query at once, outside every queue and limit:
// it is not a message. A short text shows as a toast, or as an alert.
func (s *Sender) Answer(ctx context.Context, tr *Track, queryID, text string, alert bool) {
	tr.add()
	s.answers <- struct{}{}
	go func() {
		defer tr.finish()
		defer func() { <-s.answers }()
		actx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		defer cancel()
		for try := 0; ; try++ {
			_, err := s.api.AnswerCallbackQuery(actx, &tg.AnswerCallbackQueryParams{CallbackQueryID: queryID,
				Text: clip(text, 190), ShowAlert: alert})
			if err == nil {
				s.count(func(st *Stats) { st.Answered++ })
				return
			}
			if errors.Is(err, tg.ErrorBadRequest) && strings.Contains(err.Error(), "query is too old") {
				// Answered already (at intake, by another replica) or too late:
				// nothing is left to do.
				s.log.Info("tap answered already or too old", "err", err)
				return
			}
			if try >= 2 || errors.Is(err, tg.ErrorBadRequest) || actx.Err() != nil {
				s.log.Warn("answer callback", "err", err)
				return
			}
			time.Sleep(100 * time.Millisecond)
		}
	}()
}

func (s *Sender) paid(p Priority) bool { return s.lim.PaidBroadcast && p != Direct }

// wait runs start with a result channel and waits for the result.
func wait(ctx context.Context, start func(done chan result)) (int, error) {
	done := make(chan result, 1)
	start(done)
	select {
	case r := <-done:
		return r.id, r.err
	case <-ctx.Done():
		return 0, ctx.Err()
	}
}

// maxTextUnits is Telegram's limit on a message, counted here in UTF-16 code
// units of the HTML source: never less than what Telegram counts.
const maxTextUnits = 4096

// splitText cuts text into parts of at most max UTF-16 units, on line
// boundaries (our HTML never spans lines), and hard-cuts a line that is
// itself too long.
func splitText(text string, max int) []string {
	if Units(text) <= max {
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
		for Units(line) > max {
			flush()
			r := []rune(line)
			n := 0
			for u := 0; n < len(r) && u+len(utf16.Encode(r[n:n+1])) <= max; n++ {
				u += len(utf16.Encode(r[n : n+1]))
			}
			parts = append(parts, string(r[:n]))
			line = string(r[n:])
		}
		if Units(cur.String())+Units(line) > max {
			flush()
		}
		cur.WriteString(line)
	}
	flush()
	return parts
}

// Units is the length of s in UTF-16 code units, as Telegram counts text.
func Units(s string) int { return len(utf16.Encode([]rune(s))) }

// clip shortens s to at most n runes.
func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
