package bot

import (
	"strings"

	"github.com/orderbot/orderbot/core"
)

// How the order cycle reads: the headline status with the facts it does not
// already say (an order paid before it ships says both), what is awaited and
// when it is expected, the credit notes of an order.

// statusLine is the headline status in bold and, after it, what it leaves
// unsaid: "paid · not shipped", "shipped · partly paid", "in progress ·
// awaiting goods". A cancelled order says nothing about payment.
func (l lang) statusLine(o *core.Order) string {
	var facts []string
	switch o.Status {
	case core.StatusNew, core.StatusInProgress:
		if o.Fulfilment == core.PartlyShipped {
			facts = append(facts, l.fulfilment(o.Fulfilment))
		}
		if o.Payment != core.Unpaid {
			facts = append(facts, l.payment(o.Payment))
		}
		if o.Awaited() > 0 {
			facts = append(facts, l.Plain("status.awaiting_goods"))
		}
	case core.StatusShipped:
		facts = append(facts, l.payment(o.Payment))
	case core.StatusPaid:
		facts = append(facts, l.fulfilment(o.Fulfilment))
		if o.Awaited() > 0 {
			facts = append(facts, l.Plain("status.awaiting_goods"))
		}
	case core.StatusClosed:
		if o.Paid < o.Due() {
			facts = append(facts, l.payment(o.Payment))
		}
	}
	s := "<b>" + esc(l.status(o.Status)) + "</b>"
	for _, f := range facts {
		s += " · " + esc(f)
	}
	return s
}

// lineAwaited marks a line of which some units wait for goods.
func (l lang) lineAwaited(line core.Line) string {
	if line.ExpectedOn != nil {
		return l.T("order.line_awaited_on", line.Awaited, l.day(*line.ExpectedOn))
	}
	return l.T("order.line_awaited", line.Awaited)
}

// expected says when the awaited goods of an order are expected.
func (l lang) expected(o *core.Order) string {
	if d := o.ExpectedOn(); d != nil {
		return l.T("order.expected", l.day(*d))
	}
	return l.T("order.expected_unknown")
}

// awaitedNote is the short mark of an order in a list that waits for goods.
func (l lang) awaitedNote(o *core.Order) string {
	if d := o.ExpectedOn(); d != nil {
		return l.T("orders.awaiting_on", l.day(*d))
	}
	return l.T("orders.awaiting")
}

// renderCredits lists an order's credit notes under its invoices.
func (r *req) renderCredits(notes []core.CreditNote) string {
	var b strings.Builder
	for _, n := range notes {
		b.WriteString("\n" + r.lang.T("order.credit", n.Number, n.InvoiceNumber, r.lang.money(r.b.cfg.Currency, n.Amount), n.Reason))
	}
	return b.String()
}

// reorderButton is "🔁 Order again" for a customer's order that had goods
// (not one rejected or cancelled before anything happened to it).
func reorderButton(r *req, o *core.Order) button {
	if r.customer == nil || r.isStaff() || o.CustomerID != r.customer.ID || o.Status == core.StatusNew {
		return button{}
	}
	return btn(r.lang.Plain("btn.reorder"), cb("ro", o.ID))
}

func init() {
	register(langEN, map[string]string{
		"status.awaiting_goods":  "awaiting goods",
		"order.line_awaited":     " · ⏳ %d awaited",
		"order.line_awaited_on":  " · ⏳ %d awaited, expected %s",
		"order.expected":         "⏳ Goods awaited, expected by %s",
		"order.expected_unknown": "⏳ Goods awaited; the shop will tell you when they arrive",
		"orders.awaiting":        " · ⏳ awaiting goods",
		"orders.awaiting_on":     " · ⏳ expected %s",
		"order.credit":           "↩ Credit note %s on %s: −%s (%s)",
		"btn.reorder":            "🔁 Order again",
		"btn.change_order":       "✏️ Change order",
		"act.edit":               "changed",
		"act.arrival":            "goods arrived",
		"act.reverse_payment":    "payment reversed",
	})
	register(langRU, map[string]string{
		"status.awaiting_goods":  "ждёт товар",
		"order.line_awaited":     " · ⏳ ждём %d",
		"order.line_awaited_on":  " · ⏳ ждём %d, ожидается %s",
		"order.expected":         "⏳ Ждём товар, ожидается к %s",
		"order.expected_unknown": "⏳ Ждём товар; магазин сообщит, когда он придёт",
		"orders.awaiting":        " · ⏳ ждёт товар",
		"orders.awaiting_on":     " · ⏳ ожидается %s",
		"order.credit":           "↩ Кредит-нота %s к %s: −%s (%s)",
		"btn.reorder":            "🔁 Заказать снова",
		"btn.change_order":       "✏️ Изменить заказ",
		"act.edit":               "изменён",
		"act.arrival":            "товар пришёл",
		"act.reverse_payment":    "оплата отменена",
	})
}
