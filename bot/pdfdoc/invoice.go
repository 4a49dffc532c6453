package pdfdoc

import (
	"fmt"
	"io"
)

// RenderInvoice renders inv as an A4 PDF and returns its bytes. Invalid input
// (no number, no lines, no currency, no issue date...) gives an error that
// wraps core.ErrInvalid and whose message can be shown to the seller.
func RenderInvoice(inv Invoice) ([]byte, error) {
	return render(func(w io.Writer) error { return WriteInvoice(w, inv) })
}

// WriteInvoice is RenderInvoice writing to w. Nothing is written when the
// input is invalid.
func WriteInvoice(w io.Writer, inv Invoice) error {
	if err := validateInvoice(&inv); err != nil {
		return err
	}
	lb := labelsFor(inv.Lang)
	title := fmt.Sprintf(lb.invoiceTitle, clean(inv.Number, false))
	d := newDoc(inv.Lang, inv.Currency, inv.Seller, title, meta{date: inv.Issued})
	facts := []string{withLabel(lb.issued, lb.formatDate(inv.Issued))}
	if !inv.Due.IsZero() {
		facts = append(facts, withLabel(lb.due, lb.formatDate(inv.Due)))
	}
	facts = append(facts, orderFact(lb, inv.OrderNumber))
	y := d.drawHead(header{facts: facts, partyLabel: lb.billTo, party: inv.Buyer})
	tail := []block{d.invoiceTotals(inv), d.wordsBlock(inv.Total)}
	if inv.Note != "" {
		tail = append(tail, d.noteBlock(inv.Note))
	}
	tail = append(tail, d.signatureBlock(d.approval()))
	if err := d.finish(w, y, newTable(d, inv.Lines), tail); err != nil {
		return fmt.Errorf("pdfdoc: render invoice %s: %w", inv.Number, err)
	}
	return nil
}

func orderFact(lb *labels, order string) string {
	if order == "" {
		return ""
	}
	return fmt.Sprintf(lb.order, clean(order, false))
}

// invoiceTotals is the total with its tax, what was paid and the amount
// due.
func (d *doc) invoiceTotals(inv Invoice) block {
	due := inv.Total - inv.Paid // both validated non-negative: no overflow
	dueLabel, dueText := d.lb.amountDue, d.money(due)
	if due < 0 {
		dueLabel, dueText = d.lb.credit, d.unsigned(due)
	}
	rows := append(d.taxRows(d.lb.total, inv.Total, inv.Tax, false),
		kv{d.lb.paid, d.money(inv.Paid), false},
		kv{dueLabel, dueText, true})
	return d.totalsBlock(rows)
}
