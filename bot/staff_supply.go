package bot

import (
	"strings"

	"github.com/orderbot/orderbot/core"
)

// How a product is supplied beyond stock, from its stock card: stock only
// (a shortage is refused), made to order with a lead time in days, or
// backorder (sold beyond stock, the rest awaited). Goods received say which
// orders they went to.

func init() {
	onCallback("sks", 2, true, func(r *req, c callback) error { return setSupply(r, c.Arg(0), c.Arg(1)) }) // supply mode: 0 stock, 1 to order, 2 backorder
	register(langEN, map[string]string{
		"staff.supply.stock":          "📦 Sold from stock only: a shortage is refused.",
		"staff.supply.to_order":       "🏭 Made to order: beyond stock it is awaited, ready %d {day|days} after ordering.",
		"staff.supply.backorder":      "⏳ Backorder: beyond stock it is awaited until goods arrive.",
		"staff.supply.backorder_days": "⏳ Backorder: beyond stock it is awaited, expected %d {day|days} after ordering.",
		"staff.btn.supply_stock":      "📦 Stock only",
		"staff.btn.supply_order":      "🏭 To order…",
		"staff.btn.supply_back":       "⏳ Backorder",
		"staff.supply.ask_lead":       "🏭 <b>%s</b> made to order: in how many days is it ready after ordering? Type a number from 1 to 365.",
		"staff.supply.bad_lead":       "“%s” is not a number of days from 1 to 365.",
		"staff.supply.set":            "Supply of %s changed.",
		"staff.arrivals.head":         "\n\nWent to orders awaiting it (oldest first):",
		"staff.arrivals.line":         "\n• %s: %d reserved%s",
		"staff.arrivals.left":         ", %d still awaited",
	})
	register(langRU, map[string]string{
		"staff.supply.stock":          "📦 Только со склада: нехватка — отказ.",
		"staff.supply.to_order":       "🏭 Под заказ: сверх остатка ждём, готово через %d {день|дня|дней} после заказа.",
		"staff.supply.backorder":      "⏳ Предзаказ: сверх остатка ждём поступления товара.",
		"staff.supply.backorder_days": "⏳ Предзаказ: сверх остатка ждём, ожидается через %d {день|дня|дней} после заказа.",
		"staff.btn.supply_stock":      "📦 Только склад",
		"staff.btn.supply_order":      "🏭 Под заказ…",
		"staff.btn.supply_back":       "⏳ Предзаказ",
		"staff.supply.ask_lead":       "🏭 <b>%s</b> под заказ: через сколько дней после заказа готово? Напишите число от 1 до 365.",
		"staff.supply.bad_lead":       "«%s» — не число дней от 1 до 365.",
		"staff.supply.set":            "Способ поставки %s изменён.",
		"staff.arrivals.head":         "\n\nУшло в заказы, которые его ждали (старые первыми):",
		"staff.arrivals.line":         "\n• %s: зарезервировано %d%s",
		"staff.arrivals.left":         ", ещё ждём %d",
	})
}

func (l lang) supplyText(p core.Product) string {
	switch p.Supply {
	case core.SupplyToOrder:
		return l.T("staff.supply.to_order", p.LeadDays)
	case core.SupplyBackorder:
		if p.LeadDays > 0 {
			return l.T("staff.supply.backorder_days", p.LeadDays)
		}
		return l.T("staff.supply.backorder")
	}
	return l.T("staff.supply.stock")
}

func supplyButtons(l lang, k *kb, p core.Product) {
	var row []button
	if p.SellsBeyondStock() {
		row = append(row, btn(l.Plain("staff.btn.supply_stock"), cb("sks", p.ID, 0)))
	}
	row = append(row, btn(l.Plain("staff.btn.supply_order"), cb("sks", p.ID, 1)))
	if p.Supply != core.SupplyBackorder {
		row = append(row, btn(l.Plain("staff.btn.supply_back"), cb("sks", p.ID, 2)))
	}
	k.row(row...)
}

func setSupply(r *req, productID, mode int64) error {
	switch mode {
	case 0, 2:
		sp := map[int64]core.Supply{0: core.SupplyStock, 2: core.SupplyBackorder}[mode]
		p, err := r.b.svc.Catalog.SetSupply(r.ctx, r.actor, productID, sp, 0)
		if err != nil {
			return err
		}
		r.answer(r.lang.Plain("staff.supply.set", p.Name), false)
		return showStockItem(r, productID, "")
	case 1:
		levels, err := r.b.svc.Catalog.Stock(r.ctx, core.StockFilter{ProductIDs: []int64{productID}})
		if err != nil || len(levels) == 0 {
			return core.Errorf(core.ErrNotFound, "%s", r.lang.Plain("product.gone"))
		}
		if err := r.saveDialog(&dialog{Flow: flowStock, Step: "lead", ProductID: productID}); err != nil {
			return err
		}
		return r.show(r.lang.T("staff.supply.ask_lead", levels[0].Name), r.lang.quitKB())
	}
	r.answer(r.lang.Plain("err.stale"), true)
	return nil
}

// setLeadDays takes the typed lead time of a product made to order.
func setLeadDays(r *req, d *dialog, days int64) error {
	if days < 1 || days > core.MaxLeadDays {
		return r.reply(r.lang.T("staff.supply.bad_lead", itoa(days)), r.lang.quitKB().markup())
	}
	if _, err := r.b.svc.Catalog.SetSupply(r.ctx, r.actor, d.ProductID, core.SupplyToOrder, int(days)); err != nil {
		return err
	}
	if err := r.clearDialog(); err != nil {
		r.log.Warn("clear dialog", "err", err)
	}
	return showStockItem(r, d.ProductID, "")
}

// arrivalsText lists the orders goods received went to.
func (l lang) arrivalsText(as []core.Arrival) string {
	if len(as) == 0 {
		return ""
	}
	var b strings.Builder
	b.WriteString(l.T("staff.arrivals.head"))
	for _, a := range as {
		left := ""
		if a.Left > 0 {
			left = l.T("staff.arrivals.left", a.Left)
		}
		b.WriteString(l.T("staff.arrivals.line", a.Order, a.Qty, safeHTML(left)))
	}
	return b.String()
}

// availability is what a customer reads of a product's stock: how many are
// in stock, and for goods sold beyond stock that more can be ordered.
func (l lang) availability(free int64, p core.Product) string {
	switch {
	case p.SellsBeyondStock() && free > 0 && p.LeadDays > 0:
		return l.T("catalog.free_more", free, p.LeadDays)
	case p.SellsBeyondStock() && free > 0:
		return l.T("catalog.free_backorder", free)
	case p.Supply == core.SupplyToOrder:
		return l.T("catalog.to_order", p.LeadDays)
	case p.SellsBeyondStock() && p.LeadDays > 0:
		return l.T("catalog.backorder_days", p.LeadDays)
	case p.SellsBeyondStock():
		return l.T("catalog.backorder")
	case free > 0:
		return l.T("catalog.free", free)
	}
	return l.T("catalog.out")
}

// orderable reports whether a customer may put the product in the cart now.
func orderable(free int64, p core.Product) bool { return free > 0 || p.SellsBeyondStock() }

func init() {
	register(langEN, map[string]string{
		"catalog.free_more":      "%d in stock, more to order in %d {day|days}",
		"catalog.free_backorder": "%d in stock, more on backorder",
		"catalog.to_order":       "made to order, ready in %d {day|days}",
		"catalog.backorder_days": "on backorder, expected in %d {day|days}",
		"catalog.backorder":      "on backorder",
	})
	register(langRU, map[string]string{
		"catalog.free_more":      "в наличии %d, больше — под заказ за %d {день|дня|дней}",
		"catalog.free_backorder": "в наличии %d, больше — предзаказ",
		"catalog.to_order":       "под заказ, готово через %d {день|дня|дней}",
		"catalog.backorder_days": "предзаказ, ожидается через %d {день|дня|дней}",
		"catalog.backorder":      "предзаказ",
	})
}
