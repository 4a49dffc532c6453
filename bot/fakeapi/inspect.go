package fakeapi

import (
	"cmp"
	"context"
	"slices"
	"time"
)

// Messages returns every message of a chat in order, deleted ones included
// (Deleted set), as deep copies safe to keep while the server runs.
func (s *Server) Messages(chatID int64) []Message {
	return s.messages(chatID, func(*Message) bool { return true })
}

// BotMessages returns the bot's messages in a chat, in order, deleted ones
// included.
func (s *Server) BotMessages(chatID int64) []Message {
	return s.messages(chatID, func(m *Message) bool { return m.FromBot })
}

func (s *Server) messages(chatID int64, keep func(*Message) bool) []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.chats[chatID]
	if !ok {
		return nil
	}
	var out []Message
	for _, m := range c.messages {
		if keep(m) {
			out = append(out, m.clone())
		}
	}
	return out
}

// LastBotMessage returns the newest bot message of the chat that is not
// deleted, in its current version.
func (s *Server) LastBotMessage(chatID int64) (Message, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if c, ok := s.chats[chatID]; ok {
		for i := len(c.messages) - 1; i >= 0; i-- {
			if m := c.messages[i]; m.FromBot && !m.Deleted {
				return m.clone(), true
			}
		}
	}
	return Message{}, false
}

// Cursor marks a point in the history of message changes; see
// WaitBotMessageAfter.
type Cursor uint64

// Cursor returns the current point in the history of message changes.
func (s *Server) Cursor() Cursor {
	s.mu.Lock()
	defer s.mu.Unlock()
	return Cursor(s.seq)
}

// WaitBotMessage returns the newest bot message of the chat (not deleted,
// in its current version) for which match returns true, waiting for new
// and edited messages until one matches or ctx ends. A nil match accepts
// any message. match runs without the server's lock held.
func (s *Server) WaitBotMessage(ctx context.Context, chatID int64, match func(Message) bool) (Message, error) {
	return s.waitMessage(ctx, 0, chatID, match, true)
}

// WaitBotMessageAfter is like WaitBotMessage but only considers bot
// messages sent or edited after the cursor, and returns the earliest
// matching one. Take the cursor before acting:
//
//	cur := srv.Cursor()
//	srv.SendText(user, "/orders")
//	m, err := srv.WaitBotMessageAfter(ctx, cur, user, nil)
func (s *Server) WaitBotMessageAfter(ctx context.Context, after Cursor, chatID int64, match func(Message) bool) (Message, error) {
	return s.waitMessage(ctx, after, chatID, match, false)
}

func (s *Server) waitMessage(ctx context.Context, after Cursor, chatID int64, match func(Message) bool, newestFirst bool) (Message, error) {
	for {
		s.mu.Lock()
		cands := s.candidatesLocked(after, chatID, newestFirst)
		ch := s.changed
		s.mu.Unlock()
		for _, m := range cands {
			if match == nil || match(m) {
				return m, nil
			}
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return Message{}, ctx.Err()
		case <-s.closed:
			return Message{}, ErrClosed
		}
	}
}

func (s *Server) candidatesLocked(after Cursor, chatID int64, newestFirst bool) []Message {
	c, ok := s.chats[chatID]
	if !ok {
		return nil
	}
	var out []Message
	for _, m := range c.messages {
		if m.FromBot && !m.Deleted && m.seq > uint64(after) {
			out = append(out, m.clone())
		}
	}
	if newestFirst {
		slices.Reverse(out)
	} else {
		slices.SortFunc(out, func(a, b Message) int { return cmp.Compare(a.seq, b.seq) })
	}
	return out
}

// waitFor waits until cond, evaluated under the lock, is true.
func (s *Server) waitFor(ctx context.Context, cond func() bool) error {
	for {
		s.mu.Lock()
		ok := cond()
		ch := s.changed
		s.mu.Unlock()
		if ok {
			return nil
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return ctx.Err()
		case <-s.closed:
			return ErrClosed
		}
	}
}

// WaitIdle waits until the bot has consumed every queued update (confirmed
// by getUpdates or delivered to the webhook), no API request other than a
// long poll is being served, and nothing has happened for the quiet period
// (WithIdleQuiet). It is a heuristic for "the bot has finished reacting";
// prefer WaitBotMessage when a specific outcome is expected.
func (s *Server) WaitIdle(ctx context.Context) error {
	for {
		s.mu.Lock()
		busy := len(s.upd.queue) > 0 || s.lim.inflight > 0
		remaining := s.idleQuiet - time.Since(s.lim.lastActivity)
		ch := s.changed
		s.mu.Unlock()
		if !busy && remaining <= 0 {
			return nil
		}
		if err := s.sleepUntilChange(ctx, ch, busy, remaining); err != nil {
			return err
		}
	}
}

// sleepUntilChange waits for a state change, or for d when not busy.
func (s *Server) sleepUntilChange(ctx context.Context, ch <-chan struct{}, busy bool, d time.Duration) error {
	var timeout <-chan time.Time
	if !busy {
		t := time.NewTimer(d)
		defer t.Stop()
		timeout = t.C
	}
	select {
	case <-ch:
	case <-timeout:
	case <-ctx.Done():
		return ctx.Err()
	case <-s.closed:
		return ErrClosed
	}
	return nil
}
