package platform

import (
	"container/heap"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"

	tg "github.com/go-telegram/bot"
)

// Priority orders what waits for the global budget: a direct answer to what
// someone just did goes before a notice about an order, which goes before
// bulk messages (reminders, summaries). Within a chat, messages keep their
// order whatever their priority.
type Priority int

// Priorities, most urgent first.
const (
	Direct Priority = iota
	Notice
	Bulk
	priorities
)

// ErrBlocked means the user blocked the bot: the chat is marked and nothing
// more is sent to it until they write again.
var ErrBlocked = errors.New("the user blocked the bot")

// BlockedChats remembers chats that blocked the bot (storage/postgres).
type BlockedChats interface {
	MarkBlocked(ctx context.Context, chatID int64, at time.Time) error
}

// Sender sends everything that leaves the bot. Calls are queued per chat
// and never wait in a limiter: one dispatcher hands each chat's next call to
// a worker as soon as the chat's own bucket and the global one allow, most
// urgent first, so a chat waiting for its per-chat slot holds up nobody
// else. Edits of a message not yet sent are replaced by the latest, so a
// quick succession of taps costs one edit. 429 answers pause the chat (and,
// when they keep coming, everyone) for their retry_after; network and server
// errors are retried with backoff; "message is not modified" is success. A
// chat that blocked the bot is marked and its queue dropped. Nothing else is
// dropped, only delayed.
type Sender struct {
	api     *tg.Bot
	lim     Limits
	blocked BlockedChats
	log     *slog.Logger
	now     func() time.Time

	mu          sync.Mutex
	lanes       map[int64]*lane
	ready       [priorities][]*lane
	waiting     laneHeap
	global      bucket
	pausedUntil time.Time // everyone waits (repeated 429s)
	recent429   []time.Time
	swept       time.Time
	inflight    int
	queued      int
	kick        chan struct{}
	idle        *sync.Cond
	stats       Stats

	answers chan struct{} // bounds callback answers in flight

	start  sync.Once
	ctx    context.Context
	cancel context.CancelFunc
	done   chan struct{}
}

// Stats count what the sender did, for metrics and benchmarks.
type Stats struct {
	Sent      int64 // calls Telegram accepted (messages, edits, documents)
	Coalesced int64 // edits replaced by a later edit before they went out
	Answered  int64 // callback queries answered
	Limited   int64 // 429 answers received
	Retried   int64
	Blocked   int64
	Failures  int64
}

// lane is one chat's queue. A lane is in at most one of ready and waiting,
// and in neither while its call is in flight or it has nothing to send.
type lane struct {
	chat   int64
	jobs   []*job
	busy   bool
	queued bool
	bucket bucket
	until  time.Time // not before (429, retry backoff)
	at     time.Time // when it may go next, while in waiting
	index  int       // in waiting
}

// job is one Bot API call for a chat.
type job struct {
	prio    Priority
	editOf  int // the message an edit replaces, for coalescing; 0 otherwise
	call    func(ctx context.Context) (int, error)
	waiters []chan result
	tracks  []*Track
	tries   int
}

type result struct {
	id  int
	err error
}

// NewSender returns a sender; it dispatches from the first call until Stop.
func NewSender(api *tg.Bot, lim Limits, blocked BlockedChats, log *slog.Logger) *Sender {
	lim.Fill()
	s := &Sender{api: api, lim: lim, blocked: blocked, log: log, now: time.Now, lanes: map[int64]*lane{},
		global: newBucket(lim.Global, lim.GlobalBurst), kick: make(chan struct{}, 1),
		answers: make(chan struct{}, 64)}
	s.idle = sync.NewCond(&s.mu)
	s.ctx, s.cancel = context.WithCancel(context.Background())
	s.done = make(chan struct{})
	return s
}

// running starts the dispatcher on first use.
func (s *Sender) running() {
	s.start.Do(func() {
		go func() { defer close(s.done); s.run(s.ctx) }()
	})
}

// Stop ends the dispatcher (after Drain, to lose nothing queued).
func (s *Sender) Stop() {
	s.running()
	s.cancel()
	<-s.done
}

// Limits returns the limits in force.
func (s *Sender) Limits() Limits { return s.lim }

// run dispatches queued calls until ctx ends.
func (s *Sender) run(ctx context.Context) {
	timer := time.NewTimer(time.Hour)
	defer timer.Stop()
	for {
		wait := s.dispatch(ctx)
		if wait < 0 {
			continue
		}
		timer.Reset(wait)
		select {
		case <-ctx.Done():
			return
		case <-s.kick:
		case <-timer.C:
		}
	}
}

// Drain waits until every queued call is done, or timeout passes; it
// reports whether the queue emptied.
func (s *Sender) Drain(timeout time.Duration) bool {
	done := make(chan struct{})
	go func() {
		s.mu.Lock()
		for s.queued > 0 || s.inflight > 0 {
			s.idle.Wait()
		}
		s.mu.Unlock()
		close(done)
	}()
	select {
	case <-done:
		return true
	case <-time.After(timeout):
		return false
	}
}

// Snapshot returns the counters.
func (s *Sender) Snapshot() Stats {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.stats
}

// Queued is how many calls wait to be sent.
func (s *Sender) Queued() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.queued
}

func (s *Sender) wake() {
	select {
	case s.kick <- struct{}{}:
	default:
	}
}

// enqueue adds a call to the chat's queue; an edit of a message whose
// earlier edit has not gone out yet replaces it.
func (s *Sender) enqueue(tr *Track, chat int64, j *job) {
	s.running()
	if tr != nil {
		tr.add()
		j.tracks = []*Track{tr}
	}
	s.mu.Lock()
	l := s.lanes[chat]
	if l == nil {
		l = &lane{chat: chat, bucket: s.chatBucket(chat), index: -1}
		s.lanes[chat] = l
	}
	if j.editOf != 0 {
		for _, q := range l.jobs {
			if q.editOf == j.editOf {
				q.call, q.prio = j.call, min(q.prio, j.prio)
				q.waiters = append(q.waiters, j.waiters...)
				q.tracks = append(q.tracks, j.tracks...)
				s.stats.Coalesced++
				s.mu.Unlock()
				return
			}
		}
	}
	l.jobs = append(l.jobs, j)
	s.queued++
	s.scheduleLocked(l, s.now())
	s.mu.Unlock()
	s.wake()
}

func (s *Sender) chatBucket(chat int64) bucket {
	if chat < 0 {
		return newBucket(s.lim.Group, s.lim.GroupBurst)
	}
	return newBucket(s.lim.PerChat, s.lim.ChatBurst)
}

// scheduleLocked puts an idle lane with work where the dispatcher finds it.
func (s *Sender) scheduleLocked(l *lane, now time.Time) {
	if l.busy || l.queued || len(l.jobs) == 0 {
		return
	}
	l.queued = true
	at := l.bucket.readyAt(now)
	if l.until.After(at) {
		at = l.until
	}
	if !at.After(now) {
		p := l.jobs[0].prio
		s.ready[p] = append(s.ready[p], l)
		return
	}
	l.at = at
	heap.Push(&s.waiting, l)
}

// dispatch starts every call it may now and says how long to sleep: -1 to
// look again at once.
func (s *Sender) dispatch(ctx context.Context) time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	for s.waiting.Len() > 0 && !s.waiting[0].at.After(now) {
		l := heap.Pop(&s.waiting).(*lane)
		s.ready[l.jobs[0].prio] = append(s.ready[l.jobs[0].prio], l)
	}
	if now.Sub(s.swept) > time.Minute {
		s.sweepLocked(now)
	}
	next := time.Hour
	if s.waiting.Len() > 0 {
		next = s.waiting[0].at.Sub(now)
	}
	for s.inflight < s.lim.Workers {
		l := s.popReadyLocked()
		if l == nil {
			return next
		}
		gate := s.global.readyAt(now)
		if s.pausedUntil.After(gate) {
			gate = s.pausedUntil
		}
		if gate.After(now) {
			s.ready[l.jobs[0].prio] = append([]*lane{l}, s.ready[l.jobs[0].prio]...)
			return min(next, gate.Sub(now))
		}
		s.global.take(now)
		l.bucket.take(now)
		l.queued, l.busy = false, true
		j := l.jobs[0]
		l.jobs = l.jobs[1:]
		s.inflight++
		go s.call(ctx, l, j)
	}
	return next
}

// sweepLocked forgets idle chats whose bucket is full again.
func (s *Sender) sweepLocked(now time.Time) {
	s.swept = now
	for id, l := range s.lanes {
		if len(l.jobs) == 0 && !l.busy && !l.queued && l.bucket.full(now) {
			delete(s.lanes, id)
		}
	}
}

func (s *Sender) popReadyLocked() *lane {
	for p := range s.ready {
		if len(s.ready[p]) > 0 {
			l := s.ready[p][0]
			s.ready[p] = s.ready[p][1:]
			return l
		}
	}
	return nil
}

// call makes one call and decides what its answer means.
func (s *Sender) call(ctx context.Context, l *lane, j *job) {
	cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	id, err := j.call(cctx)
	cancel()
	if isNotModified(err) {
		err = nil
	}
	err = wrapBlocked(err)
	retryAt, retry := s.classify(l.chat, err, j)
	s.mu.Lock()
	s.inflight--
	l.busy = false
	now := s.now()
	switch {
	case retry:
		j.tries++
		l.jobs = append([]*job{j}, l.jobs...)
		l.until = retryAt
	case errors.Is(err, ErrBlocked):
		s.finishLocked(j, result{err: err})
		for _, q := range l.jobs {
			s.finishLocked(q, result{err: err})
		}
		l.jobs = nil
	default:
		s.finishLocked(j, result{id: id, err: err})
	}
	s.scheduleLocked(l, now)
	if len(l.jobs) == 0 && !l.busy && l.bucket.full(now) {
		delete(s.lanes, l.chat)
	}
	if s.queued == 0 && s.inflight == 0 {
		s.idle.Broadcast()
	}
	s.mu.Unlock()
	s.wake()
}

func (s *Sender) finishLocked(j *job, r result) {
	s.queued--
	for _, w := range j.waiters {
		w <- r
	}
	for _, t := range j.tracks {
		go t.finish() // outside the sender's lock
	}
}

// classify turns a call's error into a retry time, or says there is none.
func (s *Sender) classify(chat int64, err error, j *job) (time.Time, bool) {
	var tooMany *tg.TooManyRequestsError
	now := s.now()
	switch {
	case err == nil:
		s.count(func(st *Stats) { st.Sent++ })
		return time.Time{}, false
	case errors.As(err, &tooMany):
		wait := time.Duration(max(tooMany.RetryAfter, 1)) * time.Second
		s.mu.Lock()
		s.stats.Limited++
		s.noteTooManyLocked(now, wait)
		s.mu.Unlock()
		return now.Add(wait), true
	case errors.Is(err, tg.ErrorForbidden):
		s.count(func(st *Stats) { st.Blocked++ })
		if s.blocked != nil && chat > 0 {
			if merr := s.blocked.MarkBlocked(context.Background(), chat, now); merr != nil {
				s.log.Warn("mark chat blocked", "chat_id", chat, "err", merr)
			}
		}
		return time.Time{}, false
	case errors.Is(err, tg.ErrorBadRequest), errors.Is(err, tg.ErrorUnauthorized), errors.Is(err, tg.ErrorNotFound),
		errors.Is(err, context.Canceled), j.tries >= s.lim.Retries:
		s.count(func(st *Stats) { st.Failures++ })
		s.log.Warn("send failed", "chat_id", chat, "err", err)
		return time.Time{}, false
	}
	s.count(func(st *Stats) { st.Retried++ })
	return now.Add(time.Duration(1<<j.tries) * 250 * time.Millisecond), true // network or 5xx
}

// noteTooManyLocked pauses everyone when 429s come from several chats at
// once: then it is the bot's overall limit that was hit, not one chat's.
func (s *Sender) noteTooManyLocked(now time.Time, wait time.Duration) {
	keep := s.recent429[:0]
	for _, t := range s.recent429 {
		if now.Sub(t) < time.Second {
			keep = append(keep, t)
		}
	}
	s.recent429 = append(keep, now)
	if len(s.recent429) >= 3 && now.Add(wait).After(s.pausedUntil) {
		s.pausedUntil = now.Add(wait)
	}
}

func (s *Sender) count(f func(*Stats)) {
	s.mu.Lock()
	f(&s.stats)
	s.mu.Unlock()
}

// wrapBlocked gives a Forbidden answer its meaning.
func wrapBlocked(err error) error {
	if err != nil && errors.Is(err, tg.ErrorForbidden) {
		return fmt.Errorf("%w: %w", ErrBlocked, err)
	}
	return err
}

func isNotModified(err error) bool {
	return err != nil && strings.Contains(err.Error(), "message is not modified")
}

// laneHeap orders waiting lanes by when they may go.
type laneHeap []*lane

func (h laneHeap) Len() int           { return len(h) }
func (h laneHeap) Less(i, j int) bool { return h[i].at.Before(h[j].at) }
func (h laneHeap) Swap(i, j int) {
	h[i], h[j] = h[j], h[i]
	h[i].index, h[j].index = i, j
}
func (h *laneHeap) Push(x any) {
	l := x.(*lane)
	l.index = len(*h)
	*h = append(*h, l)
}
func (h *laneHeap) Pop() any {
	old := *h
	l := old[len(old)-1]
	l.index = -1
	*h = old[:len(old)-1]
	return l
}
