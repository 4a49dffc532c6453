package bot

import (
	"strings"

	"github.com/orderbot/orderbot/core"
)

// Prices as customers see them: their own price list's, with its quantity
// breaks, and totals that itemize discount, delivery and VAT.

// customerPrices is what the customer of the request pays for the
// products (catalog prices for staff, or when the lists cannot be read).
func (r *req) customerPrices(ids []int64) *core.CustomerPrices {
	if r.customer == nil || len(ids) == 0 {
		return nil
	}
	cp, err := r.b.svc.Catalog.PricesOf(r.ctx, r.customer, ids) // read this update: no second read
	if err != nil {
		r.log.Warn("customer prices", "err", err)
		return nil
	}
	return cp
}

// ownPrices puts the customer's price of one unit on each item.
func (r *req) ownPrices(items []core.StockLevel) {
	ids := make([]int64, len(items))
	for i := range items {
		ids[i] = items[i].ID
	}
	cp := r.customerPrices(ids)
	for i := range items {
		items[i].Price = cp.Price(&items[i].Product, 1)
	}
}

// breaksText lists the customer's quantity breaks of a product: "from 10
// pcs: 4.10".
func (l lang) breaksText(cur core.Currency, cp *core.CustomerPrices, p *core.Product) string {
	if cp == nil {
		return ""
	}
	var b strings.Builder
	for _, br := range cp.Breaks[p.ID] {
		if br.MinQty > 1 {
			b.WriteString("\n" + l.T("price.break", br.MinQty, l.unit(br.MinQty, p.Unit), l.money(cur, br.Price)))
		}
	}
	return b.String()
}

// totalsText itemizes what is not goods: the discount, the delivery and the
// tax by rate (tax lines only from a VAT payer), each on a line of its own.
func (l lang) totalsText(cur core.Currency, t core.OrderTotals, p core.Pricing) string {
	var lines []string
	if t.Discount > 0 {
		lines = append(lines, l.T("price.discount", l.money(cur, t.Discount)))
	}
	if t.Delivery > 0 {
		lines = append(lines, l.T("price.delivery", l.money(cur, t.Delivery)))
	}
	for _, rt := range t.Rates {
		if p.VATPayer && rt.Rate > 0 {
			key := "price.vat_in"
			if p.Excluded {
				key = "price.vat_on"
			}
			lines = append(lines, l.T(key, core.FormatTaxRate(rt.Rate), l.money(cur, rt.Tax)))
		}
	}
	return strings.Join(lines, "\n")
}

// orderTotalsText is totalsText of an order, with the order's own tax mode.
func (l lang) orderTotalsText(cur core.Currency, o *core.Order, p core.Pricing) string {
	p.Excluded = !o.TaxIncluded
	return l.totalsText(cur, o.Totals(), p)
}
