package pdfdoc

import (
	"fmt"
	"testing"
)

func BenchmarkRenderInvoice(b *testing.B) {
	for _, n := range []int{10, 500} {
		inv := testInvoice(makeLines(n))
		b.Run(fmt.Sprintf("lines=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := RenderInvoice(inv); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkNewPDF is the fixed cost of one document: gofpdf parsing the two
// embedded TTFs. It cannot be shared between documents (see newPDF).
func BenchmarkNewPDF(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		pdf := newPDF(meta{date: day(2026, 3, 5)})
		if err := pdf.Error(); err != nil {
			b.Fatal(err)
		}
	}
}
