package bot

import (
	"strings"
	"time"

	"github.com/orderbot/orderbot/core"
)

// The cart: lines with quantities and totals; changing a quantity holds the
// goods again, and lapsed holds are shown as such.

func init() {
	onCommand("cart", false, false, func(r *req, _ string) error { return openCart(r) })
	onCallback("cart", 0, false, func(r *req, _ callback) error { return openCart(r) })
	routes.Quiet("cart")
	onCallback("cq", 2, false, func(r *req, c callback) error {
		cart, err := r.b.svc.Shopping.SetQty(r.ctx, r.actor, c.Arg(0), c.Arg(1))
		if err != nil {
			return err
		}
		return showCart(r, cart)
	})
	onCallback("cclr", 0, false, func(r *req, _ callback) error {
		if err := r.b.svc.Shopping.Clear(r.ctx, r.actor); err != nil {
			return err
		}
		r.answer(r.lang.Plain("cart.cleared"), false)
		return r.show(r.lang.T("cart.empty"), new(kb).row(btn(r.lang.Plain("btn.catalog"), cb("cat", 0))))
	})
}

func openCart(r *req) error {
	if r.customer == nil {
		return r.reply(r.lang.T("cart.empty"), nil)
	}
	cart, err := r.b.svc.Shopping.View(r.ctx, r.actor)
	if err != nil {
		return err
	}
	return showCart(r, cart)
}

func showCart(r *req, cart *core.Cart) error {
	text, k := r.renderCart(cart)
	return r.show(text, k)
}

func (r *req) renderCart(cart *core.Cart) (string, *kb) {
	l, cur := r.lang, r.b.cfg.Currency
	if len(cart.Lines) == 0 {
		return l.T("cart.empty"), new(kb).row(btn(l.Plain("btn.catalog"), cb("cat", 0)))
	}
	var b strings.Builder
	b.WriteString(l.T("cart.title"))
	k := &kb{}
	var until time.Time
	for _, line := range cart.Lines {
		p := line.Product
		b.WriteString("\n" + l.T("cart.line", p.Name, line.Qty, l.unit(line.Qty, p.Unit), l.money(cur, line.Amount)))
		if !line.Held {
			b.WriteString(l.T("cart.lapsed_mark"))
		} else if until.IsZero() || line.Until.Before(until) {
			until = line.Until
		}
		k.row(btn("−", cb("cq", p.ID, line.Qty-1)), btn(clip(p.Name, 24)+" × "+itoa(line.Qty), cb("p", p.ID, 1)),
			btn("+", cb("cq", p.ID, line.Qty+1)), btn(l.Plain("btn.remove"), cb("cq", p.ID, 0)))
	}
	if more := l.totalsText(cur, cart.Quote, r.b.cfg.Pricing); more != "" {
		b.WriteString("\n" + more)
	}
	b.WriteString("\n\n" + l.T("cart.total", l.money(cur, cart.Total)))
	if cart.Lapsed > 0 {
		b.WriteString("\n" + l.T("cart.lapsed_note"))
	} else if !until.IsZero() {
		b.WriteString("\n" + l.T("cart.held_until", until.In(r.b.cfg.Location).Format("15:04")))
	}
	k.row(btn(l.Plain("btn.checkout"), cb("co")))
	k.row(btn(l.Plain("btn.catalog"), cb("cat", 0)), btn(l.Plain("btn.clear"), cb("cclr")))
	return b.String(), k
}
