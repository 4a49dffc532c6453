package pdfdoc

// signature is one place to sign: who signs (label) and, when known, the
// name printed after the line.
type signature struct {
	label, name string
}

// signatureBlock draws places to sign, two to a row: the label, a line to
// sign on and "/ name /" after it.
func (d *doc) signatureBlock(sigs []signature) block {
	const rowH, colW, labelW, lineW = 14.0, contentW / 2, 30.0, 32.0
	rows := (len(sigs) + 1) / 2
	return block{h: float64(rows) * rowH, draw: func(y float64) {
		for i, s := range sigs {
			x := marginL + float64(i%2)*colW
			yy := y + float64(i/2)*rowH + 6
			d.style(false, ptSmall, colMuted)
			d.pdf.SetFontSize(fitSize(d.pdf, s.label, labelW-1, ptSmall))
			d.para(x, yy, labelW, s.label, 1, "L")
			d.rule(x+labelW, yy+lineHeight(ptSmall), x+labelW+lineW)
			if s.name != "" {
				name := "/ " + clean(s.name, false) + " /"
				w := colW - labelW - lineW - 4
				d.style(false, ptSmall, colInk)
				d.pdf.SetFontSize(fitSize(d.pdf, name, w, ptSmall))
				d.para(x+labelW+lineW+2, yy, w, name, 1, "L")
			}
		}
	}}
}

// approval is who signs a document the seller issues: the director and the
// accountant in Russian, an authorised signature in English.
func (d *doc) approval() []signature {
	if d.lb == &russian {
		return []signature{{d.lb.director, d.seller.Signatory}, {d.lb.accountant, ""}}
	}
	return []signature{{d.lb.authorised, d.seller.Signatory}}
}

// handover is who signs a shipment: the one who handed the goods over and
// the one who received them.
func (d *doc) handover() []signature {
	return []signature{{d.lb.shippedBy, ""}, {d.lb.receivedBy, ""}}
}
