package postgres

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/orderbot/orderbot/core"
)

const invoiceColumns = `i.id, i.number, i.order_id, o.number, i.customer_id, c.name, i.basis, i.issued_on, i.due_on,
	i.amount, i.currency, coalesce((SELECT sum(a.amount) FROM allocations a WHERE a.invoice_id = i.id), 0),
	v.invoice_id IS NOT NULL, coalesce(v.reason, ''), i.actor_role, i.actor_id, i.actor_name, i.created_at,
	` + creditedSQL + `, ` + invoiceTaxColumns

// invoiceTaxColumns say how the invoice's prices stand to tax and what
// delivery it bills.
const invoiceTaxColumns = `i.tax_included, i.delivery, i.delivery_rate, i.delivery_tax`

// creditedSQL is what credit notes took back of invoice i.
const creditedSQL = `coalesce((SELECT sum(cn.amount) FROM credit_notes cn WHERE cn.invoice_id = i.id), 0)`

// openInvoiceColumns are invoiceColumns for a list joined to open_invoices
// x, which knows what is open of each (its amount less credit notes and
// what was paid).
const openInvoiceColumns = `i.id, i.number, i.order_id, o.number, i.customer_id, c.name, i.basis, i.issued_on, i.due_on,
	i.amount, i.currency, i.amount - ` + creditedSQL + ` - x.open, false, '', i.actor_role, i.actor_id, i.actor_name,
	i.created_at, ` + creditedSQL + `, ` + invoiceTaxColumns

const invoiceFrom = ` FROM invoices i JOIN orders o ON o.id = i.order_id JOIN customers c ON c.id = i.customer_id
	LEFT JOIN invoice_voids v ON v.invoice_id = i.id`

func scanInvoice(r pgx.Row) (*core.Invoice, error) {
	var i core.Invoice
	err := r.Scan(&i.ID, &i.Number, &i.OrderID, &i.OrderNumber, &i.CustomerID, &i.Customer, &i.Basis, &i.IssuedOn,
		&i.DueOn, &i.Amount, &i.Currency, &i.Paid, &i.Voided, &i.VoidReason, &i.Actor.Role, &i.Actor.UserID,
		&i.Actor.Name, &i.CreatedAt, &i.Credited, &i.TaxIncluded, &i.Delivery, &i.DeliveryRate, &i.DeliveryTax)
	return &i, interpretError(err)
}

func invoiceBy(ctx context.Context, q querier, where string, arg any, lock bool) (*core.Invoice, error) {
	sql := `SELECT ` + invoiceColumns + invoiceFrom + ` WHERE ` + where
	if lock {
		sql += ` FOR UPDATE OF i`
	}
	inv, err := scanInvoice(q.QueryRow(ctx, sql, arg))
	if err != nil {
		return nil, notFound(err, "no invoice %v", arg)
	}
	inv.Lines, err = docLines(ctx, q, "invoice_lines", "invoice_id", inv.ID)
	return inv, err
}

// Invoice reads one invoice with its lines.
func (db *DB) Invoice(ctx context.Context, id int64) (*core.Invoice, error) {
	return invoiceBy(ctx, db.pool, "i.id = $1", id, false)
}

// InvoiceByNumber reads one invoice by its number.
func (db *DB) InvoiceByNumber(ctx context.Context, number string) (*core.Invoice, error) {
	return invoiceBy(ctx, db.pool, "i.number = $1", strings.TrimSpace(number), false)
}

// Invoices lists invoices (without lines): open ones by due date, from
// open_invoices; others by issue date.
func (db *DB) Invoices(ctx context.Context, f core.InvoiceFilter) ([]core.Invoice, error) {
	var q query
	if f.CustomerID != 0 {
		q.and("i.customer_id = " + q.arg(f.CustomerID))
	}
	if f.OrderID != 0 {
		q.and("i.order_id = " + q.arg(f.OrderID))
	}
	base, order := `SELECT `+invoiceColumns+invoiceFrom, "i.issued_on, i.id"
	if f.OpenOnly {
		base = `SELECT ` + openInvoiceColumns + ` FROM open_invoices x JOIN invoices i ON i.id = x.invoice_id
			JOIN orders o ON o.id = i.order_id JOIN customers c ON c.id = i.customer_id`
		order = "x.due_on, i.id"
		if f.DueBefore != nil {
			q.and("x.due_on < " + q.arg(*f.DueBefore) + "::date")
		}
	} else if f.DueBefore != nil {
		q.and("i.due_on < " + q.arg(*f.DueBefore) + "::date")
	}
	rows, err := db.pool.Query(ctx, q.sql(base, order, f.Limit, 0), q.args...)
	if err != nil {
		return nil, interpretError(err)
	}
	return collect(rows, scanInvoice)
}

// NextInvoiceNumber bumps the year's counter row inside the issuing
// transaction: numbers are gap-free because a rollback undoes the bump.
func (t *txStore) NextInvoiceNumber(ctx context.Context, year int) (string, error) {
	var n int64
	err := t.tx.QueryRow(ctx, `INSERT INTO doc_counters (kind, year, last) VALUES ('invoice', $1, 1)
		ON CONFLICT (kind, year) DO UPDATE SET last = doc_counters.last + 1 RETURNING last`, year).Scan(&n)
	if err != nil {
		return "", interpretError(err)
	}
	return fmt.Sprintf("INV-%d-%06d", year, n), nil
}

func (t *txStore) InsertInvoice(ctx context.Context, inv *core.Invoice) error {
	err := t.tx.QueryRow(ctx, `INSERT INTO invoices (number, order_id, customer_id, basis, issued_on, due_on, amount,
		currency, actor_role, actor_id, actor_name, created_at, tax_included, delivery, delivery_rate, delivery_tax)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16) RETURNING id`,
		inv.Number, inv.OrderID, inv.CustomerID, string(inv.Basis), inv.IssuedOn, inv.DueOn, inv.Amount, inv.Currency,
		string(inv.Actor.Role), inv.Actor.UserID, inv.Actor.Name, inv.CreatedAt,
		inv.TaxIncluded, inv.Delivery, inv.DeliveryRate, inv.DeliveryTax).Scan(&inv.ID)
	if err != nil {
		return interpretError(err)
	}
	if err := insertDocLines(ctx, t.tx, "invoice_lines", "invoice_id", inv.ID, inv.Lines); err != nil {
		return err
	}
	if err := addToBalance(ctx, t.tx, inv.CustomerID, inv.Amount, 0); err != nil {
		return err
	}
	return refreshOpenInvoices(ctx, t.tx, []int64{inv.ID})
}

func (t *txStore) InvoiceForUpdate(ctx context.Context, id int64) (*core.Invoice, error) {
	return invoiceBy(ctx, t.tx, "i.id = $1", id, true)
}

func (t *txStore) OrderInvoices(ctx context.Context, orderID int64) ([]core.Invoice, error) {
	rows, err := t.tx.Query(ctx, `SELECT `+invoiceColumns+invoiceFrom+` WHERE i.order_id = $1 ORDER BY i.id`, orderID)
	if err != nil {
		return nil, interpretError(err)
	}
	invs, err := collect(rows, scanInvoice)
	if err != nil {
		return nil, err
	}
	for i := range invs {
		if invs[i].Lines, err = docLines(ctx, t.tx, "invoice_lines", "invoice_id", invs[i].ID); err != nil {
			return nil, err
		}
	}
	return invs, nil
}

// VoidInvoice records the void and takes the invoice (less its credit
// notes) off the customer's invoiced total and off the open invoices.
func (t *txStore) VoidInvoice(ctx context.Context, id int64, reason string, a core.Actor, at time.Time) error {
	var customerID int64
	var amount core.Money
	err := t.tx.QueryRow(ctx, `WITH v AS (INSERT INTO invoice_voids (invoice_id, reason, actor_role, actor_id, actor_name, at)
		VALUES ($1, $2, $3, $4, $5, $6) RETURNING invoice_id)
		SELECT i.customer_id, i.amount - `+creditedSQL+` FROM invoices i JOIN v ON v.invoice_id = i.id`,
		id, reason, string(a.Role), a.UserID, a.Name, at).Scan(&customerID, &amount)
	if err != nil {
		return notFound(interpretError(err), "no invoice #%d", id)
	}
	if err := addToBalance(ctx, t.tx, customerID, -amount, 0); err != nil {
		return err
	}
	_, err = t.tx.Exec(ctx, `DELETE FROM open_invoices WHERE invoice_id = $1`, id)
	return interpretError(err)
}
