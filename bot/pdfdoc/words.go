package pdfdoc

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/orderbot/orderbot/core"
)

// Amounts in words, as an invoice or a receipt states its total: "One
// thousand two hundred thirty-four dollars and 50 cents", "Одна тысяча
// двести тридцать четыре рубля 50 копеек". The whole units are spelled out,
// the minor units written as digits, as accountants do. Exact for every
// int64 amount and every number of minor digits (0 to 4).

// currencyName names a currency's units in one language: forms of the
// major and minor unit for one, few (Russian 2–4) and many; fem marks a
// feminine major unit in Russian (its "one" and "two" change).
type currencyName struct {
	major, minor [3]string
	fem          bool
}

var enCurrencies = map[string]currencyName{
	"USD": {major: [3]string{"dollar", "dollars", "dollars"}, minor: [3]string{"cent", "cents", "cents"}},
	"EUR": {major: [3]string{"euro", "euros", "euros"}, minor: [3]string{"cent", "cents", "cents"}},
	"RUB": {major: [3]string{"rouble", "roubles", "roubles"}, minor: [3]string{"kopeck", "kopecks", "kopecks"}},
	"GBP": {major: [3]string{"pound", "pounds", "pounds"}, minor: [3]string{"penny", "pence", "pence"}},
}

var ruCurrencies = map[string]currencyName{
	"RUB": {major: [3]string{"рубль", "рубля", "рублей"}, minor: [3]string{"копейка", "копейки", "копеек"}},
	"USD": {major: [3]string{"доллар США", "доллара США", "долларов США"}, minor: [3]string{"цент", "цента", "центов"}},
	"EUR": {major: [3]string{"евро", "евро", "евро"}, minor: [3]string{"евроцент", "евроцента", "евроцентов"}},
	"GBP": {major: [3]string{"фунт стерлингов", "фунта стерлингов", "фунтов стерлингов"}, minor: [3]string{"пенни", "пенни", "пенни"}},
}

// AmountInWords writes m in cur in words for a reader of lang ("ru" or
// English), starting with a capital letter. Currencies without names here
// are named by their code, their minor units generically.
func AmountInWords(lang string, cur core.Currency, m core.Money) string {
	neg := m < 0
	u := uint64(m)
	if neg {
		u = uint64(-(m + 1)) + 1 // safe for MinInt64
	}
	scale := uint64(1)
	for range cur.Digits {
		scale *= 10
	}
	whole, minor := u/scale, u%scale
	var s string
	if labelsFor(lang) == &russian {
		s = ruAmount(cur, whole, minor, neg)
	} else {
		s = enAmount(cur, whole, minor, neg)
	}
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[n:]
}

func enAmount(cur core.Currency, whole, minor uint64, neg bool) string {
	name, ok := enCurrencies[cur.Code]
	if !ok {
		name = currencyName{major: [3]string{cur.Code, cur.Code, cur.Code},
			minor: [3]string{"minor unit", "minor units", "minor units"}}
	}
	var b strings.Builder
	if neg {
		b.WriteString("minus ")
	}
	b.WriteString(enNumber(whole) + " " + name.major[enForm(whole)])
	if cur.Digits > 0 {
		fmt.Fprintf(&b, " and %0*d %s", cur.Digits, minor, name.minor[enForm(minor)])
	}
	return b.String()
}

func enForm(n uint64) int {
	if n == 1 {
		return 0
	}
	return 2
}

var (
	enOnes = [20]string{"zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
		"eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"}
	enTens   = [10]string{"", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"}
	enScales = []string{"", "thousand", "million", "billion", "trillion", "quadrillion", "quintillion"}
)

// enNumber spells n in American style: "one thousand two hundred
// thirty-four".
func enNumber(n uint64) string {
	if n == 0 {
		return enOnes[0]
	}
	var parts []string
	for i, g := range groups(n) {
		if g == 0 {
			continue
		}
		p := enHundreds(g)
		if s := enScales[i]; s != "" {
			p += " " + s
		}
		parts = append([]string{p}, parts...)
	}
	return strings.Join(parts, " ")
}

func enHundreds(g int) string {
	var parts []string
	if h := g / 100; h > 0 {
		parts = append(parts, enOnes[h]+" hundred")
	}
	switch t := g % 100; {
	case t == 0:
	case t < 20:
		parts = append(parts, enOnes[t])
	case t%10 == 0:
		parts = append(parts, enTens[t/10])
	default:
		parts = append(parts, enTens[t/10]+"-"+enOnes[t%10])
	}
	return strings.Join(parts, " ")
}

// groups splits n into groups of three digits, lowest first.
func groups(n uint64) []int {
	var gs []int
	for n > 0 {
		gs = append(gs, int(n%1000))
		n /= 1000
	}
	return gs
}

func ruAmount(cur core.Currency, whole, minor uint64, neg bool) string {
	name, ok := ruCurrencies[cur.Code]
	if !ok {
		name = currencyName{major: [3]string{cur.Code, cur.Code, cur.Code}, minor: ruFraction(cur.Digits)}
	}
	var b strings.Builder
	if neg {
		b.WriteString("минус ")
	}
	b.WriteString(ruNumber(whole, name.fem) + " " + name.major[ruForm(whole)])
	if cur.Digits > 0 {
		fmt.Fprintf(&b, " %0*d %s", cur.Digits, minor, name.minor[ruForm(minor)])
	}
	return b.String()
}

// ruFraction names the minor part of a currency Russian has no name for:
// "50 сотых", "500 тысячных".
func ruFraction(digits int) [3]string {
	switch digits {
	case 1:
		return [3]string{"десятая", "десятых", "десятых"}
	case 3:
		return [3]string{"тысячная", "тысячных", "тысячных"}
	case 4:
		return [3]string{"десятитысячная", "десятитысячных", "десятитысячных"}
	}
	return [3]string{"сотая", "сотых", "сотых"}
}

// ruForm picks the Russian form for n: 0 for one (1, 21, 101), 1 for few
// (2–4, 22–24), 2 for many (0, 5–20, 11–14, 25...).
func ruForm(n uint64) int {
	switch {
	case n%100 >= 11 && n%100 <= 14:
		return 2
	case n%10 == 1:
		return 0
	case n%10 >= 2 && n%10 <= 4:
		return 1
	}
	return 2
}

var (
	ruOnesM = [20]string{"ноль", "один", "два", "три", "четыре", "пять", "шесть", "семь", "восемь", "девять", "десять",
		"одиннадцать", "двенадцать", "тринадцать", "четырнадцать", "пятнадцать", "шестнадцать", "семнадцать",
		"восемнадцать", "девятнадцать"}
	ruTens = [10]string{"", "", "двадцать", "тридцать", "сорок", "пятьдесят", "шестьдесят", "семьдесят",
		"восемьдесят", "девяносто"}
	ruHundredsW = [10]string{"", "сто", "двести", "триста", "четыреста", "пятьсот", "шестьсот", "семьсот",
		"восемьсот", "девятьсот"}
	// ruScales are the names of thousand, million...; a thousand is
	// feminine ("одна тысяча", "две тысячи").
	ruScales = []struct {
		forms [3]string
		fem   bool
	}{
		{},
		{[3]string{"тысяча", "тысячи", "тысяч"}, true},
		{[3]string{"миллион", "миллиона", "миллионов"}, false},
		{[3]string{"миллиард", "миллиарда", "миллиардов"}, false},
		{[3]string{"триллион", "триллиона", "триллионов"}, false},
		{[3]string{"квадриллион", "квадриллиона", "квадриллионов"}, false},
		{[3]string{"квинтиллион", "квинтиллиона", "квинтиллионов"}, false},
	}
)

// ruNumber spells n; fem makes the units feminine (одна, две) for a
// feminine noun after it.
func ruNumber(n uint64, fem bool) string {
	if n == 0 {
		return ruOnesM[0]
	}
	var parts []string
	for i, g := range groups(n) {
		if g == 0 {
			continue
		}
		sc := ruScales[i]
		p := ruHundreds(g, fem && i == 0 || sc.fem)
		if i > 0 {
			p += " " + sc.forms[ruForm(uint64(g))]
		}
		parts = append([]string{p}, parts...)
	}
	return strings.Join(parts, " ")
}

func ruHundreds(g int, fem bool) string {
	var parts []string
	if h := g / 100; h > 0 {
		parts = append(parts, ruHundredsW[h])
	}
	t := g % 100
	if t >= 20 {
		parts = append(parts, ruTens[t/10])
		t %= 10
	}
	switch {
	case t == 0:
	case fem && t == 1:
		parts = append(parts, "одна")
	case fem && t == 2:
		parts = append(parts, "две")
	default:
		parts = append(parts, ruOnesM[t])
	}
	return strings.Join(parts, " ")
}
