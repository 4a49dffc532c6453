package fakeapi

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"sort"
	"time"

	"github.com/go-telegram/bot/models"
)

// firstUpdateID is the id of the first update; not 1, so that code mixing
// update ids with counters fails.
const firstUpdateID = 100000

// queued is an update waiting to be confirmed (getUpdates) or delivered
// (webhook).
type queued struct {
	*encoded
	forced   bool // queued by Redeliver: delivered even if already confirmed
	inflight bool // a webhook POST is in progress
}

// encoded is an update marshaled once when created (some models types
// write to themselves while marshaling, so they are never marshaled twice).
type encoded struct {
	id     int64
	raw    json.RawMessage
	kind   string
	chatID int64
}

type updateState struct {
	queue   []*queued
	history map[int64]*encoded
	nextID  int64
	allowed []string // last allowed_updates received; nil if never
	pollGen uint64
	polling int // getUpdates calls in progress
	// handed counts how often each update was handed out by getUpdates;
	// repeats counts hand-outs beyond the first.
	handed  map[int64]int
	repeats int
}

func (u *updateState) init() {
	u.history = map[int64]*encoded{}
	u.handed = map[int64]int{}
	u.nextID = firstUpdateID
}

// enqueueLocked assigns the next update id to upd and queues it.
func (s *Server) enqueueLocked(upd *models.Update) int64 {
	upd.ID = s.upd.nextID
	s.upd.nextID++
	raw, err := json.Marshal(upd)
	if err != nil {
		panic(fmt.Sprintf("fakeapi: marshal update: %v", err))
	}
	e := &encoded{id: upd.ID, raw: raw}
	e.kind, e.chatID = classify(upd)
	s.upd.history[upd.ID] = e
	s.pushLocked(e, false)
	return upd.ID
}

func (s *Server) pushLocked(e *encoded, forced bool) {
	s.upd.queue = append(s.upd.queue, &queued{encoded: e, forced: forced})
	s.notifyLocked()
}

// classify returns the update's allowed_updates kind and the chat it
// belongs to (for per-chat webhook ordering).
func classify(u *models.Update) (string, int64) {
	switch {
	case u.Message != nil:
		return models.AllowedUpdateMessage, u.Message.Chat.ID
	case u.EditedMessage != nil:
		return models.AllowedUpdateEditedMessage, u.EditedMessage.Chat.ID
	case u.CallbackQuery != nil:
		if m := u.CallbackQuery.Message.Message; m != nil {
			return models.AllowedUpdateCallbackQuery, m.Chat.ID
		}
		return models.AllowedUpdateCallbackQuery, u.CallbackQuery.From.ID
	case u.MyChatMember != nil:
		return models.AllowedUpdateMyChatMember, u.MyChatMember.Chat.ID
	case u.ChatMember != nil:
		return models.AllowedUpdateChatMember, u.ChatMember.Chat.ID
	case u.PreCheckoutQuery != nil:
		return models.AllowedUpdatePreCheckoutQuery, u.PreCheckoutQuery.From.ID
	}
	return "", 0
}

// allowedLocked applies the last allowed_updates list; an absent or empty
// list means every kind except chat_member, message_reaction and
// message_reaction_count, as on Telegram.
func (s *Server) allowedLocked(kind string) bool {
	if len(s.upd.allowed) == 0 {
		switch kind {
		case models.AllowedUpdateChatMember, models.AllowedUpdateMessageReaction, models.AllowedUpdateMessageReactionCount:
			return false
		}
		return true
	}
	return slices.Contains(s.upd.allowed, kind)
}

// confirmLocked drops updates confirmed by offset for good.
func (s *Server) confirmLocked(offset int64) {
	q := s.upd.queue
	switch {
	case offset > 0:
		q = slices.DeleteFunc(q, func(e *queued) bool { return e.id < offset && !e.forced })
	case offset < 0 && int64(len(q)) > -offset:
		q = q[int64(len(q))+offset:]
	}
	s.upd.queue = q
	s.notifyLocked()
}

// collectLocked returns up to limit deliverable updates, dropping those not
// allowed. Redelivered updates are returned alone, lowest id first, so that
// the client's next offset confirms them without skipping newer ones.
func (s *Server) collectLocked(limit int) []json.RawMessage {
	s.upd.queue = slices.DeleteFunc(s.upd.queue, func(e *queued) bool { return !s.allowedLocked(e.kind) })
	var forced, normal []*queued
	for _, e := range s.upd.queue {
		if e.forced {
			forced = append(forced, e)
		} else {
			normal = append(normal, e)
		}
	}
	pick := normal
	if len(forced) > 0 {
		pick = forced
		sort.SliceStable(pick, func(i, j int) bool { return pick[i].id < pick[j].id })
	}
	if len(pick) > limit {
		pick = pick[:limit]
	}
	out := make([]json.RawMessage, 0, len(pick))
	for _, e := range pick {
		e.forced = false
		out = append(out, e.raw)
		if s.upd.handed[e.id]++; s.upd.handed[e.id] > 1 {
			s.upd.repeats++
		}
	}
	return out
}

// Redeliveries counts updates handed to getUpdates again: not confirmed the
// first time (the bot died before asking for the next ones), or Redeliver.
func (s *Server) Redeliveries() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.upd.repeats
}

type getUpdatesArgs struct {
	offset  int64
	limit   int
	timeout time.Duration
}

func readGetUpdates(p *params) (getUpdatesArgs, error) {
	var a getUpdatesArgs
	var err error
	if a.offset, err = p.int64("offset"); err != nil {
		return a, err
	}
	if a.limit, err = p.int("limit"); err != nil {
		return a, err
	}
	if a.limit <= 0 || a.limit > 100 {
		a.limit = 100
	}
	secs, err := p.int("timeout")
	a.timeout = time.Duration(max(secs, 0)) * time.Second
	return a, err
}

var errWebhookActive = conflict("can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first")

// getUpdates implements long polling: it answers as soon as updates are
// available, the timeout passes, the request ends or a newer getUpdates
// call takes over (409, as on Telegram).
func (s *Server) getUpdates(r *http.Request, p *params) (any, error) {
	a, err := readGetUpdates(p)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	if s.wh.active != nil {
		s.mu.Unlock()
		return nil, errWebhookActive
	}
	if p.has("allowed_updates") {
		if s.upd.allowed, err = p.stringList("allowed_updates"); err != nil {
			s.mu.Unlock()
			return nil, err
		}
	}
	s.upd.pollGen++
	gen := s.upd.pollGen
	s.confirmLocked(a.offset)
	s.upd.polling++
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		s.upd.polling--
		s.mu.Unlock()
	}()
	return s.poll(r, gen, a)
}

func (s *Server) poll(r *http.Request, gen uint64, a getUpdatesArgs) (any, error) {
	timer := time.NewTimer(a.timeout)
	defer timer.Stop()
	expired := a.timeout <= 0
	for {
		s.mu.Lock()
		switch {
		case s.upd.pollGen != gen:
			s.mu.Unlock()
			return nil, conflict("terminated by other getUpdates request; make sure that only one bot instance is running")
		case s.wh.active != nil:
			s.mu.Unlock()
			return nil, errWebhookActive
		}
		batch := s.collectLocked(a.limit)
		ch := s.changed
		s.mu.Unlock()
		if len(batch) > 0 || expired {
			return batch, nil
		}
		select {
		case <-ch:
		case <-timer.C:
			expired = true
		case <-r.Context().Done():
			return []json.RawMessage{}, nil
		case <-s.closed:
			return []json.RawMessage{}, nil
		}
	}
}

// AllowedUpdates returns the last allowed_updates list the bot sent with
// getUpdates or setWebhook (nil if it never sent one).
func (s *Server) AllowedUpdates() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.upd.allowed)
}

// Redeliver queues an update that was already created again, with the same
// update_id, as Telegram does when a bot did not confirm it or a webhook
// failed. It is delivered even if the bot already confirmed it.
func (s *Server) Redeliver(updateID int64) (int64, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	e, ok := s.upd.history[updateID]
	if !ok {
		return 0, fmt.Errorf("fakeapi: unknown update %d", updateID)
	}
	s.pushLocked(e, true)
	return updateID, nil
}

// UpdateIDs lists the ids of every update the server created, in order.
func (s *Server) UpdateIDs() []int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	ids := make([]int64, 0, len(s.upd.history))
	for id := range s.upd.history {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return ids
}

// Update returns a copy of an update the server created, e.g. to read the
// callback query id of a PressButton.
func (s *Server) Update(updateID int64) (models.Update, bool) {
	s.mu.Lock()
	e, ok := s.upd.history[updateID]
	s.mu.Unlock()
	var out models.Update
	if ok {
		_ = json.Unmarshal(e.raw, &out)
	}
	return out, ok
}

// PendingUpdates returns how many updates are queued and not yet confirmed
// (getUpdates) or delivered (webhook).
func (s *Server) PendingUpdates() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.upd.queue)
}
