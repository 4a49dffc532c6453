package bot

import (
	"context"
	"strings"

	"github.com/orderbot/orderbot/core"
)

// The staff's notice of orders past their promised date, oldest first, each
// with a button that opens its card.

func (b *Bot) deliverOverdue(ctx context.Context, n core.Notice) error {
	p, err := decode[core.OverdueList](n)
	if err != nil {
		return err
	}
	text, k := b.renderOverdue(b.chatLang(ctx, n.ChatID), p)
	_, err = b.send.SendWait(ctx, n.ChatID, prio(ctx), text, k.markup())
	return err
}

// renderOverdue is pure: the list in, text and buttons out.
func (b *Bot) renderOverdue(l lang, p core.OverdueList) (string, *kb) {
	cur := b.cfg.Currency
	var s strings.Builder
	s.WriteString(l.T("job.overdue_head", l.day(p.Day), p.Total))
	k := &kb{}
	for _, o := range p.Orders {
		s.WriteString("\n" + l.T("job.overdue_line", o.Number, o.Customer, l.day(o.PromisedOn), o.DaysLate,
			o.Outstanding, l.money(cur, o.Value)))
		k.row(btn(l.Plain("job.btn_open_order", o.Number, o.Customer), cb("o", o.OrderID)))
	}
	if more := p.Total - len(p.Orders); more > 0 {
		s.WriteString("\n" + l.T("job.overdue_more", more))
	}
	return s.String(), k
}

func init() {
	register(langEN, map[string]string{
		"job.overdue_head":     "⏰ <b>Late to ship</b> · %s\n%d confirmed orders are past their promised date:",
		"job.overdue_line":     "• <b>%s</b> · %s · promised %s (%d d late) · %d to ship, %s",
		"job.overdue_more":     "…and %d more: /toship",
		"job.btn_open_order":   "📦 %s · %s",
		"job.level_before":     "due in %d d",
		"job.level_due":        "due today",
		"job.level_after":      "%d d overdue",
		"job.reminder_before":  "🔔 <b>A friendly reminder</b>, %s: payment is due soon.",
		"job.reminder_due":     "🔔 <b>Payment is due today</b>, %s.",
		"job.reminder_overdue": "⚠️ <b>Overdue invoices</b>, %s: please pay at your earliest convenience.",
		"job.reminder_line":    "• <b>%s</b> (order %s): %s, due %s — %s",
		"job.reminder_total":   "To pay: <b>%s</b>",
		"job.reminder_foot":    "The invoices follow as PDF. If you have paid already, thank you, and please ignore this message.",
		"job.btn_my_orders":    "🧾 My orders",
		"job.reminded_head":    "📨 <b>Payment reminders</b> · %s",
		"job.reminded_line":    "• %s — %s, invoices: %d (%s)",
		"job.step_before":      "%d d before the due date",
		"job.step_due":         "on the due date",
		"job.step_after":       "%d d after the due date",
		"job.reminded_call":    "Not on Telegram, call them:",
		"job.btn_open_summary": "📊 Summary",
		"job.list_missing":     "That list is not available yet.",
	})
	register(langRU, map[string]string{
		"job.overdue_head":     "⏰ <b>Просрочена отгрузка</b> · %s\nПодтверждённых заказов после обещанной даты: %d",
		"job.overdue_line":     "• <b>%s</b> · %s · обещан %s (опоздание %d дн.) · отгрузить %d, %s",
		"job.overdue_more":     "…и ещё %d: /toship",
		"job.btn_open_order":   "📦 %s · %s",
		"job.level_before":     "срок через %d дн.",
		"job.level_due":        "срок сегодня",
		"job.level_after":      "просрочено %d дн.",
		"job.reminder_before":  "🔔 <b>Напоминание</b>, %s: скоро срок оплаты.",
		"job.reminder_due":     "🔔 <b>Сегодня срок оплаты</b>, %s.",
		"job.reminder_overdue": "⚠️ <b>Просроченные счета</b>, %s: пожалуйста, оплатите их.",
		"job.reminder_line":    "• <b>%s</b> (заказ %s): %s, срок %s — %s",
		"job.reminder_total":   "К оплате: <b>%s</b>",
		"job.reminder_foot":    "Счета прилагаются в PDF. Если вы уже оплатили — спасибо, просто не обращайте внимания.",
		"job.btn_my_orders":    "🧾 Мои заказы",
		"job.reminded_head":    "📨 <b>Напоминания об оплате</b> · %s",
		"job.reminded_line":    "• %s — %s, счетов: %d (%s)",
		"job.step_before":      "за %d дн. до срока",
		"job.step_due":         "в день срока",
		"job.step_after":       "через %d дн. после срока",
		"job.reminded_call":    "Нет в Telegram, позвоните:",
		"job.btn_open_summary": "📊 Сводка",
		"job.list_missing":     "Этот список пока недоступен.",
	})
}
