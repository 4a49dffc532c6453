package platform

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"time"

	"github.com/go-telegram/bot/models"

	"github.com/orderbot/orderbot/core"
)

// Incoming and Inbox are core's: the inbox lives with the system of record.
type (
	Incoming = core.Incoming
	Inbox    = core.Inbox
)

// Intake takes updates from Telegram, stores them in the inbox before
// acknowledging them, and runs each chat's updates one at a time, in order,
// and different chats side by side (at most Workers handlers at once). An
// update is handed to the handler after it is stored, so a crash at any
// instant loses nothing: the next start (or another replica, once the lease
// runs out) finds it pending and handles it. Pre-checkout queries are
// answered at once, beside the chat's queue (urgent.go).
type Intake struct {
	inbox    Inbox
	unstored func(u Incoming)
	told     map[int64]bool // unstored updates already told about
	shared   bool
	owner    string
	lease    time.Duration
	handle   func(ctx context.Context, upd *models.Update)
	log      *slog.Logger
	workers  chan struct{}
	sender   *Sender
	atOnce   func(data string) bool

	mu          sync.Mutex
	lanes       map[int64]*chatLane
	stopping    bool
	receipts    []receipt // waiting to be stored (under mu)
	storing     bool      // storeReceipts runs (under mu)
	wg          sync.WaitGroup
	marks       chan int64
	marksClosed bool
	umu         sync.Mutex
	unmarked    map[int64]bool          // handled, not yet marked in the inbox (under umu)
	early       map[int64]chan struct{} // taps answered at intake, not yet handled: closed once answered (under umu)
	flushed     chan struct{}
}

// chatLane is a chat whose lease this process holds.
type chatLane struct {
	queue   []Incoming
	seen    map[int64]bool
	handled []int64 // done since the lane started: handled and their answers sent
	sending int     // handled, answers still being sent
	wake    chan struct{}
	closing bool
	stale   bool // other replicas may have stored updates: reload before the next
}

// IntakeConfig tunes the intake.
type IntakeConfig struct {
	// Owner names this process among replicas; a restarted process with
	// the same name takes its leases back at once.
	Owner string
	// Lease is how long a chat's lane stays with a process that stopped
	// renewing it (default 30s).
	Lease time.Duration
	// Workers bounds the updates handled at once (default 32).
	Workers int
	// Shared says other replicas take this bot's updates too (webhook
	// mode): a chat's lane then looks in the inbox before each update, as
	// an earlier one may have reached another replica.
	Shared bool
	// Unstored is told, once per update, of updates that could not be
	// stored (the database is away): they are not acknowledged, so they
	// come again and are handled once it is back, but the person hears now.
	Unstored func(u Incoming)
	// AtOnce says which button presses (by their data) are answered as
	// soon as they are stored, with Sender (quick.go); nil: none.
	AtOnce func(data string) bool
	Sender *Sender
	Logger *slog.Logger
}

// NewIntake returns an intake that hands every update to handle.
func NewIntake(cfg IntakeConfig, inbox Inbox, handle func(ctx context.Context, upd *models.Update)) *Intake {
	if cfg.Lease <= 0 {
		cfg.Lease = 30 * time.Second
	}
	if cfg.Workers <= 0 {
		cfg.Workers = 32
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	return &Intake{inbox: inbox, unstored: cfg.Unstored, told: map[int64]bool{}, shared: cfg.Shared, owner: cfg.Owner, lease: cfg.Lease, handle: handle, log: cfg.Logger,
		workers: make(chan struct{}, cfg.Workers), lanes: map[int64]*chatLane{}, marks: make(chan int64, 4096), unmarked: map[int64]bool{},
		early: map[int64]chan struct{}{}, sender: cfg.Sender, atOnce: cfg.AtOnce, flushed: make(chan struct{})}
}

// ErrStopping is returned by Receive once the intake stops taking updates.
var ErrStopping = errors.New("the bot is shutting down")

// Receive stores updates and starts handling them; it returns once they are
// stored (or were seen before), which is when Telegram may be told.
// Updates received side by side (webhook requests) are stored together, in
// one statement: while one batch is being stored the next gathers.
func (in *Intake) Receive(ctx context.Context, us []Incoming) error {
	r := receipt{us: us, done: make(chan error, 1)}
	in.mu.Lock()
	if in.stopping {
		in.mu.Unlock()
		return ErrStopping
	}
	in.receipts = append(in.receipts, r)
	if !in.storing {
		in.storing = true
		go in.storeReceipts()
	}
	in.mu.Unlock()
	select {
	case err := <-r.done:
		return err
	case <-ctx.Done(): // the updates may still be stored: a repeat is dropped
		return ctx.Err()
	}
}

// receipt is a Receive waiting for its updates to be stored.
type receipt struct {
	us   []Incoming
	done chan error
}

// maxBatch bounds the updates stored in one statement.
const maxBatch = 500

// storeReceipts stores what Receive gathered, batch after batch, until
// nothing waits.
func (in *Intake) storeReceipts() {
	for {
		in.mu.Lock()
		var batch []receipt
		n := 0
		for len(in.receipts) > 0 && (n == 0 || n+len(in.receipts[0].us) <= maxBatch) {
			n += len(in.receipts[0].us)
			batch = append(batch, in.receipts[0])
			in.receipts = in.receipts[1:]
		}
		if len(batch) == 0 {
			in.storing = false
			in.mu.Unlock()
			return
		}
		in.mu.Unlock()
		us := make([]Incoming, 0, n)
		for _, r := range batch {
			us = append(us, r.us...)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		err := in.receive(ctx, us)
		cancel()
		for _, r := range batch {
			r.done <- err
		}
	}
}

// receive stores a batch and hands what is new to the lanes.
func (in *Intake) receive(ctx context.Context, us []Incoming) error {
	fresh, err := in.inbox.Accept(ctx, us)
	if err != nil {
		in.tell(us)
		return fmt.Errorf("store updates: %w", err)
	}
	if len(fresh) < len(us) {
		in.log.Info("repeated updates dropped", "count", len(us)-len(fresh))
	}
	fresh, now, peeks := splitUrgent(fresh)
	for _, u := range now {
		in.runUrgent(u)
	}
	in.answerAtOnce(fresh, peeks)
	var others []int64
	in.mu.Lock()
	for _, u := range fresh {
		if l := in.lanes[u.ChatID]; l != nil {
			l.add(u)
			l.stale = l.stale || in.shared
		} else if len(others) == 0 || others[len(others)-1] != u.ChatID {
			others = append(others, u.ChatID)
		}
	}
	in.mu.Unlock()
	return in.claim(ctx, uniq(others), fresh)
}

// tell passes updates that could not be stored to Unstored, once each.
func (in *Intake) tell(us []Incoming) {
	if in.unstored == nil {
		return
	}
	in.mu.Lock()
	var fresh []Incoming
	for _, u := range us {
		if !in.told[u.ID] {
			in.told[u.ID] = true
			fresh = append(fresh, u)
		}
	}
	if len(in.told) > 10_000 {
		in.told = map[int64]bool{}
	}
	in.mu.Unlock()
	for _, u := range fresh {
		in.unstored(u)
	}
}

// claim takes the lanes of chats nobody here runs and starts them. Shared
// (webhook replicas), a lane is a lease in the inbox and starts by loading
// what is pending there; alone (long polling: Telegram lets one process
// poll), a lane lives in memory and starts with the fresh updates it was
// given (nil: load them, as after a restart).
func (in *Intake) claim(ctx context.Context, chats []int64, fresh []Incoming) error {
	if len(chats) == 0 {
		return nil
	}
	taken := chats
	if in.shared {
		var err error
		if taken, err = in.inbox.ClaimChats(ctx, in.owner, chats, in.lease); err != nil {
			// The updates are stored; the sweep will take them.
			in.log.Warn("claim chats", "err", err)
			return nil
		}
	}
	in.mu.Lock()
	defer in.mu.Unlock()
	for _, chat := range taken {
		if in.lanes[chat] != nil || in.stopping {
			continue
		}
		l := &chatLane{seen: map[int64]bool{}, wake: make(chan struct{}, 1), stale: in.shared || fresh == nil}
		for _, u := range fresh {
			if u.ChatID == chat {
				l.add(u)
			}
		}
		in.lanes[chat] = l
		in.wg.Add(1)
		go in.runLane(chat, l)
	}
	return nil
}

// add queues an update in update id order: one stored by another replica
// and loaded late still goes before the later ones.
func (l *chatLane) add(u Incoming) {
	if l.seen[u.ID] {
		return
	}
	l.seen[u.ID] = true
	i := len(l.queue)
	for i > 0 && l.queue[i-1].ID > u.ID {
		i--
	}
	l.queue = slices.Insert(l.queue, i, u)
	l.signal()
}

func (l *chatLane) signal() {
	select {
	case l.wake <- struct{}{}:
	default:
	}
}

// runLane handles a chat's updates in order until none is pending, then
// gives the lane up.
func (in *Intake) runLane(chat int64, l *chatLane) {
	defer in.wg.Done()
	ctx := context.Background()
	for {
		in.mu.Lock()
		if l.stale {
			l.stale = false
			in.mu.Unlock()
			if err := in.load(ctx, chat, l); err != nil {
				in.log.Warn("load pending updates", "chat_id", chat, "err", err)
			}
			continue
		}
		if len(l.queue) == 0 && l.sending > 0 {
			in.mu.Unlock()
			<-l.wake // an answer went out, or an update came
			continue
		}
		if len(l.queue) == 0 {
			l.closing = true
			handled := slices.Clone(l.handled)
			in.mu.Unlock()
			if in.release(ctx, chat, l, handled) {
				return
			}
			continue
		}
		u := l.queue[0]
		l.queue = l.queue[1:]
		l.sending++
		in.mu.Unlock()
		in.run(ctx, u, func() { in.done(l, u.ID) })
	}
}

// done records that an update was handled and everything it queued was
// sent: only now may it be marked handled.
func (in *Intake) done(l *chatLane, id int64) {
	in.mu.Lock()
	defer in.mu.Unlock()
	l.sending--
	l.handled = append(l.handled, id)
	l.signal()
	if !in.marksClosed {
		in.umu.Lock()
		in.unmarked[id] = true
		in.umu.Unlock()
		in.marks <- id // under the lock: stop closes the channel under it too
	}
}

// load adds the chat's pending updates from the inbox (left by a crash, or
// stored by another replica) to the lane.
func (in *Intake) load(ctx context.Context, chat int64, l *chatLane) error {
	us, err := in.inbox.Pending(ctx, chat, 1000)
	if err != nil {
		return err
	}
	in.umu.Lock()
	fresh := slices.DeleteFunc(us, func(u Incoming) bool { return in.unmarked[u.ID] }) // handled, its mark on the way
	in.umu.Unlock()
	in.mu.Lock()
	for _, u := range fresh {
		l.add(u)
	}
	in.mu.Unlock()
	return nil
}

// release gives the lane up when nothing is pending; otherwise it loads
// what is and reports false.
func (in *Intake) release(ctx context.Context, chat int64, l *chatLane, handled []int64) bool {
	if !in.shared {
		in.mu.Lock()
		defer in.mu.Unlock()
		l.closing = false
		if len(l.queue) == 0 && !l.stale {
			delete(in.lanes, chat)
			return true
		}
		return false
	}
	released, err := in.inbox.ReleaseChat(ctx, in.owner, chat, handled)
	if err != nil {
		in.log.Warn("release chat", "chat_id", chat, "err", err)
		time.Sleep(time.Second)
	}
	in.mu.Lock()
	l.closing = false
	if released && len(l.queue) == 0 {
		delete(in.lanes, chat)
		in.mu.Unlock()
		return true
	}
	in.mu.Unlock()
	if released { // updates arrived while releasing: take the lane back
		taken, err := in.inbox.ClaimChats(ctx, in.owner, []int64{chat}, in.lease)
		if err != nil || len(taken) == 0 {
			in.mu.Lock()
			delete(in.lanes, chat) // another replica has it, with these updates
			in.mu.Unlock()
			return true
		}
		// What another replica stored meanwhile goes first, in order.
		in.mu.Lock()
		l.stale = true
		in.mu.Unlock()
		return false
	}
	if err := in.load(ctx, chat, l); err != nil {
		in.log.Warn("load pending updates", "chat_id", chat, "err", err)
	}
	return false
}

// run decodes and handles one update under the workers bound; done is
// called once the handler returned and all it queued was sent.
func (in *Intake) run(ctx context.Context, u Incoming, done func()) {
	tr := NewTrack(done)
	defer tr.Close()
	in.workers <- struct{}{}
	defer func() { <-in.workers }()
	in.handleRaw(ctx, u, tr)
}

// handleRaw decodes an update and hands it to the handler.
func (in *Intake) handleRaw(ctx context.Context, u Incoming, tr *Track) {
	var upd models.Update
	if err := json.Unmarshal(u.Payload, &upd); err != nil {
		in.log.Error("stored update does not decode; skipped", "update_id", u.ID, "err", err)
		return
	}
	ctx = WithTrack(ctx, tr)
	if answered := in.answeredEarly(u.ID); answered != nil {
		ctx = context.WithValue(ctx, answeredKey{}, true)
		tr.add() // done only once the answer is out too: a crash before repeats the update, which answers it
		go func() { <-answered; tr.finish() }()
	}
	in.handle(ctx, &upd)
}

// Run renews this process's leases, marks handled updates done in batches,
// and sweeps for chats nobody runs, until ctx ends; then it stops taking
// updates and waits (up to drain) for the lanes to finish.
func (in *Intake) Run(ctx context.Context, drain time.Duration) {
	go in.flushMarks()
	in.sweepAll(context.WithoutCancel(ctx)) // what a crash left behind
	renew := time.NewTicker(in.lease / 3)
	sweep := time.NewTicker(2 * time.Second)
	defer renew.Stop()
	defer sweep.Stop()
	for {
		select {
		case <-ctx.Done():
			in.stop(drain)
			return
		case <-renew.C:
			if err := in.inbox.RenewChats(context.WithoutCancel(ctx), in.owner, in.lease); err != nil {
				in.log.Warn("renew chat leases", "err", err)
			}
		case <-sweep.C:
			in.sweep(ctx)
		}
	}
}

// sweepAll takes every chat left pending (at start: however young).
func (in *Intake) sweepAll(ctx context.Context) {
	for range 100 {
		if n := in.sweepAged(ctx, 0); n < 500 {
			return
		}
	}
}

// sweep takes the chats with updates left pending and nobody running them.
func (in *Intake) sweep(ctx context.Context) { in.sweepAged(ctx, time.Second) }

func (in *Intake) sweepAged(ctx context.Context, age time.Duration) int {
	chats, err := in.inbox.Orphans(ctx, in.owner, age, 500)
	if err != nil {
		in.log.Warn("look for pending updates", "err", err)
		return 0
	}
	in.mu.Lock()
	var free []int64
	for _, c := range chats {
		if in.lanes[c] == nil {
			free = append(free, c)
		}
	}
	in.mu.Unlock()
	if len(free) > 0 {
		in.log.Info("taking over pending updates", "chats", len(free))
		in.claim(ctx, free, nil) //nolint:errcheck // claim logs its own failures
	}
	return len(chats)
}

// stop refuses new updates and waits for the lanes, then for the marks.
func (in *Intake) stop(drain time.Duration) {
	in.mu.Lock()
	in.stopping = true
	in.mu.Unlock()
	done := make(chan struct{})
	go func() { in.wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(drain):
		in.log.Error("shutdown: updates still being handled after the drain timeout", "timeout", drain)
	}
	in.mu.Lock()
	in.marksClosed = true // an answer still going out after the drain is left pending: the next start repeats it
	in.mu.Unlock()
	close(in.marks)
	<-in.flushed
}

// Wait blocks until no lane runs (tests and benchmarks).
func (in *Intake) Wait() { in.wg.Wait() }

// flushMarks marks handled updates done in batches, so that a restart
// repeats as few as possible.
func (in *Intake) flushMarks() {
	defer close(in.flushed)
	var batch []int64
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	flush := func() {
		if len(batch) == 0 {
			return
		}
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		err := in.inbox.MarkDone(ctx, batch)
		cancel()
		if err != nil {
			in.log.Warn("mark updates done", "count", len(batch), "err", err)
			return // kept for the next flush
		}
		in.umu.Lock() // not in.mu: done holds it while it waits for room in marks
		for _, id := range batch {
			delete(in.unmarked, id)
		}
		in.umu.Unlock()
		batch = batch[:0]
	}
	for {
		select {
		case id, ok := <-in.marks:
			if !ok {
				flush()
				return
			}
			batch = append(batch, id)
			if len(batch) >= 500 {
				flush()
			}
		case <-tick.C:
			flush()
		}
	}
}

func uniq(ids []int64) []int64 {
	seen := map[int64]bool{}
	out := ids[:0]
	for _, id := range ids {
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}
