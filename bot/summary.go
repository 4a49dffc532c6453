package bot

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/orderbot/orderbot/core"
)

// The owner's daily summary: sent by the job each morning through the
// outbox, and on demand with /summary (yesterday; "/summary today" for the
// day so far). Buttons under it open the staff lists (sm:N runs the list's
// command), and a chart of the last 14 days follows as a photo.

// summaryLists maps the summary's buttons to the staff commands they open.
var summaryLists = map[int64]struct{ cmd, label string }{
	1: {"toship", "summary.btn_toship"},
	2: {"unpaid", "summary.btn_unpaid"},
	3: {"debts", "summary.btn_debts"},
	4: {"stock", "summary.btn_stock"},
}

func init() {
	onCommand("summary", false, true, showSummary)
	onCallback("sm", 1, true, openSummaryList)
}

func showSummary(r *req, args string) error {
	reports := r.b.svc.Reports
	day := reports.Today().AddDate(0, 0, -1)
	if strings.EqualFold(strings.TrimSpace(args), "today") {
		day = reports.Today()
	}
	sum, err := reports.Summary(r.ctx, r.actor, day)
	if err != nil {
		return err
	}
	text, k := r.b.renderSummary(r.lang, *sum)
	if err := r.reply(text, k.markup()); err != nil {
		return err
	}
	return r.b.sendChart(r.ctx, r.chatID, r.lang, *sum)
}

// openSummaryList opens a list under the summary as a new message, so the
// summary stays where it is.
func openSummaryList(r *req, c callback) error {
	list, ok := summaryLists[c.Arg(0)]
	route, found := routes.Command(list.cmd)
	if !ok || !found || !r.allowed(route.Access) {
		r.answer(r.lang.Plain("job.list_missing"), true)
		return nil
	}
	r.answer("", false)
	r.out.Message = 0
	return route.Handle(r, "")
}

func (b *Bot) deliverSummary(ctx context.Context, n core.Notice) error {
	s, err := decode[core.Summary](n)
	if err != nil {
		return err
	}
	text, k := b.renderSummary(b.chatLang(ctx, n.ChatID), s)
	_, err = b.send.SendWait(ctx, n.ChatID, prio(ctx), text, k.markup())
	return err
}

func (b *Bot) deliverSummaryChart(ctx context.Context, n core.Notice) error {
	s, err := decode[core.Summary](n)
	if err != nil {
		return err
	}
	return b.sendChart(ctx, n.ChatID, b.chatLang(ctx, n.ChatID), s)
}

func (b *Bot) sendChart(ctx context.Context, chat int64, l lang, s core.Summary) error {
	png, err := summaryChart(s, l, b.cfg.Currency)
	if err != nil {
		return fmt.Errorf("%w: chart: %w", core.ErrUndeliverable, err)
	}
	name := "summary-" + s.Day.Format(time.DateOnly) + ".png"
	_, err = b.send.PhotoWait(ctx, chat, prio(ctx), name, png, l.T("summary.chart_caption", len(s.Days)), nil)
	return err
}

// renderSummary is pure: the summary in, text and buttons out.
func (b *Bot) renderSummary(l lang, s core.Summary) (string, *kb) {
	m := func(v core.Money) string { return l.money(b.cfg.Currency, v) }
	var t strings.Builder
	t.WriteString(l.T("summary.head", l.day(s.Day)))
	t.WriteString("\n" + l.T("summary.new", s.NewOrders, m(s.NewAmount)))
	t.WriteString("\n" + l.T("summary.confirmed", s.Confirmed, m(s.ConfirmedAmount)))
	t.WriteString("\n" + l.T("summary.shipped", s.Shipments, m(s.ShippedValue)))
	t.WriteString("\n" + l.T("summary.paid", s.Payments, m(s.PaidAmount)))
	t.WriteString("\n\n" + l.T("summary.receivables", m(s.Receivables), s.Debtors))
	t.WriteString("\n" + l.T("summary.overdue", m(s.Overdue), m(s.Ageing[0]), m(s.Ageing[1]), m(s.Ageing[2]), m(s.Ageing[3])))
	t.WriteString("\n" + l.T("summary.waiting", s.Waiting, m(s.WaitingValue)))
	if o := s.Oldest; o != nil {
		t.WriteString("\n" + l.T("summary.oldest", o.Number, o.Customer, l.date(o.Since, b.cfg.Location)))
	}
	t.WriteString("\n" + l.T("summary.low", s.LowStockCount))
	for _, it := range s.LowStock {
		t.WriteString("\n" + l.T("summary.low_line", it.Name, it.SKU, it.Free))
	}
	if len(s.TopProducts) > 0 {
		t.WriteString("\n" + l.T("summary.top"))
		for i, p := range s.TopProducts {
			t.WriteString("\n" + l.T("summary.top_line", i+1, p.Name, p.Qty, m(p.Amount)))
		}
	}
	if len(s.Jobs) > 0 {
		t.WriteString("\n" + l.T("summary.jobs", safeHTML(b.jobRuns(l, s.Jobs))))
	}
	k := &kb{}
	k.row(btn(l.Plain(summaryLists[1].label, s.Waiting), cb("sm", 1)), btn(l.Plain(summaryLists[2].label), cb("sm", 2)))
	k.row(btn(l.Plain(summaryLists[3].label, s.Debtors), cb("sm", 3)), btn(l.Plain(summaryLists[4].label, s.LowStockCount), cb("sm", 4)))
	return t.String(), k
}

// jobNames are the texts naming the scheduled jobs (jobs.Job* names).
var jobNames = map[string]string{
	"overdue_shipments": "summary.job_overdue",
	"payment_reminders": "summary.job_reminders",
	"daily_summary":     "summary.job_summary",
	"outbox_prune":      "summary.job_prune",
}

// jobRuns is the summary's line on the scheduled jobs: when each last ran
// and whether that run failed.
func (b *Bot) jobRuns(l lang, js []core.JobStatus) string {
	parts := make([]string, len(js))
	for i, j := range js {
		name := j.Job
		if key, ok := jobNames[j.Job]; ok {
			name = l.Plain(key)
		}
		key := "summary.job_ok"
		if j.Failed {
			key = "summary.job_failed"
		}
		parts[i] = l.T(key, name, l.datetime(j.At, b.cfg.Location))
	}
	return strings.Join(parts, " · ")
}

func init() {
	register(langEN, map[string]string{
		"summary.head":          "📊 <b>Summary for %s</b>",
		"summary.new":           "🆕 New orders: <b>%d</b> · %s",
		"summary.confirmed":     "✅ Confirmed: %d · %s",
		"summary.shipped":       "🚚 Shipped: %d shipments · %s",
		"summary.paid":          "💳 Payments received: %d · <b>%s</b>",
		"summary.receivables":   "💰 Receivables: <b>%s</b> from %d customers",
		"summary.overdue":       "⚠️ Overdue: <b>%s</b> (1–30 d %s · 31–60 d %s · 61–90 d %s · over 90 d %s)",
		"summary.waiting":       "📦 Waiting for shipment: %d orders · %s",
		"summary.oldest":        "   oldest: %s (%s) since %s",
		"summary.low":           "📉 Low stock: %d products",
		"summary.low_line":      "   • %s (%s): %d free",
		"summary.top":           "🏆 Top products:",
		"summary.top_line":      "   %d. %s — %d · %s",
		"summary.btn_toship":    "📦 To ship (%d)",
		"summary.btn_unpaid":    "🧾 Unpaid",
		"summary.btn_debts":     "💰 Debts (%d)",
		"summary.btn_stock":     "📉 Low stock (%d)",
		"summary.chart_caption": "Orders and payments, last %d days",
		"summary.chart_orders":  "orders",
		"summary.chart_paid":    "payments",

		"summary.jobs":          "⚙️ Jobs: %s",
		"summary.job_ok":        "%s %s ✓",
		"summary.job_failed":    "%s %s ✗ <b>failed</b>",
		"summary.job_overdue":   "late shipments",
		"summary.job_reminders": "reminders",
		"summary.job_summary":   "summary",
		"summary.job_prune":     "cleanup",
	})
	register(langRU, map[string]string{
		"summary.head":          "📊 <b>Сводка за %s</b>",
		"summary.new":           "🆕 Новых заказов: <b>%d</b> · %s",
		"summary.confirmed":     "✅ Подтверждено: %d · %s",
		"summary.shipped":       "🚚 Отгружено: %d отгрузок · %s",
		"summary.paid":          "💳 Получено оплат: %d · <b>%s</b>",
		"summary.receivables":   "💰 Дебиторка: <b>%s</b>, клиентов: %d",
		"summary.overdue":       "⚠️ Просрочено: <b>%s</b> (1–30 дн. %s · 31–60 дн. %s · 61–90 дн. %s · более 90 дн. %s)",
		"summary.waiting":       "📦 Ждут отгрузки: %d заказов · %s",
		"summary.oldest":        "   самый старый: %s (%s) с %s",
		"summary.low":           "📉 Мало на складе: %d товаров",
		"summary.low_line":      "   • %s (%s): свободно %d",
		"summary.top":           "🏆 Лучшие товары:",
		"summary.top_line":      "   %d. %s — %d · %s",
		"summary.btn_toship":    "📦 К отгрузке (%d)",
		"summary.btn_unpaid":    "🧾 Неоплаченные",
		"summary.btn_debts":     "💰 Долги (%d)",
		"summary.btn_stock":     "📉 Мало (%d)",
		"summary.chart_caption": "Заказы и оплаты за %d дней",
		"summary.chart_orders":  "заказы",
		"summary.chart_paid":    "оплаты",

		"summary.jobs":          "⚙️ Задания: %s",
		"summary.job_ok":        "%s %s ✓",
		"summary.job_failed":    "%s %s ✗ <b>ошибка</b>",
		"summary.job_overdue":   "просроченные отгрузки",
		"summary.job_reminders": "напоминания",
		"summary.job_summary":   "сводка",
		"summary.job_prune":     "очистка",
	})
}
