package main

import (
	"context"
	"fmt"
	"time"

	"github.com/orderbot/orderbot/core"
)

// Demo data for the sandbox: a small catalog, customers (two of them are
// the sandbox's customer personas), and orders in different states, so that
// every list has something in it. It is loaded only into an empty database.

// Sandbox personas' Telegram ids.
const (
	demoOwnerID   = 1
	demoManagerID = 2
	demoAnnaID    = 1001
	demoBorisID   = 1002
)

var demoCatalog = []struct {
	sku, name, unit string
	price           core.Money
	stock           int64
}{
	{"COF-ETH-1", "Coffee beans Ethiopia Yirgacheffe 1 kg", "bag", 2450, 40},
	{"COF-BRA-1", "Coffee beans Brazil Santos 1 kg", "bag", 1890, 60},
	{"COF-COL-250", "Coffee beans Colombia 250 g", "bag", 690, 120},
	{"TEA-GRN-100", "Green tea Sencha 100 g", "pack", 450, 80},
	{"TEA-BLK-100", "Black tea Assam 100 g", "pack", 390, 4},
	{"CUP-CER-300", "Ceramic cup 300 ml", "pcs", 520, 30},
	{"CUP-PAP-250", "Paper cups 250 ml, 50 pcs", "box", 780, 25},
	{"SYR-VAN-1", "Vanilla syrup 1 l", "btl", 990, 12},
	{"SYR-CAR-1", "Caramel syrup 1 l", "btl", 990, 3},
	{"MLK-OAT-1", "Oat milk barista 1 l", "pcs", 320, 48},
	{"FLT-V60-100", "Paper filters V60, 100 pcs", "box", 410, 0},
	{"GRN-HND-1", "Hand grinder, ceramic burrs", "pcs", 4900, 6},
}

// loadDemo fills an empty database; it reports whether it did.
func loadDemo(ctx context.Context, store core.Store, cfg Config) (bool, error) {
	if empty, err := isEmpty(ctx, store); err != nil || !empty {
		return false, err
	}
	now := time.Now()
	past := func(days int) core.Deps {
		return core.Deps{Store: store, Currency: cfg.Currency, Location: cfg.Location, Pricing: cfg.Pricing,
			Now: func() time.Time { return now.AddDate(0, 0, -days) }}
	}
	d := past(0)
	if err := demoProducts(ctx, d); err != nil {
		return false, err
	}
	cust, err := demoCustomers(ctx, d)
	if err != nil {
		return false, err
	}
	if err := demoOrders(ctx, store, cust, past); err != nil {
		return false, err
	}
	return true, demoPrices(ctx, d, cust)
}

// demoPrices puts Boris and the two companies on a wholesale price list
// with quantity breaks (Anna keeps catalog prices, so the personas see
// their own prices for the same goods) and gives the companies their
// details for documents. The demo's orders were placed before, at catalog
// prices.
func demoPrices(ctx context.Context, d core.Deps, cust map[string]*core.Customer) error {
	rows := []core.PriceRow{
		{List: "wholesale", SKU: "COF-ETH-1", Price: 2200, MinQty: 1}, {List: "wholesale", SKU: "COF-ETH-1", Price: 1990, MinQty: 10},
		{List: "wholesale", SKU: "COF-BRA-1", Price: 1690, MinQty: 1}, {List: "wholesale", SKU: "COF-BRA-1", Price: 1540, MinQty: 10},
		{List: "wholesale", SKU: "TEA-GRN-100", Price: 390, MinQty: 1}, {List: "wholesale", SKU: "TEA-GRN-100", Price: 340, MinQty: 20},
		{List: "wholesale", SKU: "CUP-PAP-250", Price: 690, MinQty: 1}, {List: "wholesale", SKU: "CUP-PAP-250", Price: 620, MinQty: 10},
	}
	for i := range rows {
		rows[i].Line = i + 2
	}
	if _, err := core.NewCatalog(d).ImportPrices(ctx, demoActor, rows, false); err != nil {
		return fmt.Errorf("demo price list: %w", err)
	}
	customers := core.NewCustomers(d)
	for _, name := range []string{"Борис Петров", "Café Aroma LLC", "ООО «Ромашка»"} {
		if _, err := customers.SetPriceList(ctx, demoActor, cust[name].ID, "wholesale"); err != nil {
			return fmt.Errorf("demo price list of %s: %w", name, err)
		}
	}
	for name, tax := range map[string]string{"Café Aroma LLC": "5012345678", "ООО «Ромашка»": "7801234567"} {
		if _, err := customers.SetBuyerDetails(ctx, demoActor, cust[name].ID, name, tax); err != nil {
			return fmt.Errorf("demo details of %s: %w", name, err)
		}
	}
	return nil
}

// quietDemo keeps the demo's history from replaying as notices: the events
// of orders placed, shipped and paid days "ago" would otherwise greet the
// personas as news on their first /start. Only the staff's cards of orders
// still waiting for confirmation are kept, so a manager has one to confirm.
func quietDemo(ctx context.Context, feed core.EventFeed, staff *core.Staff) error {
	ids, err := staff.Recipients(ctx)
	if err != nil {
		return err
	}
	for {
		n, err := feed.FanOut(ctx, 1000, func(evs []core.FeedEvent) ([]core.Notice, error) {
			return demoCards(evs, ids)
		})
		if err != nil || n == 0 {
			return err
		}
	}
}

// demoCards are the staff's new-order cards of the orders among evs that
// are still new after them.
func demoCards(evs []core.FeedEvent, staff []int64) ([]core.Notice, error) {
	now := map[int64]core.Status{}
	for _, e := range evs {
		now[e.OrderID] = e.After
	}
	var placed []core.FeedEvent
	for _, e := range evs {
		if e.Action == core.ActPlace && now[e.OrderID] == core.StatusNew {
			placed = append(placed, e)
		}
	}
	ns, err := core.NoticesForEvents(placed, staff, time.Now())
	var cards []core.Notice
	for _, n := range ns {
		if n.Kind == core.NoticeOrderCard {
			cards = append(cards, n)
		}
	}
	return cards, err
}

func isEmpty(ctx context.Context, store core.Store) (bool, error) {
	levels, err := store.Stock(ctx, core.StockFilter{Limit: 1})
	if err != nil {
		return false, err
	}
	orders, err := store.Orders(ctx, core.OrderFilter{Limit: 1})
	if err != nil {
		return false, err
	}
	found, err := store.FindCustomers(ctx, "", 1)
	return len(levels) == 0 && len(orders) == 0 && len(found) == 0, err
}

func demoProducts(ctx context.Context, d core.Deps) error {
	var rows []core.CatalogRow
	for i, p := range demoCatalog {
		rows = append(rows, core.CatalogRow{Line: i + 2, Stock: p.stock,
			Product: core.Product{SKU: p.sku, Name: p.name, Unit: p.unit, Price: p.price, Active: true}})
	}
	cat := core.NewCatalog(d)
	if _, err := cat.Import(ctx, demoActor, rows, false); err != nil {
		return err
	}
	// The grinder is made to order beyond its few in stock: the demo shows
	// backorders and goods received without setting anything up.
	p, err := cat.ProductBySKU(ctx, "GRN-HND-1")
	if err != nil {
		return err
	}
	_, err = cat.SetSupply(ctx, demoActor, p.ID, core.SupplyToOrder, 14)
	return err
}

var demoActor = core.Actor{Role: core.RoleSystem, Name: "demo data"}

func demoCustomers(ctx context.Context, d core.Deps) (map[string]*core.Customer, error) {
	limit := core.Money(150000)
	list := []core.Customer{
		{TelegramID: demoAnnaID, Name: "Anna Smith", Phone: "+1 555 0101", Address: "12 Baker Street, Springfield", Lang: "en"},
		{TelegramID: demoBorisID, Name: "Борис Петров", Phone: "+7 900 123-45-67", Address: "Москва, ул. Тверская, 7", TermsDays: 14, Lang: "ru"},
		{Name: "Café Aroma LLC", Phone: "+1 555 0199", Address: "5 Market Square, Springfield", TermsDays: 30, CreditLimit: &limit},
		{Name: "ООО «Ромашка»", Phone: "+7 495 555-00-11", Address: "Санкт-Петербург, Невский пр., 28", TermsDays: 7},
	}
	out := map[string]*core.Customer{}
	for _, c := range list {
		created, err := core.NewCustomers(d).Create(ctx, demoActor, c)
		if err != nil {
			return nil, fmt.Errorf("demo customer %s: %w", c.Name, err)
		}
		out[c.Name] = created
	}
	return out, nil
}

// demoOrders places orders at different times in the past and moves them to
// different states: new, in progress, shipped with an overdue invoice,
// partly paid, paid (not closed yet), prepaid, closed and cancelled.
func demoOrders(ctx context.Context, store core.Store, cust map[string]*core.Customer, past func(int) core.Deps) error {
	ids := map[string]int64{}
	levels, err := store.Stock(ctx, core.StockFilter{})
	if err != nil {
		return err
	}
	for _, l := range levels {
		ids[l.SKU] = l.ID
	}
	line := func(sku string, q int64) core.OrderLineInput { return core.OrderLineInput{ProductID: ids[sku], Qty: q} }
	steps := []demoStep{
		{60, "Борис Петров", []core.OrderLineInput{line("TEA-GRN-100", 2)}, "ship invoice pay-all close"},
		{45, "Café Aroma LLC", []core.OrderLineInput{line("COF-BRA-1", 10), line("CUP-PAP-250", 6)}, "ship invoice"},
		{20, "ООО «Ромашка»", []core.OrderLineInput{line("COF-ETH-1", 4), line("SYR-VAN-1", 2)}, "ship invoice pay-part"},
		{12, "Борис Петров", []core.OrderLineInput{line("TEA-GRN-100", 6), line("CUP-CER-300", 2)}, "ship invoice pay-all"},
		{9, "Anna Smith", []core.OrderLineInput{line("COF-COL-250", 3)}, "cancel"},
		{5, "Café Aroma LLC", []core.OrderLineInput{line("MLK-OAT-1", 12), line("COF-ETH-1", 2)}, "ship-part promise"},
		{2, "Anna Smith", []core.OrderLineInput{line("GRN-HND-1", 1)}, "prepay"},
		{0, "Anna Smith", []core.OrderLineInput{line("TEA-GRN-100", 2), line("CUP-CER-300", 2)}, "new"},
	}
	for _, s := range steps {
		if err := s.run(ctx, past(s.daysAgo), cust[s.customer]); err != nil {
			return fmt.Errorf("demo order for %s: %w", s.customer, err)
		}
	}
	return nil
}

type demoStep struct {
	daysAgo  int
	customer string
	lines    []core.OrderLineInput
	actions  string
}

func (s demoStep) run(ctx context.Context, d core.Deps, c *core.Customer) error {
	orders := core.NewOrders(d)
	staff := core.Actor{Role: core.RoleManager, UserID: demoManagerID, Name: "Mike (manager)"}
	in := core.PlaceOrder{CustomerID: c.ID, Lines: s.lines, Address: c.Address, Confirmed: s.actions != "new" && s.actions != "cancel"}
	if s.actions == "ship-part promise" {
		promised := d.Now().AddDate(0, 0, 2)
		in.PromisedOn = &promised
	}
	who := staff
	if c.TelegramID != 0 && !in.Confirmed {
		who = core.Actor{Role: core.RoleCustomer, CustomerID: c.ID, UserID: c.TelegramID, Name: c.Name}
	}
	o, err := orders.Place(ctx, who, in)
	if err != nil {
		return err
	}
	return s.act(ctx, orders, staff, o)
}

func (s demoStep) act(ctx context.Context, orders *core.Orders, staff core.Actor, o *core.Order) error {
	var err error
	switch s.actions {
	case "cancel":
		_, err = orders.Cancel(ctx, staff, o.ID, 0, "customer changed their mind")
	case "ship-part promise":
		_, _, err = orders.Ship(ctx, staff, o.ID, 0, []core.QtyLine{{ProductID: o.Lines[0].ProductID, Qty: 6}})
	case "prepay":
		if _, _, err = orders.IssueInvoice(ctx, staff, o.ID, 0, core.BillOrdered); err == nil {
			_, err = orders.RecordPayment(ctx, staff, core.PaymentInput{CustomerID: o.CustomerID, OrderID: o.ID, Amount: o.Total(), Method: core.PayCard})
		}
	case "new":
	default:
		if _, _, err = orders.Ship(ctx, staff, o.ID, 0, nil); err != nil {
			return err
		}
		if _, _, err = orders.IssueInvoice(ctx, staff, o.ID, 0, core.BillShipped); err != nil {
			return err
		}
		pay := map[string]core.Money{"ship invoice pay-part": o.Total() / 2, "ship invoice pay-all": o.Total(),
			"ship invoice pay-all close": o.Total()}[s.actions]
		if pay > 0 {
			_, err = orders.RecordPayment(ctx, staff, core.PaymentInput{CustomerID: o.CustomerID, Amount: pay, Method: core.PayBank, Reference: "demo"})
		}
		if err == nil && s.actions == "ship invoice pay-all close" {
			_, err = orders.Close(ctx, staff, o.ID, 0, "delivered and paid")
		}
	}
	return err
}
