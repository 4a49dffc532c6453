package postgres

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/orderbot/orderbot/core"
)

var (
	_ core.ChatPayTx     = (*txStore)(nil)
	_ core.ChatPayReader = (*DB)(nil)
)

const chatPaymentColumns = `c.payment_id, c.invoice_id, p.amount, p.method, c.charge_id, c.provider_charge_id,
	c.user_id, c.currency, c.total_amount, c.created_at,
	EXISTS (SELECT 1 FROM star_refunds s WHERE s.payment_id = c.payment_id),
	coalesce((SELECT sum(a.amount) FROM allocations a WHERE a.payment_id = c.payment_id), 0)`

const chatPaymentFrom = ` FROM chat_payments c JOIN payments p ON p.id = c.payment_id`

func scanChatPayment(r pgx.Row) (*core.ChatPayment, error) {
	var cp core.ChatPayment
	err := r.Scan(&cp.PaymentID, &cp.InvoiceID, &cp.Amount, &cp.Method, &cp.ChargeID, &cp.ProviderID,
		&cp.UserID, &cp.Currency, &cp.Total, &cp.CreatedAt, &cp.Refunded, &cp.Allocated)
	return &cp, interpretError(err)
}

// ChatPayment reads what Telegram said of a payment made in chat.
func (db *DB) ChatPayment(ctx context.Context, paymentID int64) (*core.ChatPayment, error) {
	cp, err := scanChatPayment(db.pool.QueryRow(ctx, `SELECT `+chatPaymentColumns+chatPaymentFrom+` WHERE c.payment_id = $1`, paymentID))
	return cp, notFound(err, "payment #%d was not made in chat", paymentID)
}

// ChatPaymentByCharge finds the payment recorded for a Telegram charge, or
// nil.
func (t *txStore) ChatPaymentByCharge(ctx context.Context, chargeID string) (*core.ChatPayment, error) {
	cp, err := scanChatPayment(t.tx.QueryRow(ctx, `SELECT `+chatPaymentColumns+chatPaymentFrom+` WHERE c.charge_id = $1`, chargeID))
	if errors.Is(err, core.ErrNotFound) {
		return nil, nil
	}
	return cp, err
}

// ChatPaymentForUpdate reads and locks a payment's chat record.
func (t *txStore) ChatPaymentForUpdate(ctx context.Context, paymentID int64) (*core.ChatPayment, error) {
	cp, err := scanChatPayment(t.tx.QueryRow(ctx, `SELECT `+chatPaymentColumns+chatPaymentFrom+`
		WHERE c.payment_id = $1 FOR UPDATE OF c`, paymentID))
	return cp, notFound(err, "payment #%d was not made in chat", paymentID)
}

// InsertChatPayment keeps what Telegram said of a payment; the charge id is
// unique (a second one is a conflict).
func (t *txStore) InsertChatPayment(ctx context.Context, cp *core.ChatPayment) error {
	_, err := t.tx.Exec(ctx, `INSERT INTO chat_payments (payment_id, charge_id, provider_charge_id, invoice_id, user_id,
		currency, total_amount, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
		cp.PaymentID, cp.ChargeID, cp.ProviderID, cp.InvoiceID, cp.UserID, cp.Currency, cp.Total, cp.CreatedAt)
	return interpretError(err)
}

// InsertStarRefund records that a Stars payment was given back, once.
func (t *txStore) InsertStarRefund(ctx context.Context, paymentID int64, a core.Actor, at time.Time) error {
	_, err := t.tx.Exec(ctx, `INSERT INTO star_refunds (payment_id, actor_role, actor_id, actor_name, at)
		VALUES ($1, $2, $3, $4, $5)`, paymentID, string(a.Role), a.UserID, a.Name, at)
	return interpretError(err)
}

// OrderStarsPayments lists the Stars payments made for an order's invoices
// that are neither reversed nor refunded, with what each pays now (the
// allocations written in this transaction), oldest first.
func (t *txStore) OrderStarsPayments(ctx context.Context, orderID int64) ([]core.ChatPayment, error) {
	rows, err := t.tx.Query(ctx, `SELECT `+chatPaymentColumns+chatPaymentFrom+`
		JOIN invoices i ON i.id = c.invoice_id
		WHERE i.order_id = $1 AND p.method = 'stars'
		AND NOT EXISTS (SELECT 1 FROM payment_reversals r WHERE r.payment_id = p.id)
		AND NOT EXISTS (SELECT 1 FROM star_refunds s WHERE s.payment_id = c.payment_id)
		ORDER BY c.payment_id`, orderID)
	if err != nil {
		return nil, interpretError(err)
	}
	defer rows.Close()
	var out []core.ChatPayment
	for rows.Next() {
		cp, err := scanChatPayment(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *cp)
	}
	return out, interpretError(rows.Err())
}

// EnqueueNotices adds notices to the outbox with the transaction's change.
func (t *txStore) EnqueueNotices(ctx context.Context, ns []core.Notice) error {
	_, err := enqueue(ctx, t.tx, ns)
	return err
}
