package bot

import (
	"context"
	"strings"
	"testing"

	"github.com/orderbot/orderbot/core"
)

// TestStaff_PhoneOrderNewCustomerAndCreditLimit: a phone order for someone
// not yet a customer creates them; an order past a customer's credit limit
// is refused until the manager overrides it, which the history records.
func TestStaff_PhoneOrderNewCustomerAndCreditLimit(t *testing.T) {
	w := newWorld(t)
	w.product("HONEY-1", "Honey 500g", 1000, 30)
	w.product("HONEY-2", "Honey 1kg", 1800, 30)
	w.startStaff()
	mia := int64(managerID)

	w.say(mia, "/neworder", "Who is the customer?")
	w.say(mia, "Oleg, +7 900 123-45-67", "No customer matches")
	w.press(mia, "➕ New customer: Oleg, +7 900 123-45-67", "Phone order for Oleg (+7 900 123 45 67)")
	w.say(mia, "honey", "Several products match")
	w.press(mia, "Honey 1kg · 18.00 USD · free 30 · × 1", "Honey 1kg × 1")
	w.say(mia, "nothing-like-this 2", "No product matches")
	w.press(mia, "➡ Goods done", "Delivery address?")
	w.say(mia, "Lenina 5", "Promised delivery date?")
	w.say(mia, "yesterday", "is not a date")
	w.press(mia, "No date", "Payment terms?")
	w.press(mia, "Prepayment", "Check the order")
	w.press(mia, "✅ Place order", "is placed")
	found, err := w.svc.Customers.Find(context.Background(), core.System, "Oleg", 5)
	if err != nil || len(found) != 1 || found[0].Phone != "+79001234567" {
		t.Fatalf("new customer: %+v %v", found, err)
	}

	limit := core.Money(2000)
	vera, err := w.svc.Customers.Create(context.Background(), core.System, core.Customer{Name: "Vera", Phone: "+1 555 0199", CreditLimit: &limit, TermsDays: 30})
	if err != nil {
		t.Fatal(err)
	}
	w.say(mia, "/neworder", "Who is the customer?")
	w.say(mia, "0199", "Customers matching")
	w.press(mia, "👤 Vera · +1 555 0199", "Add goods") // stored +15550199, shown grouped
	w.say(mia, "HONEY-1 3", "Honey 500g × 3")
	w.press(mia, "➡ Goods done", "Delivery address?")
	w.press(mia, "No address (pickup)", "Promised delivery date?")
	w.press(mia, "In 3 days", "Payment terms?")
	w.press(mia, "30 days", "Check the order")
	w.press(mia, "✅ Place order", "exceed the credit limit")
	if n := len(w.orders()); n != 1 {
		t.Fatalf("an order past the limit was placed: %d orders", n)
	}
	w.press(mia, "⚠️ Override the limit and place", "is placed")
	orders, err := w.svc.Orders.List(context.Background(), core.System, core.OrderFilter{CustomerID: vera.ID})
	if err != nil || len(orders) != 1 || orders[0].Status != core.StatusInProgress {
		t.Fatalf("Vera's orders: %+v %v", orders, err)
	}
	events, err := w.svc.Orders.History(context.Background(), core.System, orders[0].ID)
	if err != nil || len(events) == 0 || !strings.Contains(events[0].Detail, "overridden") || events[0].Actor.Name != "Mia" {
		t.Fatalf("override not in the history: %+v %v", events, err)
	}
}

// TestStaff_CancelAndClose: Cancel and Close ask a reason and follow the
// core's rules: an order with shipments cannot be cancelled, only closed.
func TestStaff_CancelAndClose(t *testing.T) {
	w := newWorld(t)
	p := w.product("SOAP-1", "Soap", 250, 40)
	w.startStaff()
	bob := w.customer(1801, "Bob", "en")
	ctx := context.Background()
	place := func() *core.Order {
		o, err := w.svc.Orders.Place(ctx, core.System, core.PlaceOrder{CustomerID: bob.ID,
			Lines: []core.OrderLineInput{{ProductID: p.ID, Qty: 10}}, Confirmed: true})
		if err != nil {
			t.Fatal(err)
		}
		return o
	}
	a, b := place(), place()
	if _, _, err := w.svc.Orders.Ship(ctx, core.System, b.ID, b.Version, []core.QtyLine{{ProductID: p.ID, Qty: 4}}); err != nil {
		t.Fatal(err)
	}
	mia := int64(managerID)

	w.say(mia, a.Number, "Status: in progress")
	w.press(mia, "✖ Cancel order", "Why cancel order "+a.Number)
	w.say(mia, "Customer changed their mind", "cancelled: Customer changed their mind")
	w.await(fakeapiZero, 1801, "Customer changed their mind")

	cur := w.srv.Cursor()
	w.say(mia, "/order "+b.Number, "History of order "+b.Number)
	if card := w.await(cur, mia, "Status: in progress"); hasButton(card, "✖ Cancel order") || !hasButton(card, "🔒 Close") {
		t.Fatal("an order with shipments offers Cancel")
	}
	w.press(mia, "🔒 Close", "Why close order "+b.Number)
	w.say(mia, "Rest discontinued", "closed: Rest discontinued")
	if st := w.order(a.ID).Status; st != core.StatusCancelled {
		t.Fatalf("a: %s", st)
	}
	if ob := w.order(b.ID); ob.Status != core.StatusClosed || ob.Lines[0].Released != 6 {
		t.Fatalf("b: %+v", ob)
	}
	if st := w.stock(p); st.Reserved != 0 || st.OnHand != 36 {
		t.Fatalf("stock: %+v", st)
	}
}
