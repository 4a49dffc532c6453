package pdfdoc

// kv is one labelled amount or fact in a block after the table.
type kv struct {
	label, value string
	strong       bool
}

// Geometry of the totals block, right-aligned to the table.
const (
	totalsRowH   = 6.0
	totalsValueW = 48.0
	totalsLabelW = 60.0
)

// totalsBlock right-aligns label/value rows under the table; the last strong
// row gets a rule above it.
func (d *doc) totalsBlock(rows []kv) block {
	h := float64(len(rows))*totalsRowH + 1
	return block{h: h, draw: func(y float64) {
		xv := pageW - marginR - totalsValueW
		xl := xv - totalsLabelW - 3
		for _, r := range rows {
			if r.strong {
				d.rule(xl, y+0.5, pageW-marginR)
				y += 1
			}
			pt := ptBody
			if r.strong {
				pt = ptName
			}
			d.style(r.strong, pt, colInk)
			if r.label != "" {
				d.para(xl, y+1, totalsLabelW, r.label+":", 1, "R")
			}
			d.pdf.SetFontSize(fitSize(d.pdf, r.value, totalsValueW, pt))
			d.para(xv, y+1, totalsValueW, r.value, 1, "R")
			y += totalsRowH
		}
	}}
}

// detailsBlock lists label/value rows left-aligned, for payment receipts.
func (d *doc) detailsBlock(all []kv) block {
	const labelW, rowH = 55.0, 7.0
	var rows []kv
	for _, r := range all {
		if r.value != "" {
			rows = append(rows, r)
		}
	}
	h := float64(len(rows)) * rowH
	return block{h: h, draw: func(y float64) {
		for _, r := range rows {
			d.style(false, ptBody, colMuted)
			d.para(marginL, y+1, labelW, r.label+":", 1, "L")
			pt := ptBody
			if r.strong {
				pt = ptTitle - 2
			}
			d.style(r.strong, pt, colInk)
			d.pdf.SetFontSize(fitSize(d.pdf, r.value, contentW-labelW, pt))
			d.para(marginL+labelW, y+1, contentW-labelW, r.value, 1, "L")
			y += rowH
		}
	}}
}

// noteBlock is a labelled free-text note, at most noteLines lines.
func (d *doc) noteBlock(note string) block {
	const noteLines = 12
	d.style(false, ptBody, colInk)
	lines := wrap(d.pdf, clean(note, true), contentW, noteLines)
	lh := lineHeight(ptBody)
	h := float64(len(lines)+1)*lh + 1
	return block{h: h, draw: func(y float64) {
		d.style(true, ptSmall, colMuted)
		y = d.para(marginL, y, contentW, d.lb.note+":", 1, "L")
		d.style(false, ptBody, colInk)
		for _, l := range lines {
			d.pdf.SetXY(marginL, y+1)
			d.pdf.CellFormat(contentW, lh, l, "", 0, "L", false, 0, "")
			y += lh
		}
	}}
}
