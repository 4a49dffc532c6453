package core

import (
	"math"
	"strings"
)

// Money is an amount in minor units (cents, kopecks) of a Currency. It is never
// a float: parsing and formatting go through strings and integers only.
type Money int64

// Currency is an ISO 4217 code with the number of digits of its minor unit.
type Currency struct {
	Code   string
	Digits int
}

// minorDigits lists currencies whose minor unit is not two digits.
var minorDigits = map[string]int{
	"JPY": 0, "KRW": 0, "VND": 0, "CLP": 0, "ISK": 0, "UGX": 0,
	"BHD": 3, "KWD": 3, "OMR": 3, "JOD": 3, "TND": 3,
}

// ParseCurrency accepts a three-letter code in any case. Codes not in the short
// table of exceptions get two minor digits, which is right for almost all.
func ParseCurrency(code string) (Currency, error) {
	code = strings.ToUpper(strings.TrimSpace(code))
	if len(code) != 3 {
		return Currency{}, Errorf(ErrInvalid, "currency %q: want a three-letter code such as USD", code)
	}
	for _, r := range code {
		if r < 'A' || r > 'Z' {
			return Currency{}, Errorf(ErrInvalid, "currency %q: want a three-letter code such as USD", code)
		}
	}
	d, ok := minorDigits[code]
	if !ok {
		d = 2
	}
	return Currency{Code: code, Digits: d}, nil
}

// MustCurrency is ParseCurrency for constants in tests and defaults.
func MustCurrency(code string) Currency {
	c, err := ParseCurrency(code)
	if err != nil {
		panic(err)
	}
	return c
}

// Parse reads a non-negative amount written by a person: "12.50", "12,50",
// "12", "1 234,50". Either '.' or ',' separates the minor part; spaces may group
// thousands. More minor digits than the currency has is an error, not rounding.
func (c Currency) Parse(s string) (Money, error) {
	raw := s
	s = strings.TrimSpace(s)
	s = strings.NewReplacer(" ", "", "\u00a0", "", "\u202f", "").Replace(s)
	if s == "" {
		return 0, Errorf(ErrInvalid, "amount is empty")
	}
	whole, frac := s, ""
	if i := strings.IndexAny(s, ".,"); i >= 0 {
		whole, frac = s[:i], s[i+1:]
		if frac == "" || strings.ContainsAny(frac, ".,") {
			return 0, Errorf(ErrInvalid, "amount %q: write it like 12.50", raw)
		}
	}
	if whole == "" || !allDigits(whole) || !allDigits(frac) {
		return 0, Errorf(ErrInvalid, "amount %q: write it like 12.50", raw)
	}
	if len(frac) > c.Digits {
		return 0, Errorf(ErrInvalid, "amount %q: at most %d digits after the separator", raw, c.Digits)
	}
	frac += strings.Repeat("0", c.Digits-len(frac))
	var v int64
	for _, r := range whole + frac {
		d := int64(r - '0')
		if v > (math.MaxInt64-d)/10 {
			return 0, Errorf(ErrInvalid, "amount %q is too large", raw)
		}
		v = v*10 + d
	}
	return Money(v), nil
}

func allDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// Format writes m as a plain decimal string ("1234.50", "-3.00"), the form
// used in JSON and CSV.
func (c Currency) Format(m Money) string {
	neg := m < 0
	u := uint64(m)
	if neg {
		u = uint64(-(m + 1)) + 1 // safe for MinInt64
	}
	digits := uitoa(u)
	if c.Digits > 0 {
		if len(digits) <= c.Digits {
			digits = strings.Repeat("0", c.Digits-len(digits)+1) + digits
		}
		cut := len(digits) - c.Digits
		digits = digits[:cut] + "." + digits[cut:]
	}
	if neg {
		return "-" + digits
	}
	return digits
}

// Display writes m for people: thousands grouped with a thin space and the
// currency code after it ("1 234.50 USD").
func (c Currency) Display(m Money) string {
	s := c.Format(m)
	sign := ""
	if strings.HasPrefix(s, "-") {
		sign, s = "-", s[1:]
	}
	whole, frac := s, ""
	if i := strings.IndexByte(s, '.'); i >= 0 {
		whole, frac = s[:i], s[i:]
	}
	var b strings.Builder
	for i, r := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteRune('\u202f')
		}
		b.WriteRune(r)
	}
	return sign + b.String() + frac + " " + c.Code
}

func uitoa(u uint64) string {
	if u == 0 {
		return "0"
	}
	var buf [20]byte
	i := len(buf)
	for u > 0 {
		i--
		buf[i] = byte('0' + u%10)
		u /= 10
	}
	return string(buf[i:])
}

// Mul returns m times qty, failing instead of overflowing.
func (m Money) Mul(qty int64) (Money, error) {
	if qty != 0 && (int64(m) > math.MaxInt64/qty || int64(m) < math.MinInt64/qty) {
		return 0, Errorf(ErrInvalid, "amount is too large")
	}
	return m * Money(qty), nil
}
