package fakeapi

import "sync"

// EventKind says what an Event reports.
type EventKind string

// Event kinds.
const (
	EventMessage        EventKind = "message"         // a new message (bot or user)
	EventEdit           EventKind = "edit"            // the bot edited a message
	EventDelete         EventKind = "delete"          // a message was deleted
	EventCallbackAnswer EventKind = "callback_answer" // the bot answered a callback query
	EventChatAction     EventKind = "chat_action"     // the bot sent a chat action
)

// Event is one change in the fake Telegram, for live views such as the
// sandbox page.
type Event struct {
	Kind     EventKind
	ChatID   int64          // zero for EventCallbackAnswer
	Message  Message        // EventMessage, EventEdit, EventDelete: the message now
	Callback CallbackAnswer // EventCallbackAnswer
	Action   string         // EventChatAction
}

// subscriber buffers events without bound so publishing never blocks the
// server, and hands them to its channel in order from its own goroutine.
type subscriber struct {
	mu     sync.Mutex
	queue  []Event
	signal chan struct{}
	done   chan struct{}
	out    chan Event
	once   sync.Once
}

type subState struct {
	subs map[*subscriber]struct{}
}

func (st *subState) init() { st.subs = map[*subscriber]struct{}{} }

// publish queues e for every subscriber (called with the server lock held).
func (st *subState) publish(e Event) {
	for sub := range st.subs {
		sub.mu.Lock()
		sub.queue = append(sub.queue, e)
		sub.mu.Unlock()
		select {
		case sub.signal <- struct{}{}:
		default:
		}
	}
}

func (st *subState) closeAll() {
	for sub := range st.subs {
		sub.stop()
		delete(st.subs, sub)
	}
}

func (sub *subscriber) stop() { sub.once.Do(func() { close(sub.done) }) }

func (sub *subscriber) pump() {
	defer close(sub.out)
	for {
		sub.mu.Lock()
		q := sub.queue
		sub.queue = nil
		sub.mu.Unlock()
		for _, e := range q {
			select {
			case sub.out <- e:
			case <-sub.done:
				return
			}
		}
		select {
		case <-sub.signal:
		case <-sub.done:
			return
		}
	}
}

// Subscribe returns a channel of events in the order they happened, and a
// cancel func that stops the subscription and closes the channel. Events
// are never dropped: a slow reader only delays its own channel. Close
// cancels every subscription.
func (s *Server) Subscribe() (<-chan Event, func()) {
	sub := &subscriber{signal: make(chan struct{}, 1), done: make(chan struct{}), out: make(chan Event)}
	s.mu.Lock()
	select {
	case <-s.closed:
		sub.stop()
	default:
		s.sub.subs[sub] = struct{}{}
	}
	s.mu.Unlock()
	go sub.pump()
	return sub.out, func() {
		s.mu.Lock()
		delete(s.sub.subs, sub)
		s.mu.Unlock()
		sub.stop()
	}
}
