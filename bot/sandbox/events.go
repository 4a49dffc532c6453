package sandbox

import (
	"encoding/json"
	"fmt"
	"net/http"
	"time"
)

// keepAlive is how often an idle event stream gets a comment line, so
// proxies and browsers keep it open.
const keepAlive = 15 * time.Second

// serveEvents answers GET /events?user=ID with a server-sent event stream
// of that persona's chat: first "history" (the whole chat, as GET
// api/chat), then "message", "edit", "delete" (a message view),
// "callback_answer" ({text, show_alert}), "action" ({action}) and
// "personas" (the list, when it changes). A browser that reconnects gets
// the history again, so nothing is lost while it was away.
func (p *Page) serveEvents(w http.ResponseWriter, r *http.Request) error {
	per, err := p.personaParam(r)
	if err != nil {
		return err
	}
	rc := http.NewResponseController(w)
	_ = rc.SetWriteDeadline(time.Time{}) // a stream outlives the server's WriteTimeout
	c := p.hub.join(per.ID)              // before the history, so no change falls between
	defer p.hub.leave(c)
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	if _, err := fmt.Fprint(w, "retry: 1000\n\n"); err != nil {
		return nil
	}
	if writeEvent(w, rc, sseEvent{name: "history", data: p.chatOf(per)}) != nil {
		return nil
	}
	p.stream(w, rc, r, c)
	return nil
}

// stream copies the client's events to w until the browser goes away or
// the hub drops the client.
func (p *Page) stream(w http.ResponseWriter, rc *http.ResponseController, r *http.Request, c *client) {
	tick := time.NewTicker(keepAlive)
	defer tick.Stop()
	for {
		select {
		case <-r.Context().Done():
			return
		case <-c.gone:
			return
		case ev := <-c.ch:
			if writeEvent(w, rc, ev) != nil {
				return
			}
		case <-tick.C:
			if _, err := fmt.Fprint(w, ": keep-alive\n\n"); err != nil || rc.Flush() != nil {
				return
			}
		}
	}
}

// writeEvent writes one event (JSON has no raw newlines, so it fits one
// data line) and flushes it.
func writeEvent(w http.ResponseWriter, rc *http.ResponseController, ev sseEvent) error {
	data, err := json.Marshal(ev.data)
	if err != nil {
		return err
	}
	if _, err := fmt.Fprintf(w, "event: %s\ndata: %s\n\n", ev.name, data); err != nil {
		return err
	}
	return rc.Flush()
}
