package postgres_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/orderbot/orderbot/core"
)

// openItemQueries recompute each side table of migration 010 from the
// documents and return the rows where the table and the recomputation
// differ (each query is a symmetric difference; empty means exact).
var openItemQueries = map[string]string{
	"open_invoices": `
		WITH want AS (
		    SELECT i.id, i.customer_id, i.number, o.number AS order_number, i.issued_on, i.due_on,
		           (i.amount - coalesce(n.s, 0) - coalesce(a.s, 0))::bigint AS open, r.last,
		           next_remind_on(i.due_on, i.issued_on, r.last, (SELECT levels FROM reminder_levels)) AS next
		    FROM invoices i JOIN orders o ON o.id = i.order_id
		    LEFT JOIN (SELECT invoice_id, sum(amount) AS s FROM allocations GROUP BY invoice_id) a ON a.invoice_id = i.id
		    LEFT JOIN (SELECT invoice_id, sum(amount) AS s FROM credit_notes GROUP BY invoice_id) n ON n.invoice_id = i.id
		    LEFT JOIN (SELECT invoice_id, max(level) AS last FROM invoice_reminders GROUP BY invoice_id) r ON r.invoice_id = i.id
		    WHERE NOT EXISTS (SELECT 1 FROM invoice_voids v WHERE v.invoice_id = i.id) AND i.amount - coalesce(n.s, 0) > coalesce(a.s, 0)
		), have AS (
		    SELECT invoice_id, customer_id, number, order_number, issued_on, due_on, open, last_level, next_remind_on
		    FROM open_invoices
		)
		(SELECT 'missing or different', * FROM want EXCEPT SELECT 'missing or different', * FROM have)
		UNION ALL
		(SELECT 'extra or different', * FROM have EXCEPT SELECT 'extra or different', * FROM want)`,
	"customer_balances": `
		WITH want AS (
		    SELECT c.id,
		           coalesce((SELECT sum(i.amount) FROM invoices i WHERE i.customer_id = c.id
		                     AND NOT EXISTS (SELECT 1 FROM invoice_voids v WHERE v.invoice_id = i.id)), 0)
		           - coalesce((SELECT sum(n.amount) FROM credit_notes n WHERE n.customer_id = c.id
		                     AND NOT EXISTS (SELECT 1 FROM invoice_voids v WHERE v.invoice_id = n.invoice_id)), 0) AS invoiced,
		           coalesce((SELECT sum(p.amount) FROM payments p WHERE p.customer_id = c.id
		                     AND NOT EXISTS (SELECT 1 FROM payment_reversals r WHERE r.payment_id = p.id)), 0) AS paid
		    FROM customers c
		), have AS (
		    SELECT c.id, coalesce(b.invoiced, 0), coalesce(b.paid, 0)
		    FROM customers c LEFT JOIN customer_balances b ON b.customer_id = c.id
		)
		(SELECT 'want', * FROM want EXCEPT SELECT 'want', * FROM have)
		UNION ALL
		(SELECT 'have', * FROM have EXCEPT SELECT 'have', * FROM want)
		UNION ALL
		SELECT 'orphan', customer_id, invoiced, paid FROM customer_balances
		WHERE customer_id NOT IN (SELECT id FROM customers)`,
	"awaiting_orders": `
		WITH want AS (
		    SELECT o.id, o.customer_id, o.created_at, o.promised_on,
		           sum(l.qty - l.shipped - l.released) AS outstanding, sum(line_gross(l.price, l.qty, l.discount, l.tax_rate, o.tax_included, l.qty - l.released)
		           - line_gross(l.price, l.qty, l.discount, l.tax_rate, o.tax_included, l.shipped)) AS value,
		           sum(l.awaited) AS awaited
		    FROM orders o JOIN order_lines l ON l.order_id = o.id
		    WHERE o.confirmed_at IS NOT NULL AND o.closed_at IS NULL AND o.cancelled_at IS NULL AND o.fulfilment <> 'shipped'
		    GROUP BY o.id
		), have AS (
		    SELECT order_id, customer_id, created_at, promised_on, outstanding, value, awaited FROM awaiting_orders
		)
		(SELECT 'missing or different', * FROM want EXCEPT SELECT 'missing or different', * FROM have)
		UNION ALL
		(SELECT 'extra or different', * FROM have EXCEPT SELECT 'extra or different', * FROM want)`,
}

// checkOpenItems compares every side table with its recomputation from the
// documents, in one snapshot.
func checkOpenItems(t testing.TB, pool interface {
	BeginTx(context.Context, pgx.TxOptions) (pgx.Tx, error)
}, where string) {
	t.Helper()
	err := pgx.BeginTxFunc(context.Background(), pool, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly},
		func(tx pgx.Tx) error {
			for name, q := range openItemQueries {
				rows, err := tx.Query(context.Background(), q)
				if err != nil {
					return fmt.Errorf("%s: %w", name, err)
				}
				vals, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) ([]any, error) { return r.Values() })
				if err != nil {
					return fmt.Errorf("%s: %w", name, err)
				}
				if len(vals) > 0 {
					t.Errorf("%s: %s differs from the documents in %d rows, first %v", where, name, len(vals), vals[:min(len(vals), 5)])
				}
			}
			return nil
		})
	if err != nil {
		t.Fatalf("%s: %v", where, err)
	}
}

// TestOpenItems_MatchDocumentsAfterRandomRun: orders of every kind change at
// random and concurrently while reminders go out and the reminder policy
// changes; after each phase every side table equals its recomputation from
// the documents, and the jobs' answers equal those computed from the
// documents directly.
func TestOpenItems_MatchDocumentsAfterRandomRun(t *testing.T) {
	s := newShop(t)
	var products []core.Product
	for i := range 5 {
		products = append(products, s.product(fmt.Sprintf("SKU-%d", i), core.Money(100*(i+1)), int64(500+i*50)))
	}
	products = append(products, s.supply(s.product("MADE", 350, 3), core.SupplyToOrder, 7))
	var customers []*core.Customer
	for i := range 8 {
		customers = append(customers, s.customer(fmt.Sprintf("Customer %d", i), []int{0, 7, 30}[i%3]))
	}
	r := &randomRun{s: s, products: products, customers: customers}
	policies := []core.ReminderPolicy{core.DefaultReminderPolicy, {Before: 2, After: []int{1, 5}}, {After: []int{10}}}
	phases, workers, ops := 4, 6, 40
	if testing.Short() {
		phases, ops = 2, 20
	}
	for phase := range phases {
		policy := policies[phase%len(policies)]
		var wg sync.WaitGroup
		for w := range workers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				rng := rand.New(rand.NewPCG(uint64(phase), uint64(w)))
				for range ops {
					r.billingStep(rng)
				}
			}()
		}
		wg.Add(1)
		go func() { // reminders while the orders change
			defer wg.Done()
			for range 3 {
				s.remind(policy)
			}
		}()
		wg.Wait()
		s.remind(policy)
		where := fmt.Sprintf("after phase %d", phase)
		checkOpenItems(t, s.db.Pool(), where)
		s.checkInvariants(where, true)
		s.checkReports(where)
		s.clock.Advance(time.Duration(3+phase*4) * 24 * time.Hour)
	}
	if r.ok.Load() < int64(phases*workers*ops/4) {
		t.Errorf("only %d operations succeeded; the run proves little", r.ok.Load())
	}
	var reminded, open, awaiting int
	if err := s.db.Pool().QueryRow(ctx(), `SELECT (SELECT count(*) FROM invoice_reminders), (SELECT count(*) FROM open_invoices),
		(SELECT count(*) FROM awaiting_orders)`).Scan(&reminded, &open, &awaiting); err != nil {
		t.Fatal(err)
	}
	t.Logf("%d operations ok, %d refused; %d reminder levels recorded, %d invoices open, %d orders awaiting",
		r.ok.Load(), r.refused.Load(), reminded, open, awaiting)
	if reminded == 0 || open == 0 || awaiting == 0 {
		t.Error("the run left a side table empty; it proves little")
	}
}

// billingStep is randomRun.step weighted towards invoices left open: more
// invoices, fewer and smaller payments.
func (r *randomRun) billingStep(rng *rand.Rand) {
	s := r.s
	o := r.someOrder(rng)
	var err error
	switch n := rng.IntN(100); {
	case n < 22 || o == nil:
		err = r.place(rng)
	case n < 36:
		_, err = s.orders.Confirm(ctx(), manager, o.ID, 0)
	case n < 52:
		err = r.shipPart(rng, o)
	case n < 72:
		basis := []core.InvoiceBasis{"", core.BillOrdered, core.BillShipped}[rng.IntN(3)]
		_, _, err = s.orders.IssueInvoice(ctx(), manager, o.ID, 0, basis)
	case n < 82:
		in := core.PaymentInput{CustomerID: o.CustomerID, Amount: core.Money(1 + rng.IntN(400)), Method: core.PayCash}
		if rng.IntN(2) == 0 {
			in.OrderID = o.ID
		}
		_, err = s.orders.RecordPayment(ctx(), manager, in)
	case n < 85:
		_, err = s.orders.Cancel(ctx(), manager, o.ID, 0, "random")
	case n < 87:
		_, err = s.orders.Close(ctx(), manager, o.ID, 0, "random close")
	case n < 89:
		err = r.returnSome(o)
	case n < 91:
		err = r.returnGoods(rng, o)
	case n < 93:
		err = r.edit(rng, o)
	case n < 94:
		_, err = s.catalog.Receive(ctx(), manager, r.products[len(r.products)-1].ID, int64(1+rng.IntN(4)), "made")
	case n < 96:
		err = r.voidSome(o)
	default:
		err = r.reverseSome(o)
	}
	r.count(err)
}

// remind runs the payment reminders of the day under a policy.
func (s *shop) remind(p core.ReminderPolicy) {
	s.t.Helper()
	d := core.Deps{Store: s.db, Currency: core.MustCurrency("USD"), Now: s.clock.Now}
	rem, err := core.NewReminders(d, s.db, core.NewStaff(d, s.db, []int64{900}, nil), p)
	if err != nil {
		s.t.Fatal(err)
	}
	today := s.clock.Now()
	hours := [2]time.Time{today.Add(-time.Hour), today.Add(8 * time.Hour)}
	if _, err := rem.Send(ctx(), hours, today.Format(time.RFC3339Nano)); err != nil {
		s.t.Errorf("reminders: %v", err)
	}
}
