package pdfdoc

import (
	"time"
	"unicode/utf8"

	"github.com/orderbot/orderbot/core"
)

// Input limits. They keep one document to a sane size and memory.
const (
	maxLines     = 10000 // rows in one document
	maxNumberLen = 64    // runes in a document or order number
)

// Validation errors wrap core.ErrInvalid and carry a message that is safe to
// show to the seller (core.SafeMessage).
func invalid(doc, format string, args ...any) error {
	return core.Errorf(core.ErrInvalid, doc+": "+format, args...)
}

func validateInvoice(inv *Invoice) error {
	const doc = "invoice"
	if err := validateHead(doc, inv.Number, inv.OrderNumber, inv.Issued, inv.Currency); err != nil {
		return err
	}
	if !inv.Due.IsZero() && inv.Due.Before(inv.Issued) {
		return invalid(doc, "due date %s is before the issue date %s",
			inv.Due.Format(time.DateOnly), inv.Issued.Format(time.DateOnly))
	}
	if err := validateLines(doc, inv.Lines); err != nil {
		return err
	}
	if inv.Total < 0 || inv.Paid < 0 {
		return invalid(doc, "total and paid amounts must not be negative")
	}
	return nil
}

func validateReceipt(r *Receipt) error {
	doc := r.Kind.String() + " receipt"
	if r.Kind != ShipmentReceipt && r.Kind != PaymentReceipt {
		return invalid("receipt", "unknown receipt kind %d", int(r.Kind))
	}
	if err := validateHead(doc, r.Number, r.OrderNumber, r.Date, r.Currency); err != nil {
		return err
	}
	if r.Kind == ShipmentReceipt {
		if err := validateLines(doc, r.Lines); err != nil {
			return err
		}
		_, err := sumAmounts(r.Lines)
		return err
	}
	if r.Amount <= 0 {
		return invalid(doc, "the amount received must be positive")
	}
	return nil
}

func validateHead(doc, number, order string, date time.Time, cur core.Currency) error {
	if err := validateNumber(doc, "number", number, true); err != nil {
		return err
	}
	if err := validateNumber(doc, "order number", order, false); err != nil {
		return err
	}
	if date.IsZero() {
		return invalid(doc, "the date is missing")
	}
	if !validCurrency(cur) {
		return invalid(doc, "the currency is not set")
	}
	return nil
}

// validCurrency accepts what core.ParseCurrency makes: three letters A-Z and
// a sane number of minor digits.
func validCurrency(c core.Currency) bool {
	if len(c.Code) != 3 || c.Digits < 0 || c.Digits > 4 {
		return false
	}
	for _, r := range c.Code {
		if r < 'A' || r > 'Z' {
			return false
		}
	}
	return true
}

func validateNumber(doc, what, s string, required bool) error {
	switch {
	case s == "" && required:
		return invalid(doc, "the %s is missing", what)
	case !utf8.ValidString(s):
		return invalid(doc, "the %s is not valid text", what)
	case utf8.RuneCountInString(s) > maxNumberLen:
		return invalid(doc, "the %s is longer than %d characters", what, maxNumberLen)
	}
	return nil
}

func validateLines(doc string, lines []Line) error {
	if len(lines) == 0 {
		return invalid(doc, "there are no lines")
	}
	if len(lines) > maxLines {
		return invalid(doc, "%d lines is more than the %d one document can hold", len(lines), maxLines)
	}
	for i, l := range lines {
		if l.Name == "" && l.SKU == "" {
			return invalid(doc, "line %d has neither a name nor a SKU", i+1)
		}
		if l.Qty <= 0 {
			return invalid(doc, "line %d: quantity must be positive", i+1)
		}
	}
	return nil
}

// sumAmounts adds the line amounts, failing instead of overflowing.
func sumAmounts(lines []Line) (core.Money, error) {
	var sum core.Money
	for _, l := range lines {
		s, ok := addMoney(sum, l.Amount)
		if !ok {
			return 0, core.Errorf(core.ErrInvalid, "the sum of the lines is too large")
		}
		sum = s
	}
	return sum, nil
}

// addMoney returns a+b and false when it would overflow.
func addMoney(a, b core.Money) (core.Money, bool) {
	s := a + b
	if (b > 0 && s < a) || (b < 0 && s > a) {
		return 0, false
	}
	return s, true
}
