package platform

import (
	"context"
	"errors"
	"time"

	tg "github.com/go-telegram/bot"
)

// Telegram Payments: the invoice with its Pay button is a message like any
// other (queued, rate-limited); the answer to a pre-checkout query is not a
// message and Telegram waits at most 10 s for it, so it goes at once.

// InvoiceWait sends a Telegram invoice (sendInvoice) and waits for the
// answer; it returns the message id.
func (s *Sender) InvoiceWait(ctx context.Context, chat int64, p Priority, params *tg.SendInvoiceParams) (int, error) {
	return wait(ctx, func(done chan result) {
		s.enqueue(nil, chat, &job{prio: p, waiters: []chan result{done}, call: func(ctx context.Context) (int, error) {
			params.ChatID = chat
			params.AllowPaidBroadcast = s.paid(p)
			m, err := s.api.SendInvoice(ctx, params)
			if err != nil {
				return 0, err
			}
			return m.ID, nil
		}})
	})
}

// AnswerPreCheckout answers a pre-checkout query at once, outside every
// queue and limit, retrying a failed call briefly; errMsg says why a
// refused payment (ok false) was refused.
func (s *Sender) AnswerPreCheckout(ctx context.Context, queryID string, ok bool, errMsg string) error {
	actx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 8*time.Second)
	defer cancel()
	params := &tg.AnswerPreCheckoutQueryParams{PreCheckoutQueryID: queryID, OK: ok}
	if !ok {
		params.ErrorMessage = clip(errMsg, 250)
	}
	for try := 0; ; try++ {
		_, err := s.api.AnswerPreCheckoutQuery(actx, params)
		if err == nil || try >= 2 || errors.Is(err, tg.ErrorBadRequest) || actx.Err() != nil {
			return err
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// RefundStars gives a Telegram Stars payment back (refundStarPayment),
// retrying a failed call briefly. Telegram refuses a second refund of the
// same charge with a bad request.
func (s *Sender) RefundStars(ctx context.Context, userID int64, chargeID string) error {
	params := &tg.RefundStarPaymentParams{UserID: userID, TelegramPaymentChargeID: chargeID}
	for try := 0; ; try++ {
		_, err := s.api.RefundStarPayment(ctx, params)
		if err == nil || try >= 2 || errors.Is(err, tg.ErrorBadRequest) || ctx.Err() != nil {
			return err
		}
		time.Sleep(200 * time.Millisecond)
	}
}
