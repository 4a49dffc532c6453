package pdfdoc

import (
	"fmt"
	"io"
	"time"

	"github.com/orderbot/orderbot/core"
)

// Statement is a statement of account ("акт сверки"): every document
// between a seller and one buyer in a period, what each one added to the
// buyer's debt (Debit) or took off it (Credit), and the balance before and
// after. A positive balance is what the buyer owes.
type Statement struct {
	Issued   time.Time // required; also the PDF's creation date
	From, To time.Time // the period, both days included
	Seller   Seller
	Buyer    Party
	Currency core.Currency
	Opening  core.Money // the buyer's debt before From; negative is a credit
	Entries  []StatementEntry
	Lang     string // "en" (default) or "ru"
}

// EntryKind tells what document a statement entry is.
type EntryKind int

// Entry kinds.
const (
	EntryInvoice  EntryKind = iota + 1 // an invoice: debit
	EntryVoid                          // an invoice made void: credit
	EntryCredit                        // a credit note: credit
	EntryPayment                       // a payment: credit
	EntryReversal                      // a payment reversed: debit
)

// StatementEntry is one document in a statement. Number is the document's
// number (a payment's id); Ref is what it refers to: the order of an
// invoice, the invoice of a credit note, a payment's reference.
type StatementEntry struct {
	Date          time.Time
	Kind          EntryKind
	Number, Ref   string
	Debit, Credit core.Money
}

// statementLabels are the statement's own words, beside the shared labels.
type statementLabels struct {
	title, period                            string
	colDate, colDoc, colDebit, colCredit     string
	opening, turnover, closing               string
	invoice, void, credit, payment, reversal string // with %s for the number (and ref)
	owes, owed, settled                      string // with %s for the date (and amount)
	forSeller, forBuyer                      string
	order, invoiceRef                        string
}

var statementWords = map[*labels]statementLabels{
	&english: {
		title: "Statement of account", period: "from %s to %s",
		colDate: "Date", colDoc: "Document", colDebit: "Debit, %s", colCredit: "Credit, %s",
		opening: "Opening balance", turnover: "Turnover for the period", closing: "Closing balance",
		invoice: "Invoice No.\u00a0%s", void: "Invoice No.\u00a0%s void", credit: "Credit note No.\u00a0%s",
		payment: "Payment No.\u00a0%s", reversal: "Payment No.\u00a0%s reversed", order: "order", invoiceRef: "invoice No.",
		owes: "On %s the buyer owes the seller %s.", owed: "On %s the seller owes the buyer %s (credit).",
		settled:   "On %s neither party owes the other.",
		forSeller: "For the seller", forBuyer: "For the buyer",
	},
	&russian: {
		title: "Акт сверки взаимных расчётов", period: "за период с %s по %s",
		colDate: "Дата", colDoc: "Документ", colDebit: "Дебет, %s", colCredit: "Кредит, %s",
		opening: "Сальдо на начало периода", turnover: "Обороты за период", closing: "Сальдо на конец периода",
		invoice: "Счёт №\u00a0%s", void: "Аннулирование счёта №\u00a0%s", credit: "Кредит-нота №\u00a0%s",
		payment: "Оплата №\u00a0%s", reversal: "Сторно оплаты №\u00a0%s", order: "заказ №", invoiceRef: "к счёту №",
		owes:      "На %s задолженность покупателя перед продавцом: %s.",
		owed:      "На %s задолженность продавца перед покупателем (переплата): %s.",
		settled:   "На %s задолженность отсутствует.",
		forSeller: "От продавца", forBuyer: "От покупателя",
	},
}

// RenderStatement renders s as an A4 PDF. Invalid input gives an error that
// wraps core.ErrInvalid.
func RenderStatement(s Statement) ([]byte, error) {
	return render(func(w io.Writer) error { return WriteStatement(w, s) })
}

// WriteStatement is RenderStatement writing to w.
func WriteStatement(w io.Writer, s Statement) error {
	turnover, err := validateStatement(&s)
	if err != nil {
		return err
	}
	lb := labelsFor(s.Lang)
	sw := statementWords[lb]
	d := newDoc(s.Lang, s.Currency, s.Seller, sw.title, meta{date: s.Issued})
	facts := []string{fmt.Sprintf(sw.period, lb.formatDate(s.From), lb.formatDate(s.To)),
		withLabel(lb.date, lb.formatDate(s.Issued))}
	y := d.drawHead(header{facts: facts, partyLabel: lb.billTo, party: s.Buyer})
	closing := s.Opening + turnover[0] - turnover[1] // validated: no overflow
	tail := []block{
		d.textBlock(d.balanceText(sw, s.To, closing), true),
		d.signatureBlock([]signature{{sw.forSeller, s.Seller.Signatory}, {sw.forBuyer, ""}}),
	}
	if err := d.finish(w, y, d.statementTable(sw, s, turnover, closing), tail); err != nil {
		return fmt.Errorf("pdfdoc: render statement: %w", err)
	}
	return nil
}

// validateStatement checks s and returns its turnover: debits and credits.
func validateStatement(s *Statement) ([2]core.Money, error) {
	const doc = "statement"
	var sum [2]core.Money
	switch {
	case s.Issued.IsZero() || s.From.IsZero() || s.To.IsZero():
		return sum, invalid(doc, "the date is missing")
	case s.To.Before(s.From):
		return sum, invalid(doc, "the period ends before it starts")
	case !validCurrency(s.Currency):
		return sum, invalid(doc, "the currency is not set")
	case len(s.Entries) > maxLines:
		return sum, invalid(doc, "%d entries is more than the %d one document can hold", len(s.Entries), maxLines)
	}
	for i, e := range s.Entries {
		if e.Kind < EntryInvoice || e.Kind > EntryReversal || e.Debit < 0 || e.Credit < 0 {
			return sum, invalid(doc, "entry %d is not a document with a debit or a credit", i+1)
		}
		var ok1, ok2 bool
		sum[0], ok1 = addMoney(sum[0], e.Debit)
		sum[1], ok2 = addMoney(sum[1], e.Credit)
		if !ok1 || !ok2 {
			return sum, invalid(doc, "the turnover is too large")
		}
	}
	c, ok1 := addMoney(s.Opening, sum[0])
	if _, ok2 := addMoney(c, -sum[1]); !ok1 || !ok2 {
		return sum, invalid(doc, "the closing balance is too large")
	}
	return sum, nil
}

func (d *doc) statementTable(sw statementLabels, s Statement, turnover [2]core.Money, closing core.Money) *table {
	mark := CurrencyMark(d.lang, d.cur)
	// Date, document, debit, credit: 180 mm.
	cols := []column{{w: 24, align: "L"}, {w: 96, align: "L", maxLines: 2}, {w: 30, align: "R"}, {w: 30, align: "R"}}
	titles := []string{sw.colDate, sw.colDoc, fmt.Sprintf(sw.colDebit, mark), fmt.Sprintf(sw.colCredit, mark)}
	rows := [][]string{d.balanceRow(d.lb.formatDate(s.From), sw.opening, s.Opening)}
	for _, e := range s.Entries {
		rows = append(rows, []string{d.lb.formatDate(e.Date), d.entryText(sw, e), d.nonZero(e.Debit), d.nonZero(e.Credit)})
	}
	rows = append(rows, []string{"", sw.turnover, d.cellAmount(turnover[0]), d.cellAmount(turnover[1])},
		d.balanceRow(d.lb.formatDate(s.To), sw.closing, closing))
	return newGrid(d, cols, titles, rows)
}

// balanceRow puts a debt in the debit column and a credit in the credit
// column.
func (d *doc) balanceRow(date, label string, m core.Money) []string {
	if m < 0 {
		return []string{date, label, "", d.cellAmount(-m)}
	}
	return []string{date, label, d.cellAmount(m), ""}
}

func (d *doc) nonZero(m core.Money) string {
	if m == 0 {
		return ""
	}
	return d.cellAmount(m)
}

func (d *doc) entryText(sw statementLabels, e StatementEntry) string {
	format := map[EntryKind]string{EntryInvoice: sw.invoice, EntryVoid: sw.void, EntryCredit: sw.credit,
		EntryPayment: sw.payment, EntryReversal: sw.reversal}[e.Kind]
	text := fmt.Sprintf(format, clean(e.Number, false))
	if ref := clean(e.Ref, false); ref != "" {
		switch e.Kind {
		case EntryInvoice:
			ref = sw.order + nbsp + ref
		case EntryCredit:
			ref = sw.invoiceRef + nbsp + ref
		}
		text += " (" + ref + ")"
	}
	return text
}

// balanceText says who owes whom at the end of the period.
func (d *doc) balanceText(sw statementLabels, to time.Time, m core.Money) string {
	date := d.lb.formatDate(to)
	switch {
	case m > 0:
		return fmt.Sprintf(sw.owes, date, d.money(m))
	case m < 0:
		return fmt.Sprintf(sw.owed, date, d.unsigned(m))
	}
	return fmt.Sprintf(sw.settled, date)
}
