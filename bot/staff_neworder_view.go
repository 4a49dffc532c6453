package bot

import (
	"strings"
	"time"

	"github.com/orderbot/orderbot/core"
)

// The screens of a phone order. newOrderScreen loads what the dialog
// points at; the render functions only format it.

// newOrderView is what a phone order's screen shows.
type newOrderView struct {
	d        *dialog
	customer *core.Customer
	lines    []viewLine
	goods    core.Money // at the customer's prices, in the terms of prices
}

type viewLine struct {
	p   core.StockLevel
	qty int64
}

func (r *req) newOrderScreen(d *dialog) error {
	v := &newOrderView{d: d}
	if d.CustomerID != 0 {
		c, err := r.b.svc.Customers.Get(r.ctx, r.actor, d.CustomerID)
		if err != nil {
			return err
		}
		v.customer = c
	}
	if len(d.Lines) > 0 {
		ids := make([]int64, len(d.Lines))
		for i, l := range d.Lines {
			ids[i] = l.ProductID
		}
		levels, err := r.b.svc.Catalog.Stock(r.ctx, core.StockFilter{ProductIDs: ids})
		if err != nil {
			return err
		}
		byID := map[int64]core.StockLevel{}
		for _, p := range levels {
			byID[p.ID] = p
		}
		prices, err := r.b.svc.Catalog.CustomerPrices(r.ctx, d.CustomerID, ids)
		if err != nil {
			return err
		}
		for _, l := range d.Lines {
			p := byID[l.ProductID]
			p.Price = prices.Price(&p.Product, l.Qty) // the customer's price, as the order will fix it
			v.lines = append(v.lines, viewLine{p: p, qty: l.Qty})
			v.goods += p.Price * core.Money(l.Qty)
		}
	}
	text, k := r.renderNewOrder(v)
	return r.show(text, k)
}

func (r *req) renderNewOrder(v *newOrderView) (string, *kb) {
	l := r.lang
	if v.customer == nil {
		return l.T("staff.new.ask_customer"), l.quitKB()
	}
	var b strings.Builder
	b.WriteString(r.newOrderSummary(v))
	k := &kb{}
	switch v.d.Step {
	case nsLines:
		b.WriteString("\n\n" + l.T("staff.new.ask_lines"))
		for _, vl := range v.lines {
			k.row(btn(l.Plain("staff.btn.remove_line", vl.p.Name, vl.qty), cb("snr", vl.p.ID)))
		}
		k.row(btn(l.Plain("staff.btn.lines_done"), cb("snd")))
	case nsAddress:
		b.WriteString("\n\n" + l.T("staff.new.ask_address"))
		label := l.Plain("staff.btn.no_address")
		if v.customer.Address != "" {
			label = l.Plain("btn.use", v.customer.Address)
		}
		k.row(btn(label, cb("snu")))
	case nsDate:
		b.WriteString("\n\n" + l.T("staff.new.ask_date"))
		k.row(btn(l.Plain("staff.btn.today"), cb("snw", 0)), btn(l.Plain("staff.btn.tomorrow"), cb("snw", 1)),
			btn(l.Plain("staff.btn.in_days", 3), cb("snw", 3)))
		k.row(btn(l.Plain("staff.btn.no_date"), cb("sns")))
	case nsTerms:
		b.WriteString("\n\n" + l.T("staff.new.ask_terms", v.customer.TermsDays))
		k.row(btn(l.Plain("staff.btn.prepay"), cb("snt", 0)), btn(l.Plain("staff.btn.days", 7), cb("snt", 7)),
			btn(l.Plain("staff.btn.days", 14), cb("snt", 14)), btn(l.Plain("staff.btn.days", 30), cb("snt", 30)))
	case nsConfirm:
		b.WriteString("\n\n" + l.T("staff.new.ask_confirm"))
		k.row(btn(l.Plain("staff.btn.place"), cb("snk")))
		k.row(btn(l.Plain("staff.btn.edit_lines"), cb("sng")))
	}
	k.row(btn(l.Plain("staff.btn.quit"), cb("sq")))
	return b.String(), k
}

// newOrderSummary is the order as filled in so far.
func (r *req) newOrderSummary(v *newOrderView) string {
	l, cur, d := r.lang, r.b.cfg.Currency, v.d
	var b strings.Builder
	b.WriteString(l.T("staff.new.head", v.customer.Name, orDash(phoneText(v.customer.Phone), "")))
	for _, vl := range v.lines {
		b.WriteString("\n" + l.T("staff.new.line", vl.p.Name, vl.qty, l.unit(vl.qty, vl.p.Unit), l.money(cur, vl.p.Price*core.Money(vl.qty)), vl.p.Free))
	}
	fee := core.Money(0)
	if d.Step == nsConfirm {
		var err error
		if fee, err = cur.Parse(d.Data["delivery"]); err != nil {
			fee = r.b.cfg.Pricing.DeliveryFor(v.goods)
		}
	}
	if len(v.lines) > 0 {
		t := r.quote(v, fee)
		t.Delivery = 0 // its own line below, with how to change it
		if more := l.totalsText(cur, t, r.b.cfg.Pricing); more != "" {
			b.WriteString("\n" + more)
		}
		b.WriteString("\n" + l.T("card.total", l.money(cur, t.Gross)))
	}
	if d.Step == nsDate || d.Step == nsTerms || d.Step == nsConfirm {
		b.WriteString("\n" + l.T("order.delivery", orDash(d.Address, v.customer.Address)))
	}
	if p, err := time.Parse(time.DateOnly, d.Data["promised"]); err == nil && (d.Step == nsTerms || d.Step == nsConfirm) {
		b.WriteString("\n" + l.T("staff.new.promised", l.day(p)))
	}
	if d.Step == nsConfirm {
		b.WriteString("\n" + l.T("staff.new.terms", d.dataInt("terms")))
		b.WriteString("\n" + l.T("staff.new.delivery", l.money(cur, fee)))
	}
	return b.String()
}

// quote is what the phone order comes to as the order will fix it: the
// lines at the customer's prices with their tax, and the delivery fee.
func (r *req) quote(v *newOrderView, fee core.Money) core.OrderTotals {
	pr := r.b.cfg.Pricing
	o := &core.Order{TaxIncluded: !pr.Excluded, Delivery: fee, DeliveryRate: pr.DeliveryRate()}
	for _, vl := range v.lines {
		o.Lines = append(o.Lines, core.Line{ProductID: vl.p.ID, Qty: vl.qty, Price: vl.p.Price, TaxRate: pr.RateOf(&vl.p.Product)})
	}
	return o.Totals()
}

func orDash(s, fallback string) string {
	switch {
	case s != "":
		return s
	case fallback != "":
		return fallback
	}
	return "—"
}

func (r *req) renderCustomerChoice(query string, found []core.Customer) (string, *kb) {
	l := r.lang
	k := &kb{}
	for _, c := range found {
		label := c.Name
		if c.Phone != "" {
			label += " · " + phoneText(c.Phone)
		}
		k.row(btn(l.Plain("staff.btn.customer_pick", label), cb("snc", c.ID)))
	}
	k.row(btn(l.Plain("staff.btn.customer_new", clip(query, 40)), cb("snn")))
	k.row(btn(l.Plain("staff.btn.quit"), cb("sq")))
	if len(found) == 0 {
		return l.T("staff.new.no_customer", query), k
	}
	return l.T("staff.new.customers", query), k
}

func (r *req) renderProductChoice(query string, qty int64, found []core.StockLevel) (string, *kb) {
	l, cur := r.lang, r.b.cfg.Currency
	if len(found) == 0 {
		return l.T("staff.new.no_product", query), l.quitKB()
	}
	k := &kb{}
	for _, p := range found {
		k.row(btn(l.Plain("staff.btn.product_pick", p.Name, l.money(cur, p.Price), p.Free, qty), cb("sna", p.ID, qty)))
	}
	k.row(btn(l.Plain("staff.btn.quit"), cb("sq")))
	return l.T("staff.new.products", query, qty), k
}
