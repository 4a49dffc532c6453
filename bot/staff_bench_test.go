package bot

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/orderbot/orderbot/bot/pdfdoc"
	"github.com/orderbot/orderbot/core"
	"github.com/orderbot/orderbot/storage/postgres/pgtest"
)

// docBot is a Bot with just what InvoicePDF needs: the customer service on a
// real database and the seller's details.
func docBot(tb testing.TB) (*Bot, *core.Customer) {
	tb.Helper()
	db := pgtest.New(tb)
	d := core.Deps{Store: db, Currency: core.MustCurrency("USD")}
	b := &Bot{cfg: Config{Currency: d.Currency, Seller: pdfdoc.Seller{Name: "Tea & Co", Address: "1 Market St", TaxID: "TX-1", Bank: "IBAN X"}},
		svc: Services{Orders: core.NewOrders(d), Customers: core.NewCustomers(d)}, def: langEN}
	c, err := b.svc.Customers.Create(context.Background(), core.System, core.Customer{Name: "Алиса Петрова", Address: "Москва, Тверская 1"})
	if err != nil {
		tb.Fatal(err)
	}
	return b, c
}

func invoiceOf(c *core.Customer, lines int) *core.Invoice {
	day := time.Date(2026, 3, 5, 0, 0, 0, 0, time.UTC)
	inv := &core.Invoice{Number: "INV-2026-000042", OrderNumber: "2026-000123", CustomerID: c.ID, Customer: c.Name,
		IssuedOn: day, DueOn: day.AddDate(0, 0, 14), Currency: "USD"}
	for i := range lines {
		l := core.DocLine{SKU: fmt.Sprintf("SKU-%04d", i+1), Name: fmt.Sprintf("Товар номер %d", i+1), Unit: "pcs", Qty: int64(i%7 + 1), Price: 1250}
		inv.Lines = append(inv.Lines, l)
		inv.Amount += l.Amount()
	}
	return inv
}

// TestStaff_InvoicePDFThroughTheBot renders invoices of 10 and 500 lines the
// way a customer gets them and checks the text; -v prints how long each took.
func TestStaff_InvoicePDFThroughTheBot(t *testing.T) {
	b, c := docBot(t)
	for _, n := range []int{10, 500} {
		inv := invoiceOf(c, n)
		start := time.Now()
		pdf, err := b.InvoicePDF(context.Background(), inv, "")
		took := time.Since(start)
		if err != nil {
			t.Fatal(err)
		}
		text := pdfText(t, pdf)
		last := inv.Lines[n-1]
		for _, want := range []string{"Алиса Петрова", last.SKU, last.Name} {
			if !strings.Contains(text, want) {
				t.Errorf("%d lines: PDF text lacks %q", n, want)
			}
		}
		if total := withoutSpaces(pdfdoc.FormatAmount("en", core.MustCurrency("USD"), inv.Amount)); !strings.Contains(withoutSpaces(text), total) {
			t.Errorf("%d lines: PDF text lacks the total %s", n, total)
		}
		t.Logf("invoice of %d lines: %v, %d KB", n, took.Round(time.Millisecond), len(pdf)/1024)
	}
}

// withoutSpaces drops every kind of space, so grouped amounts ("24 925.00")
// compare with plain ones.
func withoutSpaces(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || r == '\u202f' || r == '\u00a0' {
			return -1
		}
		return r
	}, s)
}

func BenchmarkStaff_InvoicePDF(b *testing.B) {
	bot, c := docBot(b)
	for _, n := range []int{10, 500} {
		inv := invoiceOf(c, n)
		b.Run(fmt.Sprintf("lines=%d", n), func(b *testing.B) {
			for b.Loop() {
				if _, err := bot.InvoicePDF(context.Background(), inv, ""); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
