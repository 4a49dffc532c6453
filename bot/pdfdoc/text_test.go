package pdfdoc

import (
	"regexp"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestClean(t *testing.T) {
	cases := map[string]string{
		"plain":          "plain",
		"emoji 😀 ok":     "emoji \uFFFD ok",
		"bad \xff byte":  "bad \uFFFD byte",
		"tab\tand\r\nnl": "tab and  nl",
	}
	for in, want := range cases {
		if got := clean(in, false); got != want {
			t.Errorf("clean(%q) = %q; want %q", in, got, want)
		}
	}
	if got := clean("a\nb", true); got != "a\nb" {
		t.Errorf("multiline clean lost the newline: %q", got)
	}
	if got := clean(strings.Repeat("я", 5000), false); utf8.RuneCountInString(got) != maxFieldRunes {
		t.Errorf("clean kept %d runes; want %d", utf8.RuneCountInString(got), maxFieldRunes)
	}
}

func TestWrapFitsWidth(t *testing.T) {
	pdf := newPDF(meta{date: day(2026, 3, 5)})
	pdf.SetFont(fontFamily, "", ptCell)
	texts := []string{
		"",
		"short",
		strings.Repeat("Supercalifragilistic", 10),
		strings.Repeat("Очень длинное название товара ", 20),
		"Combining accents: e\u0301e\u0301e\u0301 и\u0306и\u0306 " + strings.Repeat("word ", 40),
		"line one\nline two\n\nline four",
	}
	for _, s := range texts {
		for _, max := range []int{1, 2, 3} {
			lines := wrap(pdf, s, 40, max)
			if len(lines) > max {
				t.Errorf("wrap(%.20q, max %d) gave %d lines", s, max, len(lines))
			}
			for _, l := range lines {
				if w := pdf.GetStringWidth(l); w > 40.01 {
					t.Errorf("wrap(%.20q): line %q is %.2f mm wide; want <= 40", s, l, w)
				}
			}
		}
	}
	if got := wrap(pdf, "two words", 40, 3); len(got) != 1 || got[0] != "two words" {
		t.Errorf("short text wrapped to %q", got)
	}
	if got := wrap(pdf, strings.Repeat("word ", 100), 40, 2); !strings.HasSuffix(got[1], ellipsis) {
		t.Errorf("cut text does not end with an ellipsis: %q", got)
	}
}

var bboxWord = regexp.MustCompile(`<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)</word>`)

type word struct {
	x0, y, x1 float64
	text      string
}

func bboxWords(t *testing.T, pdf []byte) []word {
	var words []word
	for _, m := range bboxWord.FindAllStringSubmatch(pdftotextBBox(t, pdf), -1) {
		var w word
		w.x0, _ = strconv.ParseFloat(m[1], 64)
		w.y, _ = strconv.ParseFloat(m[2], 64)
		w.x1, _ = strconv.ParseFloat(m[3], 64)
		w.text = m[4]
		words = append(words, w)
	}
	return words
}

// TestLongTextStaysInItsCell checks with pdftotext -bbox that no word in the
// table reaches into the next column, and no word at all leaves the page body.
func TestLongTextStaysInItsCell(t *testing.T) {
	inv := testInvoice(makeLines(3))
	inv.Lines[0].Name = strings.Repeat("Extraordinarily long product description ", 10)
	inv.Lines[1].Name = strings.Repeat("НеразрывноеСловоБезПробелов", 6)
	inv.Lines[1].SKU = strings.Repeat("SKU", 30)
	inv.Lines[2].Unit = "packages of twelve"
	inv.Lines[2].Qty = 123456789012
	inv.Lines[2].Amount = 9_000_000_000_000_000_00
	pdf, err := RenderInvoice(inv)
	if err != nil {
		t.Fatal(err)
	}
	const mm = 72 / 25.4
	columns := []column{colNo, colSKU, colName, colQty, colUnit, colMoney, colMoney}
	edges := make([]float64, len(columns)+1)
	edges[0] = marginL * mm
	for i, c := range columns {
		edges[i+1] = edges[i] + c.w*mm
	}
	words := bboxWords(t, pdf)
	top, bottom := 0.0, 0.0
	for _, w := range words {
		switch w.text {
		case "Description":
			top = w.y
		case "Total:":
			bottom = w.y
		}
	}
	if top == 0 || bottom <= top {
		t.Fatalf("table not found in the PDF (header at %.1f, totals at %.1f)", top, bottom)
	}
	for _, w := range words {
		if w.x0 < edges[0]-1 || w.x1 > edges[len(columns)]+1 {
			t.Errorf("word %q at %.1f-%.1f pt leaves the page body", w.text, w.x0, w.x1)
		}
		if w.y <= top || w.y >= bottom {
			continue
		}
		for i := 1; i < len(edges); i++ {
			if w.x0 >= edges[i-1] && w.x0 < edges[i] && w.x1 > edges[i]+0.5 {
				t.Errorf("word %q in column %d runs past its edge: %.1f > %.1f pt", w.text, i, w.x1, edges[i])
			}
		}
	}
}

// TestHostileTextRenders feeds every text field what a Telegram user might
// type: emoji (outside the BMP, which gofpdf cannot index), invalid UTF-8,
// control characters, combining accents, scripts DejaVu lacks (CJK).
func TestHostileTextRenders(t *testing.T) {
	nasty := "😀 Coffee ☕ \xff\xfe e\u0301 \x00\x07 日本語 עברית العربية Ελληνικά \u200b(x)\\"
	inv := testInvoice([]Line{{SKU: nasty, Name: nasty, Unit: nasty, Qty: 1, Price: 1, Amount: 1}})
	inv.Seller = Seller{Name: nasty, Address: nasty, TaxID: nasty, Bank: nasty, Phone: nasty, Email: nasty}
	inv.Buyer = Party{Name: nasty, Address: nasty, Phone: nasty}
	inv.Note, inv.Total, inv.Paid = nasty, 1, 0
	inv.Number, inv.OrderNumber = "😀-1", "\u0301"
	pdf, err := RenderInvoice(inv)
	if err != nil {
		t.Fatal(err)
	}
	wantText(t, pdftotext(t, pdf), "Coffee", "Ελληνικά", "(x)\\")

	minimal := testInvoice(makeLines(1))
	minimal.Seller, minimal.Buyer, minimal.Note = Seller{}, Party{}, ""
	if _, err := RenderInvoice(minimal); err != nil {
		t.Fatalf("invoice with empty seller and buyer: %v", err)
	}
}
