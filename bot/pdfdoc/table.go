package pdfdoc

import (
	"fmt"
	"strconv"
)

// Table geometry: cell padding and type sizes.
const (
	padX     = 1.2
	padY     = 1.4
	ptCell   = 8.5
	ptHeader = 8.0
	headerH  = 7.5
)

// column is one table column. Text columns wrap to at most maxLines (the
// last cut with an ellipsis); numeric columns (maxLines 0) stay on one line
// and shrink their type to fit, because a cut number would be a wrong one.
type column struct {
	w        float64
	align    string
	maxLines int
}

// columns: No., SKU, name, qty, unit, price, amount; 180 mm in all.
var columns = [7]column{
	{w: 10, align: "R"},
	{w: 24, align: "L", maxLines: 2},
	{w: 62, align: "L", maxLines: 3},
	{w: 16, align: "R"},
	{w: 14, align: "L", maxLines: 1},
	{w: 27, align: "R"},
	{w: 27, align: "R"},
}

// cell is measured cell text: its lines and the type size to set them in.
type cell struct {
	lines []string
	pt    float64
}

// table is the measured table of lines, ready to paginate and draw.
type table struct {
	head  [7]cell
	rows  [][7]cell
	rowH  []float64
	headH float64
}

// newTable measures every row with the document's fonts; drawing later uses
// these measurements unchanged, so the plan and the pages agree.
func newTable(d *doc, lines []Line) *table {
	lb := d.lb
	titles := [7]string{lb.colNo, lb.colSKU, lb.colName, lb.colQty, lb.colUnit,
		fmt.Sprintf(lb.colPrice, d.cur.Code), fmt.Sprintf(lb.colAmount, d.cur.Code)}
	t := &table{headH: headerH, rows: make([][7]cell, len(lines)), rowH: make([]float64, len(lines))}
	d.style(true, ptHeader, colInk)
	for i, s := range titles {
		t.head[i] = fitCell(d, s, columns[i].w-2*padX, ptHeader)
	}
	d.style(false, ptCell, colInk)
	for i, l := range lines {
		t.rows[i], t.rowH[i] = measureRow(d, i+1, l)
	}
	return t
}

func measureRow(d *doc, no int, l Line) ([7]cell, float64) {
	texts := [7]string{
		strconv.Itoa(no), clean(l.SKU, false), clean(l.Name, false),
		strconv.FormatInt(l.Qty, 10), clean(l.Unit, false),
		amount(d.cur, l.Price), amount(d.cur, l.Amount),
	}
	var row [7]cell
	n := 1
	for i, s := range texts {
		w := columns[i].w - 2*padX
		if columns[i].maxLines == 0 {
			row[i] = fitCell(d, s, w, ptCell)
			continue
		}
		d.pdf.SetFontSize(ptCell)
		row[i] = cell{lines: wrap(d.pdf, s, w, columns[i].maxLines), pt: ptCell}
		n = max(n, len(row[i].lines))
	}
	return row, float64(n)*lineHeight(ptCell) + 2*padY
}

func fitCell(d *doc, s string, w, pt float64) cell {
	size := fitSize(d.pdf, s, w, pt)
	d.pdf.SetFontSize(pt)
	return cell{lines: []string{s}, pt: size}
}

func (t *table) heights() []float64 { return t.rowH }

// drawHeader draws the column titles on a shaded band at y.
func (t *table) drawHeader(d *doc, y float64) {
	d.pdf.SetFillColor(colFill[0], colFill[1], colFill[2])
	d.pdf.Rect(marginL, y, contentW, t.headH, "F")
	d.style(true, ptHeader, colInk)
	lh := lineHeight(ptHeader)
	t.drawCells(d, &t.head, y, (t.headH-lh)/2, lh)
}

// drawRow draws row i at y with a rule under it.
func (t *table) drawRow(d *doc, i int, y float64) {
	d.style(false, ptCell, colInk)
	t.drawCells(d, &t.rows[i], y, padY, lineHeight(ptCell))
	d.rule(marginL, y+t.rowH[i], pageW-marginR)
}

func (t *table) drawCells(d *doc, row *[7]cell, y, top, lh float64) {
	x := marginL
	for i, c := range row {
		w := columns[i].w - 2*padX
		d.pdf.SetFontSize(c.pt)
		for j, line := range c.lines {
			d.pdf.SetXY(x+padX, y+top+float64(j)*lh)
			d.pdf.CellFormat(w, lh, line, "", 0, columns[i].align, false, 0, "")
		}
		x += columns[i].w
	}
}
