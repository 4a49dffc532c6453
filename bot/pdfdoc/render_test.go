package pdfdoc

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/orderbot/orderbot/core"
)

// sampleDocs renders one document of each kind, in both languages.
func sampleDocs() map[string]func() ([]byte, error) {
	ru := testInvoice(makeLines(60))
	ru.Lang, ru.Seller = "ru", ruSeller()
	en := testInvoice(makeLines(10))
	ruPay := testPayment()
	ruPay.Lang = "ru"
	ruCredit := testCredit()
	ruCredit.Lang = "ru"
	ruStatement := testStatement()
	ruStatement.Lang = "ru"
	return map[string]func() ([]byte, error){
		"invoice ru":   func() ([]byte, error) { return RenderInvoice(ru) },
		"invoice en":   func() ([]byte, error) { return RenderInvoice(en) },
		"shipment":     func() ([]byte, error) { return RenderReceipt(testShipment()) },
		"payment":      func() ([]byte, error) { return RenderReceipt(testPayment()) },
		"payment ru":   func() ([]byte, error) { return RenderReceipt(ruPay) },
		"credit ru":    func() ([]byte, error) { return RenderCreditNote(ruCredit) },
		"statement":    func() ([]byte, error) { return RenderStatement(testStatement()) },
		"statement ru": func() ([]byte, error) { return RenderStatement(ruStatement) },
	}
}

func TestRenderIsDeterministic(t *testing.T) {
	for name, render := range sampleDocs() {
		first, err := render()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		for i := 0; i < 10; i++ {
			again, err := render()
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			if !bytes.Equal(first, again) {
				t.Fatalf("%s: render %d differs from the first (%d vs %d bytes)", name, i+2, len(again), len(first))
			}
		}
	}
}

// TestRenderIsDeterministicAcrossGoroutines renders every sample document
// from 8 goroutines at once, each in its own order, and wants the bytes of
// the same document rendered alone. Run it with -race: the documents share
// the parsed fonts, which they may only read, and pooled compressors.
func TestRenderIsDeterministicAcrossGoroutines(t *testing.T) {
	docs := sampleDocs()
	want := make(map[string][]byte)
	for name, render := range docs {
		var err error
		if want[name], err = render(); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
	}
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for name, render := range docs {
				got, err := render()
				if err != nil {
					t.Errorf("goroutine %d, %s: %v", g, name, err)
					return
				}
				if !bytes.Equal(got, want[name]) {
					t.Errorf("goroutine %d: %s differs from the same document rendered alone (%d vs %d bytes)",
						g, name, len(got), len(want[name]))
				}
			}
		})
	}
	wg.Wait()
}

func TestPDFDatesComeFromTheDocument(t *testing.T) {
	inv := testInvoice(makeLines(1))
	inv.Issued = time.Date(2026, 3, 5, 13, 30, 0, 0, time.FixedZone("MSK", 3*3600))
	pdf, err := RenderInvoice(inv)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"/CreationDate (D:20260305103000)", "/ModDate (D:20260305103000)"} {
		if !bytes.Contains(pdf, []byte(want)) {
			t.Errorf("PDF lacks %s", want)
		}
	}
}

// TestConcurrentRender renders 100 different invoices at once (run it with
// -race) and checks each against the same invoice rendered alone.
func TestConcurrentRender(t *testing.T) {
	const n = 100
	invs := make([]Invoice, n)
	want := make([][]byte, n)
	for i := range invs {
		invs[i] = testInvoice(makeLines(1 + i%4))
		invs[i].Number = fmt.Sprintf("INV-%03d", i)
		invs[i].Buyer.Name = fmt.Sprintf("Покупатель №%d — Jörg Ñúñez Ёжиков", i)
		if i%2 == 1 {
			invs[i].Lang = "ru"
		}
	}
	for i := range invs[:4] {
		var err error
		if want[i], err = RenderInvoice(invs[i]); err != nil {
			t.Fatal(err)
		}
	}
	got := make([][]byte, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range invs {
		wg.Go(func() { got[i], errs[i] = RenderInvoice(invs[i]) })
	}
	wg.Wait()
	for i := range invs {
		if errs[i] != nil {
			t.Fatalf("invoice %d: %v", i, errs[i])
		}
		if !bytes.HasPrefix(got[i], []byte("%PDF-")) {
			t.Fatalf("invoice %d is not a PDF", i)
		}
		if i < 4 && !bytes.Equal(got[i], want[i]) {
			t.Errorf("invoice %d rendered concurrently differs from rendered alone", i)
		}
	}
	wantText(t, pdftotext(t, got[7]), "Счёт № INV-007", "Покупатель №7 — Jörg Ñúñez Ёжиков")
}

// TestRenderReportsPDFErrors: once gofpdf has an error (fonts that failed to
// load, say) it draws nothing more; rendering must return that error, not
// wait for pages that never come.
func TestRenderReportsPDFErrors(t *testing.T) {
	inv := testInvoice(makeLines(200))
	d := newDoc(inv.Lang, inv.Currency, inv.Seller, "title", meta{date: inv.Issued})
	broken := errors.New("broken font")
	d.pdf.SetError(broken)
	err := d.finish(io.Discard, marginTop, newTable(d, inv.Lines), nil)
	if !errors.Is(err, broken) {
		t.Fatalf("finish returned %v; want the document's error", err)
	}
}

func TestValidation(t *testing.T) {
	ok := testInvoice(makeLines(2))
	cases := []struct {
		name string
		edit func(*Invoice)
		msg  string
	}{
		{"no number", func(i *Invoice) { i.Number = "" }, "number is missing"},
		{"long number", func(i *Invoice) { i.Number = strings.Repeat("9", 65) }, "longer than 64"},
		{"bad order number", func(i *Invoice) { i.OrderNumber = "\xff" }, "order number is not valid"},
		{"no lines", func(i *Invoice) { i.Lines = nil }, "no lines"},
		{"no currency", func(i *Invoice) { i.Currency = core.Currency{} }, "currency is not set"},
		{"bad currency", func(i *Invoice) { i.Currency.Code = "\xff\xfe\xfd" }, "currency is not set"},
		{"no date", func(i *Invoice) { i.Issued = time.Time{} }, "date is missing"},
		{"due before issued", func(i *Invoice) { i.Due = i.Issued.AddDate(0, 0, -1) }, "before the issue date"},
		{"zero qty", func(i *Invoice) { i.Lines[1].Qty = 0 }, "line 2: quantity"},
		{"nameless line", func(i *Invoice) { i.Lines[0].Name, i.Lines[0].SKU = "", "" }, "line 1 has neither"},
		{"negative total", func(i *Invoice) { i.Total = -1 }, "must not be negative"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			inv := ok
			inv.Lines = append([]Line(nil), ok.Lines...)
			c.edit(&inv)
			var buf bytes.Buffer
			err := WriteInvoice(&buf, inv)
			checkInvalid(t, err, c.msg)
			if buf.Len() != 0 {
				t.Errorf("%d bytes written for invalid input", buf.Len())
			}
		})
	}
}

func TestReceiptValidation(t *testing.T) {
	cases := []struct {
		name string
		r    Receipt
		msg  string
	}{
		{"no kind", func() Receipt { r := testPayment(); r.Kind = 0; return r }(), "unknown receipt kind"},
		{"no number", func() Receipt { r := testPayment(); r.Number = ""; return r }(), "payment receipt: the number is missing"},
		{"no amount", func() Receipt { r := testPayment(); r.Amount = 0; return r }(), "must be positive"},
		{"no currency", func() Receipt { r := testPayment(); r.Currency.Code = ""; return r }(), "currency is not set"},
		{"no lines", func() Receipt { r := testShipment(); r.Lines = nil; return r }(), "shipment receipt: there are no lines"},
		{"overflow", func() Receipt {
			r := testShipment()
			r.Lines[0].Amount, r.Lines[1].Amount = 1<<62, 1<<62
			return r
		}(), "too large"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := RenderReceipt(c.r)
			checkInvalid(t, err, c.msg)
		})
	}
}

func checkInvalid(t *testing.T, err error, msg string) {
	t.Helper()
	if err == nil {
		t.Fatal("invalid input rendered without error")
	}
	if !errors.Is(err, core.ErrInvalid) {
		t.Errorf("error %v does not wrap core.ErrInvalid", err)
	}
	if !strings.Contains(core.SafeMessage(err), msg) {
		t.Errorf("error %q does not say %q", err, msg)
	}
}
