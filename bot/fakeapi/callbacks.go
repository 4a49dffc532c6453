package fakeapi

import (
	"context"
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"unicode/utf8"

	"github.com/go-telegram/bot/models"
)

// CallbackAnswer is the bot's answerCallbackQuery for one query.
type CallbackAnswer struct {
	QueryID   string
	Text      string
	ShowAlert bool
	URL       string
	CacheTime int
}

type callbackQuery struct {
	answered bool
	answer   CallbackAnswer
}

type callbackState struct {
	queries map[string]*callbackQuery
	nextID  int64
}

func (c *callbackState) init() {
	c.queries = map[string]*callbackQuery{}
	c.nextID = 4000000000000000001
}

func (s *Server) answerCallbackQuery(_ *http.Request, p *params) (any, error) {
	a := CallbackAnswer{QueryID: p.str("callback_query_id"), Text: p.str("text"), ShowAlert: p.bool("show_alert"), URL: p.str("url")}
	var err error
	if a.CacheTime, err = p.int("cache_time"); err != nil {
		return nil, err
	}
	if utf8.RuneCountInString(a.Text) > 200 {
		return nil, badRequest("MESSAGE_TOO_LONG")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	q, ok := s.cb.queries[a.QueryID]
	if !ok || q.answered {
		return nil, badRequest("query is too old and response timeout expired or query ID is invalid")
	}
	q.answered, q.answer = true, a
	s.sub.publish(Event{Kind: EventCallbackAnswer, Callback: a})
	s.notifyLocked()
	return true, nil
}

// CallbackAnswer returns the bot's answer to a callback query, and whether
// it answered.
func (s *Server) CallbackAnswer(queryID string) (CallbackAnswer, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	q, ok := s.cb.queries[queryID]
	if !ok || !q.answered {
		return CallbackAnswer{}, false
	}
	return q.answer, true
}

// UnansweredCallbacks returns the ids of callback queries the bot has not
// answered yet, oldest first. Telegram clients show a spinner until then.
func (s *Server) UnansweredCallbacks() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var ids []string
	for id, q := range s.cb.queries {
		if !q.answered {
			ids = append(ids, id)
		}
	}
	sort.Strings(ids)
	return ids
}

// WaitCallbackAnswer waits until the bot answers the callback query.
func (s *Server) WaitCallbackAnswer(ctx context.Context, queryID string) (CallbackAnswer, error) {
	var out CallbackAnswer
	err := s.waitFor(ctx, func() bool {
		q, ok := s.cb.queries[queryID]
		if ok && q.answered {
			out = q.answer
		}
		return ok && q.answered
	})
	return out, err
}

// PressButton presses the inline button labelled label on the newest bot
// message in the user's private chat that has one, queuing a callback_query
// with a fresh id. It fails if no visible message has such a button, or the
// button has no callback data (a URL button).
func (s *Server) PressButton(userID int64, label string) (int64, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, u, err := s.pressChatLocked(userID)
	if err != nil {
		return 0, err
	}
	for i := len(c.messages) - 1; i >= 0; i-- {
		if m := c.messages[i]; m.FromBot && !m.Deleted {
			if b, ok := findButton(m, label); ok {
				return s.pressLocked(c, u, m, b)
			}
		}
	}
	return 0, fmt.Errorf("fakeapi: no bot message in chat %d has an inline button %q", userID, label)
}

// PressButtonInGroup presses, as a member of a group, the inline button
// labelled label on the latest bot message of the group that has one (a
// staff card, say).
func (s *Server) PressButtonInGroup(chatID, userID int64, label string) (int64, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	u, err := s.userLocked(userID)
	if err != nil {
		return 0, err
	}
	c, ok := s.chats[chatID]
	if !ok || chatID >= 0 {
		return 0, fmt.Errorf("fakeapi: unknown group %d", chatID)
	}
	for i := len(c.messages) - 1; i >= 0; i-- {
		if m := c.messages[i]; m.FromBot && !m.Deleted {
			if b, ok := findButton(m, label); ok {
				return s.pressLocked(c, u, m, b)
			}
		}
	}
	return 0, fmt.Errorf("fakeapi: no bot message in group %d has an inline button %q", chatID, label)
}

// PressButtonOn presses the inline button labelled label on one message of
// the user's private chat.
func (s *Server) PressButtonOn(userID int64, messageID int, label string) (int64, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, u, m, err := s.pressTargetLocked(userID, messageID)
	if err != nil {
		return 0, err
	}
	b, ok := findButton(m, label)
	if !ok {
		return 0, fmt.Errorf("fakeapi: message %d has no inline button %q", messageID, label)
	}
	return s.pressLocked(c, u, m, b)
}

// PressData queues a callback_query for a message of the user's private
// chat carrying arbitrary data, as a modified client could send.
func (s *Server) PressData(userID int64, messageID int, data string) (int64, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, u, m, err := s.pressTargetLocked(userID, messageID)
	if err != nil {
		return 0, err
	}
	return s.pressLocked(c, u, m, Button{CallbackData: data})
}

func findButton(m *Message, label string) (Button, bool) {
	for _, row := range m.InlineKeyboard {
		for _, b := range row {
			if b.Text == label && b.CallbackData != "" {
				return b, true
			}
		}
	}
	return Button{}, false
}

func (s *Server) pressChatLocked(userID int64) (*chat, *user, error) {
	u, err := s.userLocked(userID)
	if err != nil {
		return nil, nil, err
	}
	c, ok := s.chats[userID]
	if !ok || !u.started {
		return nil, nil, fmt.Errorf("fakeapi: user %d has no chat with the bot", userID)
	}
	return c, u, nil
}

func (s *Server) pressTargetLocked(userID int64, messageID int) (*chat, *user, *Message, error) {
	c, u, err := s.pressChatLocked(userID)
	if err != nil {
		return nil, nil, nil, err
	}
	m := c.message(messageID)
	if m == nil || m.Deleted || !m.FromBot {
		return nil, nil, nil, fmt.Errorf("fakeapi: no bot message %d in chat %d", messageID, userID)
	}
	return c, u, m, nil
}

// pressLocked queues the callback_query update for a press.
func (s *Server) pressLocked(c *chat, u *user, m *Message, b Button) (int64, error) {
	id := strconv.FormatInt(s.cb.nextID, 10)
	s.cb.nextID++
	s.cb.queries[id] = &callbackQuery{}
	q := &models.CallbackQuery{ID: id, From: u.u, Data: b.CallbackData,
		ChatInstance: strconv.FormatInt(-c.id*7919, 10),
		Message:      models.MaybeInaccessibleMessage{Type: models.MaybeInaccessibleMessageTypeMessage, Message: m.model(c)}}
	return s.enqueueLocked(&models.Update{CallbackQuery: q}), nil
}
