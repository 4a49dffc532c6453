package postgres_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/orderbot/orderbot/core"
	"github.com/orderbot/orderbot/storage/postgres"
	"github.com/orderbot/orderbot/storage/postgres/pgtest"
)

// pricedShop is a shop with tax and delivery settings.
func pricedShop(t *testing.T, pr core.Pricing) *shop {
	t.Helper()
	s := newShop(t)
	d := core.Deps{Store: s.db, Currency: core.MustCurrency("USD"), Now: s.clock.Now, Pricing: pr}
	s.orders, s.catalog, s.customers = core.NewOrders(d), core.NewCatalog(d), core.NewCustomers(d)
	return s
}

func (s *shop) importPrices(csv string) error {
	rows, err := core.ParsePriceList(strings.NewReader(csv), core.MustCurrency("USD"))
	if err != nil {
		return err
	}
	_, err = s.catalog.ImportPrices(ctx(), manager, rows, false)
	return err
}

func (s *shop) onList(c *core.Customer, list string) *core.Customer {
	s.t.Helper()
	c, err := s.customers.SetPriceList(ctx(), manager, c.ID, list)
	if err != nil {
		s.t.Fatalf("price list %q: %v", list, err)
	}
	return c
}

// A wholesale and a retail customer order the same goods: each order fixes
// its customer's price, the wholesale one at the break its quantity reaches;
// a product the list does not price costs the catalog price.
func TestPrices_ListsAndBreaksFixedOnTheOrder(t *testing.T) {
	s := pricedShop(t, core.Pricing{})
	nut := s.product("NUT", 500, 100)
	bolt := s.product("BOLT", 300, 100)
	if err := s.importPrices("list,sku,price,min_qty\nwholesale,NUT,4.50,\nwholesale,NUT,4.10,10\nretail,NUT,5.20\n"); err != nil {
		t.Fatal(err)
	}
	whole := s.onList(s.customer("Wholesaler", 0), "Wholesale")
	retail := s.onList(s.customer("Retailer", 0), "retail")
	plain := s.customer("No list", 0)
	if whole.PriceList != "wholesale" {
		t.Fatalf("customer's list reads %q", whole.PriceList)
	}
	for _, tt := range []struct {
		c    *core.Customer
		qty  int64
		want core.Money
	}{{whole, 9, 450}, {whole, 10, 410}, {whole, 25, 410}, {retail, 10, 520}, {plain, 10, 500}} {
		o := s.place(tt.c, false, core.OrderLineInput{ProductID: nut.ID, Qty: tt.qty}, core.OrderLineInput{ProductID: bolt.ID, Qty: 1})
		stored, err := s.db.Order(ctx(), o.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got := stored.Line(nut.ID).Price; got != tt.want {
			t.Errorf("%s, %d nuts: price %d, want %d", tt.c.Name, tt.qty, got, tt.want)
		}
		if got := stored.Line(bolt.ID).Price; got != 300 {
			t.Errorf("%s: bolt (not on the list) %d, want the catalog's 300", tt.c.Name, got)
		}
		if stored.Total() != tt.want*core.Money(tt.qty)+300 {
			t.Errorf("%s: total %d", tt.c.Name, stored.Total())
		}
	}
	// A new import replaces the list's prices; orders placed keep theirs.
	if err := s.importPrices("list,sku,price\nwholesale,NUT,3.00\n"); err != nil {
		t.Fatal(err)
	}
	o := s.place(whole, false, core.OrderLineInput{ProductID: nut.ID, Qty: 10})
	if o.Lines[0].Price != 300 {
		t.Errorf("after re-import: %d, want 300 (the break of 10 is gone with the old prices)", o.Lines[0].Price)
	}
}

// Bad rows of a price list file are refused with their line numbers and
// nothing is imported, not even the good rows.
func TestPrices_BadFileChangesNothing(t *testing.T) {
	s := pricedShop(t, core.Pricing{})
	s.product("NUT", 500, 10)
	for _, tt := range []struct{ csv, want string }{
		{"list,sku,price\nretail,NUT,4.00\nretail,NOPE,1.00\n", `line 3: no product with sku "NOPE"`},
		{"list,sku,price\nretail,NUT,-4.00\n", "line 2: price \"-4.00\" is negative"},
		{"list,sku,price,min_qty\nretail,NUT,4.00,-5\n", "line 2: min_qty"},
		{"list,sku,price\nretail,NUT\n", "line 2: 2 fields"},
		{"list,sku,price\nre\x00tail,NUT,4.00\n", "line 2: list contains an invisible control character"},
		{"list,sku,price\nretail,NUT,4.00\nretail,NUT,4.50\n", "already on line 2"},
		{"list,sku\nretail,NUT\n", "line 1: header"},
	} {
		err := s.importPrices(tt.csv)
		var fe *core.CatalogFileError
		if !errors.As(err, &fe) || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%q: %v, want a file error with %q", tt.csv, err, tt.want)
		}
	}
	lists, err := s.db.PriceLists(ctx())
	if err != nil || len(lists) != 0 {
		t.Errorf("lists after refused files: %v %v", lists, err)
	}
}

// Delivery: the flat fee, free from a goods total, typed by staff on a
// phone order; it is billed with the first invoice only and counts in the
// customer's debt.
func TestPrices_Delivery(t *testing.T) {
	s := pricedShop(t, core.Pricing{DeliveryFee: 700, DeliveryFreeFrom: 10000})
	p := s.product("BOX", 2000, 100)
	c := s.customer("Carla", 0)
	small := s.place(c, true, core.OrderLineInput{ProductID: p.ID, Qty: 2})
	if small.Delivery != 700 || small.Total() != 4700 {
		t.Errorf("flat: delivery %d, total %d; want 700, 4700", small.Delivery, small.Total())
	}
	big := s.place(c, true, core.OrderLineInput{ProductID: p.ID, Qty: 5})
	if big.Delivery != 0 || big.Total() != 10000 {
		t.Errorf("free from 100.00: delivery %d, total %d", big.Delivery, big.Total())
	}
	typed := core.Money(1234)
	phone, err := s.orders.Place(ctx(), manager, core.PlaceOrder{CustomerID: c.ID, Confirmed: true, Delivery: &typed,
		Lines: []core.OrderLineInput{{ProductID: p.ID, Qty: 5}}})
	if err != nil || phone.Delivery != 1234 {
		t.Fatalf("typed: %v %+v", err, phone)
	}
	if _, err := s.orders.Place(ctx(), core.Actor{Role: core.RoleCustomer, CustomerID: c.ID}, core.PlaceOrder{CustomerID: c.ID,
		Delivery: &typed, Lines: []core.OrderLineInput{{ProductID: p.ID, Qty: 1}}}); !errors.Is(err, core.ErrForbidden) {
		t.Errorf("a customer typed a delivery charge: %v", err)
	}
	// Ship part, bill it: the first invoice carries the delivery, the next does not.
	_, o, err := s.orders.Ship(ctx(), manager, small.ID, small.Version, []core.QtyLine{{ProductID: p.ID, Qty: 1}})
	if err != nil {
		t.Fatal(err)
	}
	inv1, o, err := s.orders.IssueInvoice(ctx(), manager, o.ID, o.Version, core.BillShipped)
	if err != nil || inv1.Amount != 2700 || inv1.Delivery != 700 {
		t.Fatalf("first invoice: %v %+v", err, inv1)
	}
	_, o, err = s.orders.Ship(ctx(), manager, o.ID, o.Version, []core.QtyLine{{ProductID: p.ID, Qty: 1}})
	if err != nil {
		t.Fatal(err)
	}
	inv2, o, err := s.orders.IssueInvoice(ctx(), manager, o.ID, o.Version, core.BillShipped)
	if err != nil || inv2.Amount != 2000 || inv2.Delivery != 0 {
		t.Fatalf("second invoice: %v %+v", err, inv2)
	}
	if o.Invoiced != 4700 || o.Due() != 4700 {
		t.Errorf("order invoiced %d, due %d; want 4700", o.Invoiced, o.Due())
	}
	debt := s.debt(c.ID)
	if debt != 4700 {
		t.Errorf("debt %d, want 4700 (goods and delivery)", debt)
	}
	// Changing the delivery voids the invoice that billed it and reissues it.
	o, re, err := s.orders.SetDelivery(ctx(), manager, o.ID, o.Version, 500, "closer than we thought")
	if err != nil || re == nil || re.Amount != 2500 || o.Invoiced != 4500 {
		t.Fatalf("set delivery: %v, reissued %+v, invoiced %d", err, re, o.Invoiced)
	}
	if debt := s.debt(c.ID); debt != 4500 {
		t.Errorf("debt after the change %d, want 4500", debt)
	}
	if !s.eventSays(o.ID, "delivery 7.00 → 5.00", "closer than we thought") {
		t.Error("the delivery change is not on the order's trail")
	}
}

func (s *shop) debt(customerID int64) core.Money {
	s.t.Helper()
	bal, err := s.db.Balances(ctx(), core.BalanceFilter{CustomerID: customerID, Today: s.clock.Now()})
	if err != nil || len(bal) != 1 {
		s.t.Fatalf("balance: %v %v", bal, err)
	}
	return bal[0].Debt
}

func (s *shop) eventSays(orderID int64, parts ...string) bool {
	evs, err := s.db.Events(ctx(), orderID)
	if err != nil {
		s.t.Fatal(err)
	}
	for _, e := range evs {
		ok := e.Action == core.ActPrice
		for _, p := range parts {
			ok = ok && strings.Contains(e.Detail, p)
		}
		if ok {
			return true
		}
	}
	return false
}

// Discounts: staff only, with the reason on the trail; an invoice of what
// was ordered is voided and reissued at the new amounts.
func TestPrices_Discounts(t *testing.T) {
	s := pricedShop(t, core.Pricing{})
	a := s.product("A", 1000, 100)
	b := s.product("B", 333, 100)
	c := s.customer("Dora", 0)
	o := s.place(c, true, core.OrderLineInput{ProductID: a.ID, Qty: 3}, core.OrderLineInput{ProductID: b.ID, Qty: 3})
	inv, o, err := s.orders.IssueInvoice(ctx(), manager, o.ID, o.Version, core.BillOrdered)
	if err != nil || inv.Amount != 3999 {
		t.Fatalf("invoice: %v %+v", err, inv)
	}
	cust := core.Actor{Role: core.RoleCustomer, CustomerID: c.ID}
	if _, _, err := s.orders.Discount(ctx(), cust, o.ID, o.Version, core.DiscountInput{IsPercent: true, Percent: 5000, Reason: "me"}); !errors.Is(err, core.ErrForbidden) {
		t.Errorf("a customer gave a discount: %v", err)
	}
	if _, _, err := s.orders.Discount(ctx(), manager, o.ID, o.Version, core.DiscountInput{IsPercent: true, Percent: 1000}); !errors.Is(err, core.ErrInvalid) {
		t.Errorf("a discount without a reason: %v", err)
	}
	// 10 % of the line A (30.00) = 3.00
	o, re, err := s.orders.Discount(ctx(), manager, o.ID, o.Version, core.DiscountInput{ProductID: a.ID, IsPercent: true, Percent: 1000, Reason: "loyal"})
	if err != nil || re == nil || re.Amount != 3699 || o.Total() != 3699 {
		t.Fatalf("line discount: %v, reissued %+v, total %d", err, re, o.Total())
	}
	if s.debt(c.ID) != 3699 {
		t.Errorf("debt %d, want 36.99", s.debt(c.ID))
	}
	// 1.00 over the whole order (30.00 + 9.99): 0.75 and 0.25 by value.
	o, _, err = s.orders.Discount(ctx(), manager, o.ID, o.Version, core.DiscountInput{Amount: 100, Reason: "rounding"})
	if err != nil {
		t.Fatal(err)
	}
	if da, db := o.Line(a.ID).Discount, o.Line(b.ID).Discount; da+db != 100 || da != 75 {
		t.Errorf("spread: %d + %d, want 75 + 25", da, db)
	}
	if o.Total() != 3899 || s.debt(c.ID) != 3899 {
		t.Errorf("total %d, debt %d; want 38.99", o.Total(), s.debt(c.ID))
	}
	if !s.eventSays(o.ID, "discount on A 3.00 → 0.75", "rounding") {
		t.Error("the discount is not on the order's trail")
	}
	if _, _, err := s.orders.Discount(ctx(), manager, o.ID, o.Version, core.DiscountInput{Amount: 99999, Reason: "x"}); !errors.Is(err, core.ErrInvalid) {
		t.Errorf("a discount above the goods: %v", err)
	}
}

// Tax in both modes against hand-computed figures: per-line rounding, the
// product's own rate from the catalog's vat column, delivery at the shop's
// rate; the invoice bills the gross and the debt follows it.
func TestPrices_TaxBothModes(t *testing.T) {
	for _, tt := range []struct {
		name     string
		excluded bool
		// 3 x 0.35 at 7.5 %, 1 x 1.05 at 20 %, delivery 0.55 at 20 %
		net, tax, gross core.Money
	}{
		// excluded: 1.05*7.5% = 0.07875 -> 0.08; 1.05*20% = 0.21; 0.55*20% = 0.11
		{"prices exclude tax", true, 105 + 105 + 55, 8 + 21 + 11, 265 + 40},
		// included: 105*750/10750 = 7.33 -> 7; 105*2000/12000 = 17.5 -> 18; 55*2000/12000 = 9.17 -> 9
		{"prices include tax", false, 265 - 34, 7 + 18 + 9, 265},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s := pricedShop(t, core.Pricing{VATPayer: true, VATRate: 2000, Excluded: tt.excluded, DeliveryFee: 55})
			rows, err := core.ParseCatalog(strings.NewReader("sku,name,price,stock,unit,vat\nBREAD,Bread,0.35,10,pcs,7.5\nWINE,Wine,1.05,10,pcs,\n"), core.MustCurrency("USD"))
			if err != nil {
				t.Fatal(err)
			}
			if _, err := s.catalog.Import(ctx(), manager, rows, false); err != nil {
				t.Fatal(err)
			}
			c := s.customer("Eve", 0)
			o, err := s.orders.Place(ctx(), manager, core.PlaceOrder{CustomerID: c.ID, Confirmed: true,
				Lines: []core.OrderLineInput{{SKU: "BREAD", Qty: 3}, {SKU: "WINE", Qty: 1}}})
			if err != nil {
				t.Fatal(err)
			}
			tot := o.Totals()
			if tot.Net != tt.net || tot.Tax != tt.tax || tot.Gross != tt.gross {
				t.Errorf("totals net %d tax %d gross %d; want %d %d %d", tot.Net, tot.Tax, tot.Gross, tt.net, tt.tax, tt.gross)
			}
			inv, _, err := s.orders.IssueInvoice(ctx(), manager, o.ID, o.Version, core.BillOrdered)
			if err != nil {
				t.Fatal(err)
			}
			it := inv.Taxes()
			if inv.Amount != tt.gross || it.Tax != tt.tax || it.Net != tt.net || len(it.Rates) != 2 {
				t.Errorf("invoice amount %d, taxes %+v", inv.Amount, it)
			}
			if s.debt(c.ID) != tt.gross {
				t.Errorf("debt %d, want %d", s.debt(c.ID), tt.gross)
			}
		})
	}
}

// The defaults (no tax, prices include it, no delivery, no lists) are the
// shop as it was: an order's total is quantity times catalog price.
func TestPrices_DefaultsChangeNothing(t *testing.T) {
	db := pgtest.New(t)
	var _ core.Store = (*postgres.DB)(nil)
	o := core.NewOrders(core.Deps{Store: db})
	cat := core.NewCatalog(core.Deps{Store: db})
	if _, err := cat.Import(ctx(), manager, []core.CatalogRow{{Line: 2, Product: core.Product{SKU: "X", Name: "X", Price: 1999, Active: true}, Stock: 5}}, false); err != nil {
		t.Fatal(err)
	}
	c, err := core.NewCustomers(core.Deps{Store: db}).Create(ctx(), manager, core.Customer{Name: "Flo"})
	if err != nil {
		t.Fatal(err)
	}
	placed, err := o.Place(ctx(), manager, core.PlaceOrder{CustomerID: c.ID, Lines: []core.OrderLineInput{{SKU: "X", Qty: 3}}})
	if err != nil || placed.Total() != 5997 || placed.Delivery != 0 || placed.Totals().Tax != 0 {
		t.Fatalf("%v %+v", err, placed)
	}
}
