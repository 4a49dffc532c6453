package pdfdoc

import (
	"strings"
	"testing"
	"time"

	"github.com/orderbot/orderbot/core"
)

func vatLines() []Line {
	return []Line{
		{SKU: "TEA-01", Name: "Black tea, 100 g", Unit: "pack", Qty: 10, Price: 5_00, Discount: 5_00, Amount: 45_00, TaxRate: 2000, Tax: 9_00},
		{SKU: "BK-7", Name: "Cookbook", Unit: "pcs", Qty: 1, Price: 20_00, Amount: 20_00, TaxRate: 1000, Tax: 2_00},
		{Name: "Delivery", Unit: "", Qty: 1, Price: 10_00, Amount: 10_00, TaxRate: 2000, Tax: 2_00},
	}
}

// TestInvoiceVATExcluded: prices without VAT: a discount column, the net,
// VAT per rate, the total; delivery is a line without a SKU.
func TestInvoiceVATExcluded(t *testing.T) {
	inv := testInvoice(vatLines())
	inv.Total, inv.Paid, inv.Note = 88_00, 0, ""
	inv.Tax = TaxSummary{Payer: true, Net: 75_00, Rates: []TaxLine{{Rate: 1000, Base: 20_00, Tax: 2_00}, {Rate: 2000, Base: 55_00, Tax: 11_00}}}
	pdf, err := RenderInvoice(inv)
	if err != nil {
		t.Fatal(err)
	}
	text := pdftotext(t, pdf)
	wantText(t, text, "Discount, USD", "5.00", "Delivery", "Total without VAT:", "75.00 USD",
		"VAT 10 %:", "2.00 USD", "VAT 20 %:", "11.00 USD", "Total:", "88.00 USD",
		"Amount in words: Eighty-eight dollars and 00 cents", "Authorised signature", "/ Jane Smith, Director /")
	if strings.Contains(text, "Without VAT") {
		t.Error("a VAT payer's invoice says it is without VAT")
	}
	golden(t, "invoice_vat_en.txt", text)
}

// TestShipmentReceiptRussian: "Отпустил", "Получил", without VAT.
func TestShipmentReceiptRussian(t *testing.T) {
	r := testShipment()
	r.Lang, r.Seller, r.Currency = "ru", ruSeller(), rub
	r.Buyer = Party{Name: "ООО «Ромашка»", Contact: "Иван Петров", TaxID: "7801234567", Address: "Санкт-Петербург, Невский пр., 28"}
	pdf, err := RenderReceipt(r)
	if err != nil {
		t.Fatal(err)
	}
	text := pdftotext(t, pdf)
	wantText(t, text, "Накладная № SH-7", "ГРУЗОПОЛУЧАТЕЛЬ", "ИНН: 7801234567", "Контактное лицо: Иван Петров",
		"Без НДС", "Отпустил", "Получил", "Сумма прописью:")
	golden(t, "receipt_shipment_ru.txt", text)
}

func testCredit() CreditNote {
	return CreditNote{Number: "CN-2026-000003", InvoiceNumber: "INV-2026-0042", OrderNumber: "1001",
		Issued: day(2026, time.March, 12), Seller: testSeller(), Buyer: testInvoice(nil).Buyer, Currency: usd,
		Lines: makeLines(2), Total: 38_24, Reason: "Returned: damaged in transit"}
}

func TestCreditNote(t *testing.T) {
	for _, lang := range []string{"en", "ru"} {
		t.Run(lang, func(t *testing.T) {
			c := testCredit()
			c.Lang = lang
			wants := []string{"Credit note No. CN-2026-000003", "To invoice No. INV-2026-0042", "Credited:", "38.24 USD",
				"Without VAT", "Amount in words: Thirty-eight dollars and 24 cents", "Authorised signature"}
			if lang == "ru" {
				c.Seller, c.Currency = ruSeller(), rub
				c.Tax = TaxSummary{Payer: true, Included: true, Net: 31_87, Rates: []TaxLine{{Rate: 2000, Base: 31_87, Tax: 6_37}}}
				wants = []string{"Кредит-нота № CN-2026-000003", "К счёту № INV-2026-0042", "Сумма к уменьшению:", "38,24 ₽",
					"в том числе НДС 20 %:", "6,37 ₽", "Сумма прописью: Тридцать восемь рублей 24 копейки",
					"Р/с: 40802810900000012345", "БИК/SWIFT: 044525225", "Банк: АО «Банк»",
					"Руководитель", "/ Смирнова А. С. /", "Бухгалтер"}
			}
			pdf, err := RenderCreditNote(c)
			if err != nil {
				t.Fatal(err)
			}
			text := pdftotext(t, pdf)
			wantText(t, text, wants...)
			golden(t, "credit_"+lang+".txt", text)
		})
	}
}

func testStatement() Statement {
	return Statement{
		Issued: day(2026, time.April, 1), From: day(2026, time.March, 1), To: day(2026, time.March, 31),
		Seller: testSeller(), Buyer: Party{Name: "Romashka Ltd", Contact: "Ivan Petrov", TaxID: "7801234567"},
		Currency: usd, Opening: 150_00,
		Entries: []StatementEntry{
			{Date: day(2026, time.March, 2), Kind: EntryPayment, Number: "17", Ref: "TX-1", Credit: 150_00},
			{Date: day(2026, time.March, 5), Kind: EntryInvoice, Number: "INV-2026-0042", Ref: "2026-000101", Debit: 1_202_30},
			{Date: day(2026, time.March, 9), Kind: EntryCredit, Number: "CN-2026-000003", Ref: "INV-2026-0042", Credit: 38_24},
			{Date: day(2026, time.March, 10), Kind: EntryPayment, Number: "18", Credit: 2_000_00},
			{Date: day(2026, time.March, 11), Kind: EntryReversal, Number: "18", Debit: 2_000_00},
			{Date: day(2026, time.March, 20), Kind: EntryInvoice, Number: "INV-2026-0050", Ref: "2026-000120", Debit: 99_00},
			{Date: day(2026, time.March, 21), Kind: EntryVoid, Number: "INV-2026-0050", Credit: 99_00},
		},
	}
}

// TestStatement: opening 150.00, debits 3,301.30, credits 2,287.24,
// closing 1,164.06 owed by the buyer.
func TestStatement(t *testing.T) {
	for _, lang := range []string{"en", "ru"} {
		t.Run(lang, func(t *testing.T) {
			s := testStatement()
			s.Lang = lang
			wants := []string{"Statement of account", "from 1 Mar 2026 to 31 Mar 2026", "Opening balance", "150.00",
				"Payment No. 17 (TX-1)", "Invoice No. INV-2026-0042 (order 2026-000101)",
				"Credit note No. CN-2026-000003 (invoice No. INV-2026-0042)", "Payment No. 18 reversed",
				"Invoice No. INV-2026-0050 void", "Turnover for the period", "3,301.30", "2,287.24", "Closing balance", "1,164.06",
				"On 31 Mar 2026 the buyer owes the seller 1,164.06 USD.", "For the seller", "For the buyer", "Tax ID: 7801234567"}
			if lang == "ru" {
				s.Seller, s.Currency = ruSeller(), rub
				wants = []string{"Акт сверки взаимных расчётов", "за период с 01.03.2026 по 31.03.2026",
					"Сальдо на начало периода", "Оплата № 17 (TX-1)", "Счёт № INV-2026-0042 (заказ № 2026-000101)",
					"Кредит-нота № CN-2026-000003 (к счёту № INV-2026-0042)", "Сторно оплаты № 18",
					"Аннулирование счёта № INV-2026-0050", "Обороты за период", "3 301,30", "2 287,24",
					"Сальдо на конец периода", "1 164,06",
					"На 31.03.2026 задолженность покупателя перед продавцом: 1 164,06 ₽.", "От продавца", "От покупателя",
					"/ Смирнова А. С. /"}
			}
			pdf, err := RenderStatement(s)
			if err != nil {
				t.Fatal(err)
			}
			text := pdftotext(t, pdf)
			wantText(t, text, wants...)
			golden(t, "statement_"+lang+".txt", text)
		})
	}
}

func TestStatementBalances(t *testing.T) {
	s := testStatement()
	s.Entries = []StatementEntry{{Date: s.From, Kind: EntryPayment, Number: "1", Credit: 200_00}}
	pdf, err := RenderStatement(s)
	if err != nil {
		t.Fatal(err)
	}
	wantText(t, pdftotext(t, pdf), "the seller owes the buyer 50.00 USD (credit)")
	s.Entries[0].Credit = 150_00
	pdf, _ = RenderStatement(s)
	wantText(t, pdftotext(t, pdf), "neither party owes the other")
	for name, edit := range map[string]func(*Statement){
		"period":   func(s *Statement) { s.To = s.From.AddDate(0, 0, -1) },
		"kind":     func(s *Statement) { s.Entries[0].Kind = 0 },
		"negative": func(s *Statement) { s.Entries[0].Debit = -1 },
		"overflow": func(s *Statement) { s.Opening, s.Entries[0].Debit = 1<<62, 1<<62 },
	} {
		bad := testStatement()
		edit(&bad)
		if _, err := RenderStatement(bad); err == nil || !strings.Contains(core.SafeMessage(err), "statement") {
			t.Errorf("%s: %v; want a refusal", name, err)
		}
	}
}

// TestNoLineEndsWithNumero: "№" and its number never part, whatever the
// width: not in wrapping, and not in any document's text.
func TestNoLineEndsWithNumero(t *testing.T) {
	pdf := newPDF(meta{date: day(2026, 3, 5)})
	pdf.SetFont(fontFamily, "", ptBody)
	text := "Склад на Тверской улице, помещение № 12, ворота №  3, товар №\u00a05"
	for w := 10.0; w < 120; w += 0.7 {
		for _, l := range wrap(pdf, text, w, 20) {
			if strings.HasSuffix(strings.TrimSpace(l), "№") {
				t.Fatalf("width %.1f: line %q ends with №", w, l)
			}
		}
	}
	amount := "1\u202f234\u202f567,89\u00a0₽"
	if got := wrap(pdf, "Итого "+amount, pdf.GetStringWidth(amount)+1, 5); len(got) != 2 || got[1] != amount {
		t.Errorf("an amount broke at a no-break space: %q", got)
	}
	inv := testInvoice(makeLines(3))
	inv.Lang, inv.Seller = "ru", ruSeller()
	inv.Buyer.Address = strings.Repeat("Очень длинный адрес склада ", 3) + "строение № 5, " + strings.Repeat("подъезд № 2 ", 12)
	docs := map[string]func() ([]byte, error){"buyer address": func() ([]byte, error) { return RenderInvoice(inv) }}
	for name, render := range sampleDocs() {
		docs[name] = render
	}
	for name, render := range docs {
		out, err := render()
		if err != nil {
			t.Fatal(err)
		}
		for _, line := range strings.Split(pdftotext(t, out), "\n") {
			if strings.HasSuffix(strings.TrimSpace(line), "№") {
				t.Errorf("%s: line %q ends with №", name, line)
			}
		}
	}
}
