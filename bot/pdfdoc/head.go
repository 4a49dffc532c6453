package pdfdoc

import (
	"strings"
)

// Font sizes in points.
const (
	ptTitle  = 14.0
	ptSeller = 12.0
	ptName   = 10.0
	ptBody   = 9.0
	ptSmall  = 8.0
	ptFooter = 7.5
)

// header is what the top of page 1 shows besides the seller: the title, the
// dates and order number under it, and the party the document is for.
type header struct {
	facts      []string // "Issue date: 2 Jan 2026", "Order No. 1001"
	partyLabel string
	party      Party
}

// style sets font weight, size and colour for the text that follows.
func (d *doc) style(bold bool, pt float64, rgb [3]int) {
	s := ""
	if bold {
		s = "B"
	}
	d.pdf.SetFont(fontFamily, s, pt)
	d.pdf.SetTextColor(rgb[0], rgb[1], rgb[2])
}

// para draws text wrapped to w from (x, y), at most max lines, in the
// current style, and returns the y below it. Empty text draws nothing.
func (d *doc) para(x, y, w float64, text string, max int, align string) float64 {
	pt, _ := d.pdf.GetFontSize()
	lh := lineHeight(pt)
	for _, line := range wrap(d.pdf, text, w, max) {
		d.pdf.SetXY(x, y)
		d.pdf.CellFormat(w, lh, line, "", 0, align, false, 0, "")
		y += lh
	}
	return y
}

// drawHead draws the top of page 1 and returns where the table may start.
func (d *doc) drawHead(h header) float64 {
	const leftW, rightW = 90.0, 85.0
	yl := d.sellerBlock(marginL, marginTop, leftW)
	yr := d.titleBlock(pageW-marginR-rightW, marginTop, rightW, h.facts)
	y := max(yl, yr) + 3
	d.rule(marginL, y, pageW-marginR)
	y = d.partyBlock(marginL, y+4, contentW, h.partyLabel, h.party)
	return y + 5
}

func (d *doc) sellerBlock(x, y, w float64) float64 {
	s := d.seller
	d.style(true, ptSeller, colInk)
	y = d.para(x, y, w, clean(s.Name, false), 2, "L")
	d.style(false, ptSmall, colInk)
	y = d.para(x, y+0.5, w, clean(s.Address, true), 3, "L")
	y = d.para(x, y, w, clean(withLabel(d.lb.taxID, s.TaxID), false), 1, "L")
	for _, l := range d.bankLines() {
		y = d.para(x, y, w, l, 3, "L")
	}
	y = d.para(x, y, w, clean(withLabel(d.lb.phone, s.Phone), false), 1, "L")
	return d.para(x, y, w, clean(withLabel(d.lb.email, s.Email), false), 1, "L")
}

// bankLines are the seller's bank details: the bank, the account and the
// bank's code, each labelled; a bank line alone (the old one-line setting)
// reads "Bank details: ...".
func (d *doc) bankLines() []string {
	s := d.seller
	if s.BankAccount == "" && s.BankCode == "" {
		return []string{clean(withLabel(d.lb.bank, s.Bank), true)}
	}
	return []string{
		clean(withLabel(d.lb.bankName, s.Bank), true),
		clean(withLabel(d.lb.account, s.BankAccount), false),
		clean(withLabel(d.lb.bankCode, s.BankCode), false),
	}
}

func (d *doc) titleBlock(x, y, w float64, facts []string) float64 {
	d.style(true, ptTitle, colInk)
	y = d.para(x, y, w, d.title, 2, "R")
	d.style(false, ptBody, colInk)
	y += 1
	for _, f := range facts {
		y = d.para(x, y, w, clean(f, false), 1, "R")
	}
	return y
}

func (d *doc) partyBlock(x, y, w float64, label string, p Party) float64 {
	d.style(true, ptSmall, colMuted)
	y = d.para(x, y, w, strings.ToUpper(label), 1, "L")
	d.style(true, ptName, colInk)
	y = d.para(x, y+0.5, w, clean(p.Name, false), 2, "L")
	d.style(false, ptBody, colInk)
	y = d.para(x, y, w, clean(withLabel(d.lb.taxID, p.TaxID), false), 1, "L")
	y = d.para(x, y, w, clean(withLabel(d.lb.contact, p.Contact), false), 1, "L")
	y = d.para(x, y, w, clean(p.Address, true), 3, "L")
	return d.para(x, y, w, clean(withLabel(d.lb.phone, p.Phone), false), 1, "L")
}

// rule draws a thin horizontal line from x1 to x2 at y.
func (d *doc) rule(x1, y, x2 float64) {
	d.pdf.SetDrawColor(colRule[0], colRule[1], colRule[2])
	d.pdf.SetLineWidth(0.3)
	d.pdf.Line(x1, y, x2, y)
}

// footer is gofpdf's footer callback: seller and title left, "page N of M"
// right, under a rule.
func (d *doc) footer() {
	d.rule(marginL, footerY, pageW-marginR)
	d.style(false, ptFooter, colMuted)
	lh := lineHeight(ptFooter)
	page := d.lb.pageOf(d.pdf.PageNo(), d.pages)
	pw := d.pdf.GetStringWidth(page) + 1
	left := d.title
	if name := clean(d.seller.Name, false); name != "" {
		left = name + " · " + left
	}
	d.para(marginL, footerY+1.5, contentW-pw-5, left, 1, "L")
	d.pdf.SetXY(pageW-marginR-pw, footerY+1.5)
	d.pdf.CellFormat(pw, lh, page, "", 0, "R", false, 0, "")
}
