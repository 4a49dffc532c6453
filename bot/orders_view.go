package bot

import (
	"fmt"
	"strings"

	"github.com/orderbot/orderbot/core"
)

// A customer's own orders: a list, newest first, and an order card with its
// lines, what shipped, invoices with what is due, and the history. The core
// answers "not found" for anyone else's order, whatever id a button carries.

const ordersPage = 6

func init() {
	onCommand("orders", false, false, func(r *req, _ string) error {
		if r.isStaff() {
			return showStages(r)
		}
		return showOrders(r, 0)
	})
	onCallback("ol", 1, false, func(r *req, c callback) error { return showOrders(r, int(c.Arg(0))) })
	onCallback("o", 1, false, func(r *req, c callback) error { return showOrder(r, c.Arg(0)) })
	onCallback("oh", 1, false, func(r *req, c callback) error { return showHistory(r, c.Arg(0)) })
	routes.Quiet("ol") // an order card refuses a stale or forged id with an alert: not quiet
	onCallback("oi", 1, false, func(r *req, c callback) error { return sendInvoice(r, c.Arg(0)) })
	onCallback("ox", 2, false, func(r *req, c callback) error {
		o, err := r.b.svc.Orders.Cancel(r.effect(), r.actor, c.Arg(0), c.Arg(1), "cancelled by the customer")
		if err != nil {
			return err
		}
		r.answer(r.lang.Plain("order.cancelled_by_you", o.Number), false)
		r.b.notifier.OrderChanged(r.ctx, o, core.ActCancel, r.actor)
		r.replied()
		return nil
	})
}

func showOrders(r *req, page int) error {
	orders, err := r.b.svc.Orders.List(r.ctx, r.actor, core.OrderFilter{NewestFirst: true, CustomerID: r.actor.CustomerID})
	if err != nil {
		return err
	}
	if len(orders) == 0 {
		k := new(kb).row(btn(r.lang.Plain("btn.catalog"), cb("cat", 0)))
		return r.show(r.lang.T("orders.empty"), r.accountRow(k, r.actor.CustomerID))
	}
	total := pages(len(orders), ordersPage)
	page = min(max(page, 0), total-1)
	l, cur := r.lang, r.b.cfg.Currency
	var b strings.Builder
	b.WriteString(l.T("orders.title", page+1, total))
	k := &kb{}
	for _, o := range orders[page*ordersPage : min(len(orders), (page+1)*ordersPage)] {
		b.WriteString("\n" + l.T("orders.item", o.Number, l.date(o.CreatedAt, r.b.cfg.Location), safeHTML(l.statusLine(&o)), l.money(cur, o.Total())))
		if o.Open() && o.Awaited() > 0 {
			b.WriteString(l.awaitedNote(&o))
		}
		k.row(btn(l.Plain("btn.order", o.Number, l.status(o.Status)), cb("o", o.ID)), reorderButton(r, &o))
	}
	k.pager(l, page, total, func(p int) callback { return cb("ol", int64(p)) })
	r.accountRow(k, r.actor.CustomerID)
	return r.show(b.String(), k)
}

func showOrder(r *req, id int64) error {
	o, err := r.b.svc.Orders.Get(r.ctx, r.actor, id)
	if err != nil {
		return err
	}
	invs, err := r.b.svc.Orders.Invoices(r.ctx, r.actor, core.InvoiceFilter{OrderID: o.ID})
	if err != nil {
		return err
	}
	notes, err := r.b.svc.Orders.CreditNotes(r.ctx, r.actor, o.ID)
	if err != nil {
		return err
	}
	text := r.renderOrder(o, invs) + r.renderCredits(notes)
	k := &kb{}
	for _, inv := range invs {
		if !inv.Voided {
			k.row(btn(r.lang.Plain("btn.invoice_pdf", inv.Number), cb("oi", inv.ID)), payButton(r, &inv))
		}
	}
	for _, n := range notes {
		k.row(btn(r.lang.Plain("btn.invoice_pdf", n.Number), cb("ocn", n.ID)))
	}
	k.row(btn(r.lang.Plain("btn.history"), cb("oh", o.ID)))
	if r.isStaff() {
		r.staffOrderButtons(k, o, invs)
	} else {
		if o.Status == core.StatusNew {
			k.row(btn(r.lang.Plain("btn.change_order"), cb("oe", o.ID, o.Version)), btn(r.lang.Plain("btn.cancel_order"), cb("ox", o.ID, o.Version)))
		}
		k.row(reorderButton(r, o))
		k.row(btn(r.lang.Plain("btn.orders"), cb("ol", 0)))
	}
	return r.show(text, k)
}

// staffOrderButtons adds the staff's actions to an order card; the staff
// side fills it in.
var staffOrderButtonsFn = func(r *req, k *kb, o *core.Order, invs []core.Invoice) {}

func (r *req) staffOrderButtons(k *kb, o *core.Order, invs []core.Invoice) {
	staffOrderButtonsFn(r, k, o, invs)
}

// renderOrder is the order card: status, lines with what shipped, totals,
// delivery, invoices with what is due.
func (r *req) renderOrder(o *core.Order, invs []core.Invoice) string {
	l, cur, loc := r.lang, r.b.cfg.Currency, r.b.cfg.Location
	var b strings.Builder
	b.WriteString(l.T("order.head", o.Number, l.datetime(o.CreatedAt, loc), safeHTML(l.statusLine(o))))
	if r.isStaff() {
		b.WriteString("\n👤 " + esc(o.CustomerName))
	}
	b.WriteString("\n")
	for _, line := range o.Lines {
		b.WriteString("\n" + l.T("order.line", line.Name, line.Qty, l.unit(line.Qty, line.Unit), l.money(cur, line.Amount())))
		if line.Shipped > 0 {
			b.WriteString(l.T("order.line_shipped", line.Shipped))
		}
		if line.Returned > 0 {
			b.WriteString(l.T("order.line_returned", line.Returned))
		}
		if line.Awaited > 0 && o.Open() {
			b.WriteString(l.lineAwaited(line))
		}
	}
	if more := l.orderTotalsText(cur, o, r.b.cfg.Pricing); more != "" {
		b.WriteString("\n" + more)
	}
	due := max(o.Due()-o.Paid, 0)
	b.WriteString("\n\n" + l.T("order.totals", l.money(cur, o.Total()), l.money(cur, o.Paid), l.money(cur, due)))
	for _, f := range []struct{ key, v string }{{"order.delivery", o.Address}, {"order.phone", phoneText(o.Phone)}, {"order.comment", o.Comment}} {
		if f.v != "" {
			b.WriteString("\n" + l.T(f.key, f.v))
		}
	}
	if o.PromisedOn != nil {
		b.WriteString("\n" + l.T("order.promised", l.day(*o.PromisedOn)))
	}
	if o.Open() && o.Awaited() > 0 {
		b.WriteString("\n" + l.expected(o))
	}
	if o.Status == core.StatusClosed || o.Status == core.StatusCancelled {
		b.WriteString("\n" + l.T("order.closed", o.CloseReason))
	}
	r.renderInvoices(&b, invs)
	return b.String()
}

func (r *req) renderInvoices(b *strings.Builder, invs []core.Invoice) {
	l, cur := r.lang, r.b.cfg.Currency
	today := r.b.svc.Orders.Today()
	for _, inv := range invs {
		state := l.T("order.inv_paid")
		switch {
		case inv.Voided:
			state = l.T("order.inv_void")
		case inv.Open() > 0 && inv.DaysOverdue(today) > 0:
			state = l.T("order.inv_overdue", l.money(cur, inv.Open()))
		case inv.Open() > 0:
			state = l.T("order.inv_open", l.money(cur, inv.Open()))
		}
		b.WriteString("\n" + l.T("order.invoice", inv.Number, l.money(cur, inv.Amount), l.day(inv.DueOn), safeHTML(state)))
	}
}

func showHistory(r *req, id int64) error {
	o, err := r.b.svc.Orders.Get(r.ctx, r.actor, id)
	if err != nil {
		return err
	}
	events, err := r.b.svc.Orders.History(r.ctx, r.actor, id)
	if err != nil {
		return err
	}
	l := r.lang
	var b strings.Builder
	b.WriteString(l.T("order.history", o.Number))
	for _, e := range events {
		who := e.Actor.Name
		if !r.isStaff() && e.Actor.Role.IsStaff() {
			who = l.Plain("role." + string(e.Actor.Role))
		}
		what := l.action(e.Action)
		if e.After != e.Before && e.Before != "" {
			what += fmt.Sprintf(" (%s → %s)", l.status(e.Before), l.status(e.After))
		}
		if r.isStaff() && e.Detail != "" {
			what += ": " + e.Detail
		}
		b.WriteString("\n" + l.T("order.event", l.datetime(e.At, r.b.cfg.Location), who, what))
	}
	return r.show(b.String(), new(kb).row(btn(l.Plain("btn.back"), cb("o", o.ID))))
}
