package core

import (
	"context"
	"errors"
	"strconv"
	"sync"
	"time"
)

// Incoming is one request from the chat front end (a Telegram update), kept
// as it came until it is handled.
type Incoming struct {
	ID      int64 // the update's id: unique, increasing
	ChatID  int64 // whose lane orders it
	Payload []byte
}

// Inbox keeps every accepted update until it is handled (storage/postgres).
// Telegram forgets an update once it is acknowledged, so nothing is
// acknowledged before it is here. Each chat's updates are handled by one
// lane at a time across every replica: a lane is a lease its owner renews.
type Inbox interface {
	// Accept stores the updates not stored before and returns them; the
	// rest are repeats (a redelivery) and are dropped. One transaction.
	Accept(ctx context.Context, us []Incoming) ([]Incoming, error)
	// ClaimChats leases the lanes of the chats to owner: those nobody holds,
	// whose lease ran out, or that owner holds already. It returns the
	// chats taken.
	ClaimChats(ctx context.Context, owner string, chats []int64, lease time.Duration) ([]int64, error)
	// Pending lists a chat's updates not yet done, oldest first.
	Pending(ctx context.Context, chat int64, limit int) ([]Incoming, error)
	// MarkDone marks updates handled.
	MarkDone(ctx context.Context, ids []int64) error
	// ReleaseChat marks done as handled and gives up owner's lane of the
	// chat, unless an update of it is still pending: then it reports false
	// and the lane stays owner's.
	ReleaseChat(ctx context.Context, owner string, chat int64, done []int64) (bool, error)
	// RenewChats extends every lease of owner.
	RenewChats(ctx context.Context, owner string, lease time.Duration) error
	// Orphans lists chats with updates pending longer than age whose lane
	// nobody else holds (a replica died, or let go in a race; owner's own
	// lanes count, for a process restarted under the same name).
	Orphans(ctx context.Context, owner string, age time.Duration, limit int) ([]int64, error)
	// PruneInbox deletes updates handled before t.
	PruneInbox(ctx context.Context, before time.Time) (int, error)
}

// ErrRepeated means the update behind a change was handled before: its
// change was made and its answer is on its way. Nothing was changed now.
var ErrRepeated = errors.New("this was done already")

// UpdateClaim ties the changes an update makes to the update itself: the
// first transaction that commits under it (Store.InTx with the claim in its
// context) also marks the update done, in the same commit, and fails with
// ErrRepeated when it was done already. So a change whose update is handled
// twice (a crash between the change and the mark, a replica taking over)
// happens once. Later transactions of the same handling pass freely.
type UpdateClaim struct {
	ID int64
	// Reply is where the answer goes: the chat, and the message it replaces
	// (the one whose button was pressed; 0 sends a new one).
	Reply MessageRef

	mu      sync.Mutex
	claimed bool
}

type claimKey struct{}

// WithClaim returns ctx carrying the update's claim.
func WithClaim(ctx context.Context, c *UpdateClaim) context.Context {
	return context.WithValue(ctx, claimKey{}, c)
}

// ClaimFrom returns the claim ctx carries, if it is still to be made.
func ClaimFrom(ctx context.Context) *UpdateClaim {
	c, _ := ctx.Value(claimKey{}).(*UpdateClaim)
	if c == nil {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.claimed {
		return nil
	}
	return c
}

// Claimed records that a transaction committed the claim.
func (c *UpdateClaim) Claimed() {
	c.mu.Lock()
	c.claimed = true
	c.mu.Unlock()
}

// Made reports whether a transaction committed the claim.
func (c *UpdateClaim) Made() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.claimed
}

// MessageRef names a message in a chat.
type MessageRef struct {
	ChatID    int64
	MessageID int
}

// ReplyNotice is the payload of NoticeReply: the answer to the person whose
// update made a change, built from the order events the change wrote. It
// is written in the change's transaction, so the answer is as durable as
// the change.
type ReplyNotice struct {
	UpdateID  int64        `json:"update_id"`
	MessageID int          `json:"message_id,omitempty"`
	Events    []ReplyEvent `json:"events"`
}

// ReplyEvent is what an answer needs of one order event.
type ReplyEvent struct {
	EventID   int64  `json:"event_id"`
	OrderID   int64  `json:"order_id"`
	Action    Action `json:"action"`
	ActorRole Role   `json:"actor_role"`
	ActorID   int64  `json:"actor_id"`
	After     Status `json:"after"`
}

// ReplyKey is the outbox key of an update's answer.
func ReplyKey(updateID int64) string { return "reply:" + strconv.FormatInt(updateID, 10) }
