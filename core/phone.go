package core

import (
	"strings"
)

// Phones are stored in one format, E.164 ("+15550002001"), and shown grouped
// ("+1 555 000 2001"). People write them every which way; NormalizePhone
// takes what they write and refuses what cannot be a phone number.

// Bounds of an international number's digits, country code included.
const (
	minPhoneDigits = 7
	maxPhoneDigits = 15 // E.164
)

// NormalizePhone returns p in E.164, or "" for "". It accepts digits with
// spaces, dashes, dots and brackets after a leading "+" or "00" (the
// international prefix). A number without a country code is refused: the
// shop cannot know which country is meant (8 900 … in Russia is +7 900 …).
func NormalizePhone(p string) (string, error) {
	p = strings.TrimSpace(p)
	if p == "" {
		return "", nil
	}
	rest, intl := strings.CutPrefix(p, "+")
	digits := make([]byte, 0, len(rest))
	for _, r := range rest {
		switch {
		case r >= '0' && r <= '9':
			digits = append(digits, byte(r))
		case r == ' ', r == '-', r == '.', r == '(', r == ')', r == '\u00a0':
		default:
			return "", Errorf(ErrInvalid, "phone %q: use digits, spaces and dashes after a leading +", clipText(p, 40))
		}
	}
	d := string(digits)
	if !intl {
		if d, intl = strings.CutPrefix(d, "00"); !intl {
			return "", Errorf(ErrInvalid, "phone %q: write it with the country code, starting with +, like +1 555 123 4567", clipText(p, 40))
		}
	}
	if len(d) < minPhoneDigits || len(d) > maxPhoneDigits {
		return "", Errorf(ErrInvalid, "phone %q: want %d to %d digits with the country code", clipText(p, 40), minPhoneDigits, maxPhoneDigits)
	}
	if countryCode(d) == "" {
		return "", Errorf(ErrInvalid, "phone %q: no country has the code +%s; write the country code first, like +1 or +7", clipText(p, 40), d[:min(3, len(d))])
	}
	return "+" + d, nil
}

// FormatPhone shows an E.164 number grouped for reading: the country code,
// then the national number in groups ("+1 555 000 2001", "+7 900 123 45 67",
// "+44 207 946 0958"). Anything that is not E.164 (numbers stored before
// phones were normalized) is returned as it is.
func FormatPhone(p string) string {
	d, ok := strings.CutPrefix(p, "+")
	if !ok || len(d) < minPhoneDigits || len(d) > maxPhoneDigits || strings.Trim(d, "0123456789") != "" {
		return p
	}
	cc := countryCode(d)
	if cc == "" {
		return p
	}
	nat := d[len(cc):]
	var sizes []int
	switch {
	case cc == "1" && len(nat) == 10:
		sizes = []int{3, 3, 4}
	case cc == "7" && len(nat) == 10:
		sizes = []int{3, 3, 2, 2}
	default:
		sizes = groupSizes(len(nat))
	}
	parts := []string{"+" + cc}
	for _, n := range sizes {
		parts = append(parts, nat[:n])
		nat = nat[n:]
	}
	return strings.Join(parts, " ")
}

// groupSizes splits n digits into groups read left to right: a last group
// of four, threes before it, and what is left (one to three) first.
func groupSizes(n int) []int {
	if n <= 4 {
		return []int{n}
	}
	if n <= 8 {
		return []int{n - 4, 4}
	}
	sizes := []int{4}
	n -= 4
	for n > 3 {
		sizes = append([]int{3}, sizes...)
		n -= 3
	}
	return append([]int{n}, sizes...)
}

// countryCode returns the country calling code d starts with, or "" when no
// country has it. One-digit codes are 1 and 7; two-digit codes are listed;
// three-digit codes are every code under the two-digit prefixes that the ITU
// splits further.
func countryCode(d string) string {
	if len(d) < 3 {
		return ""
	}
	switch d[0] {
	case '0':
		return ""
	case '1', '7':
		return d[:1]
	}
	if strings.Contains(twoDigitCodes, " "+d[:2]+" ") {
		return d[:2]
	}
	if strings.Contains(threeDigitPrefixes, " "+d[:2]+" ") {
		return d[:3]
	}
	return ""
}

const (
	twoDigitCodes = " 20 27 30 31 32 33 34 36 39 40 41 43 44 45 46 47 48 49 51 52 53 54 55 56 57 58 " +
		"60 61 62 63 64 65 66 81 82 84 86 90 91 92 93 94 95 98 "
	threeDigitPrefixes = " 21 22 23 24 25 26 29 35 37 38 42 50 59 67 68 69 80 85 87 88 96 97 99 "
)

func clipText(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}
