package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/orderbot/orderbot/core"
)

const creditColumns = `n.id, n.number, n.invoice_id, i.number, n.order_id, o.number, n.customer_id, c.name,
	coalesce(n.return_id, 0), n.reason, n.issued_on, n.amount, n.currency, n.actor_role, n.actor_id, n.actor_name,
	n.created_at, n.tax_included`

const creditFrom = ` FROM credit_notes n JOIN invoices i ON i.id = n.invoice_id JOIN orders o ON o.id = n.order_id
	JOIN customers c ON c.id = n.customer_id`

func scanCredit(r pgx.Row) (*core.CreditNote, error) {
	var n core.CreditNote
	err := r.Scan(&n.ID, &n.Number, &n.InvoiceID, &n.InvoiceNumber, &n.OrderID, &n.OrderNumber, &n.CustomerID, &n.Customer,
		&n.ReturnID, &n.Reason, &n.IssuedOn, &n.Amount, &n.Currency, &n.Actor.Role, &n.Actor.UserID, &n.Actor.Name, &n.CreatedAt, &n.TaxIncluded)
	return &n, interpretError(err)
}

// NextCreditNumber bumps the year's credit note counter in the issuing
// transaction: numbers are gap-free, like invoices'.
func (t *txStore) NextCreditNumber(ctx context.Context, year int) (string, error) {
	var n int64
	err := t.tx.QueryRow(ctx, `INSERT INTO doc_counters (kind, year, last) VALUES ('credit', $1, 1)
		ON CONFLICT (kind, year) DO UPDATE SET last = doc_counters.last + 1 RETURNING last`, year).Scan(&n)
	if err != nil {
		return "", interpretError(err)
	}
	return fmt.Sprintf("CN-%d-%06d", year, n), nil
}

// InsertCreditNote stores the credit note and its lines, takes its amount
// off the customer's invoiced total and refreshes the invoice's open amount.
func (t *txStore) InsertCreditNote(ctx context.Context, n *core.CreditNote) error {
	var ret *int64
	if n.ReturnID != 0 {
		ret = &n.ReturnID
	}
	err := t.tx.QueryRow(ctx, `INSERT INTO credit_notes (number, invoice_id, order_id, customer_id, return_id, reason,
		issued_on, amount, currency, actor_role, actor_id, actor_name, created_at, tax_included)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING id`,
		n.Number, n.InvoiceID, n.OrderID, n.CustomerID, ret, n.Reason, n.IssuedOn, n.Amount, n.Currency,
		string(n.Actor.Role), n.Actor.UserID, n.Actor.Name, n.CreatedAt, n.TaxIncluded).Scan(&n.ID)
	if err != nil {
		return interpretError(err)
	}
	if err := insertDocLines(ctx, t.tx, "credit_note_lines", "credit_note_id", n.ID, n.Lines); err != nil {
		return err
	}
	if err := addToBalance(ctx, t.tx, n.CustomerID, -n.Amount, 0); err != nil {
		return err
	}
	return refreshOpenInvoices(ctx, t.tx, []int64{n.InvoiceID})
}

// OrderCreditNotes lists an order's credit notes with their lines.
func (t *txStore) OrderCreditNotes(ctx context.Context, orderID int64) ([]core.CreditNote, error) {
	return creditNotes(ctx, t.tx, "n.order_id = $1", orderID)
}

// CreditNote reads one credit note with its lines.
func (db *DB) CreditNote(ctx context.Context, id int64) (*core.CreditNote, error) {
	ns, err := creditNotes(ctx, db.pool, "n.id = $1", id)
	if err != nil {
		return nil, err
	}
	if len(ns) == 0 {
		return nil, core.Errorf(core.ErrNotFound, "no credit note #%d", id)
	}
	return &ns[0], nil
}

// CreditNotes lists credit notes of an order or a customer, oldest first.
func (db *DB) CreditNotes(ctx context.Context, f core.CreditFilter) ([]core.CreditNote, error) {
	if f.OrderID != 0 {
		return creditNotes(ctx, db.pool, "n.order_id = $1", f.OrderID)
	}
	return creditNotes(ctx, db.pool, "n.customer_id = $1", f.CustomerID)
}

func creditNotes(ctx context.Context, q querier, where string, arg int64) ([]core.CreditNote, error) {
	rows, err := q.Query(ctx, `SELECT `+creditColumns+creditFrom+` WHERE `+where+` ORDER BY n.id`, arg)
	if err != nil {
		return nil, interpretError(err)
	}
	ns, err := collect(rows, scanCredit)
	if err != nil {
		return nil, err
	}
	for i := range ns {
		if ns[i].Lines, err = docLines(ctx, q, "credit_note_lines", "credit_note_id", ns[i].ID); err != nil {
			return nil, err
		}
	}
	return ns, nil
}
