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

// BenchmarkRenderInvoiceParallel renders the 10-line invoice from
// GOMAXPROCS goroutines at once (run with -cpu 1,2,... to see it scale):
// ns/op is wall time per document over all of them.
func BenchmarkRenderInvoiceParallel(b *testing.B) {
	inv := testInvoice(makeLines(10))
	b.Run("lines=10", func(b *testing.B) {
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				if _, err := RenderInvoice(inv); err != nil {
					b.Error(err)
					return
				}
			}
		})
	})
}

// BenchmarkNewPDF is the fixed cost of one document: an empty gofpdf
// document with the fonts, parsed once per process, added.
func BenchmarkNewPDF(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		pdf := newPDF(meta{date: day(2026, 3, 5)})
		if err := pdf.Error(); err != nil {
			b.Fatal(err)
		}
	}
}
