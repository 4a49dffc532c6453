package sandbox

import (
	"sync"

	"github.com/orderbot/orderbot/bot/fakeapi"
)

// clientBuffer is how many events a page may fall behind before the hub
// drops it; the browser reconnects and gets the whole chat again.
const clientBuffer = 256

// maxTracked bounds the callback query maps, which only grow when the bot
// leaves queries unanswered.
const maxTracked = 10000

// sseEvent is one server-sent event: its name and JSON data.
type sseEvent struct {
	name string
	data any
}

// client is one open event stream of a page, for one persona.
type client struct {
	user int64
	ch   chan sseEvent
	gone chan struct{} // closed when the hub drops the client
}

// answerView is a callback answer as the page shows it (a toast, or a
// dialog for show_alert).
type answerView struct {
	Text      string `json:"text"`
	ShowAlert bool   `json:"show_alert,omitempty"`
}

// hub fans the fake server's events out to the open pages. Callback
// answers carry no chat, so the hub remembers who pressed each button.
type hub struct {
	mu      sync.Mutex
	clients map[*client]struct{}
	queries map[string]int64                  // callback query id -> user who pressed
	early   map[string]fakeapi.CallbackAnswer // answers that arrived before track
	closed  bool
}

func newHub() *hub {
	return &hub{clients: map[*client]struct{}{}, queries: map[string]int64{},
		early: map[string]fakeapi.CallbackAnswer{}}
}

// run dispatches events until the subscription ends.
func (h *hub) run(events <-chan fakeapi.Event) {
	for e := range events {
		h.dispatch(e)
	}
	h.close()
}

func (h *hub) dispatch(e fakeapi.Event) {
	switch e.Kind {
	case fakeapi.EventMessage, fakeapi.EventEdit, fakeapi.EventDelete:
		if e.ChatID > 0 { // private chats only; the page shows no groups
			h.send(e.ChatID, sseEvent{name: string(e.Kind), data: newView(e.Message)})
		}
	case fakeapi.EventChatAction:
		h.send(e.ChatID, sseEvent{name: "action", data: map[string]string{"action": e.Action}})
	case fakeapi.EventCallbackAnswer:
		h.answer(e.Callback)
	}
}

func (h *hub) answer(a fakeapi.CallbackAnswer) {
	h.mu.Lock()
	defer h.mu.Unlock()
	user, ok := h.queries[a.QueryID]
	if !ok {
		if len(h.early) >= maxTracked {
			clear(h.early)
		}
		h.early[a.QueryID] = a
		return
	}
	delete(h.queries, a.QueryID)
	h.sendLocked(user, answerEvent(a))
}

// track records that user pressed the button of callback query id, and
// delivers its answer if the bot was quicker than the caller.
func (h *hub) track(id string, user int64) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if a, ok := h.early[id]; ok {
		delete(h.early, id)
		h.sendLocked(user, answerEvent(a))
		return
	}
	if len(h.queries) >= maxTracked {
		clear(h.queries)
	}
	h.queries[id] = user
}

func answerEvent(a fakeapi.CallbackAnswer) sseEvent {
	return sseEvent{name: "callback_answer", data: answerView{Text: a.Text, ShowAlert: a.ShowAlert}}
}

func (h *hub) send(user int64, ev sseEvent) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.sendLocked(user, ev)
}

func (h *hub) sendLocked(user int64, ev sseEvent) {
	for c := range h.clients {
		if c.user == user {
			h.offerLocked(c, ev)
		}
	}
}

// broadcast sends ev to every open page.
func (h *hub) broadcast(ev sseEvent) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for c := range h.clients {
		h.offerLocked(c, ev)
	}
}

// offerLocked queues ev without blocking the hub; a page that fell too far
// behind is dropped and resynchronizes on reconnect.
func (h *hub) offerLocked(c *client, ev sseEvent) {
	select {
	case c.ch <- ev:
	default:
		h.dropLocked(c)
	}
}

func (h *hub) dropLocked(c *client) {
	if _, ok := h.clients[c]; ok {
		delete(h.clients, c)
		close(c.gone)
	}
}

// join opens a stream for user; its gone channel is already closed when
// the hub is.
func (h *hub) join(user int64) *client {
	c := &client{user: user, ch: make(chan sseEvent, clientBuffer), gone: make(chan struct{})}
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		close(c.gone)
		return c
	}
	h.clients[c] = struct{}{}
	return c
}

func (h *hub) leave(c *client) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.dropLocked(c)
}

// close ends every stream; it is idempotent.
func (h *hub) close() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.closed = true
	for c := range h.clients {
		h.dropLocked(c)
	}
}
