package bot

import (
	"context"
	"fmt"
	"strconv"

	"github.com/orderbot/orderbot/bot/pdfdoc"
	"github.com/orderbot/orderbot/core"
)

// Documents the outbox delivers to customers when a change makes them: the
// invoice when it is issued, the receipt of a payment, the account of a
// shipment.

func receiptNumber(p *core.Payment) string { return "P-" + strconv.FormatInt(p.ID, 10) }

// paymentReceipt renders a payment's receipt for its customer, in their
// language, with the balance after it (from led, the customer's ledger):
// file name, PDF and caption.
func (b *Bot) paymentReceipt(ctx context.Context, led *core.Ledger, o *core.Order, p *core.Payment) (string, []byte, string, error) {
	cl := pickLang(led.Customer.Lang, "", b.def)
	rc := pdfdoc.Receipt{Kind: pdfdoc.PaymentReceipt, Number: receiptNumber(p), OrderNumber: o.Number,
		Date: p.ReceivedOn, Amount: p.Amount, Method: cl.method(p.Method), Reference: p.Reference,
		Balance: led.Balance.Debt, Lang: string(cl),
		Buyer: buyerParty(&led.Customer, led.Customer.Address, led.Customer.Phone)}
	pdf, err := b.ReceiptPDF(ctx, rc)
	if err != nil {
		return "", nil, "", err
	}
	cur := b.cfg.Currency
	caption := cl.T("staff.receipt.caption", rc.Number, cl.money(cur, p.Amount), o.Number, safeHTML(cl.yourBalance(cur, led.Balance.Debt)))
	return rc.Number + ".pdf", pdf, caption, nil
}

// receiptSubject loads what a receipt notice is about: the order and its
// customer's ledger.
func (b *Bot) receiptSubject(ctx context.Context, n core.Notice) (core.ReceiptNotice, *core.Order, *core.Ledger, error) {
	p, err := decode[core.ReceiptNotice](n)
	if err != nil {
		return p, nil, nil, err
	}
	o, err := b.svc.Orders.Get(ctx, core.System, p.OrderID)
	if err != nil {
		return p, nil, nil, err
	}
	led, err := b.svc.Orders.Ledger(ctx, core.System, o.CustomerID)
	return p, o, led, err
}

// deliverReceipt sends the customer the receipt of a payment.
func (b *Bot) deliverReceipt(ctx context.Context, n core.Notice) error {
	p, o, led, err := b.receiptSubject(ctx, n)
	if err != nil {
		return err
	}
	for i := range led.Payments {
		if pay := &led.Payments[i]; pay.ID == p.PaymentID {
			name, pdf, caption, err := b.paymentReceipt(ctx, led, o, pay)
			if err != nil {
				return err
			}
			_, err = b.send.DocumentWait(ctx, n.ChatID, prio(ctx), name, pdf, caption, nil)
			return err
		}
	}
	return fmt.Errorf("%w: payment %d of order %s", core.ErrNotFound, p.PaymentID, o.Number)
}

// shipmentNotice is the customer's account of the shipment an event made,
// or "" when the event made none.
func (b *Bot) shipmentNotice(ctx context.Context, l lang, o *core.Order, ref string) string {
	var id int64
	if _, err := fmt.Sscanf(ref, "shipment:%d", &id); err != nil {
		return ""
	}
	ships, err := b.svc.Orders.Shipments(ctx, core.System, o.ID)
	if err != nil {
		return ""
	}
	for i := range ships {
		if ships[i].ID == id {
			return renderShipment(l, o, &ships[i])
		}
	}
	return ""
}

// deliverShipmentReceipt sends the customer the delivery receipt of a
// shipment: what was handed over, at order prices, and what is left to pay
// for the order (shipped goods are owed before they are invoiced).
func (b *Bot) deliverShipmentReceipt(ctx context.Context, n core.Notice) error {
	p, o, led, err := b.receiptSubject(ctx, n)
	if err != nil {
		return err
	}
	ships, err := b.svc.Orders.Shipments(ctx, core.System, o.ID)
	if err != nil {
		return err
	}
	for _, sh := range ships {
		if sh.ID != p.ShipmentID {
			continue
		}
		cl := pickLang(led.Customer.Lang, "", b.def)
		rc := pdfdoc.Receipt{Kind: pdfdoc.ShipmentReceipt, Number: "S-" + strconv.FormatInt(sh.ID, 10), OrderNumber: o.Number,
			Date: sh.At, Lang: string(cl), Order: pdfdoc.OrderState{Due: o.Due(), Paid: o.Paid, Invoiced: o.Invoiced},
			Buyer: buyerParty(&led.Customer, o.Address, o.Phone)}
		rc.Lines, rc.Tax = docLines(cl, sh.Lines, o.TaxIncluded), taxSummary(b.cfg.Pricing, o.TaxIncluded, sh.Taxes())
		pdf, err := b.ReceiptPDF(ctx, rc)
		if err != nil {
			return err
		}
		_, err = b.send.DocumentWait(ctx, n.ChatID, prio(ctx), rc.Number+".pdf", pdf, cl.T("doc.shipment_caption", rc.Number, o.Number), nil)
		return err
	}
	return fmt.Errorf("%w: shipment %d of order %s", core.ErrNotFound, p.ShipmentID, o.Number)
}
