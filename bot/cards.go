package bot

import (
	"context"
	"strings"

	"github.com/orderbot/orderbot/core"
)

// chatLang is the language of a chat we write to first (staff, customers).
func (b *Bot) chatLang(ctx context.Context, chatID int64) lang {
	override, _ := b.cache.Lang(ctx, chatID)
	return pickLang(override, "", b.def)
}

// newOrderCard is the staff's card of an order: customer, phone, address,
// lines, total, the customer's debt and overdue, a credit limit exceeded,
// and the buttons to act: Confirm and Reject while it is new; once someone
// acted (done says who), what usually comes next, Ship all and Paid in
// full, one tap away on the card itself.
func (b *Bot) newOrderCard(ctx context.Context, l lang, o *core.Order, done string) (string, *kb) {
	cur := b.cfg.Currency
	var s strings.Builder
	s.WriteString(l.T("card.head", o.Number, l.status(o.Status)))
	s.WriteString("\n" + l.T("card.customer", o.CustomerName, phoneText(o.Phone)))
	if o.Address != "" {
		s.WriteString("\n" + l.T("order.delivery", o.Address))
	}
	for _, line := range o.Lines {
		s.WriteString("\n" + l.T("order.line", line.Name, line.Qty, l.unit(line.Qty, line.Unit), l.money(cur, line.Amount())))
		if line.Awaited > 0 && o.Open() {
			s.WriteString(l.lineAwaited(line))
		}
	}
	if more := l.orderTotalsText(cur, o, b.cfg.Pricing); more != "" {
		s.WriteString("\n" + more)
	}
	s.WriteString("\n" + l.T("card.total", l.money(cur, o.Total())))
	if o.Comment != "" {
		s.WriteString("\n" + l.T("order.comment", o.Comment))
	}
	if bal, err := b.svc.Orders.Balances(ctx, core.System, o.CustomerID); err == nil && len(bal) == 1 {
		if bal[0].Debt < 0 {
			s.WriteString("\n" + l.T("card.credit", l.money(cur, -bal[0].Debt)))
		} else {
			s.WriteString("\n" + l.T("card.debt", l.money(cur, bal[0].Debt), l.money(cur, bal[0].Overdue())))
		}
		if lim := bal[0].CreditLimit; lim != nil && bal[0].Debt+o.Total() > *lim {
			s.WriteString("\n" + l.T("card.over_limit", l.money(cur, *lim)))
		}
	}
	k := &kb{}
	if done != "" {
		s.WriteString("\n\n" + done)
	}
	if o.Status == core.StatusNew {
		k.row(btn(l.Plain("btn.confirm"), cb("sc", o.ID, o.Version)), btn(l.Plain("btn.reject"), cb("sr", o.ID, o.Version)))
	}
	if o.ConfirmedAt != nil {
		k.row(shipAllButton(l, o), b.payFullButton(l, o))
	}
	k.row(btn(l.Plain("btn.open"), cb("o", o.ID)))
	return s.String(), k
}

// refreshCards edits every staff card of the order to say who did what.
func (b *Bot) refreshCards(ctx context.Context, o *core.Order, act core.Action, by core.Actor) {
	cards, err := b.chats.Cards(ctx, o.ID)
	if err != nil {
		b.log.Warn("cards of order", "order", o.Number, "err", err)
		return
	}
	for _, c := range cards {
		l := b.chatLang(ctx, c[0])
		done := l.T("card.done", l.action(act), by.Name, l.status(o.Status))
		text, k := b.newOrderCard(ctx, l, o, done)
		if err := b.send.EditWait(ctx, c[0], int(c[1]), prio(ctx), text, k.markup()); err != nil {
			b.log.Warn("edit card", "order", o.Number, "chat_id", c[0], "err", err)
		}
	}
}

// customerNotice is what a customer reads when their order moved to status.
func customerNotice(l lang, o *core.Order, act core.Action, status core.Status) (string, *kb) {
	key := "notice." + string(act)
	if _, ok := catalogs[langEN][key]; !ok {
		key = "notice.changed"
	}
	text := l.T(key, o.Number, l.status(status), o.CloseReason)
	k := new(kb).row(btn(l.Plain("btn.order", o.Number, l.status(o.Status)), cb("o", o.ID)))
	return text, k
}

func init() {
	register(langEN, map[string]string{
		"card.head":       "🆕 <b>Order %s</b> · %s",
		"card.customer":   "👤 %s · %s",
		"card.total":      "Total: <b>%s</b>",
		"card.debt":       "Customer owes %s, overdue %s",
		"card.credit":     "Customer has a credit of %s (paid ahead of invoices)",
		"card.over_limit": "⚠️ Over the credit limit of %s",
		"card.done":       "✔ %s by %s · now %s",
		"btn.confirm":     "✅ Confirm",
		"btn.reject":      "✖ Reject",
		"btn.open":        "🔎 Open",
		"notice.changed":  "Your order <b>%s</b> is now %s.%.0s",
		"notice.place":    "🧾 The shop placed order <b>%s</b> for you (%s). /orders shows it.%.0s",
		"notice.confirm":  "✅ Your order <b>%s</b> is confirmed and is being prepared (%s).%.0s",
		"notice.reject":   "✖ Your order <b>%s</b> was declined (%s). Reason: %s",
		"notice.cancel":   "✖ Your order <b>%s</b> is cancelled (%s). %s",
		"notice.close":    "Your order <b>%s</b> is closed (%s). %s",
		"notice.ship":     "🚚 Goods of your order <b>%s</b> have shipped (%s).%.0s",
		"notice.invoice":  "🧾 An invoice for your order <b>%s</b> is ready (%s).%.0s",
		"notice.payment":  "💳 Payment received for your order <b>%s</b> (%s).%.0s",
	})
	register(langRU, map[string]string{
		"card.head":       "🆕 <b>Заказ %s</b> · %s",
		"card.customer":   "👤 %s · %s",
		"card.total":      "Сумма: <b>%s</b>",
		"card.debt":       "Долг клиента %s, просрочено %s",
		"card.credit":     "У клиента аванс %s (оплачено раньше счетов)",
		"card.over_limit": "⚠️ Превышен кредитный лимит %s",
		"card.done":       "✔ %s: %s · теперь %s",
		"btn.confirm":     "✅ Подтвердить",
		"btn.reject":      "✖ Отклонить",
		"btn.open":        "🔎 Открыть",
		"notice.changed":  "Ваш заказ <b>%s</b> теперь: %s.%.0s",
		"notice.place":    "🧾 Магазин оформил для вас заказ <b>%s</b> (%s). Он есть в /orders.%.0s",
		"notice.confirm":  "✅ Ваш заказ <b>%s</b> подтверждён и собирается (%s).%.0s",
		"notice.reject":   "✖ Ваш заказ <b>%s</b> отклонён (%s). Причина: %s",
		"notice.cancel":   "✖ Ваш заказ <b>%s</b> отменён (%s). %s",
		"notice.close":    "Ваш заказ <b>%s</b> закрыт (%s). %s",
		"notice.ship":     "🚚 Товары по заказу <b>%s</b> отгружены (%s).%.0s",
		"notice.invoice":  "🧾 Счёт по заказу <b>%s</b> готов (%s).%.0s",
		"notice.payment":  "💳 Оплата по заказу <b>%s</b> получена (%s).%.0s",
	})
}
