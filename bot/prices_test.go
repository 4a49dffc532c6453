package bot

import (
	"strings"
	"testing"

	"github.com/orderbot/orderbot/core"
)

// A wholesale customer sees their list's price in the catalog, the breaks
// on the product card, the break's price in the cart and the summary (with
// the delivery line), and the order fixes it; a customer without a list
// sees and pays the catalog price for the same goods.
func TestPrices_CustomerSeesOwnPrice(t *testing.T) {
	w := newWorld(t, withPricing(core.Pricing{DeliveryFee: 700}))
	nut := w.product("NUT-1", "Steel nut", 500, 100)
	rows, err := core.ParsePriceList(strings.NewReader("list,sku,price,min_qty\nwholesale,NUT-1,4.50,1\nwholesale,NUT-1,4.10,10\n"), core.MustCurrency("USD"))
	if err != nil {
		t.Fatal(err)
	}
	staff := core.Actor{Role: core.RoleManager, UserID: managerID}
	if _, err := w.svc.Catalog.ImportPrices(w.ctx(), staff, rows, false); err != nil {
		t.Fatal(err)
	}
	alice, bob := w.user(1101, "Alice", "en"), w.user(1102, "Bob", "en")
	w.say(alice, "/start", "Hello, Alice")
	w.say(bob, "/start", "Hello, Bob")
	ca, err := w.db.CustomerByTelegram(w.ctx(), alice)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.svc.Customers.SetPriceList(w.ctx(), staff, ca.ID, "wholesale"); err != nil {
		t.Fatal(err)
	}

	w.say(alice, "/catalog", "Steel nut")
	if m := w.press(alice, "Steel nut · 4.50 USD", "SKU: NUT-1"); !strings.Contains(m.PlainText, "from 10") || !strings.Contains(m.PlainText, "4.10 USD") {
		t.Errorf("Alice does not see her break: %q", m.PlainText)
	}
	w.say(bob, "/catalog", "Steel nut")
	if m := w.press(bob, "Steel nut · 5.00 USD", "SKU: NUT-1"); strings.Contains(m.PlainText, "from 10") {
		t.Errorf("Bob sees Alice's breaks: %q", m.PlainText)
	}

	for _, c := range []struct {
		user  int64
		price core.Money
		total string
	}{{alice, 410, "48.00 USD"}, {bob, 500, "57.00 USD"}} {
		cust, err := w.db.CustomerByTelegram(w.ctx(), c.user)
		if err != nil {
			t.Fatal(err)
		}
		actor := core.Actor{Role: core.RoleCustomer, UserID: c.user, CustomerID: cust.ID}
		if _, err := w.svc.Shopping.SetQty(w.ctx(), actor, nut.ID, 10); err != nil {
			t.Fatal(err)
		}
		m := w.say(c.user, "/cart", "Your cart")
		if !strings.Contains(m.PlainText, c.total) || !strings.Contains(m.PlainText, "Delivery: 7.00 USD") {
			t.Errorf("cart of %d: %q, want %s with delivery", c.user, m.PlainText, c.total)
		}
		w.press(c.user, "✅ Check out", "Where should we deliver?")
		w.say(c.user, "1 Dock Road", "Your phone number")
		cur := w.srv.Cursor()
		if _, err := w.srv.ShareContact(c.user, "+15550111", c.user); err != nil {
			t.Fatal(err)
		}
		if sum := w.await(cur, c.user, "Please check your order"); !strings.Contains(sum.PlainText, c.total) {
			t.Errorf("summary of %d: %q, want %s", c.user, sum.PlainText, c.total)
		}
		w.press(c.user, "✅ Place order", "The goods are reserved")
		os, err := w.svc.Orders.List(w.ctx(), actor, core.OrderFilter{CustomerID: cust.ID})
		if err != nil || len(os) != 1 || os[0].Lines[0].Price != c.price || os[0].Delivery != 700 {
			t.Fatalf("order of %d: %v %+v", c.user, err, os)
		}
	}
}

// A manager gives a discount and changes the delivery charge from the
// order's card, each typed with a reason; a typo is told and changes
// nothing; the reasons are on the order's history and the customer hears
// of the change. A customer forging the buttons is refused (see
// TestStaff_CustomerForgesEveryStaffCallback).
func TestPrices_StaffDiscountAndDelivery(t *testing.T) {
	w := newWorld(t, withPricing(core.Pricing{DeliveryFee: 500}))
	p := w.product("OIL-1", "Olive oil", 1000, 20)
	w.startStaff()
	carl := w.customer(1201, "Carl", "en")
	o := w.placeNew(carl, p, 3) // 30.00 + delivery 5.00
	w.say(managerID, "/order "+o.Number, "35.00 USD")
	w.press(managerID, "🏷 Discount", "Type the discount")
	w.say(managerID, "ten percent please", "That did not work")
	m := w.say(managerID, "OIL-1 10% regular customer", "now comes to")
	if !strings.Contains(m.PlainText, "32.00 USD") {
		t.Errorf("after 10 %% off the line: %q", m.PlainText)
	}
	w.say(managerID, "/order "+o.Number, "Discount: −3.00 USD")
	w.press(managerID, "🚚 Delivery charge", "Type the new charge")
	w.say(managerID, "-3 oops", "That did not work")
	if m := w.say(managerID, "0 picks it up himself", "now comes to 27.00 USD"); !strings.Contains(m.PlainText, "now comes to") {
		t.Errorf("delivery reply: %q", m.PlainText)
	}
	hist, err := w.svc.Orders.History(w.ctx(), core.System, o.ID)
	if err != nil {
		t.Fatal(err)
	}
	var said []string
	for _, e := range hist {
		if e.Action == core.ActPrice {
			said = append(said, e.Detail)
		}
	}
	if len(said) != 2 || !strings.Contains(said[0], "regular customer") || !strings.Contains(said[1], "delivery 5.00 → 0.00; reason: picks it up himself") {
		t.Errorf("history: %q", said)
	}
	w.await(fakeapiZero, 1201, "changed the prices of your order")
}

// A manager sends a price list file: bad rows are listed with their line
// numbers and nothing changes; a good file is previewed, applied on Apply,
// and the customer is put on the list from their card.
func TestPrices_StaffPriceListFile(t *testing.T) {
	w := newWorld(t)
	tea := w.product("TEA-1", "Green tea 100g", 450, 10)
	w.startStaff()
	dora := w.customer(1301, "Dora", "en")
	mia := int64(managerID)
	m := w.sendFile(mia, "prices.csv", "list,sku,price,min_qty\nwholesale,TEA-1,4.00,\nwholesale,NOPE-1,1.00,\ndealer,TEA-1,-1,\n", "problem")
	for _, want := range []string{"line 4: price \"-1\" is negative"} {
		if !strings.Contains(m.PlainText, want) {
			t.Errorf("bad file answer lacks %q: %q", want, m.PlainText)
		}
	}
	m = w.sendFile(mia, "prices.csv", "list,sku,price,min_qty\nwholesale,TEA-1,4.00,\nwholesale,NOPE-1,1.00,\n", "problem")
	if !strings.Contains(m.PlainText, `line 3: no product with sku "NOPE-1"`) || hasButton(m, "✅ Apply") {
		t.Errorf("unknown sku: %q", m.PlainText)
	}
	if lists, err := w.db.PriceLists(w.ctx()); err != nil || len(lists) != 0 {
		t.Fatalf("a refused file made lists: %v %v", lists, err)
	}
	m = w.sendFile(mia, "prices.csv", "list,sku,price,min_qty\nwholesale,TEA-1,4.00,\nwholesale,TEA-1,3.50,10\n", "Price list file checked")
	if lists, _ := w.db.PriceLists(w.ctx()); len(lists) != 0 {
		t.Fatal("a preview made lists")
	}
	w.pressOn(mia, m.ID, "✅ Apply", "Price lists imported: 2 price(s) in 1 list(s)")
	o := w.placeNew(dora, tea, 1)
	w.say(mia, "/order "+o.Number, "4.50 USD")
	w.press(mia, "💲 Price list", "Which prices does")
	w.press(mia, "wholesale", "Price list: wholesale")
	c, err := w.db.Customer(w.ctx(), dora.ID)
	if err != nil || c.PriceList != "wholesale" {
		t.Fatalf("customer after the choice: %+v %v", c, err)
	}
}

// A phone order's product buttons show the chosen customer's own price at
// the quantity typed (their list's break), as the order will fix it; a
// product the list does not price shows the catalog price. The order's
// screen comes to what the placed order does, VAT on top and delivery.
func TestPrices_PhoneOrderButtonsShowCustomersPrice(t *testing.T) {
	w := newWorld(t, withPricing(core.Pricing{VATPayer: true, VATRate: 2000, Excluded: true, DeliveryFee: 500}))
	nut := w.product("NUT-1", "Steel nut", 500, 100)
	w.product("NUT-2", "Brass nut", 300, 100)
	rows, err := core.ParsePriceList(strings.NewReader("list,sku,price,min_qty\nwholesale,NUT-1,4.50,1\nwholesale,NUT-1,4.10,10\n"), core.MustCurrency("USD"))
	if err != nil {
		t.Fatal(err)
	}
	staff := core.Actor{Role: core.RoleManager, UserID: managerID}
	if _, err := w.svc.Catalog.ImportPrices(w.ctx(), staff, rows, false); err != nil {
		t.Fatal(err)
	}
	w.startStaff()
	wanda := w.customer(1401, "Wanda", "en")
	if _, err := w.svc.Customers.SetPriceList(w.ctx(), staff, wanda.ID, "wholesale"); err != nil {
		t.Fatal(err)
	}
	mia := int64(managerID)
	w.say(mia, "/neworder", "Who is the customer?")
	w.say(mia, "Wanda", "Customers matching")
	w.press(mia, "👤 Wanda", "Add goods")
	m := w.say(mia, "nut", "Several products match")
	if !hasButton(m, "Steel nut · 4.50 USD · free 100 · × 1") || !hasButton(m, "Brass nut · 3.00 USD · free 100 · × 1") {
		t.Errorf("buttons for one unit: %+v", m.InlineKeyboard)
	}
	m = w.say(mia, "nut 12", "Several products match")
	if hasButton(m, "Steel nut · 5.00 USD · free 100 · × 12") || !hasButton(m, "Brass nut · 3.00 USD · free 100 · × 12") {
		t.Errorf("buttons for 12 show the catalog price: %+v", m.InlineKeyboard)
	}
	w.press(mia, "Steel nut · 4.10 USD · free 100 · × 12", "49.20 USD")
	w.press(mia, "➡ Goods done", "Delivery address?")
	w.press(mia, "No address (pickup)", "Promised delivery date?")
	w.press(mia, "No date", "Payment terms?")
	// 12 x 4.10 = 49.20 + 20 % 9.84, delivery 5.00 + 1.00
	m = w.press(mia, "Prepayment", "Check the order")
	for _, want := range []string{"VAT 20 %: 10.84 USD", "Total: 65.04 USD", "Delivery: 5.00 USD"} {
		if !strings.Contains(m.PlainText, want) {
			t.Errorf("the order to check lacks %q: %q", want, m.PlainText)
		}
	}
	w.press(mia, "✅ Place order", "is placed")
	os, err := w.svc.Orders.List(w.ctx(), core.System, core.OrderFilter{CustomerID: wanda.ID})
	if err != nil || len(os) != 1 || os[0].Line(nut.ID).Price != 410 || os[0].Total() != 6504 {
		t.Fatalf("order: %v %+v", err, os)
	}
}

// All goods are billed before a delivery charge is set: the order card
// still offers "Issue invoice", and the invoice bills the delivery alone,
// for a customer billed for what was ordered and for one billed for what
// shipped; after it the button is gone.
func TestPrices_InvoiceForDeliveryLeftUnbilled(t *testing.T) {
	w := newWorld(t)
	p := w.product("OIL-1", "Olive oil", 1000, 20)
	w.startStaff()
	staff := core.Actor{Role: core.RoleManager, UserID: managerID, Name: "Mia"}
	for i, terms := range []int{0, 30} {
		c := w.customer(int64(1501+i), "Carl", "en")
		if _, err := w.svc.Customers.Update(w.ctx(), staff, c.ID, func(c *core.Customer) { c.TermsDays = terms }); err != nil {
			t.Fatal(err)
		}
		o := w.placeNew(c, p, 2)
		o, err := w.svc.Orders.Confirm(w.ctx(), staff, o.ID, o.Version)
		if err != nil {
			t.Fatal(err)
		}
		if terms > 0 {
			if _, o, err = w.svc.Orders.Ship(w.ctx(), staff, o.ID, o.Version, nil); err != nil {
				t.Fatal(err)
			}
		}
		if _, o, err = w.svc.Orders.IssueInvoice(w.ctx(), staff, o.ID, o.Version, ""); err != nil {
			t.Fatal(err)
		}
		if m := w.say(managerID, "/order "+o.Number, o.Number); hasButton(m, "🧾 Issue invoice") {
			t.Fatalf("terms %d: the button is offered with everything billed", terms)
		}
		if o, _, err = w.svc.Orders.SetDelivery(w.ctx(), staff, o.ID, o.Version, 450, "courier"); err != nil {
			t.Fatal(err)
		}
		w.say(managerID, "/order "+o.Number, o.Number)
		w.press(managerID, "🧾 Issue invoice", "for 4.50 USD")
		invs, err := w.svc.Orders.Invoices(w.ctx(), staff, core.InvoiceFilter{OrderID: o.ID})
		if err != nil || len(invs) != 2 || invs[1].Delivery != 450 || invs[1].Amount != 450 || len(invs[1].Lines) != 0 {
			t.Fatalf("terms %d: invoices %+v %v", terms, invs, err)
		}
		if m := w.say(managerID, "/order "+o.Number, o.Number); hasButton(m, "🧾 Issue invoice") {
			t.Errorf("terms %d: the button is still offered", terms)
		}
		if d := w.debt(c.ID); d != 2000+450 {
			t.Errorf("terms %d: debt %d, want 24.50", terms, d)
		}
	}
}
