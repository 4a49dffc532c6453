package pdfdoc

import (
	"time"

	"github.com/orderbot/orderbot/core"
)

// Seller is the business that issues the document, taken from configuration.
type Seller struct {
	Name    string
	Address string
	TaxID   string
	// Bank is the bank's name. Set alone (as before BankAccount and
	// BankCode existed) it may hold all the bank details in one line.
	Bank        string
	BankAccount string // account number or IBAN
	BankCode    string // BIC, SWIFT or routing number
	Signatory   string // who signs for the seller, such as the director
	Phone       string
	Email       string
}

// Party is the buyer the document is addressed to: a company (Name and
// TaxID, with the person in Contact) or a person (Name).
type Party struct {
	Name    string
	Contact string // the person, when Name is a company's
	TaxID   string
	Address string
	Phone   string
}

// Line is one row of goods: quantity Qty of Unit at Price, for Amount.
// Amount is printed as given; the bot computes it (with discounts, if any).
// Delivery is an ordinary line with an empty SKU.
type Line struct {
	SKU      string
	Name     string
	Unit     string
	Qty      int64
	Price    core.Money
	Amount   core.Money
	Discount core.Money // discount given on this line (positive)
	TaxRate  int        // basis points, 2000 = 20 %; ignored when the seller is not a VAT payer
	Tax      core.Money // the line's rounded tax
}

// TaxSummary is a document's tax. The zero value is a seller who does not
// pay VAT: the document says "Without VAT".
type TaxSummary struct {
	Payer    bool       // false: the document says "without VAT"
	Included bool       // prices include tax
	Net      core.Money // total without tax
	Rates    []TaxLine  // one per rate, ascending
}

// TaxLine is the tax at one rate: Base is what it is charged on.
type TaxLine struct {
	Rate      int // basis points
	Base, Tax core.Money
}

// Invoice is a request for payment of an order.
type Invoice struct {
	Number      string
	OrderNumber string
	Issued      time.Time // required; also the PDF's creation date
	Due         time.Time // optional: zero means no due date is printed
	Seller      Seller
	Buyer       Party
	Currency    core.Currency
	Lines       []Line
	Total       core.Money
	Paid        core.Money
	Lang        string // "en" (default) or "ru"
	Note        string
	Tax         TaxSummary
}

// ReceiptKind tells what a Receipt acknowledges.
type ReceiptKind int

// Receipt kinds.
const (
	// ShipmentReceipt lists goods handed over to the buyer.
	ShipmentReceipt ReceiptKind = iota + 1
	// PaymentReceipt acknowledges money received from the buyer.
	PaymentReceipt
)

// String names the kind for logs and errors.
func (k ReceiptKind) String() string {
	switch k {
	case ShipmentReceipt:
		return "shipment"
	case PaymentReceipt:
		return "payment"
	}
	return "unknown"
}

// Receipt acknowledges a shipment (Lines, Order) or a payment (Amount,
// Method, Reference, Balance).
type Receipt struct {
	Kind        ReceiptKind
	Number      string
	OrderNumber string
	Date        time.Time // required; also the PDF's creation date
	Seller      Seller
	Buyer       Party
	Currency    core.Currency
	Lines       []Line // shipment: what was shipped; ignored for payments
	Amount      core.Money
	Method      string
	Reference   string
	// Balance is the customer's debt after a payment; negative is a
	// credit. Payment receipts only: a shipment's goods are usually not
	// invoiced yet, so the account says nothing about them.
	Balance core.Money
	// Order is where the order stands after a shipment: what is left to pay
	// for it and whether it is invoiced. Shipment receipts only.
	Order OrderState
	Lang  string // "en" (default) or "ru"
	Tax   TaxSummary
}

// OrderState is an order's money after a shipment: the value the buyer
// keeps (Due), what was paid for it and what its invoices that are not void
// come to.
type OrderState struct {
	Due, Paid, Invoiced core.Money
}
