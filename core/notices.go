package core

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Order events drive the notices about orders: each change writes an event in
// its own transaction, and Notices turns committed events into outbox rows.
// Who hears about what is decided here, once, instead of by every handler
// that remembers (or forgets) to notify.

// FeedEvent is an order event with what the notices about it need.
type FeedEvent struct {
	Event
	OrderNumber      string
	CustomerID       int64
	CustomerTelegram int64 // 0 when the customer is not on Telegram
}

// OrderNotice is the payload of the order notices: the event, so that the
// text says what happened then even when the order has moved on since.
type OrderNotice struct {
	EventID   int64  `json:"event_id"`
	OrderID   int64  `json:"order_id"`
	Order     string `json:"order"`
	Action    Action `json:"action"`
	ActorName string `json:"actor"`
	ActorRole Role   `json:"actor_role"`
	After     Status `json:"after"`
	Detail    string `json:"detail,omitempty"`
	Ref       string `json:"ref,omitempty"`
}

// EventFeed is the queue of committed order events not yet announced
// (storage/postgres; a trigger queues each event in its own transaction).
type EventFeed interface {
	// FanOut takes up to limit queued events, oldest first, hands them to
	// fn, enqueues the notices fn returns and removes the events from the
	// queue, in one transaction; a replica that finds another one at it
	// returns 0 at once, so notices are enqueued in event order.
	FanOut(ctx context.Context, limit int, fn func([]FeedEvent) ([]Notice, error)) (int, error)
}

// Notices turns order events into outbox rows.
type Notices struct {
	d         Deps
	feed      EventFeed
	staff     *Staff
	staffChat int64
}

// NewNotices returns the fan-out; staffChat is the optional staff group that
// also gets new-order cards.
func NewNotices(d Deps, feed EventFeed, staff *Staff, staffChat int64) *Notices {
	d.fill()
	return &Notices{d: d, feed: feed, staff: staff, staffChat: staffChat}
}

// FanOut moves up to limit new events into the outbox; it reports how many
// events it consumed (0: nothing new).
func (s *Notices) FanOut(ctx context.Context, limit int) (int, error) {
	staff, err := s.staff.Recipients(ctx)
	if err != nil {
		return 0, fmt.Errorf("fan out: %w", err)
	}
	if s.staffChat != 0 {
		staff = append(staff, s.staffChat)
	}
	now := s.d.Now()
	n, err := s.feed.FanOut(ctx, limit, func(evs []FeedEvent) ([]Notice, error) {
		return NoticesForEvents(evs, staff, now)
	})
	if err != nil {
		return 0, fmt.Errorf("fan out: %w", err)
	}
	return n, nil
}

// NoticesForEvents decides who hears about each event: every staff chat gets
// a card of a new order, and every later change brings those cards up to
// date; the customer hears of changes someone else made to their order
// (notes are internal). Keys are per event and recipient.
func NoticesForEvents(evs []FeedEvent, staff []int64, now time.Time) ([]Notice, error) {
	var out []Notice
	add := func(key string, chat int64, kind NoticeKind, p OrderNotice) error {
		n, err := NewNotice(key, chat, kind, p, now)
		if err == nil {
			out = append(out, n)
		}
		return err
	}
	for _, e := range evs {
		p := OrderNotice{EventID: e.ID, OrderID: e.OrderID, Order: e.OrderNumber, Action: e.Action,
			ActorName: e.Actor.Name, ActorRole: e.Actor.Role, After: e.After, Detail: e.Detail, Ref: e.Ref}
		kind := NoticeOrderCards
		if e.Action == ActPlace {
			kind = NoticeOrderCard
		}
		for _, chat := range uniqueIDs(staff) {
			if err := add(fmt.Sprintf("ev:%d:%s:%d", e.ID, kind, chat), chat, kind, p); err != nil {
				return nil, err
			}
		}
		kept, err := starsKeptNotices(e, p, staff, now)
		if err != nil {
			return nil, err
		}
		out = append(out, kept...)
		if tellsCustomer(e) {
			if err := add(fmt.Sprintf("ev:%d:customer", e.ID), e.CustomerTelegram, NoticeOrderUpdate, p); err != nil {
				return nil, err
			}
			docs, err := documentNotices(e, now)
			if err != nil {
				return nil, err
			}
			out = append(out, docs...)
		}
	}
	return out, nil
}

// documentNotices sends the customer the document an event made: the
// invoice when it is issued, the receipt of a payment (once per payment,
// however many orders it paid).
func documentNotices(e FeedEvent, now time.Time) ([]Notice, error) {
	kind, id, ok := strings.Cut(e.Ref, ":")
	n, err := strconv.ParseInt(id, 10, 64)
	if !ok || err != nil {
		return nil, nil
	}
	var notice Notice
	switch {
	case e.Action == ActInvoice && kind == "invoice":
		notice, err = NewNotice(fmt.Sprintf("invoice:%d:issued", n), e.CustomerTelegram, NoticeInvoicePDF,
			InvoicePDFNotice{InvoiceID: n, Issued: true}, now)
	case e.Action == ActPay && kind == "payment":
		notice, err = NewNotice(fmt.Sprintf("payment:%d:receipt", n), e.CustomerTelegram, NoticeReceipt,
			ReceiptNotice{PaymentID: n, OrderID: e.OrderID}, now)
	case e.Action == ActShip && kind == "shipment":
		notice, err = NewNotice(fmt.Sprintf("shipment:%d:receipt", n), e.CustomerTelegram, NoticeShipmentReceipt,
			ReceiptNotice{ShipmentID: n, OrderID: e.OrderID}, now)
	case e.Action == ActEdit && kind == "invoice":
		notice, err = NewNotice(fmt.Sprintf("invoice:%d:issued", n), e.CustomerTelegram, NoticeInvoicePDF,
			InvoicePDFNotice{InvoiceID: n, Issued: true}, now)
	case (e.Action == ActReturn || e.Action == ActClose) && kind == "credit":
		notice, err = NewNotice(fmt.Sprintf("credit:%d:issued", n), e.CustomerTelegram, NoticeCreditPDF,
			CreditPDFNotice{CreditID: n, OrderID: e.OrderID}, now)
	default:
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return []Notice{notice}, nil
}

func tellsCustomer(e FeedEvent) bool {
	if e.CustomerTelegram == 0 || e.Action == ActNote {
		return false
	}
	if e.Action == ActPlace {
		return e.Actor.Role.IsStaff() // a phone order: the customer hears of it
	}
	// events keep the actor's Telegram id, not their customer id
	return !(e.Actor.Role == RoleCustomer && (e.Actor.UserID == e.CustomerTelegram || e.Actor.CustomerID == e.CustomerID))
}

func uniqueIDs(ids []int64) []int64 {
	seen := map[int64]bool{}
	var out []int64
	for _, id := range ids {
		if id != 0 && !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}
