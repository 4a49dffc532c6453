package core

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Payments made in chat: the customer pays an invoice through Telegram (a
// payment provider, or Telegram Stars). Telegram asks first whether the
// payment may go ahead (CheckChatPayment, nothing is charged on a refusal),
// then reports the charge, which is recorded once per Telegram charge id
// (RecordChatPayment) and applied like any payment staff record.

// Payment methods of payments made in chat.
const (
	PayTelegram PaymentMethod = "telegram"
	PayStars    PaymentMethod = "stars"
)

// Why a payment in chat is refused before it is charged. Each carries the
// words a person sees; the bot shows its own translation.
var (
	ErrChatPayPaid     error = &Error{Kind: ErrConflict, Msg: "this invoice is already paid"}
	ErrChatPayVoid     error = &Error{Kind: ErrConflict, Msg: "this invoice was cancelled"}
	ErrChatPayChanged  error = &Error{Kind: ErrConflict, Msg: "the amount due has changed, ask for a new invoice"}
	ErrStarsRefunded   error = &Error{Kind: ErrConflict, Msg: "this payment was already refunded"}
	ErrNotStarsPayment error = &Error{Kind: ErrInvalid, Msg: "only a payment made in Telegram Stars can be refunded in Stars"}
)

// ChatPayment is a charge Telegram reports for one of our invoices.
type ChatPayment struct {
	PaymentID  int64
	InvoiceID  int64
	Amount     Money // in the shop's currency: what is recorded as paid
	Method     PaymentMethod
	ChargeID   string // telegram_payment_charge_id: unique
	ProviderID string // provider_payment_charge_id ("" for Stars)
	UserID     int64  // who paid (a refund in Stars names them)
	Currency   string // what Telegram charged in: the shop's code, or XTR
	Total      int64  // what Telegram charged, in Currency's units
	CreatedAt  time.Time
	Refunded   bool
	// Allocated is what the payment pays now (invoices, or held for its
	// order).
	Allocated Money
}

// ChatPayTx is what a transaction offers for payments made in chat (part
// of Tx).
type ChatPayTx interface {
	// ChatPaymentByCharge finds the payment recorded for a charge id (nil
	// when none is).
	ChatPaymentByCharge(ctx context.Context, chargeID string) (*ChatPayment, error)
	// ChatPaymentForUpdate reads and locks a payment's chat record.
	ChatPaymentForUpdate(ctx context.Context, paymentID int64) (*ChatPayment, error)
	// InsertChatPayment keeps what Telegram said of the payment cp.PaymentID.
	InsertChatPayment(ctx context.Context, cp *ChatPayment) error
	// InsertStarRefund records that a Stars payment was given back.
	InsertStarRefund(ctx context.Context, paymentID int64, a Actor, at time.Time) error
	// EnqueueNotices adds notices to the outbox in this transaction.
	EnqueueNotices(ctx context.Context, ns []Notice) error
	// OrderStarsPayments lists the Stars payments made for an order (paying
	// one of its invoices) that are neither reversed nor refunded, with what
	// each pays now, oldest first.
	OrderStarsPayments(ctx context.Context, orderID int64) ([]ChatPayment, error)
}

// CheckChatPayment says whether the customer a may pay amount on an invoice
// now: it is theirs, not void, and amount is no more than what is still due
// on it. Nothing changes.
func (s *Orders) CheckChatPayment(ctx context.Context, a Actor, invoiceID int64, amount Money) (*Invoice, error) {
	inv, err := s.InvoiceByID(ctx, a, invoiceID)
	if err != nil {
		return nil, err
	}
	if a.Role.IsStaff() || inv.CustomerID != a.CustomerID {
		return nil, ErrNoSuchInvoice // staff pay nobody's invoice from their own account
	}
	switch {
	case inv.Voided:
		return inv, ErrChatPayVoid
	case inv.Open() <= 0:
		return inv, ErrChatPayPaid
	case amount <= 0 || amount > inv.Open():
		return inv, ErrChatPayChanged
	}
	return inv, nil
}

// RecordChatPayment records a charge Telegram made for one of a's
// invoices, once: the same charge id again returns the payment recorded
// the first time, with repeated set. Telegram has taken the money, so it
// is recorded whatever happened to the invoice since the check; it is
// applied to the invoice's order first, like a payment staff record for an
// order. The customer's receipt is queued in the same transaction.
func (s *Orders) RecordChatPayment(ctx context.Context, a Actor, cp ChatPayment) (p *Payment, repeated bool, err error) {
	if err := s.checkChatPayment(a, &cp); err != nil {
		return nil, false, err
	}
	inv, err := s.d.Store.Invoice(ctx, cp.InvoiceID) // its order and customer never change
	if err != nil {
		return nil, false, hideFrom(a, err, ErrNoSuchInvoice)
	}
	if inv.CustomerID != a.CustomerID {
		return nil, false, ErrNoSuchInvoice
	}
	err = s.d.Store.InTx(ctx, func(ctx context.Context, tx Tx) error {
		if _, err := tx.CustomerForUpdate(ctx, a.CustomerID); err != nil {
			return err
		}
		if prev, err := tx.ChatPaymentByCharge(ctx, cp.ChargeID); err != nil || prev != nil {
			if prev != nil {
				p, repeated = &Payment{ID: prev.PaymentID, CustomerID: a.CustomerID, Amount: prev.Amount, Method: prev.Method}, true
			}
			return err
		}
		p, err = s.insertChatPayment(ctx, tx, a, inv, &cp)
		return err
	})
	if err != nil {
		return nil, false, fmt.Errorf("record payment in chat: %w", err)
	}
	return p, repeated, nil
}

func (s *Orders) checkChatPayment(a Actor, cp *ChatPayment) error {
	if a.Role.IsStaff() || a.CustomerID == 0 {
		return Errorf(ErrForbidden, "only a customer pays in chat")
	}
	cp.ChargeID = strings.TrimSpace(cp.ChargeID)
	if cp.ChargeID == "" || len(cp.ChargeID) > 200 {
		return Errorf(ErrInvalid, "a payment in chat needs its charge id")
	}
	if cp.Amount <= 0 || cp.Total <= 0 {
		return Errorf(ErrInvalid, "a payment must be above zero")
	}
	if cp.Method != PayTelegram && cp.Method != PayStars {
		return Errorf(ErrInvalid, "payment method %q is not one of chat payments", cp.Method)
	}
	return nil
}

// insertChatPayment stores the payment for the invoice's order (or as
// credit when the order no longer takes payments), applies it and queues
// the receipt.
func (s *Orders) insertChatPayment(ctx context.Context, tx Tx, a Actor, inv *Invoice, cp *ChatPayment) (*Payment, error) {
	now := s.d.now()
	p := &Payment{CustomerID: a.CustomerID, OrderID: inv.OrderID, Amount: cp.Amount, Currency: s.d.Currency.Code,
		Method: cp.Method, Reference: cp.ChargeID, ReceivedOn: dateOf(now), Actor: a, CreatedAt: now}
	if err := s.checkPaymentOrder(ctx, tx, PaymentInput{CustomerID: a.CustomerID, OrderID: inv.OrderID}); err != nil {
		if !errors.Is(err, ErrConflict) && !errors.Is(err, ErrInvalid) {
			return nil, err
		}
		p.OrderID = 0 // the order takes no more payments: the money is the customer's credit
	}
	if err := tx.InsertPayment(ctx, p); err != nil {
		return nil, err
	}
	cp.PaymentID, cp.CreatedAt = p.ID, now
	if err := tx.InsertChatPayment(ctx, cp); err != nil {
		return nil, err
	}
	cause := fmt.Sprintf("payment %d: %s %s in chat", p.ID, s.d.Currency.Display(p.Amount), p.Method)
	if err := s.rebill(ctx, tx, a, a.CustomerID, cause, fmt.Sprintf("payment:%d", p.ID), now); err != nil {
		return nil, err
	}
	return p, tx.EnqueueNotices(ctx, []Notice{chatReceipt(p, inv.OrderID, a.UserID, now)})
}

// chatReceipt is the receipt of a payment made in chat: the answer to the
// customer who paid, so it goes in the answers' lane.
func chatReceipt(p *Payment, orderID, chatID int64, now time.Time) Notice {
	n, _ := NewNotice(fmt.Sprintf("payment:%d:receipt", p.ID), chatID, NoticeReceipt,
		ReceiptNotice{PaymentID: p.ID, OrderID: orderID}, now)
	n.Lane, n.Prio = LaneReply, PrioReply
	return n
}

// ChatPayReader reads payments made in chat (part of Reader).
type ChatPayReader interface {
	// ChatPayment reads what Telegram said of a payment made in chat.
	ChatPayment(ctx context.Context, paymentID int64) (*ChatPayment, error)
}

// ChatPayment reads what Telegram said of a payment made in chat (staff,
// or the customer who made it).
func (s *Orders) ChatPayment(ctx context.Context, a Actor, paymentID int64) (*ChatPayment, error) {
	cp, err := s.d.Store.ChatPayment(ctx, paymentID)
	if err != nil {
		return nil, err
	}
	if !a.Role.IsStaff() {
		if owner, err := s.d.Store.Invoice(ctx, cp.InvoiceID); err != nil || owner.CustomerID != a.CustomerID {
			return nil, Errorf(ErrNotFound, "no such payment")
		}
	}
	return cp, nil
}
