package jobs

import (
	"context"
	"sync"
	"time"

	"github.com/orderbot/orderbot/core"
)

// Recorder stands in for the outbox and for the reminder records in a dry
// run (`orderbot jobs run NAME --dry-run`): a job computes everything as it
// would, and what it would send is kept here instead of written.
type Recorder struct {
	mu      sync.Mutex
	notices []core.Notice
	levels  int
	closed  int
}

func (r *Recorder) closes(n int) {
	r.mu.Lock()
	r.closed += n
	r.mu.Unlock()
}

// Closed is how many orders the run would have closed (close_settled).
func (r *Recorder) Closed() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.closed
}

// Enqueue keeps the notices.
func (r *Recorder) Enqueue(_ context.Context, ns []core.Notice) (int, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.notices = append(r.notices, ns...)
	return len(ns), nil
}

// PruneOutbox deletes nothing.
func (r *Recorder) PruneOutbox(context.Context, time.Time) (int, error) { return 0, nil }

// Notices are what the run would have enqueued, in order.
func (r *Recorder) Notices() []core.Notice {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]core.Notice(nil), r.notices...)
}

// Levels is how many reminder levels the run would have recorded.
func (r *Recorder) Levels() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.levels
}

// Reminders wraps a reminder store so that candidates are read from it but
// nothing is recorded or enqueued: every customer counts as saved.
func (r *Recorder) Reminders(store core.ReminderStore) core.ReminderStore {
	return dryReminders{store: store, rec: r}
}

type dryReminders struct {
	store core.ReminderStore
	rec   *Recorder
}

// UseReminderLevels leaves the stored policy alone; the store computes the
// candidates under the levels it is given.
func (d dryReminders) UseReminderLevels(context.Context, []int) error { return nil }

func (d dryReminders) ReminderCandidates(ctx context.Context, today, dueBy time.Time, levels []int,
	fn func([]core.ReminderInvoice) error) error {
	return d.store.ReminderCandidates(ctx, today, dueBy, levels, fn)
}

func (d dryReminders) SaveReminders(ctx context.Context, batch []core.CustomerReminder) ([]int64, error) {
	ids := make([]int64, len(batch))
	for i, c := range batch {
		ids[i] = c.Customer.CustomerID
		d.rec.mu.Lock()
		d.rec.levels += len(c.Records)
		d.rec.mu.Unlock()
		if _, err := d.rec.Enqueue(ctx, c.Notices); err != nil {
			return nil, err
		}
	}
	return ids, nil
}

func (d dryReminders) Enqueue(ctx context.Context, ns []core.Notice) (int, error) {
	return d.rec.Enqueue(ctx, ns)
}
