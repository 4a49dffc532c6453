package pdfdoc

import (
	"fmt"
	"io"
)

// RenderReceipt renders r as an A4 PDF and returns its bytes: for a
// ShipmentReceipt the goods shipped, their total and what is left to pay
// for the order (and whether it is invoiced yet); for a PaymentReceipt the amount received, method, reference and
// the balance after the payment. Invalid input gives an error that wraps
// core.ErrInvalid and whose message can be shown to the seller.
func RenderReceipt(r Receipt) ([]byte, error) {
	return render(func(w io.Writer) error { return WriteReceipt(w, r) })
}

// WriteReceipt is RenderReceipt writing to w. Nothing is written when the
// input is invalid.
func WriteReceipt(w io.Writer, r Receipt) error {
	if err := validateReceipt(&r); err != nil {
		return err
	}
	lb := labelsFor(r.Lang)
	format, partyLabel := lb.shipmentTitle, lb.shipTo
	if r.Kind == PaymentReceipt {
		format, partyLabel = lb.paymentTitle, lb.payer
	}
	title := fmt.Sprintf(format, clean(r.Number, false))
	d := newDoc(r.Lang, r.Currency, r.Seller, title, meta{date: r.Date})
	facts := []string{withLabel(lb.date, lb.formatDate(r.Date)), orderFact(lb, r.OrderNumber)}
	y := d.drawHead(header{facts: facts, partyLabel: partyLabel, party: r.Buyer})
	var err error
	if r.Kind == PaymentReceipt {
		err = d.finish(w, y, nil, []block{d.paymentDetails(r), d.wordsBlock(r.Amount), d.signatureBlock(d.approval())})
	} else {
		err = d.finishShipment(w, y, r)
	}
	if err != nil {
		return fmt.Errorf("pdfdoc: render %s receipt %s: %w", r.Kind, r.Number, err)
	}
	return nil
}

func (d *doc) finishShipment(w io.Writer, y float64, r Receipt) error {
	total, err := sumAmounts(r.Lines) // validated: cannot fail here
	if err != nil {
		return err
	}
	if r.Tax.Payer && !r.Tax.Included { // lines are net; VAT comes on top
		for _, t := range r.Tax.Rates {
			total += t.Tax
		}
	}
	rows := append(d.taxRows(d.lb.total, total, r.Tax, true), d.orderToPay(r)...)
	return d.finish(w, y, newTable(d, r.Lines),
		[]block{d.totalsBlock(rows), d.wordsBlock(total), d.signatureBlock(d.handover())})
}

// orderToPay says what the buyer still owes for the order after a shipment,
// and whether an invoice for it is yet to come: goods shipped before they
// are invoiced are owed all the same.
func (d *doc) orderToPay(r Receipt) []kv {
	o := r.Order
	left := max(o.Due-o.Paid, 0)
	if left == 0 {
		return []kv{{d.lb.orderLeft, d.lb.paidInFull, false}}
	}
	rows := []kv{{d.lb.orderLeft, d.money(left), false}}
	switch {
	case o.Invoiced <= 0:
		rows = append(rows, kv{d.lb.invoice, d.lb.notInvoiced, false})
	case o.Invoiced < o.Due:
		rows = append(rows, kv{d.lb.invoicedSoFar, d.money(o.Invoiced), false})
	}
	return rows
}

func (d *doc) paymentDetails(r Receipt) block {
	label, text := d.balance(r)
	return d.detailsBlock([]kv{
		{d.lb.received, d.money(r.Amount), true},
		{d.lb.vatTitle, d.taxNote(r.Tax), false},
		{d.lb.method, clean(r.Method, false), false},
		{d.lb.reference, clean(r.Reference, false), false},
		{label, text, false},
	})
}

// balance labels the customer's balance after the receipt: a debt, or a
// credit shown without its minus sign.
func (d *doc) balance(r Receipt) (label, text string) {
	if r.Balance < 0 {
		return d.lb.credit, d.unsigned(r.Balance)
	}
	return d.lb.balance, d.money(r.Balance)
}
