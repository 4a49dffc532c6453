package gofpdf_test

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"sync"
	"testing"
	"time"

	upstream "github.com/jung-kurt/gofpdf"
	"github.com/orderbot/orderbot/bot/pdfdoc/internal/gofpdf"
)

// document is what the sample draws with, the same in both libraries.
type document interface {
	SetCatalogSort(flag bool)
	SetCreationDate(tm time.Time)
	SetModificationDate(tm time.Time)
	SetFooterFunc(fnc func())
	AddPage()
	PageNo() int
	SetFont(familyStr, styleStr string, size float64)
	SetTextColor(r, g, b int)
	SetXY(x, y float64)
	CellFormat(w, h float64, txtStr, borderStr string, ln int, alignStr string, fill bool, link int, linkStr string)
	GetStringWidth(s string) float64
	Line(x1, y1, x2, y2 float64)
	Rect(x, y, w, h float64, styleStr string)
	Output(w io.Writer) error
}

var (
	latin = "Invoice No. 42 — Jörg Ñúñez, Zürich: 1 234.50 € (½ paid) «ok» № 7 …"
	mixed = "Счёт № 42: Чай «Ёлочка», Ελληνικά, e\u0301 и\u0306, 日本語 \uFFFD ₽ − ×"
)

// draw writes texts over two pages in both styles, with a footer, rules and
// a filled band: every kind of output pdfdoc asks of gofpdf.
func draw(t *testing.T, pdf document, texts ...string) []byte {
	t.Helper()
	date := time.Date(2026, 3, 5, 10, 30, 0, 0, time.UTC)
	pdf.SetCatalogSort(true)
	pdf.SetCreationDate(date)
	pdf.SetModificationDate(date)
	pdf.SetFooterFunc(func() {
		pdf.SetFont("dejavu", "", 7.5)
		pdf.SetXY(15, 285)
		pdf.CellFormat(180, 4, fmt.Sprintf("page %d", pdf.PageNo()), "", 0, "R", false, 0, "")
	})
	for page := 0; page < 2; page++ {
		pdf.AddPage()
		pdf.Rect(15, 15, 180, 7.5, "F")
		y := 25.0
		for i, s := range texts {
			pdf.SetFont("dejavu", []string{"", "B"}[i%2], 9)
			pdf.SetTextColor(33, 37, 41)
			pdf.SetXY(15, y)
			pdf.CellFormat(pdf.GetStringWidth(s), 5, s, "", 0, []string{"L", "R", "C"}[i%3], false, 0, "")
			pdf.Line(15, y+5, 195, y+5)
			y += 7
		}
	}
	var out bytes.Buffer
	if err := pdf.Output(&out); err != nil {
		t.Error(err) // not Fatal: draw runs in goroutines too
	}
	return out.Bytes()
}

func readFonts(t *testing.T) (regular, bold []byte) {
	t.Helper()
	regular, err := os.ReadFile("../../fonts/DejaVuSans.ttf")
	if err != nil {
		t.Fatal(err)
	}
	bold, err = os.ReadFile("../../fonts/DejaVuSans-Bold.ttf")
	if err != nil {
		t.Fatal(err)
	}
	return regular, bold
}

// upstreamPDF renders texts with upstream gofpdf parsing the fonts for this
// one document, as AddUTF8FontFromBytes does.
func upstreamPDF(t *testing.T, regular, bold []byte, texts ...string) []byte {
	pdf := upstream.NewCustom(&upstream.InitType{OrientationStr: "P", UnitStr: "mm", SizeStr: "A4"})
	// Upstream pads checksums into the bytes it is given: give it copies.
	pdf.AddUTF8FontFromBytes("dejavu", "", bytes.Clone(regular))
	pdf.AddUTF8FontFromBytes("dejavu", "B", bytes.Clone(bold))
	return draw(t, pdf, texts...)
}

// sharedPDF renders texts with fonts loaded once.
func sharedPDF(t *testing.T, fonts []*gofpdf.UTF8Font, texts ...string) []byte {
	pdf := gofpdf.NewCustom(&gofpdf.InitType{OrientationStr: "P", UnitStr: "mm", SizeStr: "A4"})
	for _, f := range fonts {
		pdf.AddUTF8FontShared(f)
	}
	return draw(t, pdf, texts...)
}

func loadShared(t *testing.T, regular, bold []byte) []*gofpdf.UTF8Font {
	t.Helper()
	r, err := gofpdf.LoadUTF8Font("dejavu", "", regular)
	if err != nil {
		t.Fatal(err)
	}
	b, err := gofpdf.LoadUTF8Font("dejavu", "B", bold)
	if err != nil {
		t.Fatal(err)
	}
	return []*gofpdf.UTF8Font{r, b}
}

// TestSharedFontsWriteWhatUpstreamWrites renders documents with fonts loaded
// once and shared, one after another with different text, and checks each
// against upstream gofpdf: the shared fonts give the same bytes and keep
// nothing of one document for the next.
func TestSharedFontsWriteWhatUpstreamWrites(t *testing.T) {
	regular, bold := readFonts(t)
	fonts := loadShared(t, regular, bold)
	for i, texts := range [][]string{{latin, mixed}, {"ASCII only"}, {mixed, latin, mixed}} {
		want := upstreamPDF(t, regular, bold, texts...)
		if got := sharedPDF(t, fonts, texts...); !bytes.Equal(got, want) {
			t.Errorf("document %d: %d bytes with shared fonts, %d from upstream gofpdf", i+1, len(got), len(want))
		}
	}
}

// TestSharedFontsConcurrently renders from 8 goroutines at once with the
// same fonts (run it with -race: cutting a subset must only read them).
func TestSharedFontsConcurrently(t *testing.T) {
	regular, bold := readFonts(t)
	fonts := loadShared(t, regular, bold)
	texts := [][]string{{latin, mixed}, {mixed}}
	want := [][]byte{upstreamPDF(t, regular, bold, texts[0]...), upstreamPDF(t, regular, bold, texts[1]...)}
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for range 3 {
				if got := sharedPDF(t, fonts, texts[g%2]...); !bytes.Equal(got, want[g%2]) {
					t.Errorf("goroutine %d: output differs from upstream gofpdf's", g)
					return
				}
			}
		})
	}
	wg.Wait()
}

func TestLoadUTF8FontRejectsWhatIsNotTrueType(t *testing.T) {
	if _, err := gofpdf.LoadUTF8Font("x", "", []byte("OTTO\x00\x01")); err == nil {
		t.Error("a CFF OpenType font loaded without error")
	}
}
