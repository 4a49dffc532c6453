package bot

import (
	"context"
	"fmt"
	"runtime"

	"github.com/orderbot/orderbot/bot/pdfdoc"
	"github.com/orderbot/orderbot/core"
)

// Documents: invoices and receipts rendered as PDF with pdfdoc and sent with
// sendDocument. Customers may fetch the documents of their own orders (the
// core refuses others), staff of any order.

// renderSlots bounds concurrent PDF rendering: each one takes tens of MB.
var renderSlots = make(chan struct{}, max(2, runtime.NumCPU()))

func init() {
	for _, l := range []lang{langEN, langRU} {
		register(l, map[string]string{"role.system": map[lang]string{langEN: "the shop", langRU: "магазин"}[l],
			"role.customer": map[lang]string{langEN: "customer", langRU: "покупатель"}[l]})
	}
}

func sendInvoice(r *req, invoiceID int64) error {
	inv, err := r.b.svc.Orders.InvoiceByID(r.ctx, r.actor, invoiceID)
	if err != nil {
		return err
	}
	pdf, err := r.b.InvoicePDF(r.ctx, inv, r.lang)
	if err != nil {
		return err
	}
	_, err = r.b.send.DocumentWait(r.ctx, r.chatID, prio(r.ctx), inv.Number+".pdf", pdf, r.lang.T("doc.invoice_caption", inv.Number, inv.OrderNumber), nil)
	if err != nil {
		return err
	}
	return offerOwnPayment(r, inv)
}

// InvoicePDF renders an invoice for its customer in a language ("" picks
// the customer's own or the default).
func (b *Bot) InvoicePDF(ctx context.Context, inv *core.Invoice, l lang) ([]byte, error) {
	return invoicePDF(ctx, b.svc, b.cfg.Seller, b.cfg.Pricing, b.cfg.Currency, b.def, inv, l)
}

// InvoiceFile renders an invoice for the command line (no Telegram
// needed): the invoice with the given number (INV-…), or, for an order
// number (2026-000123), that order's latest invoice that is not void.
func InvoiceFile(ctx context.Context, svc Services, seller pdfdoc.Seller, pr core.Pricing, cur core.Currency, defaultLang, number string) (*core.Invoice, []byte, error) {
	inv, err := invoiceFor(ctx, svc.Orders, number)
	if err != nil {
		return nil, nil, err
	}
	pdf, err := invoicePDF(ctx, svc, seller, pr, cur, pickLang(defaultLang, "", langEN), inv, "")
	return inv, pdf, err
}

func invoiceFor(ctx context.Context, orders *core.Orders, number string) (*core.Invoice, error) {
	if !orderNumberRE.MatchString(number) {
		return orders.Invoice(ctx, core.System, number)
	}
	o, err := orders.GetByNumber(ctx, core.System, number)
	if err != nil {
		return nil, err
	}
	invs, err := orders.Invoices(ctx, core.System, core.InvoiceFilter{OrderID: o.ID})
	if err != nil {
		return nil, err
	}
	for i := len(invs) - 1; i >= 0; i-- {
		if !invs[i].Voided {
			return orders.Invoice(ctx, core.System, invs[i].Number)
		}
	}
	return nil, core.Errorf(core.ErrNotFound, "order %s has no invoice (void ones do not count); issue one from the order's card", o.Number)
}

func invoicePDF(ctx context.Context, svc Services, seller pdfdoc.Seller, pr core.Pricing, cur core.Currency, def lang, inv *core.Invoice, l lang) ([]byte, error) {
	cust, err := svc.Customers.Get(ctx, core.System, inv.CustomerID)
	if err != nil {
		return nil, err
	}
	if l == "" {
		l = pickLang(cust.Lang, "", def)
	}
	doc := pdfdoc.Invoice{Number: inv.Number, OrderNumber: inv.OrderNumber, Issued: inv.IssuedOn, Due: inv.DueOn,
		Seller: seller, Buyer: buyerParty(cust, cust.Address, cust.Phone),
		Currency: cur, Total: inv.Amount, Paid: inv.Paid, Lang: string(l), Tax: taxSummary(pr, inv.TaxIncluded, inv.Taxes())}
	if o, err := svc.Orders.Get(ctx, core.System, inv.OrderID); err == nil && o.Address != "" {
		doc.Buyer.Address = o.Address
	}
	doc.Lines = docLines(l, inv.Lines, inv.TaxIncluded)
	if inv.Delivery > 0 {
		d := inv.DeliveryAmounts()
		amount := d.Gross
		if !inv.TaxIncluded {
			amount = d.Net
		}
		doc.Lines = append(doc.Lines, deliveryLine(l, inv.Delivery, amount, inv.DeliveryRate, d.Tax))
	}
	return render(ctx, func() ([]byte, error) { return pdfdoc.RenderInvoice(doc) })
}

// ReceiptPDF renders a sales receipt.
func (b *Bot) ReceiptPDF(ctx context.Context, rc pdfdoc.Receipt) ([]byte, error) {
	rc.Seller, rc.Currency = b.cfg.Seller, b.cfg.Currency
	return render(ctx, func() ([]byte, error) { return pdfdoc.RenderReceipt(rc) })
}

func render(ctx context.Context, f func() ([]byte, error)) ([]byte, error) {
	select {
	case renderSlots <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	defer func() { <-renderSlots }()
	out, err := f()
	if err != nil {
		return nil, fmt.Errorf("render document: %w", err)
	}
	return out, nil
}

// docLines maps document lines to PDF lines with their discount and tax.
// A line's amount is written as its price is: with tax when prices
// include it, without when tax is added under the lines.
func docLines(l lang, dls []core.DocLine, included bool) []pdfdoc.Line {
	out := make([]pdfdoc.Line, 0, len(dls))
	for _, dl := range dls {
		amount := dl.Amount()
		if !included {
			amount = dl.Net()
		}
		out = append(out, pdfdoc.Line{SKU: dl.SKU, Name: dl.Name, Unit: l.unitAbbr(dl.Unit), Qty: dl.Qty, Price: dl.Price,
			Amount: amount, Discount: dl.Discount, TaxRate: dl.TaxRate, Tax: dl.Tax})
	}
	return out
}

// deliveryLine is the delivery charge as a line of its own: no SKU, one.
func deliveryLine(l lang, price, amount core.Money, rate int, tax core.Money) pdfdoc.Line {
	return pdfdoc.Line{Name: l.Plain("doc.delivery"), Qty: 1, Price: price, Amount: amount, TaxRate: rate, Tax: tax}
}

// taxSummary is a document's tax as the PDF prints it.
func taxSummary(pr core.Pricing, included bool, t core.TaxTotals) pdfdoc.TaxSummary {
	s := pdfdoc.TaxSummary{Payer: pr.VATPayer, Included: included, Net: t.Net}
	for _, r := range t.Rates {
		s.Rates = append(s.Rates, pdfdoc.TaxLine{Rate: r.Rate, Base: r.Base, Tax: r.Tax})
	}
	return s
}

// buyerParty is the customer as documents name the buyer: the company and
// its tax number, with the person as the contact, or the person alone.
func buyerParty(c *core.Customer, address, phone string) pdfdoc.Party {
	p := pdfdoc.Party{Name: c.Name, TaxID: c.TaxID, Address: address, Phone: phoneText(phone)}
	if c.Company != "" {
		p.Name, p.Contact = c.Company, c.Name
	}
	return p
}
