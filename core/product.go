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
	}
	return nil
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
