package pdfdoc

import (
	"math"
	"testing"

	"github.com/orderbot/orderbot/core"
)

func TestAmountInWords_Russian(t *testing.T) {
	cases := []struct {
		m    core.Money
		want string
	}{
		{0, "Ноль рублей 00 копеек"},
		{100, "Один рубль 00 копеек"},
		{201, "Два рубля 01 копейка"},
		{502, "Пять рублей 02 копейки"},
		{1111, "Одиннадцать рублей 11 копеек"},
		{1221, "Двенадцать рублей 21 копейка"},
		{2105, "Двадцать один рубль 05 копеек"},
		{10114, "Сто один рубль 14 копеек"},
		{123450, "Одна тысяча двести тридцать четыре рубля 50 копеек"},
		{100000, "Одна тысяча рублей 00 копеек"},
		{200000, "Две тысячи рублей 00 копеек"},
		{500000, "Пять тысяч рублей 00 копеек"},
		{1100000, "Одиннадцать тысяч рублей 00 копеек"},
		{2100000, "Двадцать одна тысяча рублей 00 копеек"},
		{2200000, "Двадцать две тысячи рублей 00 копеек"},
		{100000000, "Один миллион рублей 00 копеек"},
		{200000000000, "Два миллиарда рублей 00 копеек"},
		{500200100, "Пять миллионов две тысячи один рубль 00 копеек"},
		{-150, "Минус один рубль 50 копеек"},
		{math.MaxInt64, "Девяносто два квадриллиона двести тридцать три триллиона семьсот двадцать миллиардов " +
			"триста шестьдесят восемь миллионов пятьсот сорок семь тысяч семьсот пятьдесят восемь рублей 07 копеек"},
	}
	for _, c := range cases {
		if got := AmountInWords("ru", rub, c.m); got != c.want {
			t.Errorf("%d: %q\n want %q", c.m, got, c.want)
		}
	}
}

func TestAmountInWords_English(t *testing.T) {
	cases := []struct {
		m    core.Money
		want string
	}{
		{0, "Zero dollars and 00 cents"},
		{100, "One dollar and 00 cents"},
		{201, "Two dollars and 01 cent"},
		{500, "Five dollars and 00 cents"},
		{1100, "Eleven dollars and 00 cents"},
		{1200, "Twelve dollars and 00 cents"},
		{2100, "Twenty-one dollars and 00 cents"},
		{10100, "One hundred one dollars and 00 cents"},
		{123450, "One thousand two hundred thirty-four dollars and 50 cents"},
		{200000, "Two thousand dollars and 00 cents"},
		{500000, "Five thousand dollars and 00 cents"},
		{2100000, "Twenty-one thousand dollars and 00 cents"},
		{100000000, "One million dollars and 00 cents"},
		{200000000000, "Two billion dollars and 00 cents"},
		{-99, "Minus zero dollars and 99 cents"},
		{math.MaxInt64, "Ninety-two quadrillion two hundred thirty-three trillion seven hundred twenty billion " +
			"three hundred sixty-eight million five hundred forty-seven thousand seven hundred fifty-eight dollars and 07 cents"},
	}
	for _, c := range cases {
		if got := AmountInWords("en", usd, c.m); got != c.want {
			t.Errorf("%d: %q\n want %q", c.m, got, c.want)
		}
	}
}

func TestAmountInWords_OtherCurrencies(t *testing.T) {
	jpy, kwd, eur := core.MustCurrency("JPY"), core.MustCurrency("KWD"), core.MustCurrency("EUR")
	cases := []struct {
		lang string
		cur  core.Currency
		m    core.Money
		want string
	}{
		{"en", jpy, 1000, "One thousand JPY"},
		{"ru", jpy, 21000, "Двадцать одна тысяча JPY"},
		{"en", jpy, math.MaxInt64, "Nine quintillion two hundred twenty-three quadrillion three hundred seventy-two trillion " +
			"thirty-six billion eight hundred fifty-four million seven hundred seventy-five thousand eight hundred seven JPY"},
		{"en", kwd, 1500, "One KWD and 500 minor units"},
		{"ru", kwd, 2001, "Два KWD 001 тысячная"},
		{"en", eur, 2000001, "Twenty thousand euros and 01 cent"},
		{"ru", eur, 2000001, "Двадцать тысяч евро 01 евроцент"},
		{"ru", usd, 2000000, "Двадцать тысяч долларов США 00 центов"},
		{"en", rub, 2200, "Twenty-two roubles and 00 kopecks"},
	}
	for _, c := range cases {
		if got := AmountInWords(c.lang, c.cur, c.m); got != c.want {
			t.Errorf("%s %s %d: %q\n want %q", c.lang, c.cur.Code, c.m, got, c.want)
		}
	}
}

func TestFormatAmount(t *testing.T) {
	jpy, kwd, chf := core.MustCurrency("JPY"), core.MustCurrency("KWD"), core.MustCurrency("CHF")
	cases := []struct {
		lang string
		cur  core.Currency
		m    core.Money
		want string
	}{
		{"ru", rub, 123456789, "1\u202f234\u202f567,89\u00a0₽"},
		{"ru", rub, 5, "0,05\u00a0₽"},
		{"ru", rub, -100000, "-1\u202f000,00\u00a0₽"},
		{"ru", usd, 99900, "999,00\u00a0$"},
		{"ru", chf, 100, "1,00\u00a0CHF"},
		{"ru", jpy, 1234567, "1\u202f234\u202f567\u00a0JPY"},
		{"en", usd, 123456789, "1,234,567.89\u00a0USD"},
		{"en", rub, 123456789, "1,234,567.89\u00a0RUB"},
		{"en", kwd, 1234567, "1,234.567\u00a0KWD"},
		{"en", jpy, 1000, "1,000\u00a0JPY"},
		{"", usd, math.MinInt64, "-92,233,720,368,547,758.08\u00a0USD"},
	}
	for _, c := range cases {
		if got := FormatAmount(c.lang, c.cur, c.m); got != c.want {
			t.Errorf("%s %s %d: %q; want %q", c.lang, c.cur.Code, c.m, got, c.want)
		}
	}
	for bp, want := range map[int]string{2000: "20\u00a0%", 750: "7,5\u00a0%", 0: "0\u00a0%", 1000: "10\u00a0%", 1234: "12,34\u00a0%"} {
		if got := percent("ru", bp); got != want {
			t.Errorf("percent(%d) = %q; want %q", bp, got, want)
		}
	}
}
