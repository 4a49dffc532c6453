package core

import (
	"strings"
	"time"
)

// Customer is someone who orders. Phone customers may have no Telegram id.
type Customer struct {
	ID         int64
	TelegramID int64 // 0 when the customer is not on Telegram
	Name       string
	Phone      string
	Address    string // default delivery address
	// TermsDays is the payment term: an invoice is due this many days after
	// it is issued. 0 means pay before shipment (prepayment).
	TermsDays int
	// CreditLimit caps what a customer may owe plus what is ordered and not
	// yet invoiced; nil means no limit.
	CreditLimit *Money
	Lang        string
	// PriceListID is the price list the customer buys at (0: catalog
	// prices); PriceList is its name, as read.
	PriceListID int64
	PriceList   string
	// Company and TaxID are the business the customer buys for, printed
	// as the buyer on documents; both empty for a private buyer.
	Company   string
	TaxID     string
	CreatedAt time.Time
}

// MaxTermsDays bounds payment terms to something a person could mean.
const MaxTermsDays = 365

// Validate checks a customer before it is stored; the phone is stored in
// E.164 (see NormalizePhone).
func (c *Customer) Validate() error {
	c.Name = strings.TrimSpace(c.Name)
	c.Phone = strings.TrimSpace(c.Phone)
	c.Address = strings.TrimSpace(c.Address)
	if err := CheckText("customer name", c.Name, MaxNameLen); err != nil {
		return err
	}
	if err := CheckText("phone", c.Phone, 64); err != nil {
		return err
	}
	switch {
	case c.Name == "":
		return Errorf(ErrInvalid, "customer name is empty")
	case len([]rune(c.Name)) > MaxNameLen:
		return Errorf(ErrInvalid, "customer name is too long: at most %d characters", MaxNameLen)
	case c.TermsDays < 0 || c.TermsDays > MaxTermsDays:
		return Errorf(ErrInvalid, "payment terms must be 0 to %d days", MaxTermsDays)
	case c.CreditLimit != nil && *c.CreditLimit < 0:
		return Errorf(ErrInvalid, "credit limit is negative")
	}
	phone, err := NormalizePhone(c.Phone)
	if err != nil {
		return err
	}
	c.Phone = phone
	if err := c.validateBuyer(); err != nil {
		return err
	}
	return checkText("address", c.Address, MaxAddressLen)
}
