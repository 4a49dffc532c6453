package platform

import "context"

// Urgent updates are answered at once, beside the chat's queue and the
// workers bound: Telegram waits only seconds for the answer to a
// pre-checkout query (then the payment fails), and answering one changes
// nothing, so it need not wait behind anything. They are stored like every
// update and marked done once answered.

// urgent reports whether an update is a pre-checkout query.
func urgent(u Incoming) bool { return peek(u).PreCheckout != nil }

// splitUrgent takes the urgent updates out of us; peeks are what was read
// of each of the rest.
func splitUrgent(us []Incoming) (rest, now []Incoming, peeks []peeked) {
	for _, u := range us {
		if p := peek(u); p.PreCheckout != nil {
			now = append(now, u)
		} else {
			rest = append(rest, u)
			peeks = append(peeks, p)
		}
	}
	return rest, now, peeks
}

// runUrgent handles an urgent update in its own goroutine. It counts as
// taken from the start, so that a lane loading its chat's pending updates
// meanwhile leaves it alone.
func (in *Intake) runUrgent(u Incoming) {
	in.mu.Lock()
	if in.stopping {
		in.mu.Unlock()
		return // left pending: too late to answer by the next start, which marks it
	}
	in.wg.Add(1)
	in.mu.Unlock()
	in.umu.Lock()
	in.unmarked[u.ID] = true
	in.umu.Unlock()
	go func() {
		defer in.wg.Done()
		tr := NewTrack(func() { in.markDone(u.ID) })
		defer tr.Close()
		in.handleRaw(context.Background(), u, tr)
	}()
}

// markDone queues the mark of an update handled outside a lane.
func (in *Intake) markDone(id int64) {
	in.mu.Lock()
	defer in.mu.Unlock()
	if !in.marksClosed {
		in.marks <- id
	}
}
