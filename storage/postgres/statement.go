package postgres

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/orderbot/orderbot/core"
)

// statementSQL reads every document of customer $1's account with what it
// adds to the debt (debit) or takes off it (credit), as customer_balances
// counts them: a void takes off the invoice less its credit notes (credit
// notes are issued only on invoices not void). Each part reads by the
// customer's indexes, so the cost follows that customer's documents.
const statementSQL = `
SELECT 'invoice', i.issued_on, i.created_at, i.id, i.number, o.number, i.amount, 0::bigint
FROM invoices i JOIN orders o ON o.id = i.order_id WHERE i.customer_id = $1
UNION ALL
SELECT 'void', NULL, v.at, i.id, i.number, '', 0, i.amount - ` + creditedSQL + `
FROM invoices i JOIN invoice_voids v ON v.invoice_id = i.id WHERE i.customer_id = $1
UNION ALL
SELECT 'credit', cn.issued_on, cn.created_at, cn.id, cn.number, i.number, 0, cn.amount
FROM credit_notes cn JOIN invoices i ON i.id = cn.invoice_id WHERE cn.customer_id = $1
UNION ALL
SELECT 'payment', p.received_on, p.created_at, p.id, '', p.reference, 0, p.amount
FROM payments p WHERE p.customer_id = $1
UNION ALL
SELECT 'reversal', NULL, r.at, p.id, '', p.reference, p.amount, 0
FROM payments p JOIN payment_reversals r ON r.payment_id = p.id WHERE p.customer_id = $1`

// StatementEntries lists the documents of a customer's account.
func (db *DB) StatementEntries(ctx context.Context, customerID int64) ([]core.StatementEntry, error) {
	rows, err := db.pool.Query(ctx, statementSQL, customerID)
	if err != nil {
		return nil, interpretError(err)
	}
	return collect(rows, func(r pgx.Row) (*core.StatementEntry, error) {
		var e core.StatementEntry
		var kind string
		var date *time.Time
		err := r.Scan(&kind, &date, &e.At, &e.ID, &e.Number, &e.Ref, &e.Debit, &e.Credit)
		e.Kind = core.StatementKind(kind)
		if date != nil {
			e.Date = *date
		}
		return &e, interpretError(err)
	})
}
