package bot

import (
	"context"
	"time"

	"github.com/orderbot/orderbot/bot/pdfdoc"
	"github.com/orderbot/orderbot/core"
)

// Statement of account: every document between the shop and a customer in
// a period, with the balance before and after, as a PDF. A customer asks
// for their own (📄 on /orders), staff for anyone's (a customer's card in
// /debts).

// Callback verbs of statements.
const (
	cbStatement       = "stm"  // choose the period (customer id)
	cbStatementPeriod = "stmp" // send the statement (customer id, period)
)

// Statement periods, as the buttons number them.
const (
	periodThisMonth = iota
	periodLastMonth
	periodThisYear
	periodAll
	periods
)

func init() {
	onCallback(cbStatement, 1, false, func(r *req, c callback) error { return choosePeriod(r, c.Arg(0)) })
	onCallback(cbStatementPeriod, 2, false, func(r *req, c callback) error { return sendStatement(r, c.Arg(0), c.Arg(1)) })
}

func choosePeriod(r *req, customerID int64) error {
	c, err := r.b.svc.Customers.Get(r.ctx, r.actor, customerID)
	if err != nil {
		return err
	}
	l := r.lang
	k := new(kb).
		row(btn(l.Plain("btn.period_month"), cb(cbStatementPeriod, c.ID, periodThisMonth)),
			btn(l.Plain("btn.period_last_month"), cb(cbStatementPeriod, c.ID, periodLastMonth))).
		row(btn(l.Plain("btn.period_year"), cb(cbStatementPeriod, c.ID, periodThisYear)),
			btn(l.Plain("btn.period_all"), cb(cbStatementPeriod, c.ID, periodAll)))
	return r.show(l.T("statement.choose", c.Name), k)
}

// periodDates is the period a button names, as of today: both days
// included; zero from means since the first document.
func periodDates(period int64, today time.Time) (from, to time.Time) {
	y, m, _ := today.Date()
	first := time.Date(y, m, 1, 0, 0, 0, 0, time.UTC)
	switch period {
	case periodThisMonth:
		return first, today
	case periodLastMonth:
		return first.AddDate(0, -1, 0), first.AddDate(0, 0, -1)
	case periodThisYear:
		return time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC), today
	}
	return time.Time{}, today
}

func sendStatement(r *req, customerID, period int64) error {
	if period < 0 || period >= periods {
		r.answer(r.lang.Plain("err.stale"), true)
		return nil
	}
	from, to := periodDates(period, r.b.svc.Orders.Today())
	st, err := r.b.svc.Orders.Statement(r.ctx, r.actor, customerID, from, to)
	if err != nil {
		return err
	}
	pdf, err := statementPDF(r.ctx, r.b.cfg.Seller, r.b.cfg.Currency, r.lang, st, r.b.svc.Orders.Today())
	if err != nil {
		return err
	}
	r.answer("", false)
	l, cur := r.lang, r.b.cfg.Currency
	bal := l.yourBalance(cur, st.Closing)
	if r.isStaff() {
		bal = l.balance(cur, st.Closing)
	}
	caption := l.T("statement.caption", l.day(st.From), l.day(st.To), safeHTML(bal))
	_, err = r.b.send.DocumentWait(r.ctx, r.chatID, prio(r.ctx), statementFile(st), pdf, caption, nil)
	return err
}

func statementFile(st *core.Statement) string {
	return "statement-" + st.From.Format("20060102") + "-" + st.To.Format("20060102") + ".pdf"
}

// StatementFile renders a customer's statement for the command line (no
// Telegram needed), in the customer's language (else defaultLang); zero
// dates are since the first document and today.
func StatementFile(ctx context.Context, svc Services, seller pdfdoc.Seller, cur core.Currency, defaultLang string,
	customerID int64, from, to time.Time) (*core.Statement, []byte, error) {
	st, err := svc.Orders.Statement(ctx, core.System, customerID, from, to)
	if err != nil {
		return nil, nil, err
	}
	l := pickLang(st.Customer.Lang, "", pickLang(defaultLang, "", langEN))
	pdf, err := statementPDF(ctx, seller, cur, l, st, svc.Orders.Today())
	return st, pdf, err
}

func statementPDF(ctx context.Context, seller pdfdoc.Seller, cur core.Currency, l lang, st *core.Statement, today time.Time) ([]byte, error) {
	doc := pdfdoc.Statement{Issued: today, From: st.From, To: st.To, Seller: seller, Currency: cur, Opening: st.Opening,
		Buyer: buyerParty(&st.Customer, st.Customer.Address, st.Customer.Phone), Lang: string(l)}
	for _, e := range st.Entries {
		doc.Entries = append(doc.Entries, statementEntry(e))
	}
	return render(ctx, func() ([]byte, error) { return pdfdoc.RenderStatement(doc) })
}

// statementEntry names an entry's document as the chat and the other
// documents do: payments by their receipt's number.
func statementEntry(e core.StatementEntry) pdfdoc.StatementEntry {
	out := pdfdoc.StatementEntry{Date: e.Date, Number: e.Number, Ref: e.Ref, Debit: e.Debit, Credit: e.Credit}
	switch e.Kind {
	case core.EntryInvoice:
		out.Kind = pdfdoc.EntryInvoice
	case core.EntryVoid:
		out.Kind = pdfdoc.EntryVoid
	case core.EntryCredit:
		out.Kind = pdfdoc.EntryCredit
	case core.EntryPayment:
		out.Kind, out.Number = pdfdoc.EntryPayment, receiptNumber(&core.Payment{ID: e.ID})
	case core.EntryReversal:
		out.Kind, out.Number, out.Ref = pdfdoc.EntryReversal, receiptNumber(&core.Payment{ID: e.ID}), ""
	}
	return out
}

func init() {
	register(langEN, map[string]string{
		"statement.choose":        "📄 Statement of account of %s: for which period?",
		"statement.caption":       "📄 Statement of account, %s – %s. At the end: %s",
		"btn.statement":           "📄 Statement",
		"btn.period_month":        "This month",
		"btn.period_last_month":   "Last month",
		"btn.period_year":         "This year",
		"btn.period_all":          "All time",
		"staff.btn.customer_card": "👤 Customer",
	})
	register(langRU, map[string]string{
		"statement.choose":        "📄 Акт сверки с %s: за какой период?",
		"statement.caption":       "📄 Акт сверки, %s – %s. На конец периода: %s",
		"btn.statement":           "📄 Акт сверки",
		"btn.period_month":        "Этот месяц",
		"btn.period_last_month":   "Прошлый месяц",
		"btn.period_year":         "Этот год",
		"btn.period_all":          "За всё время",
		"staff.btn.customer_card": "👤 Покупатель",
	})
}

// accountRow is the row of account buttons on a customer's screens:
// company details and the statement.
func (r *req) accountRow(k *kb, customerID int64) *kb {
	return k.row(btn(r.lang.Plain("btn.buyer"), cb(cbBuyer, customerID)), btn(r.lang.Plain("btn.statement"), cb(cbStatement, customerID)))
}
