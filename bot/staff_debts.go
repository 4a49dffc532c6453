package bot

import (
	"sort"
	"strings"
	"time"

	"github.com/orderbot/orderbot/core"
)

// /debts: customers with a balance, overdue first, with the ageing of what
// they owe; a customer card with the ledger (invoices, payments, balance).

// ledgerMax bounds the entries a customer card lists (newest kept).
const ledgerMax = 40

func init() {
	onCommand("debts", true, false, func(r *req, _ string) error { return showDebts(r, 0) })
	onCallback("sdl", 1, true, func(r *req, c callback) error { return showDebts(r, int(c.Arg(0))) })
	onCallback("sdc", 1, true, func(r *req, c callback) error { return showLedger(r, c.Arg(0)) })
}

func showDebts(r *req, page int) error {
	bs, err := r.b.svc.Orders.Balances(r.ctx, r.actor, 0)
	if err != nil {
		return err
	}
	if len(bs) == 0 {
		return r.show(r.lang.T("staff.debts.empty"), nil)
	}
	total := pages(len(bs), staffPage)
	page = min(max(page, 0), total-1)
	text, k := r.renderDebts(bs, page, total)
	return r.show(text, k)
}

func (r *req) renderDebts(bs []core.Balance, page, total int) (string, *kb) {
	l, cur := r.lang, r.b.cfg.Currency
	var sum core.Balance
	for _, b := range bs {
		sum.Debt += max(b.Debt, 0)
		sum.NotDue += b.NotDue
		sum.Overdue1_30 += b.Overdue1_30
		sum.Overdue31_60 += b.Overdue31_60
		sum.Overdue61_90 += b.Overdue61_90
		sum.Overdue90 += b.Overdue90
	}
	var s strings.Builder
	s.WriteString(l.T("staff.debts.title", l.money(cur, sum.Debt), l.money(cur, sum.Overdue())))
	s.WriteString("\n" + l.ageing(cur, sum))
	s.WriteString("\n")
	k := &kb{}
	for _, b := range bs[page*staffPage : min(len(bs), (page+1)*staffPage)] {
		s.WriteString("\n" + l.T("staff.debts.item", b.Customer, safeHTML(l.balance(cur, b.Debt))))
		if b.Overdue() > 0 && b.OldestDue != nil {
			s.WriteString(l.T("staff.debts.overdue", l.money(cur, b.Overdue()), l.day(*b.OldestDue)))
		}
		k.row(btn(l.Plain("staff.btn.customer", b.Customer, l.money(cur, b.Debt)), cb("sdc", b.CustomerID)))
	}
	k.pager(l, page, total, func(p int) callback { return cb("sdl", int64(p)) })
	return s.String(), k
}

// ageing is one line of buckets: not due, 1-30, 31-60, 61-90, over 90 days.
func (l lang) ageing(cur core.Currency, b core.Balance) string {
	return l.T("staff.debts.ageing", l.money(cur, b.NotDue), l.money(cur, b.Overdue1_30), l.money(cur, b.Overdue31_60),
		l.money(cur, b.Overdue61_90), l.money(cur, b.Overdue90))
}

func showLedger(r *req, customerID int64) error {
	led, err := r.b.svc.Orders.Ledger(r.ctx, r.actor, customerID)
	if err != nil {
		return err
	}
	k := r.accountRow(new(kb), customerID).row(btn(r.lang.Plain("staff.btn.price_list"), cb("spl", customerID)), btn(r.lang.Plain("staff.btn.debts"), cb("sdl", 0)))
	return r.show(r.renderLedger(led), k)
}

// ledgerEntry is one dated line of a customer's ledger.
type ledgerEntry struct {
	at   time.Time
	text string
}

func (r *req) renderLedger(led *core.Ledger) string {
	l, cur := r.lang, r.b.cfg.Currency
	c, bal := led.Customer, led.Balance
	var s strings.Builder
	s.WriteString(l.T("staff.ledger.head", c.Name, orDash(phoneText(c.Phone), ""), c.TermsDays))
	if c.Company != "" || c.TaxID != "" {
		s.WriteString("\n" + l.T("buyer.line", orDash(c.Company, "—"), orDash(c.TaxID, "—")))
	}
	if c.CreditLimit != nil {
		s.WriteString("\n" + l.T("staff.ledger.limit", l.money(cur, *c.CreditLimit)))
	}
	s.WriteString("\n" + l.T("staff.pl.line", orDash(c.PriceList, l.Plain("staff.pl.catalog"))))
	s.WriteString("\n" + l.T("staff.ledger.balance", l.money(cur, bal.Invoiced), l.money(cur, bal.Paid), safeHTML(l.balance(cur, bal.Debt))))
	s.WriteString("\n" + l.ageing(cur, bal) + "\n")
	entries := r.ledgerEntries(led)
	if len(entries) == 0 {
		s.WriteString("\n" + l.T("staff.ledger.empty"))
	}
	if n := len(entries) - ledgerMax; n > 0 {
		s.WriteString("\n" + l.T("staff.ledger.earlier", n))
		entries = entries[n:]
	}
	for _, e := range entries {
		s.WriteString("\n" + e.text)
	}
	return s.String()
}

func (r *req) ledgerEntries(led *core.Ledger) []ledgerEntry {
	l, cur := r.lang, r.b.cfg.Currency
	today := r.b.svc.Orders.Today()
	var out []ledgerEntry
	for _, inv := range led.Invoices {
		state := l.T("order.inv_paid")
		switch {
		case inv.Voided:
			state = l.T("order.inv_void")
		case inv.Open() > 0 && inv.DaysOverdue(today) > 0:
			state = l.T("order.inv_overdue", l.money(cur, inv.Open()))
		case inv.Open() > 0:
			state = l.T("order.inv_open", l.money(cur, inv.Open()))
		}
		out = append(out, ledgerEntry{at: inv.IssuedOn, text: l.T("staff.ledger.invoice", l.day(inv.IssuedOn), inv.Number,
			inv.OrderNumber, l.money(cur, inv.Amount), l.day(inv.DueOn), safeHTML(state))})
	}
	for _, p := range led.Payments {
		text := l.T("staff.ledger.payment", l.day(p.ReceivedOn), l.method(p.Method), l.money(cur, p.Amount))
		if p.Reversed {
			text += l.T("staff.ledger.reversed")
		}
		out = append(out, ledgerEntry{at: p.ReceivedOn, text: text})
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].at.Before(out[j].at) })
	return out
}
