package fakeapi

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/go-telegram/bot/models"
)

// PayTimeout is how long a payment waits for the bot's answer to its
// pre-checkout query, as Telegram does (see WithPayTimeout).
const PayTimeout = 10 * time.Second

// WithPayTimeout sets how long PayInvoice waits for the bot's answer to a
// pre-checkout query (default PayTimeout).
func WithPayTimeout(d time.Duration) Option {
	return func(s *Server) { s.pay.timeout = d }
}

// ErrNoCheckoutAnswer means the bot did not answer a pre-checkout query in
// time: Telegram fails the payment and charges nothing.
var ErrNoCheckoutAnswer = errors.New("fakeapi: the bot did not answer the pre-checkout query in time")

// PayResult is what became of a user's payment of an invoice.
type PayResult struct {
	QueryID string
	Answer  PreCheckoutAnswer
	Charge  *Charge // nil when the bot refused
}

// PayInvoice is a user pressing Pay on the bot's invoice message and the
// provider taking the money: the server sends the bot a pre_checkout_query,
// waits (up to PayTimeout) for its answer and, when the bot says yes,
// charges and sends a message with successful_payment from the user (new
// charge ids). A refusal charges nothing.
func (s *Server) PayInvoice(ctx context.Context, userID int64, messageID int) (PayResult, error) {
	s.mu.Lock()
	inv, u, err := s.invoiceLocked(userID, messageID)
	if err != nil {
		s.mu.Unlock()
		return PayResult{}, err
	}
	id := fmt.Sprintf("%d%06d", userID, s.pay.nextID)
	s.pay.nextID++
	s.pay.queries[id] = &preCheckout{invoice: inv}
	s.enqueueLocked(&models.Update{PreCheckoutQuery: &models.PreCheckoutQuery{ID: id, From: &u,
		Currency: inv.Currency, TotalAmount: inv.Total, InvoicePayload: inv.Payload}})
	s.mu.Unlock()
	res := PayResult{QueryID: id}
	if res.Answer, err = s.waitCheckout(ctx, id); err != nil || !res.Answer.OK {
		return res, err
	}
	res.Charge, err = s.charge(userID, inv)
	return res, err
}

// PayLastInvoice is PayInvoice on the newest invoice the bot sent the user.
func (s *Server) PayLastInvoice(ctx context.Context, userID int64) (PayResult, error) {
	s.mu.Lock()
	id := 0
	if c, ok := s.chats[userID]; ok {
		for _, m := range c.messages {
			if m.FromBot && m.Invoice != nil && !m.Deleted {
				id = m.ID
			}
		}
	}
	s.mu.Unlock()
	if id == 0 {
		return PayResult{}, fmt.Errorf("fakeapi: no invoice in chat %d", userID)
	}
	return s.PayInvoice(ctx, userID, id)
}

func (s *Server) invoiceLocked(userID int64, messageID int) (Invoice, models.User, error) {
	_, u, m, err := s.pressTargetLocked(userID, messageID)
	if err != nil {
		return Invoice{}, models.User{}, err
	}
	if m.Invoice == nil {
		return Invoice{}, models.User{}, fmt.Errorf("fakeapi: message %d is not an invoice", messageID)
	}
	return *m.Invoice, u.u, nil
}

// waitCheckout waits for the bot's answer to a pre-checkout query.
func (s *Server) waitCheckout(ctx context.Context, id string) (PreCheckoutAnswer, error) {
	s.mu.Lock()
	timeout := s.pay.timeout
	s.mu.Unlock()
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	for {
		s.mu.Lock()
		q := s.pay.queries[id]
		ans, done, ch := q.answer, q.answered, s.changed
		s.mu.Unlock()
		if done {
			return ans, nil
		}
		select {
		case <-ch:
		case <-timer.C:
			s.mu.Lock()
			q.expired = !q.answered
			s.mu.Unlock()
			if q.expired {
				return PreCheckoutAnswer{QueryID: id}, ErrNoCheckoutAnswer
			}
		case <-ctx.Done():
			return PreCheckoutAnswer{QueryID: id}, ctx.Err()
		case <-s.closed:
			return PreCheckoutAnswer{QueryID: id}, ErrClosed
		}
	}
}

// charge takes the money and tells the bot: a message from the user with
// successful_payment.
func (s *Server) charge(userID int64, inv Invoice) (*Charge, error) {
	var ch *Charge
	upd, err := s.userSend(userID, func(_ *user, m *Message) error {
		n := s.pay.nextID
		s.pay.nextID++
		ch = &Charge{UserID: userID, ChargeID: fmt.Sprintf("tgc_%d_%d", userID, n), Currency: inv.Currency,
			Total: inv.Total, Payload: inv.Payload}
		if inv.Currency != "XTR" {
			ch.ProviderID = fmt.Sprintf("prov_%d", n)
		}
		m.SuccessfulPayment = &models.SuccessfulPayment{Currency: ch.Currency, TotalAmount: ch.Total,
			InvoicePayload: ch.Payload, TelegramPaymentChargeID: ch.ChargeID, ProviderPaymentChargeID: ch.ProviderID}
		s.pay.charges[ch.ChargeID] = ch
		s.pay.order = append(s.pay.order, ch.ChargeID)
		return nil
	})
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	ch.UpdateID = upd
	ch.MessageID = s.chats[userID].messages[len(s.chats[userID].messages)-1].ID
	out := *ch
	s.mu.Unlock()
	return &out, nil
}

// RedeliverPayment sends the bot the successful_payment of a charge again,
// in a new update (a new update_id): what a bot sees when a report is
// replayed. Redeliver repeats an update with its own id.
func (s *Server) RedeliverPayment(chargeID string) (int64, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ch, ok := s.pay.charges[chargeID]
	if !ok {
		return 0, fmt.Errorf("fakeapi: unknown charge %q", chargeID)
	}
	c := s.chats[ch.UserID]
	m := c.message(ch.MessageID)
	if m == nil {
		return 0, fmt.Errorf("fakeapi: the message of charge %q is gone", chargeID)
	}
	return s.enqueueLocked(&models.Update{Message: m.model(c)}), nil
}
