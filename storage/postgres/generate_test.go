package postgres_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/orderbot/orderbot/core"
	"github.com/orderbot/orderbot/storage/postgres"
)

// TestGenerate_HistoryKeepsEveryInvariant: a generated history is one the
// use cases could have left: every invariant holds, every side table equals
// its recomputation from the documents, allocations are what core.Allocate
// makes of each customer's documents, the reports agree with the documents,
// and every state a shop sees occurs. A second run refuses the filled
// database and changes nothing.
func TestGenerate_HistoryKeepsEveryInvariant(t *testing.T) {
	s := newShop(t)
	opt := postgres.GenerateOptions{Orders: 6000, Customers: 90, Products: 40, Seed: 11, Now: s.clock.Now(), Days: 240}
	res, err := s.db.Generate(ctx(), opt)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%+v", *res)
	s.checkInvariants("generated", true)
	s.checkReports("generated")
	s.checkAllocations("generated")
	for what, q := range map[string]string{
		"orders in every status":  `SELECT count(DISTINCT status) = 6 FROM orders`,
		"partly shipped orders":   `SELECT EXISTS (SELECT 1 FROM orders WHERE fulfilment = 'partly_shipped')`,
		"partly paid orders":      `SELECT EXISTS (SELECT 1 FROM orders WHERE payment = 'partly_paid')`,
		"void invoices":           `SELECT EXISTS (SELECT 1 FROM invoice_voids)`,
		"overdue invoices":        `SELECT EXISTS (SELECT 1 FROM open_invoices WHERE due_on < '2026-03-10')`,
		"reminders sent":          `SELECT EXISTS (SELECT 1 FROM invoice_reminders)`,
		"reminders due today":     `SELECT EXISTS (SELECT 1 FROM open_invoices WHERE next_remind_on <= '2026-03-10')`,
		"late shipments":          `SELECT EXISTS (SELECT 1 FROM awaiting_orders WHERE promised_on < '2026-03-10')`,
		"low stock":               `SELECT EXISTS (SELECT 1 FROM stock WHERE on_hand - reserved <= 5)`,
		"customers off Telegram":  `SELECT EXISTS (SELECT 1 FROM customers WHERE telegram_id IS NULL)`,
		"orders placed yesterday": `SELECT count(*) > 5 FROM orders WHERE created_at >= '2026-03-09' AND created_at < '2026-03-10'`,
		"nothing queued to send":  `SELECT NOT EXISTS (SELECT 1 FROM order_event_queue)`,
	} {
		var ok bool
		if err := s.db.Pool().QueryRow(ctx(), q).Scan(&ok); err != nil || !ok {
			t.Errorf("%s: %v %v", what, ok, err)
		}
	}
	_, err = s.db.Generate(ctx(), opt)
	if !errors.Is(err, core.ErrConflict) || !strings.Contains(err.Error(), "not empty") {
		t.Fatalf("second generate: %v", err)
	}
	// the live code carries on from the generated ids and numbers
	c := must[*core.Customer](t)(s.db.Customer(ctx(), 1))
	p := must[*core.Product](t)(s.db.Product(ctx(), 1))
	s.receive(p, 10)
	o := s.place(c, true, line(*p, 1))
	if o.ID != int64(opt.Orders+1) {
		t.Errorf("new order id %d after %d generated", o.ID, opt.Orders)
	}
	if _, _, err := s.orders.Ship(ctx(), manager, o.ID, 0, nil); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.orders.IssueInvoice(ctx(), manager, o.ID, 0, core.BillShipped); err != nil {
		t.Fatal(err)
	}
	s.checkInvariants("after live changes", true)
}

// diff lists what a has and b lacks, counting repeats.
func diff(a, b []string) []string {
	n := map[string]int{}
	for _, x := range b {
		n[x]++
	}
	var out []string
	for _, x := range a {
		if n[x] > 0 {
			n[x]--
			continue
		}
		out = append(out, x)
	}
	slices.Sort(out)
	return out
}

func (s *shop) receive(p *core.Product, qty int64) {
	s.t.Helper()
	if _, err := s.catalog.Receive(ctx(), manager, p.ID, qty, "delivery"); err != nil {
		s.t.Fatal(err)
	}
}

// checkAllocations recomputes every customer's allocations from their
// documents with core.Allocate and compares them with the stored ones.
func (s *shop) checkAllocations(where string) {
	s.t.Helper()
	ids := s.refRows(`SELECT id FROM customers ORDER BY id`)
	for _, row := range ids {
		id := row[0].(int64)
		var want []string
		err := s.db.InTx(ctx(), func(ctx context.Context, tx core.Tx) error {
			b, err := tx.Billing(ctx, id)
			if err != nil {
				return err
			}
			as, _ := core.Allocate(b)
			for _, a := range as {
				want = append(want, fmt.Sprint(a.PaymentID, a.InvoiceID, a.OrderID, int64(a.Amount)))
			}
			return nil
		})
		if err != nil {
			s.t.Fatal(err)
		}
		var got []string
		for _, r := range s.refRows(`SELECT payment_id, coalesce(invoice_id, 0), order_id, amount FROM allocations WHERE customer_id = $1`, id) {
			got = append(got, fmt.Sprint(r...))
		}
		if extra, missing := diff(got, want), diff(want, got); len(extra)+len(missing) > 0 {
			s.t.Errorf("%s: customer %d: allocations (payment invoice order amount) stored but not made by core.Allocate %v, "+
				"made but not stored %v", where, id, extra[:min(len(extra), 5)], missing[:min(len(missing), 5)])
		}
	}
}
