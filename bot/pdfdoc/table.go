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

// Goods columns: No., SKU, name, qty, unit, price, [discount,] amount;
// 180 mm in all. The discount column, when some line has one, is taken
// from the name's width.
var (
	colNo     = column{w: 10, align: "R"}
	colSKU    = column{w: 24, align: "L", maxLines: 2}
	colName   = column{w: 62, align: "L", maxLines: 3}
	colQty    = column{w: 16, align: "R"}
	colUnit   = column{w: 14, align: "L", maxLines: 1}
	colMoney  = column{w: 27, align: "R"}
	discountW = 22.0
)

// cell is measured cell text: its lines and the type size to set them in.
type cell struct {
	lines []string
	pt    float64
}

// table is a measured table, ready to paginate and draw.
type table struct {
	cols  []column
	head  []cell
	rows  [][]cell
	rowH  []float64
	headH float64
}

// newTable is the goods table of lines.
func newTable(d *doc, lines []Line) *table {
	lb, mark := d.lb, CurrencyMark(d.lang, d.cur)
	discount := false
	for _, l := range lines {
		discount = discount || l.Discount != 0
	}
	name := colName
	cols := []column{colNo, colSKU, name, colQty, colUnit, colMoney}
	titles := []string{lb.colNo, lb.colSKU, lb.colName, lb.colQty, lb.colUnit, fmt.Sprintf(lb.colPrice, mark)}
	if discount {
		cols[2].w -= discountW
		cols = append(cols, column{w: discountW, align: "R"})
		titles = append(titles, fmt.Sprintf(lb.colDiscount, mark))
	}
	cols = append(cols, colMoney)
	titles = append(titles, fmt.Sprintf(lb.colAmount, mark))
	rows := make([][]string, len(lines))
	for i, l := range lines {
		rows[i] = []string{strconv.Itoa(i + 1), clean(l.SKU, false), clean(l.Name, false),
			strconv.FormatInt(l.Qty, 10), clean(l.Unit, false), d.cellAmount(l.Price)}
		if discount {
			disc := ""
			if l.Discount != 0 {
				disc = d.cellAmount(l.Discount)
			}
			rows[i] = append(rows[i], disc)
		}
		rows[i] = append(rows[i], d.cellAmount(l.Amount))
	}
	return newGrid(d, cols, titles, rows)
}

// newGrid measures every row with the document's fonts; drawing later uses
// these measurements unchanged, so the plan and the pages agree.
func newGrid(d *doc, cols []column, titles []string, rows [][]string) *table {
	t := &table{cols: cols, headH: headerH, head: make([]cell, len(cols)),
		rows: make([][]cell, len(rows)), rowH: make([]float64, len(rows))}
	d.style(true, ptHeader, colInk)
	for i, s := range titles {
		t.head[i] = fitCell(d, s, cols[i].w-2*padX, ptHeader)
	}
	d.style(false, ptCell, colInk)
	for i, texts := range rows {
		t.rows[i], t.rowH[i] = measureRow(d, cols, texts)
	}
	return t
}

func measureRow(d *doc, cols []column, texts []string) ([]cell, float64) {
	row := make([]cell, len(cols))
	n := 1
	for i, s := range texts {
		w := cols[i].w - 2*padX
		if cols[i].maxLines == 0 {
			row[i] = fitCell(d, s, w, ptCell)
			continue
		}
		d.pdf.SetFontSize(ptCell)
		row[i] = cell{lines: wrap(d.pdf, s, w, cols[i].maxLines), pt: ptCell}
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
	t.drawCells(d, t.head, y, (t.headH-lh)/2, lh)
}

// drawRow draws row i at y with a rule under it.
func (t *table) drawRow(d *doc, i int, y float64) {
	d.style(false, ptCell, colInk)
	t.drawCells(d, t.rows[i], y, padY, lineHeight(ptCell))
	d.rule(marginL, y+t.rowH[i], pageW-marginR)
}

func (t *table) drawCells(d *doc, row []cell, y, top, lh float64) {
	x := marginL
	for i, c := range row {
		w := t.cols[i].w - 2*padX
		d.pdf.SetFontSize(c.pt)
		for j, line := range c.lines {
			d.pdf.SetXY(x+padX, y+top+float64(j)*lh)
			d.pdf.CellFormat(w, lh, line, "", 0, t.cols[i].align, false, 0, "")
		}
		x += t.cols[i].w
	}
}
