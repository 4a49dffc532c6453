package bot

import (
	"bytes"
	"errors"
	"time"

	"github.com/orderbot/orderbot/bot/export"
	"github.com/orderbot/orderbot/core"
)

// /export for staff: what (orders, lines, invoices, payments, debts), which
// period (this month, last month, this year, everything) and which format
// (CSV or XLSX), then the file. A file too large for Telegram is refused
// with the command line that makes it.

// maxExportBytes is what a bot may send as a document (50 MB), less room.
const maxExportBytes = 45 << 20

var exportPeriods = []string{"month", "last_month", "year", "all"}

var exportFormats = []export.Format{export.CSV, export.XLSX}

func init() {
	onCommand("export", true, false, func(r *req, _ string) error { return exportMenu(r) })
	onCallback("sxk", 1, true, func(r *req, c callback) error { return exportPeriod(r, int(c.Arg(0))) })                             // chose what
	onCallback("sxp", 2, true, func(r *req, c callback) error { return exportFormat(r, int(c.Arg(0)), int(c.Arg(1))) })              // chose the period
	onCallback("sxf", 3, true, func(r *req, c callback) error { return exportFile(r, int(c.Arg(0)), int(c.Arg(1)), int(c.Arg(2))) }) // chose the format
	register(langEN, map[string]string{
		"cmd.export":               "orders, invoices, payments, debts as a spreadsheet",
		"export.what":              "📤 <b>Export</b> for the accountant or a spreadsheet: what?",
		"export.kind.orders":       "📦 Orders",
		"export.kind.lines":        "🧾 Order lines",
		"export.kind.invoices":     "🧾 Invoices and credit notes",
		"export.kind.payments":     "💳 Payments",
		"export.kind.debts":        "👥 Debts (now)",
		"export.period":            "📤 %s · which period?",
		"export.period.month":      "This month",
		"export.period.last_month": "Last month",
		"export.period.year":       "This year",
		"export.period.all":        "Everything",
		"export.format":            "📤 %s · %s · which format?",
		"export.format.csv":        "CSV (any spreadsheet)",
		"export.format.xlsx":       "XLSX (Excel)",
		"export.caption":           "📤 %s · %s: %d {row|rows}",
		"export.too_big":           "That file is larger than Telegram lets a bot send. Make it on the server: <code>orderbot export %s --from %s --to %s --format %s -o FILE</code>",
	})
	register(langRU, map[string]string{
		"cmd.export":               "заказы, счета, оплаты, долги в таблицу",
		"export.what":              "📤 <b>Выгрузка</b> для бухгалтера или таблицы: что выгрузить?",
		"export.kind.orders":       "📦 Заказы",
		"export.kind.lines":        "🧾 Строки заказов",
		"export.kind.invoices":     "🧾 Счета и кредит-ноты",
		"export.kind.payments":     "💳 Оплаты",
		"export.kind.debts":        "👥 Долги (сейчас)",
		"export.period":            "📤 %s · за какой период?",
		"export.period.month":      "Этот месяц",
		"export.period.last_month": "Прошлый месяц",
		"export.period.year":       "Этот год",
		"export.period.all":        "Всё время",
		"export.format":            "📤 %s · %s · какой формат?",
		"export.format.csv":        "CSV (любая таблица)",
		"export.format.xlsx":       "XLSX (Excel)",
		"export.caption":           "📤 %s · %s: %d {строка|строки|строк}",
		"export.too_big":           "Файл больше, чем Telegram разрешает боту. Сделайте его на сервере: <code>orderbot export %s --from %s --to %s --format %s -o FILE</code>",
	})
}

func exportMenu(r *req) error {
	k := &kb{}
	for i, kind := range core.ExportKinds {
		k.row(btn(r.lang.Plain(kindKey(kind)), cb("sxk", int64(i))))
	}
	return r.show(r.lang.T("export.what"), k)
}

func exportPeriod(r *req, kind int) error {
	if kind < 0 || kind >= len(core.ExportKinds) {
		r.answer(r.lang.Plain("err.stale"), true)
		return nil
	}
	k := &kb{}
	for i, p := range exportPeriods {
		if core.ExportKinds[kind] == core.ExportDebts && p != "all" {
			continue // debts are the balances now
		}
		k.row(btn(r.lang.Plain(periodKey(p)), cb("sxp", int64(kind), int64(i))))
	}
	return r.show(r.lang.T("export.period", r.lang.Plain(kindKey(core.ExportKinds[kind]))), k)
}

func exportFormat(r *req, kind, period int) error {
	if kind < 0 || kind >= len(core.ExportKinds) || period < 0 || period >= len(exportPeriods) {
		r.answer(r.lang.Plain("err.stale"), true)
		return nil
	}
	k := &kb{}
	for i, f := range exportFormats {
		k.row(btn(r.lang.Plain(formatKey(f)), cb("sxf", int64(kind), int64(period), int64(i))))
	}
	return r.show(r.lang.T("export.format", r.lang.Plain(kindKey(core.ExportKinds[kind])),
		r.lang.Plain(periodKey(exportPeriods[period]))), k)
}

// periodOf is the business dates of a period, as of today.
func periodOf(p string, today time.Time) core.ExportFilter {
	first := time.Date(today.Year(), today.Month(), 1, 0, 0, 0, 0, time.UTC)
	day := func(t time.Time) *time.Time { return &t }
	switch p {
	case "month":
		return core.ExportFilter{From: day(first), To: day(today)}
	case "last_month":
		return core.ExportFilter{From: day(first.AddDate(0, -1, 0)), To: day(first.AddDate(0, 0, -1))}
	case "year":
		return core.ExportFilter{From: day(time.Date(today.Year(), 1, 1, 0, 0, 0, 0, time.UTC)), To: day(today)}
	}
	return core.ExportFilter{}
}

func exportFile(r *req, kind, period, format int) error {
	if kind < 0 || kind >= len(core.ExportKinds) || period < 0 || period >= len(exportPeriods) || format < 0 || format >= len(exportFormats) {
		r.answer(r.lang.Plain("err.stale"), true)
		return nil
	}
	k, f, ff := core.ExportKinds[kind], periodOf(exportPeriods[period], r.b.svc.Orders.Today()), exportFormats[format]
	r.answer("⏳", false)
	var buf bytes.Buffer
	n, err := export.Write(r.ctx, r.b.svc.Exports, r.actor, k, f, ff, &capped{w: &buf, left: maxExportBytes}, nil)
	if errors.Is(err, errTooBig) {
		from, to := "2000-01-01", r.b.svc.Orders.Today().Format(time.DateOnly)
		if f.From != nil {
			from, to = f.From.Format(time.DateOnly), f.To.Format(time.DateOnly)
		}
		return r.reply(r.lang.T("export.too_big", string(k), from, to, string(ff)), nil)
	}
	if err != nil {
		return err
	}
	caption := r.lang.T("export.caption", r.lang.Plain(kindKey(k)), r.lang.Plain(periodKey(exportPeriods[period])), n)
	_, err = r.b.send.DocumentWait(r.ctx, r.chatID, prio(r.ctx), export.FileName(k, f, ff), buf.Bytes(), caption, nil)
	return err
}

var errTooBig = errors.New("export larger than a bot may send")

// capped is a writer that refuses to grow past left bytes.
type capped struct {
	w    *bytes.Buffer
	left int
}

func (c *capped) Write(p []byte) (int, error) {
	if len(p) > c.left {
		return 0, errTooBig
	}
	c.left -= len(p)
	return c.w.Write(p)
}

func kindKey(k core.ExportKind) string { return "export.kind." + string(k) }
func periodKey(p string) string        { return "export.period." + p }
func formatKey(f export.Format) string { return "export.format." + string(f) }
