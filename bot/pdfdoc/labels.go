package pdfdoc

import (
	"fmt"
	"strings"
	"time"
)

// labels is every fixed text a document prints, in one language.
type labels struct {
	invoiceTitle, shipmentTitle, paymentTitle string // with %s for the number
	order                                     string // with %s for the number
	issued, due, date                         string
	taxID, bank, phone, email                 string
	billTo, shipTo, payer                     string
	colNo, colSKU, colName, colQty, colUnit   string
	colPrice, colAmount                       string // with %s for the currency code
	total, paid, amountDue, credit, balance   string
	orderLeft, paidInFull                     string
	invoice, notInvoiced, invoicedSoFar       string
	received, method, reference               string
	shippedBy, receivedBy                     string
	note                                      string
	page                                      string // with %d for page and count
	dateLayout                                string
}

var english = labels{
	invoiceTitle:  "Invoice No. %s",
	shipmentTitle: "Shipment receipt No. %s",
	paymentTitle:  "Payment receipt No. %s",
	order:         "Order No. %s",
	issued:        "Issue date",
	due:           "Due date",
	date:          "Date",
	taxID:         "Tax ID",
	bank:          "Bank details",
	phone:         "Phone",
	email:         "Email",
	billTo:        "Bill to",
	shipTo:        "Deliver to",
	payer:         "Received from",
	colNo:         "No.",
	colSKU:        "SKU",
	colName:       "Description",
	colQty:        "Qty",
	colUnit:       "Unit",
	colPrice:      "Price, %s",
	colAmount:     "Amount, %s",
	total:         "Total",
	paid:          "Paid",
	amountDue:     "Amount due",
	credit:        "Credit balance",
	balance:       "Balance due",
	orderLeft:     "Left to pay for the order",
	paidInFull:    "paid in full",
	invoice:       "Invoice",
	notInvoiced:   "not issued yet",
	invoicedSoFar: "Invoiced so far",
	received:      "Amount received",
	method:        "Payment method",
	reference:     "Reference",
	shippedBy:     "Shipped by",
	receivedBy:    "Received by",
	note:          "Note",
	page:          "page %d of %d",
	dateLayout:    "2 Jan 2006",
}

var russian = labels{
	invoiceTitle:  "Счёт № %s",
	shipmentTitle: "Накладная № %s",
	paymentTitle:  "Квитанция об оплате № %s",
	order:         "Заказ № %s",
	issued:        "Дата выставления",
	due:           "Оплатить до",
	date:          "Дата",
	taxID:         "ИНН",
	bank:          "Банковские реквизиты",
	phone:         "Телефон",
	email:         "Эл. почта",
	billTo:        "Плательщик",
	shipTo:        "Грузополучатель",
	payer:         "Принято от",
	colNo:         "№",
	colSKU:        "Артикул",
	colName:       "Наименование",
	colQty:        "Кол-во",
	colUnit:       "Ед.",
	colPrice:      "Цена, %s",
	colAmount:     "Сумма, %s",
	total:         "Итого",
	paid:          "Оплачено",
	amountDue:     "К оплате",
	credit:        "Переплата",
	balance:       "Задолженность",
	orderLeft:     "Осталось оплатить по заказу",
	paidInFull:    "оплачен полностью",
	invoice:       "Счёт",
	notInvoiced:   "ещё не выставлен",
	invoicedSoFar: "Выставлено счетов на",
	received:      "Получено",
	method:        "Способ оплаты",
	reference:     "Номер операции",
	shippedBy:     "Отпустил",
	receivedBy:    "Получил",
	note:          "Примечание",
	page:          "стр. %d из %d",
	dateLayout:    "02.01.2006",
}

// labelsFor picks the labels for lang: Russian for "ru" (and "ru-RU",
// "ru_RU"), English for anything else, including "".
func labelsFor(lang string) *labels {
	lang = strings.ToLower(strings.TrimSpace(lang))
	if lang == "ru" || strings.HasPrefix(lang, "ru-") || strings.HasPrefix(lang, "ru_") {
		return &russian
	}
	return &english
}

// formatDate writes t in the document language, in t's own location.
func (lb *labels) formatDate(t time.Time) string {
	return t.Format(lb.dateLayout)
}

// pageOf is the footer's "page N of M".
func (lb *labels) pageOf(n, m int) string {
	return fmt.Sprintf(lb.page, n, m)
}
