package core

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// The outbox: every notice the shop sends is first a row in Postgres, written
// in (or derived from what was written in) the transaction of the change that
// causes it, and only then a Telegram message. A crash between the change and
// the message loses neither; a notice enqueued twice is one row.

// NoticeKind says what a notice is; the presentation side renders each kind.
type NoticeKind string

// Effect says whether notices of the kind do something besides telling
// their chat (a refund): they run even when the chat blocked the bot, and
// only their message is left out.
func (k NoticeKind) Effect() bool { return k == NoticeStarsRefund }

// EffectKinds lists the kinds whose notices are effects (see Effect).
func EffectKinds() []string { return []string{string(NoticeStarsRefund)} }

// Notice kinds.
const (
	// NoticeOrderCard is a staff member's card of a new order with buttons.
	NoticeOrderCard NoticeKind = "order_card"
	// NoticeOrderCards brings a chat's cards of an order up to date.
	NoticeOrderCards NoticeKind = "order_cards"
	// NoticeReply answers whoever made a change (see ReplyNotice).
	NoticeReply NoticeKind = "reply"
	// NoticeOrderUpdate tells a customer what happened to their order.
	NoticeOrderUpdate NoticeKind = "order_update"
	// NoticeOverdueShipments lists orders past their promised date to staff.
	NoticeOverdueShipments NoticeKind = "overdue_shipments"
	// NoticeReminder asks a customer to pay; the PDFs follow as NoticeInvoicePDF.
	NoticeReminder   NoticeKind = "invoice_reminder"
	NoticeInvoicePDF NoticeKind = "invoice_pdf"
	// NoticeReceipt is a payment's receipt as a PDF, once per payment.
	NoticeReceipt NoticeKind = "payment_receipt"
	// NoticeShipmentReceipt is a shipment's delivery receipt as a PDF.
	NoticeShipmentReceipt NoticeKind = "shipment_receipt"
	// NoticeCreditPDF is a credit note (with the others made with it) as
	// PDFs (CreditPDFNotice).
	NoticeCreditPDF NoticeKind = "credit_pdf"
	// NoticeReminded tells staff whom the reminders went to.
	NoticeReminded NoticeKind = "reminded"
	// NoticeSummary and NoticeSummaryChart are the owner's daily summary.
	NoticeSummary      NoticeKind = "summary"
	NoticeSummaryChart NoticeKind = "summary_chart"
)

// Lanes order delivery within a chat: rows of one lane go strictly in order.
// Notices bound to business hours have their own lane, so that one waiting
// for tomorrow morning does not hold up a chat's order notices.
const (
	LaneNow   = 0
	LaneHours = 1
	// LaneReply holds the answers to what people just did: never behind a
	// notice, never holding one up.
	LaneReply = 2
)

// Notice priorities: a claim takes the most urgent lane first, so a storm
// of reminders never holds up an answer or a new-order card.
const (
	PrioReply  = 0
	PrioNotice = 1
	PrioBulk   = 2
)

// NoticePriority is how urgent a kind of notice is.
func NoticePriority(k NoticeKind) int {
	switch k {
	case NoticeReply:
		return PrioReply
	case NoticeOverdueShipments, NoticeReminder, NoticeReminded, NoticeSummary, NoticeSummaryChart:
		return PrioBulk
	}
	return PrioNotice
}

// Notice is one message (or document, or card edit) for one chat.
type Notice struct {
	ID int64
	// Key is unique per subject, period and recipient: enqueueing the same
	// key again is a no-op, which is what makes replays and reruns safe.
	Key    string
	ChatID int64
	Lane   int
	Kind   NoticeKind
	// Prio orders lanes for delivery (PrioReply first).
	Prio int
	// Payload is the JSON of the kind's payload type.
	Payload   []byte
	NotBefore time.Time
	// NotAfter bounds delivery (business hours); a notice found after it
	// waits for the same hours of the next day.
	NotAfter *time.Time
	Attempts int
	// Blocked is set on a claimed notice whose chat blocked the bot.
	Blocked   bool
	CreatedAt time.Time
}

// NewNotice builds a notice with its payload encoded.
func NewNotice(key string, chatID int64, kind NoticeKind, payload any, now time.Time) (Notice, error) {
	b, err := json.Marshal(payload)
	if err != nil {
		return Notice{}, fmt.Errorf("notice %s: %w", key, err)
	}
	n := Notice{Key: key, ChatID: chatID, Kind: kind, Prio: NoticePriority(kind), Payload: b, NotBefore: now, CreatedAt: now}
	if kind == NoticeReply {
		n.Lane = LaneReply
	}
	return n, nil
}

// Decode reads the payload into v.
func (n Notice) Decode(v any) error {
	if err := json.Unmarshal(n.Payload, v); err != nil {
		return fmt.Errorf("notice %d (%s): %w", n.ID, n.Kind, err)
	}
	return nil
}

// Errors a presenter returns to say how a delivery failed. Anything else is
// taken as temporary and retried with backoff.
var (
	// ErrRecipientBlocked: the chat blocked the bot; nothing more goes to it.
	ErrRecipientBlocked = errors.New("recipient blocked the bot")
	// ErrUndeliverable: Telegram refused the message for good (bad request).
	ErrUndeliverable = errors.New("undeliverable")
)

// DeliveryState is what became of a claimed notice.
type DeliveryState string

// Delivery states; pending notices are retried at RetryAt.
const (
	Sent    DeliveryState = "sent"
	Dropped DeliveryState = "dropped"
	Failed  DeliveryState = "failed"
	Pending DeliveryState = "pending"
)

// Outcome is the result of one delivery attempt.
type Outcome struct {
	State   DeliveryState
	RetryAt time.Time // when State is Pending
	Err     string
}

// LaneClaim is a sender's hold on one chat lane of the outbox.
type LaneClaim struct {
	ChatID  int64
	Lane    int
	Token   string
	Seq     int64 // enqueues seen when claimed
	Blocked bool  // the chat blocked the bot
}

// OutboxStore keeps the outbox (storage/postgres). Senders claim lanes, not
// notices: a lane is one chat's notices of one lane, sent strictly in order.
type OutboxStore interface {
	// Enqueue adds notices, skipping keys that exist; it reports how many
	// were added.
	Enqueue(ctx context.Context, ns []Notice) (int, error)
	// ClaimLane takes the most urgent lane with a notice due that nobody
	// holds, for lease (renewed with RenewLane while working), so no two
	// senders of any replica send its notices. It returns nil when nothing
	// is due.
	ClaimLane(ctx context.Context, now time.Time, lease time.Duration, token string) (*LaneClaim, error)
	// LaneNotices lists the claimed lane's pending notices in order, up to
	// limit, stopping before the first one not due yet.
	LaneNotices(ctx context.Context, c *LaneClaim, now time.Time, limit int) ([]Notice, error)
	// Finish records a notice's outcome (a notice to retry is due again at
	// RetryAt). It reports false when the claim was lost.
	Finish(ctx context.Context, c *LaneClaim, id int64, o Outcome, now time.Time) (bool, error)
	// DropLane drops every pending notice of the lane but effects (its chat blocked the
	// bot) and reports how many.
	DropLane(ctx context.Context, c *LaneClaim, reason string, now time.Time) (int, error)
	// RenewLane extends the claim; false when it was lost.
	RenewLane(ctx context.Context, c *LaneClaim, lease time.Duration, now time.Time) (bool, error)
	// ReleaseLane gives the lane back, due again at its first pending notice.
	ReleaseLane(ctx context.Context, c *LaneClaim, now time.Time) error
	// DeferExpired moves notices whose window (NotAfter) has passed to the
	// same hours of the next day that is not over yet.
	DeferExpired(ctx context.Context, now time.Time) (int, error)
	// PruneOutbox deletes notices done (sent, dropped or failed) before t:
	// their keys no longer need guarding once their subject is history.
	PruneOutbox(ctx context.Context, before time.Time) (int, error)
	// OutboxCounts counts notices by state (for metrics and tests).
	OutboxCounts(ctx context.Context) (map[DeliveryState]int, error)
}
