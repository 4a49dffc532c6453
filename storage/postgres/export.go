package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/orderbot/orderbot/core"
)

// Exports stream from one read-only snapshot: rows go to the caller as
// Postgres sends them, so an export of millions of orders holds one row in
// memory at a time. $1 and $2 are the period's ends (NULL: open), as
// instants for orders and lines, as dates for documents.

// exportSQL is, per kind, the rows (FROM ... WHERE, shared with the count)
// and what each row selects, in the order of core.ExportColumns.
var exportSQL = map[core.ExportKind]struct{ from, cols, order string }{
	core.ExportOrders: {
		from: ` FROM orders o JOIN customers c ON c.id = o.customer_id
			LEFT JOIN (SELECT order_id, sum(awaited) AS awaited, max(expected_on) AS expected_on FROM order_lines
			           WHERE awaited > 0 GROUP BY order_id) w ON w.order_id = o.id
			WHERE ($1::timestamptz IS NULL OR o.created_at >= $1) AND ($2::timestamptz IS NULL OR o.created_at < $2)`,
		cols: `o.number, o.created_at, o.customer_id, c.name, o.phone, o.status, o.fulfilment, o.payment, o.total, o.due,
			o.invoiced, o.paid, greatest(o.due - o.paid, 0), coalesce(w.awaited, 0), w.expected_on, o.currency::text,
			o.confirmed_at, o.closed_at, o.cancelled_at, o.close_reason, o.promised_on, o.address, o.comment`,
		order: `o.id`,
	},
	core.ExportLines: {
		from: ` FROM order_lines l JOIN orders o ON o.id = l.order_id JOIN customers c ON c.id = o.customer_id
			WHERE ($1::timestamptz IS NULL OR o.created_at >= $1) AND ($2::timestamptz IS NULL OR o.created_at < $2)`,
		cols: `o.number, (o.created_at AT TIME ZONE $3)::date, o.customer_id, c.name, l.line_no::bigint, l.sku, l.name,
			l.unit, l.qty, l.price, l.discount, l.qty * l.price - l.discount, l.tax_rate::bigint,
			mul_div_round(l.qty * l.price - l.discount, l.tax_rate, CASE WHEN o.tax_included THEN 10000 + l.tax_rate ELSE 10000 END),
			line_gross(l.price, l.qty, l.discount, l.tax_rate, o.tax_included, l.qty), l.shipped, l.returned, l.released, l.awaited, l.invoiced,
			l.expected_on, o.status`,
		order: `l.order_id, l.line_no`,
	},
	core.ExportInvoices: {
		from: ` FROM (
			SELECT 'invoice' AS type, i.number, i.issued_on, i.due_on, o.number AS order_number, i.customer_id, c.name,
			       i.basis, i.amount, coalesce(cr.s, 0) AS credited, coalesce(al.s, 0) AS paid,
			       CASE WHEN v.invoice_id IS NULL THEN i.amount - coalesce(cr.s, 0) - coalesce(al.s, 0) ELSE 0 END AS open,
			       v.invoice_id IS NOT NULL AS void, coalesce(v.reason, '') AS void_reason, '' AS credits_invoice,
			       '' AS reason, i.currency::text AS currency, 0 AS k, i.id
			FROM invoices i JOIN orders o ON o.id = i.order_id JOIN customers c ON c.id = i.customer_id
			LEFT JOIN invoice_voids v ON v.invoice_id = i.id
			LEFT JOIN (SELECT invoice_id, sum(amount) AS s FROM credit_notes GROUP BY invoice_id) cr ON cr.invoice_id = i.id
			LEFT JOIN (SELECT invoice_id, sum(amount) AS s FROM allocations WHERE invoice_id IS NOT NULL GROUP BY invoice_id) al
			  ON al.invoice_id = i.id
			UNION ALL
			SELECT 'credit_note', n.number, n.issued_on, NULL, o.number, n.customer_id, c.name, '', -n.amount, 0, 0, 0,
			       false, '', i.number, n.reason, n.currency::text, 1, n.id
			FROM credit_notes n JOIN invoices i ON i.id = n.invoice_id JOIN orders o ON o.id = n.order_id
			JOIN customers c ON c.id = n.customer_id
		) x WHERE ($1::date IS NULL OR x.issued_on >= $1) AND ($2::date IS NULL OR x.issued_on <= $2)`,
		cols: `x.type, x.number, x.issued_on, x.due_on, x.order_number, x.customer_id, x.name, x.basis, x.amount,
			x.credited, x.paid, x.open, x.void, x.void_reason, x.credits_invoice, x.reason, x.currency`,
		order: `x.issued_on, x.k, x.id`,
	},
	core.ExportPayments: {
		from: ` FROM payments p JOIN customers c ON c.id = p.customer_id LEFT JOIN orders o ON o.id = p.order_id
			LEFT JOIN payment_reversals r ON r.payment_id = p.id
			LEFT JOIN (SELECT payment_id, sum(amount) AS s FROM allocations GROUP BY payment_id) a ON a.payment_id = p.id
			WHERE ($1::date IS NULL OR p.received_on >= $1) AND ($2::date IS NULL OR p.received_on <= $2)`,
		cols: `'P-' || p.id, p.received_on, p.customer_id, c.name, coalesce(o.number, ''), p.amount, p.method,
			p.reference, coalesce(a.s, 0), CASE WHEN r.payment_id IS NULL THEN p.amount - coalesce(a.s, 0) ELSE 0 END,
			r.payment_id IS NOT NULL, coalesce(r.reason, ''), p.currency::text, p.actor_name`,
		order: `p.received_on, p.id`,
	},
	core.ExportDebts: {
		from: ` FROM (` + balancesSQL + `) b JOIN customers c ON c.id = b.id`,
		cols: `b.id, b.name, b.phone, b.invoiced, b.paid, b.invoiced - b.paid, b.not_due, b.o30, b.o60, b.o90, b.o90plus,
			b.oldest_due, b.credit_limit, c.terms_days::bigint`,
		order: `b.id`,
	},
}

// exportArgs are the query's parameters for a filter.
func exportArgs(k core.ExportKind, f core.ExportFilter) []any {
	loc := f.Location
	if loc == nil {
		loc = time.UTC
	}
	switch k {
	case core.ExportOrders, core.ExportLines:
		var from, to *time.Time
		if f.From != nil {
			t := time.Date(f.From.Year(), f.From.Month(), f.From.Day(), 0, 0, 0, 0, loc)
			from = &t
		}
		if f.To != nil {
			t := time.Date(f.To.Year(), f.To.Month(), f.To.Day()+1, 0, 0, 0, 0, loc)
			to = &t
		}
		args := []any{from, to}
		if k == core.ExportLines {
			args = append(args, loc.String())
		}
		return args
	case core.ExportDebts:
		// balancesSQL takes the ageing date and a customer (0: all).
		return []any{f.To, int64(0)}
	}
	return []any{f.From, f.To}
}

// CountExport counts the rows an export will have.
func (db *DB) CountExport(ctx context.Context, k core.ExportKind, f core.ExportFilter) (int64, error) {
	q, ok := exportSQL[k]
	if !ok {
		return 0, core.Errorf(core.ErrInvalid, "unknown export %q", k)
	}
	args := exportArgs(k, f)
	if k == core.ExportLines {
		args = args[:2]
	}
	var n int64
	err := db.pool.QueryRow(ctx, `SELECT count(*)`+q.from, args...).Scan(&n)
	return n, interpretError(err)
}

// ExportRows hands each row of the export to fn as Postgres sends it, from
// one read-only repeatable-read snapshot.
func (db *DB) ExportRows(ctx context.Context, k core.ExportKind, f core.ExportFilter, fn func(row []any) error) error {
	q, ok := exportSQL[k]
	if !ok {
		return core.Errorf(core.ErrInvalid, "unknown export %q", k)
	}
	cols := core.ExportColumns(k)
	err := pgx.BeginTxFunc(ctx, db.pool, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly}, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `SELECT `+q.cols+q.from+` ORDER BY `+q.order, exportArgs(k, f)...)
		if err != nil {
			return err
		}
		defer rows.Close()
		dest := make([]any, len(cols))
		for i, c := range cols {
			dest[i] = scanTarget(c.Type)
		}
		row := make([]any, len(cols))
		for rows.Next() {
			if err := rows.Scan(dest...); err != nil {
				return err
			}
			for i, c := range cols {
				row[i] = exportValue(c.Type, dest[i])
			}
			if err := fn(row); err != nil {
				return err
			}
		}
		return rows.Err()
	})
	if err != nil {
		return fmt.Errorf("export %s: %w", k, interpretError(err))
	}
	return nil
}

func scanTarget(t core.ColType) any {
	switch t {
	case core.ColInt, core.ColMoney, core.ColRate:
		return new(*int64)
	case core.ColDate, core.ColTime:
		return new(*time.Time)
	case core.ColBool:
		return new(*bool)
	}
	return new(*string)
}

// exportValue turns a scanned column into the value core's writers take:
// int64, core.Money, time.Time, bool, string, or nil for NULL.
func exportValue(t core.ColType, p any) any {
	switch v := p.(type) {
	case **int64:
		if *v == nil {
			return nil
		}
		if t == core.ColMoney {
			return core.Money(**v)
		}
		return **v
	case **time.Time:
		if *v == nil {
			return nil
		}
		return **v
	case **bool:
		if *v == nil {
			return nil
		}
		return **v
	case **string:
		if *v == nil {
			return nil
		}
		return **v
	}
	return nil
}
