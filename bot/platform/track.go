package platform

import (
	"context"
	"sync"
)

// Track follows what handling one update queued to send: its messages,
// edits and the answer to its button. Sends go out in the background, so
// the update is not done when its handler returns but when all of that is
// sent (or given up): only then is it marked handled, and a crash in
// between hands it to the next start again rather than losing its answer.
type Track struct {
	mu      sync.Mutex
	pending int
	closed  bool
	done    func()
}

// NewTrack returns a track that calls done once Close was called and every
// send it counted has finished.
func NewTrack(done func()) *Track { return &Track{done: done} }

func (t *Track) add() {
	if t == nil {
		return
	}
	t.mu.Lock()
	t.pending++
	t.mu.Unlock()
}

func (t *Track) finish() {
	if t == nil {
		return
	}
	t.mu.Lock()
	t.pending--
	fire := t.closed && t.pending == 0
	t.mu.Unlock()
	if fire {
		t.done()
	}
}

// Close says the handler returned: nothing more will be counted.
func (t *Track) Close() {
	t.mu.Lock()
	t.closed = true
	fire := t.pending == 0
	t.mu.Unlock()
	if fire {
		t.done()
	}
}

type trackKey struct{}

// WithTrack returns ctx carrying the update's track.
func WithTrack(ctx context.Context, t *Track) context.Context {
	return context.WithValue(ctx, trackKey{}, t)
}

// TrackFrom returns the track ctx carries (nil: sends are not followed).
func TrackFrom(ctx context.Context) *Track {
	t, _ := ctx.Value(trackKey{}).(*Track)
	return t
}
