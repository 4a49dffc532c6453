package pdfdoc

import (
	"bytes"
	"io"

	"github.com/orderbot/orderbot/bot/pdfdoc/internal/gofpdf"
	"github.com/orderbot/orderbot/core"
)

// Colours (RGB).
var (
	colInk   = [3]int{33, 37, 41}
	colMuted = [3]int{108, 117, 125}
	colRule  = [3]int{206, 212, 218}
	colFill  = [3]int{233, 236, 239}
)

// Vertical gaps in millimetres.
const (
	gapTable = 5.0 // between the table and what follows it
	gapBlock = 4.0 // between two blocks after the table
)

// doc is one document being rendered: the gofpdf document plus what the
// page furniture (footer) needs.
type doc struct {
	pdf    *gofpdf.Fpdf
	lb     *labels
	lang   string
	cur    core.Currency
	seller Seller
	title  string
	pages  int // known once the layout is planned, before any page is closed
}

// block is a piece of the document after the table that must not be split
// across pages: totals, a note, signatures, payment details.
type block struct {
	h    float64
	draw func(y float64)
}

func newDoc(lang string, cur core.Currency, seller Seller, title string, m meta) *doc {
	d := &doc{lb: labelsFor(lang), lang: lang, cur: cur, seller: seller, title: title}
	m.title, m.author = title, clean(seller.Name, false)
	d.pdf = newPDF(m)
	d.pdf.SetFooterFunc(d.footer)
	d.pdf.AddPage()
	return d
}

// finish lays out the table and the blocks after it from startY on page 1,
// draws them page by page and writes the PDF to w.
func (d *doc) finish(w io.Writer, startY float64, tbl *table, tail []block) error {
	p := paginate(startY, tbl, tail)
	d.pages = p.pages
	for i := range p.rows {
		d.toPage(p.rows[i].page)
		if p.rows[i].header {
			tbl.drawHeader(d, p.rows[i].y-tbl.headH)
		}
		tbl.drawRow(d, i, p.rows[i].y)
	}
	for i, b := range tail {
		d.toPage(p.tail[i].page)
		b.draw(p.tail[i].y)
	}
	d.toPage(p.pages)
	return d.pdf.Output(w)
}

// toPage adds pages up to page n. Once the document has an error, such as
// fonts that failed to load, AddPage adds nothing, and Output reports it.
func (d *doc) toPage(n int) {
	for d.pdf.PageNo() < n && d.pdf.Ok() {
		d.pdf.AddPage()
	}
}

// spot is where a row or block goes; header marks a row that starts the
// table on its page, so the column header is drawn above it.
type spot struct {
	page   int
	y      float64
	header bool
}

type plan struct {
	rows, tail []spot
	pages      int
}

// paginate places every row and block. Drawing follows the plan exactly, so
// the page count is known before the first footer is drawn.
func paginate(startY float64, tbl *table, tail []block) plan {
	p := plan{pages: 1}
	y := startY
	if tbl != nil {
		for i, h := range tbl.heights() {
			first := i == 0
			if y+h+boolH(first, tbl.headH) > bodyBot && y > marginTop {
				p.pages++
				y, first = marginTop, true
			}
			if first {
				y += tbl.headH
			}
			p.rows = append(p.rows, spot{page: p.pages, y: y, header: first})
			y += h
		}
		y += gapTable
	}
	for _, b := range tail {
		if y+b.h > bodyBot && y > marginTop {
			p.pages++
			y = marginTop
		}
		p.tail = append(p.tail, spot{page: p.pages, y: y})
		y += b.h + gapBlock
	}
	return p
}

func boolH(b bool, h float64) float64 {
	if b {
		return h
	}
	return 0
}

// render runs draw into a buffer, for the []byte variants of the API.
func render(draw func(io.Writer) error) ([]byte, error) {
	var buf bytes.Buffer
	if err := draw(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
