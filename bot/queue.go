package bot

import (
	"sync"
	"time"

	"github.com/go-telegram/bot/models"
)

// chatQueues runs the updates of each chat one at a time and in the order
// they arrived, and different chats in parallel, at most workers at once.
// A chat's goroutine exists only while it has work.
type chatQueues struct {
	mu      sync.Mutex
	queues  map[int64]*chatQueue
	sem     chan struct{}
	wg      sync.WaitGroup
	process func(*models.Update)
}

type chatQueue struct {
	pending []*models.Update
}

func newChatQueues(workers int, process func(*models.Update)) *chatQueues {
	return &chatQueues{queues: map[int64]*chatQueue{}, sem: make(chan struct{}, workers), process: process}
}

func (q *chatQueues) push(chatID int64, upd *models.Update) {
	q.mu.Lock()
	defer q.mu.Unlock()
	cq, running := q.queues[chatID]
	if !running {
		cq = &chatQueue{}
		q.queues[chatID] = cq
	}
	cq.pending = append(cq.pending, upd)
	if !running {
		q.wg.Add(1)
		go q.drain(chatID, cq)
	}
}

func (q *chatQueues) drain(chatID int64, cq *chatQueue) {
	defer q.wg.Done()
	for {
		q.mu.Lock()
		if len(cq.pending) == 0 {
			delete(q.queues, chatID)
			q.mu.Unlock()
			return
		}
		upd := cq.pending[0]
		cq.pending = cq.pending[1:]
		q.mu.Unlock()
		q.sem <- struct{}{}
		q.process(upd)
		<-q.sem
	}
}

// wait blocks until every queued update is handled or the timeout passes.
func (q *chatQueues) wait(timeout time.Duration) bool {
	done := make(chan struct{})
	go func() { q.wg.Wait(); close(done) }()
	select {
	case <-done:
		return true
	case <-time.After(timeout):
		return false
	}
}
