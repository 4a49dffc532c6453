package core

import (
	"context"
	"time"
)

// Store is the system of record. storage/postgres implements it. Reads that
// need no consistency with a change run on Store directly; every change runs
// inside InTx, which commits when fn returns nil and rolls back otherwise
// (retrying the whole fn on a serialization failure or deadlock).
type Store interface {
	InTx(ctx context.Context, fn func(ctx context.Context, tx Tx) error) error
	Reader
}

// Reader holds the queries the use cases and read-outs need.
type Reader interface {
	Customer(ctx context.Context, id int64) (*Customer, error)
	CustomerByTelegram(ctx context.Context, telegramID int64) (*Customer, error)
	FindCustomers(ctx context.Context, query string, limit int) ([]Customer, error)
	Product(ctx context.Context, id int64) (*Product, error)
	ProductBySKU(ctx context.Context, sku string) (*Product, error)
	Stock(ctx context.Context, f StockFilter) ([]StockLevel, error)
	Order(ctx context.Context, id int64) (*Order, error)
	OrderByNumber(ctx context.Context, number string) (*Order, error)
	Orders(ctx context.Context, f OrderFilter) ([]Order, error)
	Events(ctx context.Context, orderID int64) ([]Event, error)
	Shipments(ctx context.Context, orderID int64) ([]Shipment, error)
	Invoice(ctx context.Context, id int64) (*Invoice, error)
	InvoiceByNumber(ctx context.Context, number string) (*Invoice, error)
	Invoices(ctx context.Context, f InvoiceFilter) ([]Invoice, error)
	Payments(ctx context.Context, customerID int64) ([]Payment, error)
	Balances(ctx context.Context, f BalanceFilter) ([]Balance, error)
	StockMoves(ctx context.Context, productID int64) ([]StockMove, error)
	PlacedReader
	// PriceLists lists the price lists by name.
	PriceLists(ctx context.Context) ([]PriceList, error)
	// ListPrices is Tx.ListPrices outside a transaction.
	ListPrices(ctx context.Context, listID int64, productIDs []int64) (map[int64][]ListPrice, error)
	// CreditNote reads one credit note with its lines.
	CreditNote(ctx context.Context, id int64) (*CreditNote, error)
	// CreditNotes lists credit notes (with lines) of an order or a
	// customer, oldest first.
	CreditNotes(ctx context.Context, f CreditFilter) ([]CreditNote, error)
	// SettledOrders lists orders shipped and paid (settled) before the
	// given instant and neither closed nor cancelled, oldest first.
	SettledOrders(ctx context.Context, before time.Time, limit int) ([]int64, error)
	// StatementEntries lists every document of a customer's account
	// (invoices, voids, credit notes, payments, reversals), in no order.
	StatementEntries(ctx context.Context, customerID int64) ([]StatementEntry, error)
	ChatPayReader
}

// CreditFilter narrows a credit note list.
type CreditFilter struct {
	OrderID    int64
	CustomerID int64
}

// Tx is the set of changes a use case makes in one transaction. Methods
// ending in ForUpdate lock the row until the transaction ends. Locks are
// always taken in this order: customer, order, stock rows by product id.
type Tx interface {
	CustomerForUpdate(ctx context.Context, id int64) (*Customer, error)
	InsertCustomer(ctx context.Context, c *Customer) error
	UpdateCustomer(ctx context.Context, c *Customer) error
	// Exposure is what a customer owes plus the value ordered on open orders
	// and not yet invoiced: what a credit limit caps.
	Exposure(ctx context.Context, customerID int64) (Money, error)

	ProductsByID(ctx context.Context, ids []int64) ([]Product, error)
	ProductsBySKU(ctx context.Context, skus []string) ([]Product, error)
	// UpsertProduct inserts or updates by SKU; it reports whether it inserted.
	UpsertProduct(ctx context.Context, p *Product) (inserted bool, err error)
	StockForUpdate(ctx context.Context, productID int64) (*StockLevel, error)
	// LockStock locks the stock rows of the products, in product id order,
	// and returns them by product id. Whoever changes what is held or
	// reserved of a product takes this lock first.
	LockStock(ctx context.Context, productIDs []int64) (map[int64]StockLevel, error)
	// StockShared reads a stock read-out with its rows share-locked: nothing
	// is held or reserved of them until the transaction ends.
	StockShared(ctx context.Context, f StockFilter) ([]StockLevel, error)
	PlacedReader
	// Reserve adds qty to reserved only if on hand - reserved - keepFree is at
	// least qty. When it is not, ok is false and free says what is.
	Reserve(ctx context.Context, productID, qty, keepFree int64) (ok bool, free int64, err error)
	// Release lowers reserved by qty.
	Release(ctx context.Context, productID, qty int64) error
	// Move applies a ledger entry to on hand; shipped is also taken off
	// reserved (shipments only). It fails with ErrConflict when on hand would
	// fall below reserved.
	Move(ctx context.Context, m StockMove, fromReserved int64) error

	// InsertOrder stores a new order with its lines and gives it its id and
	// its number: sequential, prefixed with the year of CreatedAt
	// (2026-000123). A failed placement may leave a gap in order numbers;
	// invoices have none.
	InsertOrder(ctx context.Context, o *Order) error
	// OrderOwner reads an order's customer id without locking anything.
	OrderOwner(ctx context.Context, orderID int64) (customerID int64, err error)
	OrderForUpdate(ctx context.Context, id int64) (*Order, error)
	// UpdateOrder writes the order's state and line quantities if its version
	// is still prev, and bumps the version; ErrConflict otherwise.
	UpdateOrder(ctx context.Context, o *Order, prev int64) error
	InsertEvent(ctx context.Context, e *Event) error

	InsertShipment(ctx context.Context, s *Shipment) error
	ShipmentForReturn(ctx context.Context, id int64) (*Shipment, map[int64]int64, error)
	InsertReturn(ctx context.Context, r *Return) error

	NextInvoiceNumber(ctx context.Context, year int) (string, error)
	InsertInvoice(ctx context.Context, inv *Invoice) error
	InvoiceForUpdate(ctx context.Context, id int64) (*Invoice, error)
	OrderInvoices(ctx context.Context, orderID int64) ([]Invoice, error)
	VoidInvoice(ctx context.Context, id int64, reason string, a Actor, at time.Time) error
	InsertPayment(ctx context.Context, p *Payment) error
	PaymentForUpdate(ctx context.Context, id int64) (*Payment, error)
	// PaymentOwner reads a payment's customer id without locking anything.
	PaymentOwner(ctx context.Context, paymentID int64) (customerID int64, err error)
	ReversePayment(ctx context.Context, id int64, reason string, a Actor, at time.Time) error
	// Billing loads what allocation is computed from: a customer's invoices
	// (not void), payments (not reversed) and the orders they touch.
	Billing(ctx context.Context, customerID int64) (*Billing, error)
	ReplaceAllocations(ctx context.Context, customerID int64, as []Allocation) error

	// AwaitingLines lists, without locking, the lines of open orders that
	// await the products, oldest order first.
	AwaitingLines(ctx context.Context, productIDs []int64) ([]AwaitingLine, error)
	// SetVATRate sets a product's own VAT rate (nil: the shop's).
	SetVATRate(ctx context.Context, productID int64, rate *int) error
	// ReplacePriceLists replaces the prices of each named list (creating
	// lists that do not exist) with the given ones.
	ReplacePriceLists(ctx context.Context, prices map[string][]ListPrice) (map[string]int64, error)
	// ListPrices reads a list's prices of the products, each product's
	// breaks ascending by MinQty.
	ListPrices(ctx context.Context, listID int64, productIDs []int64) (map[int64][]ListPrice, error)
	// SetSupply changes how a product is supplied beyond stock.
	SetSupply(ctx context.Context, productID int64, s Supply, leadDays int) error
	// NextCreditNumber is NextInvoiceNumber for credit notes (CN-2026-000001).
	NextCreditNumber(ctx context.Context, year int) (string, error)
	// InsertCreditNote stores a credit note: the invoice it credits is worth
	// less from now on (the customer's invoiced total and the invoice's open
	// amount follow).
	InsertCreditNote(ctx context.Context, c *CreditNote) error
	// OrderCreditNotes lists the order's credit notes with their lines.
	OrderCreditNotes(ctx context.Context, orderID int64) ([]CreditNote, error)
	ChatPayTx
}

// StockFilter narrows a stock read-out.
type StockFilter struct {
	ProductIDs []int64
	Query      string // part of a name or sku, case-insensitive
	LowFirst   bool   // lowest free first (for /stock)
	Limit      int
	Offset     int
	ActiveOnly bool
	// Exact reads the rows share-locked with the holds (see Catalog.Stock).
	Exact bool
}

// OrderFilter narrows an order list.
type OrderFilter struct {
	Statuses   []Status
	CustomerID int64
	// AwaitingShipment keeps confirmed open orders with something left to
	// ship, oldest first.
	AwaitingShipment bool
	// AwaitingGoods keeps open orders with lines awaiting goods, oldest
	// first.
	AwaitingGoods bool
	Limit         int
	Offset        int
	NewestFirst   bool
}

// InvoiceFilter narrows an invoice list.
type InvoiceFilter struct {
	CustomerID int64
	OrderID    int64
	OpenOnly   bool       // unpaid part left and not void
	DueBefore  *time.Time // due date strictly before this date (overdue)
	Limit      int
}

// BalanceFilter narrows the debts read-out. Ageing is counted as of Today.
type BalanceFilter struct {
	CustomerID int64 // 0: every customer with a non-zero balance
	Today      time.Time
}

// Billing is a customer's billing documents, the input of allocate.
type Billing struct {
	Invoices []Invoice // not void, oldest first
	Payments []Payment // not reversed, oldest first
	Orders   []OrderDue
}

// OrderDue is what allocation needs to know of an order.
type OrderDue struct {
	OrderID int64
	Open    bool  // may still hold a prepayment
	Due     Money // what the customer keeps, at order prices
	Paid    Money // as stored now
}

// Balance is one customer's debt with its ageing. Debt = invoiced - paid;
// a negative debt is a prepayment credit.
type Balance struct {
	CustomerID   int64
	Customer     string
	Phone        string
	TelegramID   int64
	Invoiced     Money
	Paid         Money
	Debt         Money
	NotDue       Money
	Overdue1_30  Money
	Overdue31_60 Money
	Overdue61_90 Money
	Overdue90    Money
	OldestDue    *time.Time
	CreditLimit  *Money
}

// Overdue is the sum of every overdue bucket.
func (b Balance) Overdue() Money {
	return b.Overdue1_30 + b.Overdue31_60 + b.Overdue61_90 + b.Overdue90
}
