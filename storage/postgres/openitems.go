package postgres

import (
	"context"
	"fmt"
	"slices"

	"github.com/jackc/pgx/v5"

	"github.com/orderbot/orderbot/core"
)

// Open items (migration 010) are derived from the documents and kept exact
// by the store methods that write those documents, in their transaction:
//
//   - customer_balances: InsertInvoice, VoidInvoice and InsertCreditNote
//     move invoiced, InsertPayment and ReversePayment move paid;
//   - open_invoices: InsertInvoice adds the invoice, VoidInvoice drops it,
//     InsertCreditNote and ReplaceAllocations refresh every invoice whose
//     credited or allocated sum changed, SaveReminders moves last_level and
//     next_remind_on;
//   - awaiting_orders: a deferred trigger on orders (the lines are final at
//     commit, whichever method changed them).
//
// openitems_test.go recomputes each from the documents after a randomized
// run and compares.

// refreshOpenInvoicesSQL recomputes the open_invoices rows of the invoices
// $1 from the documents (open = amount - credit notes - allocations): a row
// for each one not void with something open,
// none for the others. Reminder fields of an existing row are kept (they
// move with reminders); a row that comes back takes them from
// invoice_reminders. The policy row is locked FOR SHARE first, before any
// open_invoices row, so that a policy change (UseReminderLevels, which
// locks it and then every row) waits for this transaction, sees its rows,
// and never deadlocks with it.
const refreshOpenInvoicesSQL = `
WITH x AS (
    SELECT i.id, i.customer_id, i.number, o.number AS order_number, i.issued_on, i.due_on,
           i.amount - coalesce((SELECT sum(cn.amount) FROM credit_notes cn WHERE cn.invoice_id = i.id), 0)
             - coalesce((SELECT sum(a.amount) FROM allocations a WHERE a.invoice_id = i.id), 0) AS open,
           EXISTS (SELECT 1 FROM invoice_voids v WHERE v.invoice_id = i.id) AS void,
           (SELECT max(r.level) FROM invoice_reminders r WHERE r.invoice_id = i.id) AS last
    FROM invoices i JOIN orders o ON o.id = i.order_id WHERE i.id = ANY($1)
), gone AS (
    DELETE FROM open_invoices o USING x WHERE o.invoice_id = x.id AND (x.void OR x.open <= 0)
)
INSERT INTO open_invoices (invoice_id, customer_id, number, order_number, issued_on, due_on, open, last_level, next_remind_on)
SELECT x.id, x.customer_id, x.number, x.order_number, x.issued_on, x.due_on, x.open, x.last,
       next_remind_on(x.due_on, x.issued_on, x.last, (SELECT levels FROM reminder_levels))
FROM x WHERE NOT x.void AND x.open > 0
ON CONFLICT (invoice_id) DO UPDATE SET open = excluded.open WHERE open_invoices.open <> excluded.open`

func refreshOpenInvoices(ctx context.Context, q batcher, ids []int64) error {
	if len(ids) == 0 {
		return nil
	}
	b := &pgx.Batch{}
	b.Queue(`SELECT 1 FROM reminder_levels FOR SHARE`)
	b.Queue(refreshOpenInvoicesSQL, ids)
	return interpretError(q.SendBatch(ctx, b).Close())
}

// batcher sends queued statements in one round trip (a pgx.Tx does).
type batcher interface {
	SendBatch(ctx context.Context, b *pgx.Batch) pgx.BatchResults
}

// addToBalance moves a customer's invoiced and paid totals. Taking off
// (a void, a reversal) updates the row the document it undoes made.
func addToBalance(ctx context.Context, q querier, customerID int64, invoiced, paid core.Money) error {
	if invoiced < 0 || paid < 0 {
		tag, err := q.Exec(ctx, `UPDATE customer_balances SET invoiced = invoiced + $2, paid = paid + $3 WHERE customer_id = $1`,
			customerID, int64(invoiced), int64(paid))
		if err == nil && tag.RowsAffected() != 1 {
			return fmt.Errorf("customer %d has no balance to take from", customerID)
		}
		return interpretError(err)
	}
	_, err := q.Exec(ctx, `INSERT INTO customer_balances AS b (customer_id, invoiced, paid) VALUES ($1, $2, $3)
		ON CONFLICT (customer_id) DO UPDATE SET invoiced = b.invoiced + excluded.invoiced, paid = b.paid + excluded.paid`,
		customerID, int64(invoiced), int64(paid))
	return interpretError(err)
}

// changedInvoices lists the invoices whose allocated sum differs between
// two allocation sets, in id order (the order rows are locked in).
func changedInvoices(before map[int64]core.Money, after []core.Allocation) []int64 {
	sums := map[int64]core.Money{}
	for _, a := range after {
		if a.InvoiceID != 0 {
			sums[a.InvoiceID] += a.Amount
		}
	}
	var ids []int64
	for id, s := range sums {
		if before[id] != s {
			ids = append(ids, id)
		}
	}
	for id, s := range before {
		if _, ok := sums[id]; !ok && s != 0 {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	return ids
}
