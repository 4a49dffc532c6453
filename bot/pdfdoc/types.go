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
	Bank    string // bank details: bank name, account, routing codes
	Phone   string
	Email   string
}

// Party is the buyer the document is addressed to.
type Party struct {
	Name    string
	Address string
	Phone   string
}

// Line is one row of goods: quantity Qty of Unit at Price, for Amount.
// Amount is printed as given; the bot computes it (with discounts, if any).
type Line struct {
	SKU    string
	Name   string
	Unit   string
	Qty    int64
	Price  core.Money
	Amount core.Money
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
}

// OrderState is an order's money after a shipment: the value the buyer
// keeps (Due), what was paid for it and what its invoices that are not void
// come to.
type OrderState struct {
	Due, Paid, Invoiced core.Money
}
