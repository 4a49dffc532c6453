package core

import (
	"context"
	"fmt"
	"sync"
)

// Saving reminders in batches while the candidates stream in: Send hands
// each full batch to one of the savers and plans the next meanwhile.

// reminderSavers is how many batches are saved at once.
const reminderSavers = 2

// savers save batches of reminders on their own goroutines; the first error
// cancels the rest.
type savers struct {
	ctx    context.Context
	cancel context.CancelFunc
	queue  chan []CustomerReminder
	wg     sync.WaitGroup
	mu     sync.Mutex
	saved  []RemindedCustomer
	err    error
}

func newSavers(ctx context.Context, store ReminderStore, n int) *savers {
	s := &savers{queue: make(chan []CustomerReminder)}
	s.ctx, s.cancel = context.WithCancel(ctx)
	for range n {
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			for batch := range s.queue {
				ids, err := store.SaveReminders(s.ctx, batch)
				s.mu.Lock()
				if err != nil && s.err == nil {
					s.err = fmt.Errorf("reminders of %d customers: %w", len(batch), err)
					s.cancel()
				}
				s.saved = append(s.saved, savedCustomers(batch, ids)...)
				s.mu.Unlock()
			}
		}()
	}
	return s
}

// save hands a batch to a saver, waiting while both are busy.
func (s *savers) save(batch []CustomerReminder) error {
	select {
	case s.queue <- batch:
		return nil
	case <-s.ctx.Done():
		s.mu.Lock()
		defer s.mu.Unlock()
		if s.err != nil {
			return s.err
		}
		return s.ctx.Err()
	}
}

// wait lets the savers finish and returns whom they saved.
func (s *savers) wait() ([]RemindedCustomer, error) {
	close(s.queue)
	s.wg.Wait()
	s.cancel()
	return s.saved, s.err
}

// savedCustomers keeps the batch's customers whose ids are in saved.
func savedCustomers(batch []CustomerReminder, saved []int64) []RemindedCustomer {
	ok := make(map[int64]bool, len(saved))
	for _, id := range saved {
		ok[id] = true
	}
	var out []RemindedCustomer
	for _, c := range batch {
		if ok[c.Customer.CustomerID] {
			out = append(out, c.Customer)
		}
	}
	return out
}
