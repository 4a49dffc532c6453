package bot

import (
	"strings"
	"time"

	"github.com/orderbot/orderbot/core"
)

// Order again: from /orders, an order card or a delivery notice, one tap
// puts the order's goods in the cart at today's prices and availability and
// opens the checkout summary with the last address and phone; Place order is
// the second tap. Each line says what became of it: in the cart, short
// (with what is free), to order, or no longer sold.

func init() {
	onCallback("ro", 1, false, func(r *req, c callback) error { return reorder(r, c.Arg(0)) })
	register(langEN, map[string]string{
		"reorder.head":     "🔁 <b>Order again</b> · the goods of order %s at today's prices:",
		"reorder.ok":       "• %s × %d: in your cart",
		"reorder.short":    "• %s: you had %d, only %d available now — %d in your cart",
		"reorder.out":      "• %s: you had %d, none available now — left out",
		"reorder.to_order": "• %s × %d: in your cart; what is not in stock will be made to order",
		"reorder.gone":     "• %s: no longer sold — left out",
		"reorder.nothing":  "None of the goods of order %s can be ordered now.",
	})
	register(langRU, map[string]string{
		"reorder.head":     "🔁 <b>Заказать снова</b> · товары заказа %s по сегодняшним ценам:",
		"reorder.ok":       "• %s × %d: в корзине",
		"reorder.short":    "• %s: было %d, сейчас доступно только %d — в корзине %d",
		"reorder.out":      "• %s: было %d, сейчас нет в наличии — не добавлено",
		"reorder.to_order": "• %s × %d: в корзине; чего нет на складе, будет под заказ",
		"reorder.gone":     "• %s: больше не продаётся — не добавлено",
		"reorder.nothing":  "Ни один товар заказа %s сейчас заказать нельзя.",
	})
}

func reorder(r *req, orderID int64) error {
	if r.customer == nil {
		r.answer(r.lang.Plain("err.stale"), true)
		return nil
	}
	o, err := r.b.svc.Orders.Get(r.ctx, r.actor, orderID)
	if err != nil {
		return err
	}
	lines, cart, err := r.b.svc.Shopping.Reorder(r.ctx, r.actor, orderID)
	if err != nil {
		return err
	}
	r.answer("", false)
	if len(cart.Lines) == 0 {
		return r.reply(r.lang.T("reorder.nothing", o.Number), new(kb).row(btn(r.lang.Plain("btn.catalog"), cb("cat", 0))).markup())
	}
	d := &dialog{Flow: flowCheckout, Step: coAddress, Started: time.Now().UnixMilli()}
	d.set("note", r.reorderNote(o, lines))
	if addr := orDash(r.customer.Address, o.Address); addr != "" {
		d.Address = addr
		r.afterAddress(d)
	}
	if err := r.saveDialog(d); err != nil {
		return err
	}
	if d.Step != coConfirm {
		if err := r.reply(d.Data["note"], nil); err != nil {
			return err
		}
	}
	return r.checkoutPrompt(d)
}

// reorderNote says, line by line, what became of the order's goods.
func (r *req) reorderNote(o *core.Order, lines []core.ReorderLine) string {
	l := r.lang
	parts := []string{l.T("reorder.head", o.Number)}
	for _, rl := range lines {
		switch {
		case rl.Gone:
			parts = append(parts, l.T("reorder.gone", rl.Name))
		case rl.ToOrder:
			parts = append(parts, l.T("reorder.to_order", rl.Name, rl.InCart))
		case rl.InCart == rl.Wanted:
			parts = append(parts, l.T("reorder.ok", rl.Name, rl.InCart))
		case rl.InCart > 0:
			parts = append(parts, l.T("reorder.short", rl.Name, rl.Wanted, rl.Free, rl.InCart))
		default:
			parts = append(parts, l.T("reorder.out", rl.Name, rl.Wanted))
		}
	}
	return strings.Join(parts, "\n")
}
