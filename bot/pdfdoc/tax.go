package pdfdoc

import (
	"fmt"
	"strings"

	"github.com/orderbot/orderbot/core"
)

// taxRows are the rows of a totals block around total: "Without VAT" for a
// seller who does not pay it; net, VAT per rate and total when prices
// exclude tax; total and "including VAT" per rate when they include it.
func (d *doc) taxRows(label string, total core.Money, tax TaxSummary, strong bool) []kv {
	totalRow := kv{label, d.money(total), strong}
	if !tax.Payer {
		return []kv{totalRow, {"", d.lb.noVAT, false}}
	}
	var rates []kv
	for _, r := range tax.Rates {
		format := d.lb.vat
		if tax.Included {
			format = d.lb.vatIncluded
		}
		rates = append(rates, kv{fmt.Sprintf(format, percent(d.lang, r.Rate)), d.money(r.Tax), false})
	}
	if tax.Included {
		return append([]kv{totalRow}, rates...)
	}
	rows := append([]kv{{d.lb.net, d.money(tax.Net), false}}, rates...)
	return append(rows, totalRow)
}

// taxNote is the tax as one line of text, for a payment receipt: "Without
// VAT", or "including VAT 20 %: 200.00 USD".
func (d *doc) taxNote(tax TaxSummary) string {
	if !tax.Payer {
		return d.lb.noVAT
	}
	var parts []string
	for _, r := range tax.Rates {
		parts = append(parts, fmt.Sprintf(d.lb.vatIncluded, percent(d.lang, r.Rate))+": "+d.money(r.Tax))
	}
	return strings.Join(parts, "; ")
}

// wordsBlock states an amount in words under the totals.
func (d *doc) wordsBlock(m core.Money) block {
	return d.textBlock(d.lb.inWords+": "+AmountInWords(d.lang, d.cur, m), false)
}

// textBlock is a paragraph across the page, at most three lines.
func (d *doc) textBlock(text string, bold bool) block {
	d.style(bold, ptBody, colInk)
	lines := wrap(d.pdf, text, contentW, 3)
	lh := lineHeight(ptBody)
	return block{h: float64(len(lines))*lh + 1, draw: func(y float64) {
		d.style(bold, ptBody, colInk)
		d.para(marginL, y+0.5, contentW, text, 3, "L")
	}}
}
