package bot

import (
	"context"
	"strings"

	"github.com/orderbot/orderbot/core"
)

// What a customer reads when the order cycle moves their order: goods that
// arrived, a change the shop made (with the new summary), goods taken back,
// a payment reversed, an order closed once shipped and paid.

// cycleNotice is the customer's text for the event, or "" when the generic
// notice says it.
func (b *Bot) cycleNotice(_ context.Context, l lang, o *core.Order, p core.OrderNotice) string {
	cur := b.cfg.Currency
	switch p.Action {
	case core.ActArrive:
		return l.T("notice.arrival", o.Number) + "\n" + l.orderLines(cur, o) + l.awaitedTail(o)
	case core.ActEdit:
		return l.T("notice.edit", o.Number, safeHTML(l.statusLine(o))) + "\n" + l.orderLines(cur, o) + "\n\n" +
			l.T("notice.edit_total", l.money(cur, o.Total()), orDash(o.Address, "—")) + l.awaitedTail(o)
	case core.ActReturn:
		var lines []string
		for _, line := range o.Lines {
			if line.Returned > 0 {
				lines = append(lines, l.T("staff.ship.notice_line", line.Name, line.Returned, l.unit(line.Returned, line.Unit)))
			}
		}
		return l.T("notice.return", o.Number, safeHTML(strings.Join(lines, "\n")), l.money(cur, max(o.Due()-o.Paid, 0)))
	case core.ActReverse:
		return l.T("notice.reverse_payment", o.Number, l.money(cur, max(o.Due()-o.Paid, 0)))
	case core.ActClose:
		if o.CloseReason == core.AutoCloseReason {
			return l.T("notice.close_settled", o.Number)
		}
	}
	return ""
}

// orderLines lists an order's lines with what is ready and what awaited.
func (l lang) orderLines(cur core.Currency, o *core.Order) string {
	var b strings.Builder
	for i, line := range o.Lines {
		if i > 0 {
			b.WriteString("\n")
		}
		b.WriteString(l.T("order.line", line.Name, line.Qty, l.unit(line.Qty, line.Unit), l.money(cur, line.Amount())))
		switch {
		case line.Awaited > 0:
			b.WriteString(l.lineAwaited(line))
		case line.Outstanding() > 0 && o.ConfirmedAt != nil:
			b.WriteString(l.T("order.line_ready", line.Ready()))
		}
	}
	return b.String()
}

func (l lang) awaitedTail(o *core.Order) string {
	if o.Awaited() == 0 {
		return "\n\n" + l.T("notice.all_ready")
	}
	return "\n\n" + l.expected(o)
}

func init() {
	register(langEN, map[string]string{
		"notice.arrival":         "📦 Goods for your order <b>%s</b> arrived:",
		"notice.all_ready":       "Everything is ready; the shop will ship it.",
		"notice.edit":            "✏️ The shop changed your order <b>%s</b> (%s). It is now:",
		"notice.edit_total":      "Total: <b>%s</b>\nDelivery: %s",
		"notice.return":          "↩ Goods of your order <b>%s</b> were taken back:\n%s\nLeft to pay for the order: %s. A credit note follows for what was already invoiced.",
		"notice.reverse_payment": "💸 A payment for your order <b>%s</b> was reversed. Left to pay for the order: %s.",
		"notice.close_settled":   "✅ Your order <b>%s</b> is shipped, paid and closed. Thank you!",
		"notice.void_invoice":    "🧾 An invoice of your order <b>%s</b> was cancelled (%s).%.0s",
		"order.line_ready":       " · ✅ %d ready",
	})
	register(langRU, map[string]string{
		"notice.arrival":         "📦 Пришёл товар по вашему заказу <b>%s</b>:",
		"notice.all_ready":       "Всё готово; магазин отгрузит заказ.",
		"notice.edit":            "✏️ Магазин изменил ваш заказ <b>%s</b> (%s). Теперь он такой:",
		"notice.edit_total":      "Сумма: <b>%s</b>\nДоставка: %s",
		"notice.return":          "↩ Товары по заказу <b>%s</b> приняты обратно:\n%s\nОсталось оплатить по заказу: %s. На уже выставленное придёт кредит-нота.",
		"notice.reverse_payment": "💸 Оплата по заказу <b>%s</b> отменена. Осталось оплатить по заказу: %s.",
		"notice.close_settled":   "✅ Ваш заказ <b>%s</b> отгружен, оплачен и закрыт. Спасибо!",
		"notice.void_invoice":    "🧾 Счёт по заказу <b>%s</b> аннулирован (%s).%.0s",
		"order.line_ready":       " · ✅ готово %d",
	})
}
