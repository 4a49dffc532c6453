package bot

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/orderbot/orderbot/core"
)

// The staff's work lists: /toship (orders waiting for shipment, oldest
// first, promised dates passed flagged), /unpaid (open invoices, overdue
// flagged, with Record payment buttons) and /order N (any order's card with
// its history).

const staffPage = 8

func init() {
	onCommand("toship", true, false, func(r *req, _ string) error { return showToShip(r, 0) })
	onCallback("stl", 1, true, func(r *req, c callback) error { return showToShip(r, int(c.Arg(0))) })
	onCommand("unpaid", true, false, func(r *req, _ string) error { return showUnpaid(r, 0) })
	onCallback("sul", 1, true, func(r *req, c callback) error { return showUnpaid(r, int(c.Arg(0))) })
	onCommand("order", true, false, openOrderByNumber)
}

func showToShip(r *req, page int) error {
	orders, err := r.b.svc.Orders.List(r.ctx, r.actor, core.OrderFilter{AwaitingShipment: true})
	if err != nil {
		return err
	}
	if len(orders) == 0 {
		return r.show(r.lang.T("staff.toship.empty"), nil)
	}
	orders = readyFirst(orders)
	total := pages(len(orders), staffPage)
	page = min(max(page, 0), total-1)
	text, k := r.renderToShip(orders[page*staffPage:min(len(orders), (page+1)*staffPage)], len(orders), page, total)
	return r.show(text, k)
}

func (r *req) renderToShip(orders []core.Order, n, page, total int) (string, *kb) {
	l, loc := r.lang, r.b.cfg.Location
	today := r.b.svc.Orders.Today()
	var b strings.Builder
	b.WriteString(l.T("staff.toship.title", n, page+1, total))
	k := &kb{}
	section := ""
	for _, o := range orders {
		if s := toShipSection(&o); s != section {
			section = s
			b.WriteString("\n\n" + l.T(s))
		}
		b.WriteString("\n" + l.T("staff.toship.item", o.Number, o.CustomerName, o.Ready(), l.date(o.CreatedAt, loc)))
		if o.Awaited() > 0 {
			b.WriteString(l.awaitedMark(&o))
		}
		if o.PromisedOn != nil {
			key := "staff.toship.promised"
			if o.PromisedOn.Before(today) {
				key = "staff.toship.late"
			}
			b.WriteString(l.T(key, l.day(*o.PromisedOn)))
		}
		k.row(btn(l.Plain("staff.btn.order_item", o.Number, o.CustomerName), cb("o", o.ID)))
	}
	k.pager(l, page, total, func(p int) callback { return cb("stl", int64(p)) })
	return b.String(), k
}

func showUnpaid(r *req, page int) error {
	invs, err := r.b.svc.Orders.Invoices(r.ctx, r.actor, core.InvoiceFilter{OpenOnly: true})
	if err != nil {
		return err
	}
	if len(invs) == 0 {
		return r.show(r.lang.T("staff.unpaid.empty"), nil)
	}
	total := pages(len(invs), staffPage)
	page = min(max(page, 0), total-1)
	text, k := r.renderUnpaid(invs, page, total)
	return r.show(text, k)
}

func (r *req) renderUnpaid(invs []core.Invoice, page, total int) (string, *kb) {
	l, cur := r.lang, r.b.cfg.Currency
	today := r.b.svc.Orders.Today()
	var open, overdue core.Money
	for _, inv := range invs {
		open += inv.Open()
		if inv.DaysOverdue(today) > 0 {
			overdue += inv.Open()
		}
	}
	var b strings.Builder
	b.WriteString(l.T("staff.unpaid.title", len(invs), l.money(cur, open), l.money(cur, overdue), page+1, total))
	k := &kb{}
	for _, inv := range invs[page*staffPage : min(len(invs), (page+1)*staffPage)] {
		b.WriteString("\n" + l.T("staff.unpaid.item", inv.Number, inv.OrderNumber, inv.Customer, l.money(cur, inv.Open()),
			l.money(cur, inv.Amount), l.day(inv.DueOn)))
		if d := inv.DaysOverdue(today); d > 0 {
			b.WriteString(l.T("staff.unpaid.overdue", d))
		}
		k.row(btn(l.Plain("staff.btn.pay_invoice", inv.Number, l.money(cur, inv.Open())), cb("sp", inv.OrderID)),
			btn(l.Plain("staff.btn.open_order"), cb("o", inv.OrderID)))
	}
	k.pager(l, page, total, func(p int) callback { return cb("sul", int64(p)) })
	return b.String(), k
}

var orderNumberRE = regexp.MustCompile(`^\d{4}-\d{1,12}$`)

// openOrderByNumber shows an order's card and then its history. A bare
// sequence number ("123") is read as this year's order.
func openOrderByNumber(r *req, args string) error {
	args = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(args), "#"))
	if args == "" {
		return r.reply(r.lang.T("staff.order.usage"), nil)
	}
	o, err := r.findOrder(args)
	if err != nil {
		return err
	}
	if err := showOrder(r, o.ID); err != nil {
		return err
	}
	return showHistory(r, o.ID)
}

func (r *req) findOrder(number string) (*core.Order, error) {
	if n, err := strconv.ParseInt(number, 10, 64); err == nil && n > 0 {
		number = fmt.Sprintf("%d-%06d", r.b.svc.Orders.Today().Year(), n)
	}
	o, err := r.b.svc.Orders.GetByNumber(r.ctx, r.actor, number)
	if errors.Is(err, core.ErrNotFound) {
		return nil, core.Errorf(core.ErrNotFound, "%s", r.lang.Plain("staff.order.none", number))
	}
	return o, err
}
