package bot

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/orderbot/orderbot/core"
)

// billedAgo places, ships and invoices an order for a customer as if it
// happened days ago, through the core with a clock set back.
func (w *world) billedAgo(c *core.Customer, p core.Product, qty int64, days int) *core.Invoice {
	w.t.Helper()
	ctx := context.Background()
	then := core.NewOrders(core.Deps{Store: w.db, Holds: w.cache.Carts(), Currency: core.MustCurrency("USD"),
		Now: func() time.Time { return time.Now().AddDate(0, 0, -days) }})
	o, err := then.Place(ctx, core.System, core.PlaceOrder{CustomerID: c.ID, Lines: []core.OrderLineInput{{ProductID: p.ID, Qty: qty}}, Confirmed: true})
	if err != nil {
		w.t.Fatal(err)
	}
	if _, o, err = then.Ship(ctx, core.System, o.ID, o.Version, nil); err != nil {
		w.t.Fatal(err)
	}
	inv, _, err := then.IssueInvoice(ctx, core.System, o.ID, o.Version, "")
	if err != nil {
		w.t.Fatal(err)
	}
	return inv
}

func (w *world) phoneCustomer(name string, terms int) *core.Customer {
	w.t.Helper()
	c, err := w.svc.Customers.Create(context.Background(), core.System, core.Customer{Name: name, TermsDays: terms})
	if err != nil {
		w.t.Fatal(err)
	}
	return c
}

// TestStaff_DebtsWithAgeing: /debts puts overdue customers first and sums
// what is owed by age; a customer's card shows the ledger; /unpaid flags
// overdue invoices.
func TestStaff_DebtsWithAgeing(t *testing.T) {
	w := newWorld(t)
	p := w.product("RICE-5", "Rice 5kg", 900, 100)
	w.startStaff()
	carol, dave, erin := w.phoneCustomer("Carol", 7), w.phoneCustomer("Dave", 30), w.phoneCustomer("Erin", 0)
	old := w.billedAgo(carol, p, 1, 45) // due 38 days ago: 31-60
	w.billedAgo(dave, p, 3, 0)          // not due for 30 days
	w.billedAgo(erin, p, 2, 10)         // due 10 days ago: 1-30
	if _, err := w.svc.Orders.RecordPayment(context.Background(), core.System,
		core.PaymentInput{CustomerID: erin.ID, Amount: 500, Method: core.PayCash}); err != nil {
		t.Fatal(err)
	}
	mia := int64(managerID)

	m := w.say(mia, "/debts", "Debts")
	for _, want := range []string{"owed 49.00 USD · overdue 22.00 USD",
		"Not due 27.00 USD · 1–30 days 13.00 USD · 31–60 9.00 USD · 61–90 0.00 USD · over 90 0.00 USD",
		"Erin owes 13.00 USD · ⚠️ overdue 13.00 USD", "Carol owes 9.00 USD · ⚠️ overdue 9.00 USD", "Dave owes 27.00 USD"} {
		if !strings.Contains(m.PlainText, want) {
			t.Errorf("/debts lacks %q:\n%s", want, m.PlainText)
		}
	}
	erinAt, carolAt, daveAt := strings.Index(m.PlainText, "Erin"), strings.Index(m.PlainText, "Carol"), strings.Index(m.PlainText, "Dave")
	if !(erinAt < carolAt && carolAt < daveAt) {
		t.Errorf("not overdue first:\n%s", m.PlainText)
	}
	led := w.press(mia, "Carol · 9.00 USD", "terms 7 days")
	for _, want := range []string{"Invoiced 9.00 USD · paid 0.00 USD · owes 9.00 USD", "31–60 9.00 USD",
		old.Number + " (order " + old.OrderNumber + ") · 9.00 USD", "9.00 USD to pay, overdue"} {
		if !strings.Contains(led.PlainText, want) {
			t.Errorf("Carol's card lacks %q:\n%s", want, led.PlainText)
		}
	}
	w.press(mia, "⬅ Debts", "owed 49.00 USD")
	w.press(mia, "Erin · 13.00 USD", "payment, Cash · 5.00 USD")

	m = w.say(mia, "/unpaid", "Unpaid invoices")
	if !strings.Contains(m.PlainText, old.Number+" · order "+old.OrderNumber+" · Carol · 9.00 USD open of 9.00 USD") ||
		!strings.Contains(m.PlainText, "38 days overdue") {
		t.Fatalf("/unpaid:\n%s", m.PlainText)
	}
	if !hasButton(m, "💳 "+old.Number+" · 9.00 USD") {
		t.Fatalf("/unpaid has no payment button: %v", m.InlineKeyboard)
	}
}
