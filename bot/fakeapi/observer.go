package fakeapi

import (
	"context"
	"sync"
	"time"
)

// Observer follows everything the bot does, chat by chat, for tests that
// play many people at once: each waits on its own chat's feed instead of
// all of them re-reading the server at every change.
type Observer struct {
	mu      sync.Mutex
	chats   map[int64]*feed
	answers map[string]CallbackAnswer
	waiters map[string]chan struct{}
	cancel  func()
	done    chan struct{}
}

// feed is one chat's bot messages and edits, in order, with when each was
// seen.
type feed struct {
	events []Seen
	signal chan struct{}
}

// Seen is a bot message (new or edited) and when the observer saw it.
type Seen struct {
	Message Message
	Edit    bool
	At      time.Time
}

// Observe starts following the server; Close stops.
func (s *Server) Observe() *Observer {
	ch, cancel := s.Subscribe()
	o := &Observer{chats: map[int64]*feed{}, answers: map[string]CallbackAnswer{}, waiters: map[string]chan struct{}{},
		cancel: cancel, done: make(chan struct{})}
	go func() {
		defer close(o.done)
		for e := range ch {
			o.record(e)
		}
	}()
	return o
}

// Close stops following.
func (o *Observer) Close() {
	o.cancel()
	<-o.done
}

func (o *Observer) record(e Event) {
	now := time.Now()
	o.mu.Lock()
	defer o.mu.Unlock()
	switch e.Kind {
	case EventCallbackAnswer:
		o.answers[e.Callback.QueryID] = e.Callback
		if w := o.waiters[e.Callback.QueryID]; w != nil {
			close(w)
			delete(o.waiters, e.Callback.QueryID)
		}
	case EventMessage, EventEdit:
		if !e.Message.FromBot {
			return
		}
		f := o.feedLocked(e.ChatID)
		f.events = append(f.events, Seen{Message: e.Message, Edit: e.Kind == EventEdit, At: now})
		close(f.signal)
		f.signal = make(chan struct{})
	}
}

func (o *Observer) feedLocked(chat int64) *feed {
	f := o.chats[chat]
	if f == nil {
		f = &feed{signal: make(chan struct{})}
		o.chats[chat] = f
	}
	return f
}

// Mark is a position in a chat's feed: what happened before it is past.
func (o *Observer) Mark(chat int64) int {
	o.mu.Lock()
	defer o.mu.Unlock()
	return len(o.feedLocked(chat).events)
}

// Wait returns the first bot message (new or edited) in the chat from mark
// on that matches, and the mark after it.
func (o *Observer) Wait(ctx context.Context, chat int64, mark int, match func(Message) bool) (Seen, int, error) {
	for {
		o.mu.Lock()
		f := o.feedLocked(chat)
		for i := mark; i < len(f.events); i++ {
			if match(f.events[i].Message) {
				s := f.events[i]
				o.mu.Unlock()
				return s, i + 1, nil
			}
		}
		mark = len(f.events)
		signal := f.signal
		o.mu.Unlock()
		select {
		case <-signal:
		case <-ctx.Done():
			return Seen{}, mark, ctx.Err()
		}
	}
}

// Events returns the chat's bot messages and edits seen so far.
func (o *Observer) Events(chat int64) []Seen {
	o.mu.Lock()
	defer o.mu.Unlock()
	return append([]Seen(nil), o.feedLocked(chat).events...)
}

// Answer waits for the bot's answer to a callback query.
func (o *Observer) Answer(ctx context.Context, queryID string) (CallbackAnswer, time.Time, error) {
	o.mu.Lock()
	if a, ok := o.answers[queryID]; ok {
		o.mu.Unlock()
		return a, time.Now(), nil
	}
	w := o.waiters[queryID]
	if w == nil {
		w = make(chan struct{})
		o.waiters[queryID] = w
	}
	o.mu.Unlock()
	select {
	case <-w:
		o.mu.Lock()
		defer o.mu.Unlock()
		return o.answers[queryID], time.Now(), nil
	case <-ctx.Done():
		return CallbackAnswer{}, time.Time{}, ctx.Err()
	}
}

// Answered reports whether a callback query was answered.
func (o *Observer) Answered(queryID string) bool {
	o.mu.Lock()
	defer o.mu.Unlock()
	_, ok := o.answers[queryID]
	return ok
}
