package core

import (
	"math/bits"
	"sort"
	"strings"
)

// Tax rates are whole basis points: 2000 is 20 %, 750 is 7.5 %. No float
// ever touches a rate or an amount.
const (
	// MaxTaxRate is 100 %.
	MaxTaxRate = 10000
	rateScale  = 10000
)

// ParseTaxRate reads a percent as people write it ("20", "7.5", "7,5",
// "0"): at most two decimals, 0 to 100.
func ParseTaxRate(s string) (int, error) {
	raw := s
	s = strings.TrimSuffix(strings.TrimSpace(s), "%")
	m, err := Currency{Code: "PCT", Digits: 2}.Parse(strings.TrimSpace(s))
	if err != nil {
		if strings.HasPrefix(strings.TrimSpace(s), "-") {
			return 0, Errorf(ErrInvalid, "VAT rate %q is negative", raw)
		}
		return 0, Errorf(ErrInvalid, "VAT rate %q: write a percent such as 20 or 7.5", raw)
	}
	if m > MaxTaxRate {
		return 0, Errorf(ErrInvalid, "VAT rate %q is over 100 %%", raw)
	}
	return int(m), nil
}

// FormatTaxRate writes a rate as a percent without trailing zeros: "20",
// "7.5", "0".
func FormatTaxRate(rate int) string {
	s := Currency{Digits: 2}.Format(Money(rate))
	s = strings.TrimRight(s, "0")
	return strings.TrimSuffix(s, ".")
}

// Amounts is one line's money: Net + Tax = Gross, Tax rounded on the line.
type Amounts struct {
	Net, Tax, Gross Money
}

// Add sums two lines' amounts.
func (a Amounts) Add(b Amounts) Amounts {
	return Amounts{Net: a.Net + b.Net, Tax: a.Tax + b.Tax, Gross: a.Gross + b.Gross}
}

// Sub is what a has beyond b.
func (a Amounts) Sub(b Amounts) Amounts {
	return Amounts{Net: a.Net - b.Net, Tax: a.Tax - b.Tax, Gross: a.Gross - b.Gross}
}

// LineTax splits a line's amount (quantity times price, less its discount)
// at rate. When prices include tax the amount is the gross:
// tax = round(gross * r / (100 + r)), net = gross - tax. Otherwise it is
// the net: tax = round(net * r / 100), gross = net + tax. Rounding is half
// away from zero to the minor unit.
func LineTax(amount Money, rate int, included bool) Amounts {
	if included {
		tax := Money(mulDivRound(int64(amount), int64(rate), int64(rateScale+rate)))
		return Amounts{Net: amount - tax, Tax: tax, Gross: amount}
	}
	tax := Money(mulDivRound(int64(amount), int64(rate), rateScale))
	return Amounts{Net: amount, Tax: tax, Gross: amount + tax}
}

// Share is the part of total that k of n units carry, rounded half away
// from zero: shares of 0..n taken as differences add up to total exactly.
func Share(total Money, k, n int64) Money {
	if n <= 0 || k >= n {
		return total
	}
	if k <= 0 {
		return 0
	}
	return Money(mulDivRound(int64(total), k, n))
}

// mulDivRound is round(a * b / c) half away from zero, for b >= 0 and
// c > 0, exact over the whole int64 range of a * b (128-bit product).
func mulDivRound(a, b, c int64) int64 {
	neg := a < 0
	ua := uint64(a)
	if neg {
		ua = uint64(-(a + 1)) + 1
	}
	hi, lo := bits.Mul64(ua, uint64(b))
	if hi >= uint64(c) {
		panic("core: amount out of range")
	}
	q, r := bits.Div64(hi, lo, uint64(c))
	if r >= uint64(c)-r { // r >= c/2, exactly: half rounds away from zero
		q++
	}
	if neg {
		return -int64(q)
	}
	return int64(q)
}

// mulDivFloor is a * b / c and its remainder, for a, b >= 0 and c > 0.
func mulDivFloor(a, b, c int64) (int64, int64) {
	hi, lo := bits.Mul64(uint64(a), uint64(b))
	if hi >= uint64(c) {
		panic("core: amount out of range")
	}
	q, r := bits.Div64(hi, lo, uint64(c))
	return int64(q), int64(r)
}

// RateTotal is the tax of one rate on a document: Base is the net it was
// charged on.
type RateTotal struct {
	Rate      int
	Base, Tax Money
}

// TaxTotals sums rounded lines: every total is the sum of its lines.
type TaxTotals struct {
	Amounts
	Rates []RateTotal // one per rate, ascending
}

// Add counts one rounded line at its rate.
func (t *TaxTotals) Add(rate int, a Amounts) {
	t.Amounts = t.Amounts.Add(a)
	for i := range t.Rates {
		if t.Rates[i].Rate == rate {
			t.Rates[i].Base += a.Net
			t.Rates[i].Tax += a.Tax
			return
		}
	}
	t.Rates = append(t.Rates, RateTotal{Rate: rate, Base: a.Net, Tax: a.Tax})
	sort.Slice(t.Rates, func(i, j int) bool { return t.Rates[i].Rate < t.Rates[j].Rate })
}
