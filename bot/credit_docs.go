package bot

import (
	"context"

	"github.com/orderbot/orderbot/bot/pdfdoc"
	"github.com/orderbot/orderbot/core"
)

// Credit notes as PDFs: sent to the customer when a return or a close makes
// them (NoticeCreditPDF, from the change's event), and fetched again from
// the order card.

func init() {
	onCallback("ocn", 1, false, func(r *req, c callback) error { return sendCredit(r, c.Arg(0)) })
	register(langEN, map[string]string{
		"doc.credit_caption": "↩ Credit note %s: −%s on invoice %s (order %s). Reason: %s",
	})
	register(langRU, map[string]string{
		"doc.credit_caption": "↩ Кредит-нота %s: −%s к счёту %s (заказ %s). Основание: %s",
	})
}

func sendCredit(r *req, id int64) error {
	n, err := r.b.svc.Orders.CreditNote(r.ctx, r.actor, id)
	if err != nil {
		return err
	}
	pdf, caption, err := r.b.creditPDF(r.ctx, n, r.lang)
	if err != nil {
		return err
	}
	_, err = r.b.send.DocumentWait(r.ctx, r.chatID, prio(r.ctx), n.Number+".pdf", pdf, caption, nil)
	return err
}

// creditPDF renders a credit note for its customer in a language ("" picks
// the customer's own): the PDF and its caption.
func (b *Bot) creditPDF(ctx context.Context, n *core.CreditNote, l lang) ([]byte, string, error) {
	cust, err := b.svc.Customers.Get(ctx, core.System, n.CustomerID)
	if err != nil {
		return nil, "", err
	}
	if l == "" {
		l = pickLang(cust.Lang, "", b.def)
	}
	doc := pdfdoc.CreditNote{Number: n.Number, InvoiceNumber: n.InvoiceNumber, OrderNumber: n.OrderNumber, Issued: n.IssuedOn,
		Seller: b.cfg.Seller, Buyer: buyerParty(cust, cust.Address, cust.Phone),
		Currency: b.cfg.Currency, Total: n.Amount, Reason: n.Reason, Lang: string(l)}
	doc.Lines = docLines(l, n.Lines, n.TaxIncluded)
	doc.Tax = taxSummary(b.cfg.Pricing, n.TaxIncluded, n.Taxes())
	pdf, err := render(ctx, func() ([]byte, error) { return pdfdoc.RenderCreditNote(doc) })
	if err != nil {
		return nil, "", err
	}
	cur := b.cfg.Currency
	return pdf, l.T("doc.credit_caption", n.Number, l.money(cur, n.Amount), n.InvoiceNumber, n.OrderNumber, n.Reason), nil
}

// deliverCreditPDF sends the customer the credit notes a change made: the
// one the notice names and the others of the order made with it.
func (b *Bot) deliverCreditPDF(ctx context.Context, n core.Notice) error {
	p, err := decode[core.CreditPDFNotice](n)
	if err != nil {
		return err
	}
	first, err := b.svc.Orders.CreditNote(ctx, core.System, p.CreditID)
	if err != nil {
		return err
	}
	notes, err := b.svc.Orders.CreditNotes(ctx, core.System, first.OrderID)
	if err != nil {
		return err
	}
	for i := range notes {
		cn := &notes[i]
		if cn.ID != first.ID && !cn.CreatedAt.Equal(first.CreatedAt) {
			continue
		}
		pdf, caption, err := b.creditPDF(ctx, cn, "")
		if err != nil {
			return err
		}
		if _, err := b.send.DocumentWait(ctx, n.ChatID, prio(ctx), cn.Number+".pdf", pdf, caption, nil); err != nil {
			return err
		}
	}
	return nil
}
