package postgres

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/orderbot/orderbot/core"
)

const paymentColumns = `p.id, p.customer_id, coalesce(p.order_id, 0), p.amount, p.currency, p.method, p.reference,
	p.received_on, EXISTS (SELECT 1 FROM payment_reversals r WHERE r.payment_id = p.id), p.actor_role, p.actor_id,
	p.actor_name, p.created_at,
	p.amount - coalesce((SELECT sum(a.amount) FROM allocations a WHERE a.payment_id = p.id), 0)`

func scanPayment(r pgx.Row) (*core.Payment, error) {
	var p core.Payment
	err := r.Scan(&p.ID, &p.CustomerID, &p.OrderID, &p.Amount, &p.Currency, &p.Method, &p.Reference, &p.ReceivedOn,
		&p.Reversed, &p.Actor.Role, &p.Actor.UserID, &p.Actor.Name, &p.CreatedAt, &p.Unallocated)
	if p.Reversed {
		p.Unallocated = 0
	}
	return &p, interpretError(err)
}

// Payments lists a customer's payments, oldest first.
func (db *DB) Payments(ctx context.Context, customerID int64) ([]core.Payment, error) {
	rows, err := db.pool.Query(ctx, `SELECT `+paymentColumns+` FROM payments p WHERE p.customer_id = $1
		ORDER BY p.received_on, p.id`, customerID)
	if err != nil {
		return nil, interpretError(err)
	}
	return collect(rows, scanPayment)
}

func (t *txStore) InsertPayment(ctx context.Context, p *core.Payment) error {
	err := t.tx.QueryRow(ctx, `INSERT INTO payments (customer_id, order_id, amount, currency, method, reference,
		received_on, actor_role, actor_id, actor_name, created_at)
		VALUES ($1, nullif($2::bigint, 0), $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id`,
		p.CustomerID, p.OrderID, p.Amount, p.Currency, string(p.Method), p.Reference, p.ReceivedOn,
		string(p.Actor.Role), p.Actor.UserID, p.Actor.Name, p.CreatedAt).Scan(&p.ID)
	if err != nil {
		return interpretError(err)
	}
	return addToBalance(ctx, t.tx, p.CustomerID, 0, p.Amount)
}

func (t *txStore) PaymentForUpdate(ctx context.Context, id int64) (*core.Payment, error) {
	p, err := scanPayment(t.tx.QueryRow(ctx, `SELECT `+paymentColumns+` FROM payments p WHERE p.id = $1 FOR UPDATE`, id))
	return p, notFound(err, "no payment #%d", id)
}

func (t *txStore) PaymentOwner(ctx context.Context, id int64) (int64, error) {
	var c int64
	err := t.tx.QueryRow(ctx, `SELECT customer_id FROM payments WHERE id = $1`, id).Scan(&c)
	return c, notFound(interpretError(err), "no payment #%d", id)
}

// ReversePayment records the reversal and takes the payment off the
// customer's paid total.
func (t *txStore) ReversePayment(ctx context.Context, id int64, reason string, a core.Actor, at time.Time) error {
	var customerID int64
	var amount core.Money
	err := t.tx.QueryRow(ctx, `WITH r AS (INSERT INTO payment_reversals (payment_id, reason, actor_role, actor_id, actor_name, at)
		VALUES ($1, $2, $3, $4, $5, $6) RETURNING payment_id)
		SELECT p.customer_id, p.amount FROM payments p JOIN r ON r.payment_id = p.id`,
		id, reason, string(a.Role), a.UserID, a.Name, at).Scan(&customerID, &amount)
	if err != nil {
		return notFound(interpretError(err), "no payment #%d", id)
	}
	return addToBalance(ctx, t.tx, customerID, 0, -amount)
}

// Billing loads the documents allocation is computed from.
func (t *txStore) Billing(ctx context.Context, customerID int64) (*core.Billing, error) {
	b := &core.Billing{}
	rows, err := t.tx.Query(ctx, `SELECT i.id, i.order_id, i.amount - `+creditedSQL+` FROM invoices i WHERE i.customer_id = $1
		AND NOT EXISTS (SELECT 1 FROM invoice_voids v WHERE v.invoice_id = i.id) ORDER BY i.issued_on, i.id`, customerID)
	if err != nil {
		return nil, interpretError(err)
	}
	if b.Invoices, err = collect(rows, func(r pgx.Row) (*core.Invoice, error) {
		var i core.Invoice
		return &i, interpretError(r.Scan(&i.ID, &i.OrderID, &i.Amount))
	}); err != nil {
		return nil, err
	}
	rows, err = t.tx.Query(ctx, `SELECT p.id, coalesce(p.order_id, 0), p.amount FROM payments p WHERE p.customer_id = $1
		AND NOT EXISTS (SELECT 1 FROM payment_reversals r WHERE r.payment_id = p.id) ORDER BY p.received_on, p.id`, customerID)
	if err != nil {
		return nil, interpretError(err)
	}
	if b.Payments, err = collect(rows, func(r pgx.Row) (*core.Payment, error) {
		var p core.Payment
		return &p, interpretError(r.Scan(&p.ID, &p.OrderID, &p.Amount))
	}); err != nil {
		return nil, err
	}
	rows, err = t.tx.Query(ctx, `SELECT o.id, o.closed_at IS NULL AND o.cancelled_at IS NULL, o.due, o.paid
		FROM orders o WHERE o.customer_id = $1 AND (o.paid <> 0
		  OR EXISTS (SELECT 1 FROM invoices i WHERE i.order_id = o.id)
		  OR EXISTS (SELECT 1 FROM payments p WHERE p.order_id = o.id))
		ORDER BY o.id`, customerID)
	if err != nil {
		return nil, interpretError(err)
	}
	b.Orders, err = collect(rows, func(r pgx.Row) (*core.OrderDue, error) {
		var d core.OrderDue
		return &d, interpretError(r.Scan(&d.OrderID, &d.Open, &d.Due, &d.Paid))
	})
	return b, err
}

// ReplaceAllocations rewrites a customer's allocations (derived data) and
// refreshes the open invoices whose allocated sum changed.
func (t *txStore) ReplaceAllocations(ctx context.Context, customerID int64, as []core.Allocation) error {
	before, err := t.deleteAllocations(ctx, customerID)
	if err != nil {
		return err
	}
	rows := make([][]any, len(as))
	for i, a := range as {
		var inv *int64
		if a.InvoiceID != 0 {
			inv = &as[i].InvoiceID
		}
		rows[i] = []any{customerID, a.PaymentID, inv, a.OrderID, int64(a.Amount)}
	}
	if _, err := t.tx.CopyFrom(ctx, pgx.Identifier{"allocations"},
		[]string{"customer_id", "payment_id", "invoice_id", "order_id", "amount"}, pgx.CopyFromRows(rows)); err != nil {
		return interpretError(err)
	}
	return refreshOpenInvoices(ctx, t.tx, changedInvoices(before, as))
}

// deleteAllocations removes a customer's allocations and returns what they
// applied to each invoice.
func (t *txStore) deleteAllocations(ctx context.Context, customerID int64) (map[int64]core.Money, error) {
	rows, err := t.tx.Query(ctx, `WITH d AS (DELETE FROM allocations WHERE customer_id = $1 RETURNING invoice_id, amount)
		SELECT invoice_id, sum(amount) FROM d WHERE invoice_id IS NOT NULL GROUP BY invoice_id`, customerID)
	if err != nil {
		return nil, interpretError(err)
	}
	defer rows.Close()
	sums := map[int64]core.Money{}
	for rows.Next() {
		var id int64
		var s core.Money
		if err := rows.Scan(&id, &s); err != nil {
			return nil, interpretError(err)
		}
		sums[id] = s
	}
	return sums, interpretError(rows.Err())
}
