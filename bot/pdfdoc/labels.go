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
	bankName, account, bankCode, contact      string
	billTo, shipTo, payer                     string
	colNo, colSKU, colName, colQty, colUnit   string
	colPrice, colAmount, colDiscount          string // with %s for the currency
	net, vat, vatIncluded, noVAT, inWords     string // vat, vatIncluded with %s for the rate
	vatTitle                                  string
	director, accountant, authorised          string
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
	invoiceTitle:  "Invoice No.\u00a0%s",
	shipmentTitle: "Shipment receipt No.\u00a0%s",
	paymentTitle:  "Payment receipt No.\u00a0%s",
	order:         "Order No.\u00a0%s",
	issued:        "Issue date",
	due:           "Due date",
	date:          "Date",
	taxID:         "Tax ID",
	bank:          "Bank details",
	bankName:      "Bank",
	account:       "Account",
	bankCode:      "BIC/SWIFT",
	contact:       "Contact",
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
	colDiscount:   "Discount, %s",
	net:           "Total without VAT",
	vat:           "VAT %s",
	vatIncluded:   "including VAT %s",
	noVAT:         "Without VAT",
	vatTitle:      "VAT",
	inWords:       "Amount in words",
	director:      "Director",
	accountant:    "Accountant",
	authorised:    "Authorised signature",
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
	invoiceTitle:  "Счёт №\u00a0%s",
	shipmentTitle: "Накладная №\u00a0%s",
	paymentTitle:  "Квитанция об оплате №\u00a0%s",
	order:         "Заказ №\u00a0%s",
	issued:        "Дата выставления",
	due:           "Оплатить до",
	date:          "Дата",
	taxID:         "ИНН",
	bank:          "Банковские реквизиты",
	bankName:      "Банк",
	account:       "Р/с",
	bankCode:      "БИК/SWIFT",
	contact:       "Контактное лицо",
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
	colDiscount:   "Скидка, %s",
	net:           "Итого без НДС",
	vat:           "НДС %s",
	vatIncluded:   "в том числе НДС %s",
	noVAT:         "Без НДС",
	vatTitle:      "НДС",
	inWords:       "Сумма прописью",
	director:      "Руководитель",
	accountant:    "Бухгалтер",
	authorised:    "Подпись",
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
