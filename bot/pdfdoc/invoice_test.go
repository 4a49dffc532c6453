package pdfdoc

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// shown is how pdftotext prints an amount: no-break spaces come out as
// plain spaces.
func shown(s string) string { return strings.NewReplacer("\u202f", " ", "\u00a0", " ").Replace(s) }

func TestInvoiceEnglish(t *testing.T) {
	inv := testInvoice(makeLines(5))
	pdf, err := RenderInvoice(inv)
	if err != nil {
		t.Fatal(err)
	}
	text := pdftotext(t, pdf)
	wantText(t, text,
		"Invoice No. INV-2026-0042", "Issue date: 5 Mar 2026", "Due date: 19 Mar 2026",
		"Order No. 1001", "Northwind Trading LLC", "Tax ID: GB123456789",
		"Bank details: Barclays Bank", "BILL TO", "ООО «Ромашка», Иван Петров",
		"Санкт-Петербург, Невский пр., 28", "Price, USD", "Amount, USD",
		"Total:", shown(FormatAmount("en", usd, inv.Total)),
		"Paid:", shown(FormatAmount("en", usd, inv.Paid)),
		"Amount due:", shown(FormatAmount("en", usd, inv.Total-inv.Paid)),
		"Thank you for your business.", "page 1 of 1")
	for _, l := range inv.Lines {
		wantText(t, text, l.SKU, l.Name, plainAmount("en", usd, l.Price), plainAmount("en", usd, l.Amount))
	}
	golden(t, "invoice_en.txt", text)
}

func TestInvoiceRussian(t *testing.T) {
	inv := testInvoice([]Line{
		{SKU: "РМ-01", Name: "Чай чёрный «Ёлочка», 100 г", Unit: "уп.", Qty: 12, Price: 25000, Amount: 300000},
		{SKU: "РМ-02", Name: "Мёд гречишный", Unit: "кг", Qty: 3, Price: 120000, Amount: 360000},
	})
	inv.Lang, inv.Seller, inv.Currency = "ru", ruSeller(), rub
	inv.Total, inv.Paid, inv.Note = 660000, 0, "Оплата в течение 14 дней."
	pdf, err := RenderInvoice(inv)
	if err != nil {
		t.Fatal(err)
	}
	text := pdftotext(t, pdf)
	wantText(t, text,
		"Счёт № INV-2026-0042", "Дата выставления: 05.03.2026", "Оплатить до: 19.03.2026",
		"Заказ № 1001", "ИП Смирнова Анна Сергеевна", "ИНН: 770123456789", "ПЛАТЕЛЬЩИК",
		"ООО «Ромашка», Иван Петров", "Чай чёрный «Ёлочка», 100 г", "Мёд гречишный",
		"Цена, ₽", "Итого:", "6 600,00 ₽", "Оплачено:", "0,00 ₽", "К оплате:", "Без НДС",
		"Сумма прописью: Шесть тысяч шестьсот рублей 00 копеек", "Руководитель", "Бухгалтер",
		"Примечание:", "стр. 1 из 1")
	golden(t, "invoice_ru.txt", text)
}

func TestInvoice500LinesPaginates(t *testing.T) {
	inv := testInvoice(makeLines(500))
	pdf, err := RenderInvoice(inv)
	if err != nil {
		t.Fatal(err)
	}
	pages := strings.Split(strings.TrimSuffix(pdftotext(t, pdf), "\f"), "\f")
	if len(pages) < 10 {
		t.Fatalf("500 lines on %d pages; want at least 10", len(pages))
	}
	for i, p := range pages {
		wantText(t, p, fmt.Sprintf("page %d of %d", i+1, len(pages)), "Description", "Amount, USD")
	}
	all := strings.Join(pages, "\n")
	for _, l := range inv.Lines {
		if n := strings.Count(all, l.SKU); n != 1 {
			t.Errorf("%s appears %d times; want once", l.SKU, n)
		}
	}
	last := pages[len(pages)-1]
	wantText(t, last, "SKU-00500", "Total:", shown(FormatAmount("en", usd, inv.Total)), "Amount due:")
}

func TestInvoiceOverpaidShowsCredit(t *testing.T) {
	inv := testInvoice(makeLines(2))
	inv.Paid = inv.Total + 1000
	pdf, err := RenderInvoice(inv)
	if err != nil {
		t.Fatal(err)
	}
	text := pdftotext(t, pdf)
	wantText(t, text, "Credit balance:", "10.00 USD")
	if strings.Contains(text, "Amount due") {
		t.Error("an overpaid invoice shows an amount due")
	}
}

func TestInvoiceWithoutDueDateOrOrder(t *testing.T) {
	inv := testInvoice(makeLines(1))
	inv.Due, inv.OrderNumber, inv.Note = time.Time{}, "", ""
	pdf, err := RenderInvoice(inv)
	if err != nil {
		t.Fatal(err)
	}
	text := pdftotext(t, pdf)
	for _, s := range []string{"Due date", "Order No.", "Note:"} {
		if strings.Contains(text, s) {
			t.Errorf("PDF shows %q, which the invoice does not have", s)
		}
	}
}
