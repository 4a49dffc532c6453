package pdfdoc

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/orderbot/orderbot/core"
)

// Rewrite the golden files with: go test ./bot/pdfdoc -run . -update
// (the text comes from poppler's pdftotext; another poppler version may
// space columns differently).
var update = flag.Bool("update", false, "rewrite the golden files in testdata")

var (
	usd = core.MustCurrency("USD")
	rub = core.MustCurrency("RUB")
)

func testSeller() Seller {
	return Seller{
		Name:      "Northwind Trading LLC",
		Address:   "12 Harbour Street, Suite 4\nPortsmouth PO1 2AB, United Kingdom",
		TaxID:     "GB123456789",
		Bank:      "Barclays Bank, IBAN GB33 BUKB 2020 1555 5555 55, BIC BUKBGB22",
		Phone:     "+44 20 7946 0958",
		Email:     "billing@northwind.example",
		Signatory: "Jane Smith, Director",
	}
}

func ruSeller() Seller {
	return Seller{
		Name:        "ИП Смирнова Анна Сергеевна",
		Address:     "г. Москва, ул. Тверская, д. 7, кв. 12",
		TaxID:       "770123456789",
		Bank:        "АО «Банк»",
		BankAccount: "40802810900000012345",
		BankCode:    "044525225",
		Signatory:   "Смирнова А. С.",
		Phone:       "+7 495 123-45-67",
	}
}

func day(y int, m time.Month, d int) time.Time {
	return time.Date(y, m, d, 10, 30, 0, 0, time.UTC)
}

// makeLines returns n lines whose amounts are price times quantity.
func makeLines(n int) []Line {
	lines := make([]Line, n)
	for i := range lines {
		qty := int64(i%7 + 1)
		price := core.Money(1250 + 37*i)
		lines[i] = Line{
			SKU:    fmt.Sprintf("SKU-%05d", i+1),
			Name:   fmt.Sprintf("Product number %d", i+1),
			Unit:   "pcs",
			Qty:    qty,
			Price:  price,
			Amount: price * core.Money(qty),
		}
	}
	return lines
}

func total(lines []Line) core.Money {
	var t core.Money
	for _, l := range lines {
		t += l.Amount
	}
	return t
}

func testInvoice(lines []Line) Invoice {
	t := total(lines)
	return Invoice{
		Number:      "INV-2026-0042",
		OrderNumber: "1001",
		Issued:      day(2026, time.March, 5),
		Due:         day(2026, time.March, 19),
		Seller:      testSeller(),
		Buyer: Party{
			Name:    "ООО «Ромашка», Иван Петров",
			TaxID:   "7801234567",
			Address: "Санкт-Петербург, Невский пр., 28",
			Phone:   "+7 812 555-01-02",
		},
		Currency: usd,
		Lines:    lines,
		Total:    t,
		Paid:     t / 4,
		Note:     "Thank you for your business. Payment by bank transfer within 14 days.",
	}
}

// pdftotext returns the text of a PDF as laid out on its pages. A missing
// pdftotext fails the test: the text checks are the point of these tests.
func pdftotext(t testing.TB, pdf []byte) string {
	t.Helper()
	return runPdftotext(t, pdf, "-layout")
}

// pdftotextBBox returns pdftotext's HTML list of words with their boxes.
func pdftotextBBox(t testing.TB, pdf []byte) string {
	t.Helper()
	return runPdftotext(t, pdf, "-bbox")
}

func runPdftotext(t testing.TB, pdf []byte, mode string) string {
	t.Helper()
	bin, err := exec.LookPath("pdftotext")
	if err != nil {
		t.Fatalf("pdftotext not found in PATH: install poppler-utils (apt-get install -y poppler-utils) to run the pdfdoc text tests")
	}
	cmd := exec.Command(bin, mode, "-enc", "UTF-8", "-", "-")
	cmd.Stdin = bytes.NewReader(pdf)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("pdftotext: %v: %s", err, stderr.String())
	}
	return string(out)
}

// golden compares got with testdata/name, or rewrites it under -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -run %s -update to create it)", err, t.Name())
	}
	if got != string(want) {
		t.Errorf("text of the PDF differs from %s (rerun with -update if the change is intended)\n--- got ---\n%s", path, got)
	}
}

// wantText fails for each of wants that text does not contain.
func wantText(t *testing.T, text string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(text, w) {
			t.Errorf("PDF text lacks %q", w)
		}
	}
}
