package core

import (
	"context"
	"strings"
	"unicode"
)

// Buyer details: a customer who buys for a business gives the company's
// name and tax number, and documents name the company as the buyer.

// MaxTaxIDLen bounds a tax number in any country's format.
const MaxTaxIDLen = 20

// NormalizeTaxID checks a tax number and returns it without spaces, in
// upper case ("" stays ""). In a shop that sells in roubles it is a Russian
// INN: 10 digits (a company) or 12 (a person or sole trader); elsewhere 4
// to 20 letters and digits (a VAT number, an EIN...).
func NormalizeTaxID(s string, cur Currency) (string, error) {
	raw := strings.TrimSpace(s)
	s = strings.ToUpper(strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, raw))
	if s == "" {
		return "", nil
	}
	if cur.Code == "RUB" {
		if !allDigits(s) {
			return "", Errorf(ErrInvalid, "tax number %q: an INN has digits only, no letters or signs", clipText(raw, 40))
		}
		if len(s) != 10 && len(s) != 12 {
			return "", Errorf(ErrInvalid, "tax number %q: an INN has 10 digits (a company) or 12 (a sole trader), not %d", clipText(raw, 40), len(s))
		}
		return s, nil
	}
	for _, r := range s {
		if (r < 'A' || r > 'Z') && (r < '0' || r > '9') {
			return "", Errorf(ErrInvalid, "tax number %q: only letters A-Z and digits, without signs", clipText(raw, 40))
		}
	}
	if len(s) < 4 || len(s) > MaxTaxIDLen {
		return "", Errorf(ErrInvalid, "tax number %q: 4 to %d letters and digits, not %d", clipText(raw, 40), MaxTaxIDLen, len(s))
	}
	return s, nil
}

// validateBuyer checks the company name and the tax number's shape (its
// country's format is NormalizeTaxID's, which knows the shop's currency).
func (c *Customer) validateBuyer() error {
	c.Company = strings.TrimSpace(c.Company)
	if err := CheckText("company name", c.Company, MaxNameLen); err != nil {
		return err
	}
	if len([]rune(c.Company)) > MaxNameLen {
		return Errorf(ErrInvalid, "company name is too long: at most %d characters", MaxNameLen)
	}
	if len(c.TaxID) > MaxTaxIDLen || strings.IndexFunc(c.TaxID, func(r rune) bool {
		return (r < 'A' || r > 'Z') && (r < '0' || r > '9')
	}) >= 0 {
		return Errorf(ErrInvalid, "tax number %q: only letters A-Z and digits, at most %d", clipText(c.TaxID, 40), MaxTaxIDLen)
	}
	return nil
}

// SetBuyerDetails sets the company a customer buys for and its tax number;
// both empty clear them. A customer may set their own, staff anyone's. A
// refused tax number changes nothing.
func (c *Customers) SetBuyerDetails(ctx context.Context, a Actor, id int64, company, taxID string) (*Customer, error) {
	taxID, err := NormalizeTaxID(taxID, c.d.Currency)
	if err != nil {
		return nil, err
	}
	return c.Update(ctx, a, id, func(cu *Customer) { cu.Company, cu.TaxID = company, taxID })
}
