package pdfdoc

import (
	"strings"
	"testing"
	"time"
)

func testShipment() Receipt {
	return Receipt{
		Kind:        ShipmentReceipt,
		Number:      "SH-7",
		OrderNumber: "1001",
		Date:        day(2026, time.March, 7),
		Seller:      testSeller(),
		Buyer:       Party{Name: "ООО «Ромашка», Иван Петров", Address: "Санкт-Петербург, Невский пр., 28"},
		Currency:    usd,
		Lines:       makeLines(3),
		Order:       OrderState{Due: 474_45},
	}
}

func testPayment() Receipt {
	return Receipt{
		Kind:        PaymentReceipt,
		Number:      "PAY-12",
		OrderNumber: "1001",
		Date:        day(2026, time.March, 9),
		Seller:      testSeller(),
		Buyer:       Party{Name: "ООО «Ромашка», Иван Петров", Phone: "+7 812 555-01-02"},
		Currency:    usd,
		Amount:      1_234_567_89,
		Method:      "Bank transfer",
		Reference:   "TX-889911",
		Balance:     -25_00,
	}
}

func TestShipmentReceipt(t *testing.T) {
	r := testShipment()
	pdf, err := RenderReceipt(r)
	if err != nil {
		t.Fatal(err)
	}
	text := pdftotext(t, pdf)
	wantText(t, text, "Shipment receipt No. SH-7", "Date: 7 Mar 2026", "Order No. 1001",
		"DELIVER TO", "ООО «Ромашка», Иван Петров", "Total:", shown(FormatAmount("en", usd, total(r.Lines))),
		"Left to pay for the order:", "474.45 USD", "Invoice:", "not issued yet", "Shipped by", "Received by", "page 1 of 1")
	if strings.Contains(text, "Balance due") || strings.Contains(text, " 0.00 USD") {
		t.Error("a shipment not yet invoiced reads as if nothing were owed")
	}
	for _, l := range r.Lines {
		wantText(t, text, l.SKU, l.Name, plainAmount("en", usd, l.Amount))
	}
	golden(t, "receipt_shipment.txt", text)
}

// TestShipmentReceipt_OrderState: what the receipt says is owed follows the
// order: partly invoiced, paid in full, in Russian.
func TestShipmentReceipt_OrderState(t *testing.T) {
	for _, tc := range []struct {
		lang  string
		order OrderState
		want  []string
		not   []string
	}{
		{"en", OrderState{Due: 100_00, Paid: 30_00, Invoiced: 40_00}, []string{"Left to pay for the order:", "70.00 USD", "Invoiced so far:", "40.00 USD"}, []string{"not issued yet"}},
		{"en", OrderState{Due: 100_00, Paid: 0, Invoiced: 100_00}, []string{"Left to pay for the order:", "100.00 USD"}, []string{"Invoice"}},
		{"en", OrderState{Due: 100_00, Paid: 100_00}, []string{"Left to pay for the order:", "paid in full"}, []string{"not issued yet", "Balance"}},
		{"ru", OrderState{Due: 12_00}, []string{"Осталось оплатить по заказу:", "12,00 $", "Счёт:", "ещё не выставлен"}, []string{"Задолженность"}},
	} {
		r := testShipment()
		r.Lang, r.Order = tc.lang, tc.order
		pdf, err := RenderReceipt(r)
		if err != nil {
			t.Fatal(err)
		}
		text := pdftotext(t, pdf)
		wantText(t, text, tc.want...)
		for _, not := range tc.not {
			if strings.Contains(text, not) {
				t.Errorf("%+v: the receipt says %q:\n%s", tc.order, not, text)
			}
		}
	}
}

func TestPaymentReceipt(t *testing.T) {
	r := testPayment()
	pdf, err := RenderReceipt(r)
	if err != nil {
		t.Fatal(err)
	}
	text := pdftotext(t, pdf)
	wantText(t, text, "Payment receipt No. PAY-12", "Date: 9 Mar 2026", "RECEIVED FROM",
		"ООО «Ромашка», Иван Петров", "Amount received:", "1,234,567.89 USD",
		"Payment method:", "Bank transfer", "Reference:", "TX-889911",
		"Credit balance:", "25.00 USD", "page 1 of 1")
	if strings.Contains(text, "-25.00") || strings.Contains(text, "Description") {
		t.Error("payment receipt shows a signed credit or a table of lines")
	}
	golden(t, "receipt_payment.txt", text)
}

func TestPaymentReceiptRussian(t *testing.T) {
	r := testPayment()
	r.Lang, r.Seller, r.Currency, r.Balance, r.Reference = "ru", ruSeller(), rub, 100_00, ""
	pdf, err := RenderReceipt(r)
	if err != nil {
		t.Fatal(err)
	}
	text := pdftotext(t, pdf)
	wantText(t, text, "Квитанция об оплате № PAY-12", "Дата: 09.03.2026", "ПРИНЯТО ОТ",
		"Получено:", "1 234 567,89 ₽", "Способ оплаты:", "Задолженность:", "100,00 ₽", "стр. 1 из 1")
	if strings.Contains(text, "Номер операции") {
		t.Error("an empty reference is printed")
	}
	wantText(t, text, "Без НДС", "Сумма прописью: Один миллион двести тридцать четыре тысячи пятьсот шестьдесят семь рублей 89")
	golden(t, "receipt_payment_ru.txt", text)
}
