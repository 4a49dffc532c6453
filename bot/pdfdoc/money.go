package pdfdoc

import (
	"strings"

	"github.com/orderbot/orderbot/core"
)

// Amounts are written the way the reader's language writes them:
//
//	Russian  1 234 567,89 ₽   narrow no-break spaces between thousands, a
//	                          decimal comma, the sign after a no-break space
//	English  1,234,567.89 USD commas between thousands, a decimal point, the
//	                          ISO code after a no-break space
//
// Russian uses the currency's sign where one is well known (₽ € $ £) and
// the code otherwise. English always writes the code: a B2B document read
// abroad must not leave "$" to mean US, Canadian or Australian dollars.
// The number of minor digits is the currency's (0 for JPY, 3 for KWD).

// Characters that join what must stay on one line.
const (
	nbsp  = "\u00a0" // no-break space: "№ 12", "1 234,00 ₽", "20 %"
	nnbsp = "\u202f" // narrow no-break space: Russian thousands
)

// signs are the currency signs Russian documents print instead of codes.
var signs = map[string]string{"RUB": "₽", "EUR": "€", "USD": "$", "GBP": "£"}

// numberStyle is how one language writes a number.
type numberStyle struct {
	group, decimal string
}

var (
	enNumbers = numberStyle{group: ",", decimal: "."}
	ruNumbers = numberStyle{group: nnbsp, decimal: ","}
)

// FormatAmount writes m in cur for a reader of lang ("ru" or anything else
// for English), with the currency: "1 234,50 ₽", "1,234.50 USD".
func FormatAmount(lang string, cur core.Currency, m core.Money) string {
	return plainAmount(lang, cur, m) + nbsp + CurrencyMark(lang, cur)
}

// CurrencyMark is what stands for cur after an amount and in column
// titles: the sign in Russian where one is well known, else the code.
func CurrencyMark(lang string, cur core.Currency) string {
	if labelsFor(lang) == &russian {
		if s, ok := signs[cur.Code]; ok {
			return s
		}
	}
	return cur.Code
}

// PlainAmount is the number alone, grouped as the reader groups digits:
// "1,234.50", "1 234,50".
func PlainAmount(lang string, cur core.Currency, m core.Money) string {
	return plainAmount(lang, cur, m)
}

// plainAmount is the number alone, grouped, for table cells whose column
// title names the currency.
func plainAmount(lang string, cur core.Currency, m core.Money) string {
	st := enNumbers
	if labelsFor(lang) == &russian {
		st = ruNumbers
	}
	s := cur.Format(m) // "-1234567.89": digits, one '.', maybe a sign
	sign := ""
	if strings.HasPrefix(s, "-") {
		sign, s = "-", s[1:]
	}
	whole, frac, _ := strings.Cut(s, ".")
	var b strings.Builder
	b.WriteString(sign)
	for i := 0; i < len(whole); i++ {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteString(st.group)
		}
		b.WriteByte(whole[i])
	}
	if frac != "" {
		b.WriteString(st.decimal + frac)
	}
	return b.String()
}

// money is FormatAmount in the document's language.
func (d *doc) money(m core.Money) string { return FormatAmount(d.lang, d.cur, m) }

// cellAmount is plainAmount in the document's language.
func (d *doc) cellAmount(m core.Money) string { return plainAmount(d.lang, d.cur, m) }

// unsigned is money without the sign, for balances printed under a
// "credit" label.
func (d *doc) unsigned(m core.Money) string { return strings.TrimPrefix(d.money(m), "-") }

// percent writes a rate in basis points: "20 %", "7,5 %" (Russian), "7.5 %".
func percent(lang string, bp int) string {
	cur := core.Currency{Code: "PCT", Digits: 2}
	s := plainAmount(lang, cur, core.Money(bp))
	dec := enNumbers.decimal
	if labelsFor(lang) == &russian {
		dec = ruNumbers.decimal
	}
	if i := strings.Index(s, dec); i >= 0 {
		s = strings.TrimRight(strings.TrimRight(s, "0"), dec)
	}
	return s + nbsp + "%"
}
