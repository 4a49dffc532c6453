package pdfdoc

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/orderbot/orderbot/core"
)

// CreditNote takes part of an invoice back: goods returned after they were
// invoiced, or billed and never shipped. The invoice itself is never
// edited. A minimal layout on the shared blocks; the document design is
// the invoice's.
type CreditNote struct {
	Number        string
	InvoiceNumber string
	OrderNumber   string
	Issued        time.Time // required; also the PDF's creation date
	Seller        Seller
	Buyer         Party
	Currency      core.Currency
	Lines         []Line
	Total         core.Money // what is credited, positive
	Reason        string
	Lang          string // "en" (default) or "ru"
	Tax           TaxSummary
}

// creditLabels are the credit note's own words, beside the shared labels.
type creditLabels struct {
	title, invoice, credited, reason string
}

var creditWords = map[string]creditLabels{
	"en": {title: "Credit note No.\u00a0%s", invoice: "To invoice No.\u00a0%s", credited: "Credited", reason: "Reason"},
	"ru": {title: "Кредит-нота №\u00a0%s", invoice: "К счёту №\u00a0%s", credited: "Сумма к уменьшению", reason: "Основание"},
}

// RenderCreditNote renders c as an A4 PDF. Invalid input gives an error that
// wraps core.ErrInvalid.
func RenderCreditNote(c CreditNote) ([]byte, error) {
	return render(func(w io.Writer) error { return WriteCreditNote(w, c) })
}

// WriteCreditNote is RenderCreditNote writing to w.
func WriteCreditNote(w io.Writer, c CreditNote) error {
	const what = "credit note"
	if err := validateHead(what, c.Number, c.OrderNumber, c.Issued, c.Currency); err != nil {
		return err
	}
	if err := validateLines(what, c.Lines); err != nil {
		return err
	}
	if c.Total <= 0 {
		return invalid(what, "the amount credited must be positive")
	}
	lb := labelsFor(c.Lang)
	cw := creditWords["en"]
	if lb == &russian {
		cw = creditWords["ru"]
	}
	d := newDoc(c.Lang, c.Currency, c.Seller, fmt.Sprintf(cw.title, clean(c.Number, false)), meta{date: c.Issued})
	facts := []string{withLabel(lb.issued, lb.formatDate(c.Issued)), fmt.Sprintf(cw.invoice, clean(c.InvoiceNumber, false)),
		orderFact(lb, c.OrderNumber)}
	y := d.drawHead(header{facts: facts, partyLabel: lb.billTo, party: c.Buyer})
	tail := []block{d.totalsBlock(d.taxRows(cw.credited, c.Total, c.Tax, true)), d.wordsBlock(c.Total)}
	if r := strings.TrimSpace(c.Reason); r != "" {
		tail = append(tail, d.detailsBlock([]kv{{cw.reason, r, false}}))
	}
	tail = append(tail, d.signatureBlock(d.approval()))
	if err := d.finish(w, y, newTable(d, c.Lines), tail); err != nil {
		return fmt.Errorf("pdfdoc: render credit note %s: %w", c.Number, err)
	}
	return nil
}
