package bot

import (
	"fmt"
	"strings"
	"time"

	"github.com/orderbot/orderbot/bot/pdfdoc"
	"github.com/orderbot/orderbot/bot/platform"
	"github.com/orderbot/orderbot/core"
)

// Rendering is pure: core values in, HTML text and keyboards out; every
// dynamic value is escaped (by lang.T or esc).

func (l lang) status(s core.Status) string         { return l.Plain("status." + string(s)) }
func (l lang) fulfilment(f core.Fulfilment) string { return l.Plain("ful." + string(f)) }
func (l lang) payment(p core.PaymentState) string  { return l.Plain("pay." + string(p)) }
func (l lang) action(a core.Action) string         { return l.Plain("act." + string(a)) }

func (l lang) date(t time.Time, loc *time.Location) string {
	if loc != nil {
		t = t.In(loc)
	}
	return t.Format(l.Plain("fmt.date"))
}

// day formats a calendar date (stored as midnight UTC) without shifting it.
func (l lang) day(t time.Time) string { return t.UTC().Format(l.Plain("fmt.date")) }

func (l lang) datetime(t time.Time, loc *time.Location) string {
	if loc != nil {
		t = t.In(loc)
	}
	return t.Format(l.Plain("fmt.datetime"))
}

// money writes an amount as the reader writes it, grouped as documents
// group it: "1,234.50 USD", "1 234,50 ₽" (the rouble sign kept on the
// number's line by a no-break space).
func (l lang) money(cur core.Currency, m core.Money) string {
	sep := " "
	if l == langRU {
		sep = "\u00a0"
	}
	return pdfdoc.PlainAmount(string(l), cur, m) + sep + pdfdoc.CurrencyMark(string(l), cur)
}

// stripTags turns our HTML into plain text for toasts (callback answers).
func stripTags(s string) string { return platform.StripTags(s) }

// pages returns the number of pages of n items, at least one.
func pages(n, per int) int { return max(1, (n+per-1)/per) }

// pager adds Prev / Next buttons for page p of total.
func (k *kb) pager(l lang, p, total int, data func(int) callback) *kb {
	var prev, next button
	if p > 0 {
		prev = btn(l.Plain("btn.prev"), data(p-1))
	}
	if p < total-1 {
		next = btn(l.Plain("btn.next"), data(p+1))
	}
	return k.row(prev, next)
}

func (r *req) shortage(se *core.ShortageError) string {
	var b strings.Builder
	b.WriteString(r.lang.T("shortage.head"))
	for _, s := range se.Lines {
		b.WriteString("\n" + r.lang.T("shortage.line", s.Name, s.Asked, s.Free))
	}
	return b.String()
}

func itoa(n int64) string { return fmt.Sprint(n) }
