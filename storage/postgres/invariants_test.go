package postgres_test

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/orderbot/orderbot/core"
)

// invariantQueries each return rows that break an invariant; an empty result
// means it holds. They run in one repeatable-read snapshot, so they may run
// while other transactions commit: every committed state must be consistent.
var invariantQueries = map[string]string{
	"on hand >= reserved >= 0": `SELECT product_id, on_hand, reserved FROM stock WHERE reserved < 0 OR on_hand < reserved`,
	"reserved = unshipped quantity of open orders that is not awaited": `
		SELECT s.product_id, s.reserved, coalesce(l.open, 0) FROM stock s
		LEFT JOIN (SELECT product_id, sum(qty - shipped - released - awaited) AS open FROM order_lines GROUP BY product_id) l
		  ON l.product_id = s.product_id
		WHERE s.reserved <> coalesce(l.open, 0)`,
	"closed and cancelled orders reserve and await nothing": `
		SELECT o.number FROM orders o JOIN order_lines l ON l.order_id = o.id
		WHERE (o.closed_at IS NOT NULL OR o.cancelled_at IS NOT NULL) AND (l.qty - l.shipped - l.released <> 0 OR l.awaited <> 0)`,
	"awaited within what is left to ship": `
		SELECT l.order_id, l.product_id FROM order_lines l WHERE l.awaited < 0 OR l.awaited > l.qty - l.shipped - l.released`,
	"stock ledger sums to on hand": `
		SELECT s.product_id, s.on_hand, coalesce(m.total, 0) FROM stock s
		LEFT JOIN (SELECT product_id, sum(delta) AS total FROM stock_moves GROUP BY product_id) m ON m.product_id = s.product_id
		WHERE s.on_hand <> coalesce(m.total, 0)`,
	"shipped quantities match shipment documents net of returns": `
		SELECT l.order_id, l.product_id FROM order_lines l
		WHERE l.shipped <> coalesce((SELECT sum(sl.qty) FROM shipments sh JOIN shipment_lines sl ON sl.shipment_id = sh.id
		                             WHERE sh.order_id = l.order_id AND sl.product_id = l.product_id), 0)
		   OR l.returned <> coalesce((SELECT sum(rl.qty) FROM returns r JOIN return_lines rl ON rl.return_id = r.id
		                              WHERE r.order_id = l.order_id AND rl.product_id = l.product_id), 0)`,
	"invoiced quantities match invoices that are not void, less their credit notes": `
		SELECT l.order_id, l.product_id FROM order_lines l
		WHERE l.invoiced <> coalesce((SELECT sum(il.qty) FROM invoices i JOIN invoice_lines il ON il.invoice_id = i.id
		      WHERE i.order_id = l.order_id AND il.product_id = l.product_id
		        AND NOT EXISTS (SELECT 1 FROM invoice_voids v WHERE v.invoice_id = i.id)), 0)
		    - coalesce((SELECT sum(nl.qty) FROM credit_notes n JOIN credit_note_lines nl ON nl.credit_note_id = n.id
		      WHERE n.order_id = l.order_id AND nl.product_id = l.product_id
		        AND NOT EXISTS (SELECT 1 FROM invoice_voids v WHERE v.invoice_id = n.invoice_id)), 0)`,
	"no credit note takes back more than its invoice billed": `
		SELECT i.number FROM invoices i JOIN credit_notes n ON n.invoice_id = i.id GROUP BY i.id HAVING sum(n.amount) > i.amount`,
	"returned goods billed are credited: invoiced never above what is kept": `
		SELECT l.order_id, l.product_id FROM order_lines l WHERE l.invoiced > l.qty - l.released - l.returned`,
	"settled exactly when shipped and paid and open": `
		SELECT o.number FROM orders o
		WHERE (o.settled_at IS NOT NULL) <> (o.confirmed_at IS NOT NULL AND o.cancelled_at IS NULL
		       AND o.fulfilment = 'shipped' AND o.payment = 'paid')`,
	"order paid = money applied to it": `
		SELECT o.number, o.paid FROM orders o
		WHERE o.paid <> coalesce((SELECT sum(amount) FROM allocations a WHERE a.order_id = o.id), 0)`,
	"no invoice paid beyond its amount less credit notes, no void invoice paid": `
		SELECT i.number FROM invoices i JOIN allocations a ON a.invoice_id = i.id
		GROUP BY i.id HAVING sum(a.amount) > i.amount - coalesce((SELECT sum(n.amount) FROM credit_notes n WHERE n.invoice_id = i.id), 0)
		  OR bool_or(EXISTS (SELECT 1 FROM invoice_voids v WHERE v.invoice_id = i.id))`,
	"no payment applied beyond its amount, no reversed payment applied": `
		SELECT p.id FROM payments p JOIN allocations a ON a.payment_id = p.id
		GROUP BY p.id HAVING sum(a.amount) > p.amount OR bool_or(EXISTS (SELECT 1 FROM payment_reversals r WHERE r.payment_id = p.id))`,
	"credit is left only when nothing is open to pay": `
		SELECT c.id FROM customers c
		WHERE EXISTS (SELECT 1 FROM payments p WHERE p.customer_id = c.id AND p.order_id IS NULL
		                AND NOT EXISTS (SELECT 1 FROM payment_reversals r WHERE r.payment_id = p.id)
		                AND p.amount > coalesce((SELECT sum(a.amount) FROM allocations a WHERE a.payment_id = p.id), 0))
		  AND EXISTS (SELECT 1 FROM invoices i WHERE i.customer_id = c.id
		                AND NOT EXISTS (SELECT 1 FROM invoice_voids v WHERE v.invoice_id = i.id)
		                AND i.amount - coalesce((SELECT sum(n.amount) FROM credit_notes n WHERE n.invoice_id = i.id), 0)
		                    > coalesce((SELECT sum(a.amount) FROM allocations a WHERE a.invoice_id = i.id), 0))`,
	"order totals and states are consistent with the lines": `
		SELECT o.number FROM orders o
		WHERE NOT EXISTS (SELECT 1 FROM order_lines WHERE order_id = o.id)
		   OR o.total <> (SELECT sum(qty * price) FROM order_lines WHERE order_id = o.id)
		   OR o.due <> (SELECT sum((qty - released - returned) * price) FROM order_lines WHERE order_id = o.id)
		   OR o.invoiced <> (SELECT sum(invoiced * price) FROM order_lines WHERE order_id = o.id)
		   OR (o.status = 'closed' AND o.closed_at IS NULL) OR (o.status = 'cancelled' AND o.cancelled_at IS NULL)
		   OR (o.status NOT IN ('new', 'cancelled') AND o.confirmed_at IS NULL)
		   OR (o.status = 'shipped' AND o.fulfilment <> 'shipped')
		   OR (o.status = 'paid' AND o.payment <> 'paid')`,
	"every order has a placing event and the trail ends in its status": `
		SELECT o.number FROM orders o
		WHERE NOT EXISTS (SELECT 1 FROM order_events e WHERE e.order_id = o.id AND e.action = 'place')
		   OR o.status <> (SELECT status_after FROM order_events e WHERE e.order_id = o.id ORDER BY id DESC LIMIT 1)`,
}

// checkInvariants runs every invariant query in one snapshot; when nothing
// else runs (quiet), it also checks debts through the service.
func (s *shop) checkInvariants(where string, quiet bool) {
	s.t.Helper()
	err := pgx.BeginTxFunc(context.Background(), s.db.Pool(), pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly},
		func(tx pgx.Tx) error {
			for name, q := range invariantQueries {
				rows, err := tx.Query(context.Background(), q)
				if err != nil {
					return fmt.Errorf("%s: %w", name, err)
				}
				vals, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) ([]any, error) { return r.Values() })
				if err != nil {
					return fmt.Errorf("%s: %w", name, err)
				}
				if len(vals) > 0 {
					s.t.Errorf("%s: invariant %q broken by %v", where, name, vals)
				}
			}
			return nil
		})
	if err != nil {
		s.t.Fatalf("%s: %v", where, err)
	}
	if quiet {
		s.checkDebts(where)
		checkOpenItems(s.t, s.db.Pool(), where)
	}
}

// checkDebts compares every customer's debt and open (aged) amount as the
// service reports them with sums taken from the documents directly. It must
// run while nothing else changes.
func (s *shop) checkDebts(where string) {
	s.t.Helper()
	rows, err := s.db.Pool().Query(context.Background(), `WITH inv AS (
		    SELECT i.id, i.customer_id, i.amount - coalesce((SELECT sum(n.amount) FROM credit_notes n WHERE n.invoice_id = i.id), 0) AS net
		    FROM invoices i WHERE NOT EXISTS (SELECT 1 FROM invoice_voids v WHERE v.invoice_id = i.id))
		SELECT c.id,
		coalesce((SELECT sum(net) FROM inv WHERE inv.customer_id = c.id), 0)
		- coalesce((SELECT sum(amount) FROM payments p WHERE p.customer_id = c.id AND NOT EXISTS (SELECT 1 FROM payment_reversals r WHERE r.payment_id = p.id)), 0),
		coalesce((SELECT sum(inv.net - coalesce((SELECT sum(a.amount) FROM allocations a WHERE a.invoice_id = inv.id), 0))
		          FROM inv WHERE inv.customer_id = c.id), 0)
		FROM customers c`)
	if err != nil {
		s.t.Fatal(err)
	}
	type want struct{ debt, open core.Money }
	wants := map[int64]want{}
	for rows.Next() {
		var id int64
		var w want
		if err := rows.Scan(&id, &w.debt, &w.open); err != nil {
			s.t.Fatal(err)
		}
		wants[id] = w
	}
	for id, w := range wants {
		bs, err := s.orders.Balances(ctx(), manager, id)
		if err != nil || len(bs) != 1 {
			s.t.Fatalf("balance %d: %v %v", id, bs, err)
		}
		b := bs[0]
		if b.Debt != w.debt || b.Debt != b.Invoiced-b.Paid || b.NotDue+b.Overdue() != w.open {
			s.t.Errorf("%s: customer %d: debt %d (documents say %d), invoiced %d - paid %d, aged %d (documents say %d)",
				where, id, b.Debt, w.debt, b.Invoiced, b.Paid, b.NotDue+b.Overdue(), w.open)
		}
	}
}
