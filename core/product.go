package core

import (
	"strings"
	"time"
)

// Product is something the seller sells, priced in the shop's currency.
type Product struct {
	ID     int64
	SKU    string
	Name   string
	Unit   string
	Price  Money
	Active bool
	// Supply says whether the product may be sold beyond what is free
	// (make-to-order, backorder); "" is SupplyStock.
	Supply Supply
	// LeadDays is how many days after ordering goods beyond stock are
	// expected (to order: required; backorder: 0 when not known).
	LeadDays int
	// VATRate is the product's own tax rate in basis points; nil: the
	// shop's rate.
	VATRate *int
}

// Supply is how a product is supplied when more is ordered than is free.
type Supply string

// Supply modes.
const (
	// SupplyStock sells only what is free: a shortage is refused.
	SupplyStock Supply = "stock"
	// SupplyToOrder makes or buys the goods for the order, LeadDays after it.
	SupplyToOrder Supply = "to_order"
	// SupplyBackorder sells beyond stock: the rest waits for the next goods.
	SupplyBackorder Supply = "backorder"
)

// MaxLeadDays bounds a lead time.
const MaxLeadDays = 365

// ParseSupply reads a supply mode as written in catalogs and commands:
// "stock", "to_order" (or "to-order", "order"), "backorder".
func ParseSupply(s string) (Supply, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", "stock":
		return SupplyStock, nil
	case "to_order", "to-order", "order", "make_to_order":
		return SupplyToOrder, nil
	case "backorder", "back_order", "back-order":
		return SupplyBackorder, nil
	}
	return "", Errorf(ErrInvalid, "supply %q: want stock, to_order or backorder", s)
}

// SellsBeyondStock reports whether an order may take more than is free:
// the rest is awaited.
func (p *Product) SellsBeyondStock() bool {
	return p.Supply == SupplyToOrder || p.Supply == SupplyBackorder
}

// ExpectedOn is when goods ordered today beyond stock are expected; nil
// when not known (a backorder without a lead time).
func (p *Product) ExpectedOn(today time.Time) *time.Time {
	if !p.SellsBeyondStock() || p.LeadDays <= 0 {
		return nil
	}
	d := today.AddDate(0, 0, p.LeadDays)
	return &d
}

func (p *Product) validSupply() error {
	if _, err := ParseSupply(string(p.Supply)); err != nil {
		return err
	}
	switch {
	case p.LeadDays < 0 || p.LeadDays > MaxLeadDays:
		return Errorf(ErrInvalid, "lead time must be 0 to %d days", MaxLeadDays)
	case p.Supply == SupplyToOrder && p.LeadDays == 0:
		return Errorf(ErrInvalid, "a product made to order needs a lead time in days")
	case !p.SellsBeyondStock():
		p.LeadDays = 0
	}
	return nil
}

// DefaultUnit is used when a product has none.
const DefaultUnit = "pcs"

// Validate checks a product before it is stored.
func (p *Product) Validate() error {
	p.SKU = strings.TrimSpace(p.SKU)
	p.Name = strings.TrimSpace(p.Name)
	p.Unit = strings.TrimSpace(p.Unit)
	if p.Unit == "" {
		p.Unit = DefaultUnit
	}
	for _, f := range []struct{ name, v string }{{"sku", p.SKU}, {"name", p.Name}, {"unit", p.Unit}} {
		if err := CheckText(f.name, f.v, 1000); err != nil {
			return err
		}
	}
	switch {
	case p.SKU == "":
		return Errorf(ErrInvalid, "sku is empty")
	case len(p.SKU) > 64 || strings.ContainsAny(p.SKU, " \t\r\n,;"):
		return Errorf(ErrInvalid, "sku %q: at most 64 characters, no spaces, commas or semicolons", p.SKU)
	case p.Name == "":
		return Errorf(ErrInvalid, "name is empty")
	case len([]rune(p.Name)) > MaxNameLen:
		return Errorf(ErrInvalid, "name is too long: at most %d characters", MaxNameLen)
	case len([]rune(p.Unit)) > 16:
		return Errorf(ErrInvalid, "unit %q is too long: at most 16 characters", p.Unit)
	case p.Price < 0:
		return Errorf(ErrInvalid, "price is negative")
	case p.VATRate != nil && (*p.VATRate < 0 || *p.VATRate > MaxTaxRate):
		return Errorf(ErrInvalid, "VAT rate must be 0 to 100 %%")
	}
	return p.validSupply()
}

// StockLevel is a product with its stock. Free is what may still be sold:
// on hand - reserved - held in carts.
type StockLevel struct {
	Product
	OnHand   int64
	Reserved int64
	Held     int64
	Free     int64
}

// MoveKind says why stock on hand changed.
type MoveKind string

// Stock ledger entry kinds. The ledger sums to on hand.
const (
	MoveReceipt    MoveKind = "receipt"    // goods arrived
	MoveCorrection MoveKind = "correction" // a count found a difference; needs a reason
	MoveImport     MoveKind = "import"     // catalog import set the level
	MoveShipment   MoveKind = "shipment"   // goods left with an order
	MoveReturn     MoveKind = "return"     // goods came back from a shipment
)

// StockMove is one ledger entry. Delta is signed; it is never zero.
type StockMove struct {
	ID         int64
	ProductID  int64
	Delta      int64
	Kind       MoveKind
	Reason     string
	OrderID    int64
	ShipmentID int64
	Actor      Actor
	At         time.Time
}
