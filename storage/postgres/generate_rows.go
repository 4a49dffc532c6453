package postgres

import (
	"context"
	"fmt"
	"math/rand/v2"

	"github.com/jackc/pgx/v5"

	"github.com/orderbot/orderbot/core"
)

// genTables holds one batch of rows per table, column lists as in the
// migrations.
type genTables struct {
	orders, lines, events, shipments, shipLines, moves, invoices, invLines, voids, payments, allocs,
	reminders, openInvoices, awaiting *copyBuf
}

func newGenTables() *genTables {
	return &genTables{
		orders: newCopyBuf("orders", "id", "number", "customer_id", "status", "fulfilment", "payment", "address", "phone",
			"comment", "created_by_role", "created_by_id", "created_by_name", "promised_on", "currency", "total", "due", "paid",
			"invoiced", "confirmed_at", "closed_at", "cancelled_at", "close_reason", "version", "created_at", "updated_at",
			"settled_at"),
		lines: newCopyBuf("order_lines", "order_id", "line_no", "product_id", "sku", "name", "unit", "qty", "price", "shipped",
			"returned", "released", "invoiced"),
		events: newCopyBuf("order_events", "id", "order_id", "at", "actor_role", "actor_id", "actor_name", "action", "detail",
			"status_before", "status_after", "ref"),
		shipments: newCopyBuf("shipments", "id", "order_id", "actor_role", "actor_id", "actor_name", "at"),
		shipLines: newCopyBuf("shipment_lines", "shipment_id", "product_id", "sku", "name", "unit", "qty", "price"),
		moves: newCopyBuf("stock_moves", "id", "product_id", "delta", "kind", "reason", "order_id", "shipment_id", "actor_role",
			"actor_id", "actor_name", "at"),
		invoices: newCopyBuf("invoices", "id", "number", "order_id", "customer_id", "basis", "issued_on", "due_on", "amount",
			"currency", "actor_role", "actor_id", "actor_name", "created_at"),
		invLines: newCopyBuf("invoice_lines", "invoice_id", "product_id", "sku", "name", "unit", "qty", "price"),
		voids:    newCopyBuf("invoice_voids", "invoice_id", "reason", "actor_role", "actor_id", "actor_name", "at"),
		payments: newCopyBuf("payments", "id", "customer_id", "order_id", "amount", "currency", "method", "reference",
			"received_on", "actor_role", "actor_id", "actor_name", "created_at"),
		allocs:    newCopyBuf("allocations", "customer_id", "payment_id", "invoice_id", "order_id", "amount"),
		reminders: newCopyBuf("invoice_reminders", "invoice_id", "level", "customer_id", "sent_on", "at"),
		openInvoices: newCopyBuf("open_invoices", "invoice_id", "customer_id", "number", "order_number", "issued_on", "due_on",
			"open", "last_level", "next_remind_on"),
		awaiting: newCopyBuf("awaiting_orders", "order_id", "customer_id", "created_at", "promised_on", "outstanding", "value"),
	}
}

func (t *genTables) all() []*copyBuf {
	return []*copyBuf{t.orders, t.lines, t.events, t.shipments, t.shipLines, t.moves, t.invoices, t.invLines, t.voids,
		t.payments, t.allocs, t.reminders, t.openInvoices, t.awaiting}
}

func (t *genTables) copyTo(ctx context.Context, tx pgx.Tx) error {
	for _, b := range t.all() {
		if err := b.copyTo(ctx, tx); err != nil {
			return err
		}
	}
	return nil
}

func actorRow(b *copyBuf, a core.Actor) *copyBuf {
	return b.text(string(a.Role)).i64(a.UserID).text(a.Name)
}

// write adds an order's history to the batch and to the running totals.
func (g *generator) write(t *genTables, h *orderHistory) {
	o := &h.order
	t.orders.row().i64(o.ID).text(o.Number).i64(o.CustomerID).text(string(o.Status)).text(string(o.Fulfilment)).
		text(string(o.Payment)).text(o.Address).text(o.Phone).text(o.Comment)
	actorRow(t.orders, o.CreatedBy).dateOrNull(o.PromisedOn).text(o.Currency).i64(int64(o.Total())).i64(int64(o.Due())).
		i64(int64(o.Paid)).i64(int64(o.Invoiced)).tsOrNull(o.ConfirmedAt).tsOrNull(o.ClosedAt).tsOrNull(o.CancelledAt).
		text(o.CloseReason).i64(o.Version).ts(o.CreatedAt).ts(o.UpdatedAt).tsOrNull(o.SettledAt)
	for _, l := range o.Lines {
		t.lines.row().i64(o.ID).i32(l.No).i64(l.ProductID).text(l.SKU).text(l.Name).text(l.Unit).i64(l.Qty).i64(int64(l.Price)).
			i64(l.Shipped).i64(l.Returned).i64(l.Released).i64(l.Invoiced)
		g.shipped[l.ProductID-1] += l.Shipped - l.Returned
		g.reserved[l.ProductID-1] += l.Outstanding()
	}
	for _, e := range h.events {
		actorRow(t.events.row().i64(e.ID).i64(e.OrderID).ts(e.At), e.Actor).text(string(e.Action)).text(e.Detail).
			text(string(e.Before)).text(string(e.After)).text(e.Ref)
	}
	for _, s := range h.shipments {
		actorRow(t.shipments.row().i64(s.ID).i64(s.OrderID), s.Actor).ts(s.At)
		for _, l := range s.Lines {
			t.shipLines.row().i64(s.ID).i64(l.ProductID).text(l.SKU).text(l.Name).text(l.Unit).i64(l.Qty).i64(int64(l.Price))
		}
	}
	for _, m := range h.moves {
		actorRow(t.moves.row().i64(m.ID).i64(m.ProductID).i64(m.Delta).text(string(m.Kind)).text(m.Reason).idOrNull(m.OrderID).
			idOrNull(m.ShipmentID), m.Actor).ts(m.At)
	}
	g.writeBilling(t, h)
	g.res.Events += int64(len(h.events))
	g.res.Shipments += int64(len(h.shipments))
	if o.ConfirmedAt != nil && o.ClosedAt == nil && o.CancelledAt == nil && o.Fulfilment != core.FullyShipped {
		var value core.Money
		for _, l := range o.Lines { // the units after those shipped, as line_gross (migration 032)
			value += l.Value(l.Qty-l.Released, o.TaxIncluded).Gross - l.Value(l.Shipped, o.TaxIncluded).Gross
		}
		t.awaiting.row().i64(o.ID).i64(o.CustomerID).ts(o.CreatedAt).dateOrNull(o.PromisedOn).i64(o.Outstanding()).i64(int64(value))
		g.res.AwaitingOrders++
	}
}

// writeBilling adds the order's invoices, payments, allocations, reminders
// and open invoices.
func (g *generator) writeBilling(t *genTables, h *orderHistory) {
	bal := &g.balances[h.order.CustomerID-1]
	allocated := map[int64]core.Money{}
	for _, a := range h.allocs {
		t.allocs.row().i64(h.order.CustomerID).i64(a.PaymentID).idOrNull(a.InvoiceID).i64(a.OrderID).i64(int64(a.Amount))
		allocated[a.InvoiceID] += a.Amount
	}
	last := map[int64]int{}
	for _, r := range h.reminders {
		t.reminders.row().i64(r.InvoiceID).i32(r.Level).i64(r.CustomerID).date(r.On).ts(r.At)
		last[r.InvoiceID] = r.Level // ascending per invoice
	}
	g.res.Reminders += int64(len(h.reminders))
	for _, inv := range h.invoices {
		actorRow(t.invoices.row().i64(inv.ID).text(inv.Number).i64(inv.OrderID).i64(inv.CustomerID).text(string(inv.Basis)).
			date(inv.IssuedOn).date(inv.DueOn).i64(int64(inv.Amount)).text(inv.Currency), inv.Actor).ts(inv.CreatedAt)
		for _, l := range inv.Lines {
			t.invLines.row().i64(inv.ID).i64(l.ProductID).text(l.SKU).text(l.Name).text(l.Unit).i64(l.Qty).i64(int64(l.Price))
		}
		g.res.Invoices++
		if inv.voidAt != nil {
			actorRow(t.voids.row().i64(inv.ID).text(inv.voidReason), core.System).ts(*inv.voidAt)
			continue
		}
		bal[0] += inv.Amount
		open := inv.Amount - allocated[inv.ID]
		if open <= 0 {
			continue
		}
		var lastLevel *int
		if l, ok := last[inv.ID]; ok {
			lastLevel = &l
		}
		t.openInvoices.row().i64(inv.ID).i64(inv.CustomerID).text(inv.Number).text(inv.OrderNumber).date(inv.IssuedOn).
			date(inv.DueOn).i64(int64(open))
		if lastLevel == nil {
			t.openInvoices.null()
		} else {
			t.openInvoices.i32(*lastLevel)
		}
		if next, ok := g.cfg.policy.NextRemindOn(inv.DueOn, inv.IssuedOn, lastLevel); ok {
			t.openInvoices.date(next)
		} else {
			t.openInvoices.null()
		}
		g.res.OpenInvoices++
	}
	for _, p := range h.payments {
		actorRow(t.payments.row().i64(p.ID).i64(p.CustomerID).i64(p.OrderID).i64(int64(p.Amount)).text(p.Currency).
			text(string(p.Method)).text(p.Reference).date(p.ReceivedOn), p.Actor).ts(p.CreatedAt)
		bal[1] += p.Amount
		g.res.Payments++
	}
}

var (
	genFirstNames = []string{"Anna", "Boris", "Clara", "David", "Elena", "Farid", "Greta", "Hugo", "Irina", "Jonas", "Katya",
		"Leon", "Maria", "Nikolai", "Olga", "Pavel", "Rosa", "Sergei", "Tanya", "Viktor"}
	genLastNames = []string{"Ivanova", "Smith", "Petrov", "Meyer", "Kowalski", "Novak", "Garcia", "Sokolov", "Fischer",
		"Lebedev", "Rossi", "Volkova", "Brown", "Kuznetsov", "Weber", "Orlova"}
	genShops = []string{"Coffee Corner", "Green Leaf Cafe", "Bakery No. 5", "Hotel Baltic", "Office Supply Co", "Corner Deli",
		"Tea House", "Bistro Central", "Campus Canteen", "Market Stall 12"}
	genAdjectives = []string{"Classic", "Premium", "Organic", "Eco", "Large", "Small", "Extra", "Fresh", "Dark", "Light"}
	genNouns      = []string{"coffee beans", "green tea", "black tea", "paper cups", "syrup", "oat milk", "filters",
		"napkins", "sugar sticks", "cocoa", "lids", "stirrers"}
	genUnits = []string{"pcs", "pcs", "box", "pack", "kg", "btl"}
)

// catalog writes the products and customers.
func (g *generator) catalog(ctx context.Context, tx pgx.Tx) error {
	opt := g.opt
	start := g.from.Add(-30 * day)
	products := newCopyBuf("products", "id", "sku", "name", "unit", "price", "active", "created_at", "updated_at")
	for i := 1; i <= opt.Products; i++ {
		r := rand.New(rand.NewPCG(opt.Seed^0x70726f64, uint64(i)))
		p := core.Product{ID: int64(i), SKU: fmt.Sprintf("SKU-%05d", i), Unit: genUnits[r.IntN(len(genUnits))], Active: true,
			Name:  fmt.Sprintf("%s %s %d", genAdjectives[r.IntN(len(genAdjectives))], genNouns[r.IntN(len(genNouns))], i),
			Price: core.Money(100 + 10*r.IntN(1990))}
		g.cfg.products = append(g.cfg.products, p)
		products.row().i64(p.ID).text(p.SKU).text(p.Name).text(p.Unit).i64(int64(p.Price)).boolean(true).ts(start).ts(start)
	}
	customers := newCopyBuf("customers", "id", "telegram_id", "name", "phone", "address", "terms_days", "credit_limit",
		"lang", "created_at")
	for i := 1; i <= opt.Customers; i++ {
		r := rand.New(rand.NewPCG(opt.Seed^0x63757374, uint64(i)))
		c := core.Customer{ID: int64(i), Name: genFirstNames[r.IntN(len(genFirstNames))] + " " + genLastNames[r.IntN(len(genLastNames))],
			Phone: fmt.Sprintf("+1 555 %07d", i), TermsDays: []int{0, 7, 14, 30}[r.IntN(4)], Lang: []string{"en", "ru"}[r.IntN(2)],
			CreatedAt: start}
		if r.IntN(3) == 0 {
			c.Name = genShops[r.IntN(len(genShops))] + " (" + c.Name + ")"
		}
		c.Address = fmt.Sprintf("%d Market Street, unit %d", 1+r.IntN(300), i)
		if r.IntN(5) != 0 {
			c.TelegramID = 100_000_000 + int64(i)
		}
		customers.row().i64(c.ID).idOrNull(c.TelegramID).text(c.Name).text(c.Phone).text(c.Address).i32(c.TermsDays).null().
			text(c.Lang).ts(start)
		g.customers = append(g.customers, c)
	}
	g.balances = make([][2]core.Money, opt.Customers)
	g.shipped, g.reserved = make([]int64, opt.Products), make([]int64, opt.Products)
	g.ids.move = int64(opt.Products) // moves 1..Products are the opening stock
	if err := products.copyTo(ctx, tx); err != nil {
		return err
	}
	return customers.copyTo(ctx, tx)
}

// finish writes what the orders add up to: stock and its opening moves,
// customer balances, invoice counters, and the sequences past every id.
func (g *generator) finish(ctx context.Context, tx pgx.Tx) error {
	opt := g.opt
	stock := newCopyBuf("stock", "product_id", "on_hand", "reserved")
	moves := newCopyBuf("stock_moves", "id", "product_id", "delta", "kind", "reason", "order_id", "shipment_id", "actor_role",
		"actor_id", "actor_name", "at")
	for i, p := range g.cfg.products {
		r := rand.New(rand.NewPCG(opt.Seed^0x73746f63, uint64(p.ID)))
		free := int64(50 + r.IntN(450))
		if r.IntN(10) == 0 {
			free = int64(r.IntN(6)) // a few run low
		}
		onHand := g.reserved[i] + free
		stock.row().i64(p.ID).i64(onHand).i64(g.reserved[i])
		if opening := onHand + g.shipped[i]; opening != 0 {
			actorRow(moves.row().i64(p.ID).i64(p.ID).i64(opening).text(string(core.MoveImport)).text("opening stock").null().null(),
				g.cfg.managers[0]).ts(g.from.Add(-day))
		}
	}
	balances := newCopyBuf("customer_balances", "customer_id", "invoiced", "paid")
	for i, b := range g.balances {
		if b != [2]core.Money{} {
			balances.row().i64(int64(i + 1)).i64(int64(b[0])).i64(int64(b[1]))
		}
	}
	counters := newCopyBuf("doc_counters", "kind", "year", "last")
	for y, n := range g.ids.invoiceYear {
		counters.row().text("invoice").i32(y).i64(n)
	}
	for _, b := range []*copyBuf{stock, moves, balances, counters} {
		if err := b.copyTo(ctx, tx); err != nil {
			return err
		}
	}
	_, err := tx.Exec(ctx, `SELECT setval('products_id_seq', $1), setval('customers_id_seq', $2),
		setval('orders_id_seq', $3), setval('order_number_seq', $3), setval('stock_moves_id_seq', $4),
		setval('order_events_id_seq', greatest($5, 1), $5 > 0), setval('shipments_id_seq', greatest($6, 1), $6 > 0),
		setval('invoices_id_seq', greatest($7, 1), $7 > 0), setval('payments_id_seq', greatest($8, 1), $8 > 0)`,
		opt.Products, opt.Customers, opt.Orders, g.ids.move, g.ids.event, g.ids.shipment, g.ids.invoice, g.ids.payment)
	return err
}
