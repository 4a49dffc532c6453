package postgres_test

import (
	"fmt"
	"reflect"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/orderbot/orderbot/core"
)

// The reports as computed from the documents alone, the way they were before
// the open items existed: slow at scale, plainly right. checkReports holds
// the store's answers to them.

const refOverdueSQL = `
SELECT o.id, o.number, c.name, o.promised_on, $1::date - o.promised_on,
       sum(l.qty - l.shipped - l.released)::bigint, sum(line_gross(l.price, l.qty, l.discount, l.tax_rate, o.tax_included, l.qty - l.released)
       - line_gross(l.price, l.qty, l.discount, l.tax_rate, o.tax_included, l.shipped))::bigint
FROM orders o JOIN customers c ON c.id = o.customer_id JOIN order_lines l ON l.order_id = o.id
WHERE o.promised_on < $1::date AND o.confirmed_at IS NOT NULL AND o.closed_at IS NULL AND o.cancelled_at IS NULL
  AND o.fulfilment <> 'shipped'
GROUP BY o.id, c.name ORDER BY o.promised_on, o.id`

const refReceivablesSQL = `
WITH inv0 AS (
    SELECT i.id, i.customer_id, i.due_on, i.amount - coalesce((SELECT sum(n.amount) FROM credit_notes n WHERE n.invoice_id = i.id), 0) AS amount
    FROM invoices i WHERE NOT EXISTS (SELECT 1 FROM invoice_voids v WHERE v.invoice_id = i.id)
), inv AS (
    SELECT customer_id, amount, due_on, amount - coalesce((SELECT sum(amount) FROM allocations a WHERE a.invoice_id = inv0.id), 0) AS open
    FROM inv0
), debt AS (
    SELECT c.id, coalesce((SELECT sum(amount) FROM inv WHERE inv.customer_id = c.id), 0)
             - coalesce((SELECT sum(amount) FROM payments p WHERE p.customer_id = c.id
                         AND NOT EXISTS (SELECT 1 FROM payment_reversals r WHERE r.payment_id = p.id)), 0) AS debt
    FROM customers c
)
SELECT (SELECT coalesce(sum(debt), 0)::bigint FROM debt WHERE debt > 0), (SELECT count(*) FROM debt WHERE debt > 0),
       coalesce(sum(open) FILTER (WHERE $1::date - due_on BETWEEN 1 AND 30), 0)::bigint,
       coalesce(sum(open) FILTER (WHERE $1::date - due_on BETWEEN 31 AND 60), 0)::bigint,
       coalesce(sum(open) FILTER (WHERE $1::date - due_on BETWEEN 61 AND 90), 0)::bigint,
       coalesce(sum(open) FILTER (WHERE $1::date - due_on > 90), 0)::bigint
FROM inv WHERE open > 0`

const refWaitingSQL = `
SELECT count(DISTINCT o.id), coalesce(sum(line_gross(l.price, l.qty, l.discount, l.tax_rate, o.tax_included, l.qty - l.released)
       - line_gross(l.price, l.qty, l.discount, l.tax_rate, o.tax_included, l.shipped)), 0)::bigint
FROM orders o JOIN order_lines l ON l.order_id = o.id
WHERE o.confirmed_at IS NOT NULL AND o.closed_at IS NULL AND o.cancelled_at IS NULL AND o.fulfilment <> 'shipped'`

const refOpenInvoicesSQL = `
WITH inv AS (
    SELECT i.id, i.due_on, i.amount - coalesce((SELECT sum(n.amount) FROM credit_notes n WHERE n.invoice_id = i.id), 0)
           - coalesce((SELECT sum(amount) FROM allocations a WHERE a.invoice_id = i.id), 0) AS open
    FROM invoices i WHERE NOT EXISTS (SELECT 1 FROM invoice_voids v WHERE v.invoice_id = i.id))
SELECT id, open::bigint FROM inv WHERE open > 0 ORDER BY due_on, id`

// checkReports compares what the jobs and staff lists read with the same
// answers computed from the documents. It must run while nothing changes.
func (s *shop) checkReports(where string) {
	s.t.Helper()
	today := dateOnly(s.clock.Now())
	fail := func(what string, got, want any) {
		s.t.Helper()
		if !reflect.DeepEqual(got, want) {
			s.t.Errorf("%s: %s:\n got %+v\nwant %+v", where, what, got, want)
		}
	}
	list, total, err := s.db.OverdueShipments(ctx(), today, 1000)
	if err != nil {
		s.t.Fatal(err)
	}
	want := s.refRows(refOverdueSQL, today)
	got := make([][]any, len(list))
	for i, o := range list {
		got[i] = []any{o.OrderID, o.Number, o.Customer, o.PromisedOn.Format(time.DateOnly), int64(o.DaysLate), o.Outstanding, int64(o.Value)}
	}
	fail("overdue shipments", got, want)
	fail("overdue count", total, len(want))

	sum, err := s.db.DaySummary(ctx(), core.SummaryQuery{Day: today, From: today, To: today.AddDate(0, 0, 1), Today: today,
		TimeZone: "UTC", LowStock: 5, Days: 14, Top: 5})
	if err != nil {
		s.t.Fatal(err)
	}
	r := s.refRows(refReceivablesSQL, today)[0]
	fail("receivables and ageing", []any{int64(sum.Receivables), int64(sum.Debtors), int64(sum.Ageing[0]), int64(sum.Ageing[1]),
		int64(sum.Ageing[2]), int64(sum.Ageing[3])}, r)
	w := s.refRows(refWaitingSQL)[0]
	fail("waiting", []any{int64(sum.Waiting), int64(sum.WaitingValue)}, w)

	invs, err := s.db.Invoices(ctx(), core.InvoiceFilter{OpenOnly: true})
	if err != nil {
		s.t.Fatal(err)
	}
	got = make([][]any, len(invs))
	for i, inv := range invs {
		got[i] = []any{inv.ID, int64(inv.Open())}
	}
	fail("open invoices", got, s.refRows(refOpenInvoicesSQL))
}

// refRows runs a reference query; dates come back as strings.
func (s *shop) refRows(sql string, args ...any) [][]any {
	s.t.Helper()
	rows, err := s.db.Pool().Query(ctx(), sql, args...)
	if err != nil {
		s.t.Fatalf("%v\n%s", err, sql)
	}
	vals, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) ([]any, error) {
		v, err := r.Values()
		for i, x := range v {
			switch x := x.(type) {
			case time.Time:
				v[i] = x.Format(time.DateOnly)
			case int32:
				v[i] = int64(x)
			case fmt.Stringer:
				v[i] = x.String()
			}
		}
		return v, err
	})
	if err != nil {
		s.t.Fatal(err)
	}
	if vals == nil {
		vals = [][]any{}
	}
	return vals
}

func dateOnly(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}
