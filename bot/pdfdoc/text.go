package pdfdoc

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/orderbot/orderbot/bot/pdfdoc/internal/gofpdf"
)

// maxFieldRunes bounds any one text field before it is measured, so a
// runaway product name costs no more than a long one.
const maxFieldRunes = 2000

// ellipsis ends text cut to fit.
const ellipsis = "…"

// clean makes s safe for gofpdf's UTF-8 path, which handles only valid UTF-8
// in the Basic Multilingual Plane (it indexes 64K-entry width tables by rune
// and panics past them). Invalid bytes and runes above U+FFFF become U+FFFD,
// control characters a space; newlines are kept only if multiline is set.
func clean(s string, multiline bool) string {
	if utf8.RuneCountInString(s) > maxFieldRunes {
		s = string([]rune(s)[:maxFieldRunes])
	}
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\n' && multiline:
			return r
		case r == utf8.RuneError || r > 0xFFFF:
			return '\uFFFD'
		case unicode.IsControl(r) || r == '\u2028' || r == '\u2029':
			return ' '
		}
		return r
	}, strings.ToValidUTF8(s, "\uFFFD"))
}

// ptToMM converts a font size in points to millimetres.
func ptToMM(pt float64) float64 { return pt * 25.4 / 72 }

// lineHeight is the baseline-to-baseline distance for a font size in points.
func lineHeight(pt float64) float64 { return ptToMM(pt) * 1.25 }

// wrap splits text into lines no wider than w in the current font, at most
// max of them; when it has to cut, the last line ends with an ellipsis.
// It breaks at spaces, inside a word only when the word alone is too wide,
// and at every newline, never at a no-break space, and never between "№"
// and the number after it. (gofpdf's SplitText is not used: it counts
// zero-width glyphs such as combining accents as 65535 units wide.)
func wrap(pdf *gofpdf.Fpdf, text string, w float64, max int) []string {
	var lines []string
	cut := false
	text = glueNumero(text)
	for _, para := range strings.Split(strings.TrimSpace(text), "\n") {
		lines = append(lines, wrapPara(pdf, para, w, max+1-len(lines))...)
		if len(lines) > max {
			cut = true
			break
		}
	}
	if len(lines) == 1 && lines[0] == "" {
		return nil
	}
	if cut {
		lines = lines[:max]
		lines[max-1] = ellipsize(pdf, lines[max-1], w)
	}
	return lines
}

// wrapPara wraps one paragraph, stopping after limit lines.
func wrapPara(pdf *gofpdf.Fpdf, s string, w float64, limit int) []string {
	lines := []string{}
	line, lw := "", 0.0
	space := pdf.GetStringWidth(" ")
	for _, word := range strings.FieldsFunc(s, breakable) {
		ww := pdf.GetStringWidth(word)
		if line != "" && lw+space+ww <= w {
			line, lw = line+" "+word, lw+space+ww
			continue
		}
		if line != "" {
			lines = append(lines, line)
		}
		for ww > w && len(lines) < limit {
			head, rest := cutWord(pdf, word, w)
			lines = append(lines, head)
			word, ww = rest, pdf.GetStringWidth(rest)
		}
		if len(lines) >= limit {
			return lines
		}
		line, lw = word, ww
	}
	return append(lines, line)
}

// breakable reports whether a line may break at r: at spaces, but not at
// the no-break ones (U+00A0, U+2007, U+202F), which unicode.IsSpace counts.
func breakable(r rune) bool {
	switch r {
	case '\u00a0', '\u2007', '\u202f':
		return false
	}
	return unicode.IsSpace(r)
}

// glueNumero joins "№" to the number after it with a no-break space, so
// that a line never ends with a bare "№".
func glueNumero(s string) string {
	if !strings.Contains(s, "№") {
		return s
	}
	var b strings.Builder
	rs := []rune(s)
	for i := 0; i < len(rs); i++ {
		b.WriteRune(rs[i])
		if rs[i] != '№' {
			continue
		}
		j := i + 1
		for j < len(rs) && rs[j] != '\n' && breakable(rs[j]) {
			j++
		}
		if j > i+1 && j < len(rs) && rs[j] != '\n' {
			b.WriteString(nbsp)
			i = j - 1
		}
	}
	return b.String()
}

// cutWord splits word after the longest prefix (at least one rune) no
// wider than w.
func cutWord(pdf *gofpdf.Fpdf, word string, w float64) (head, rest string) {
	r := []rune(word)
	n, width := 0, 0.0
	for n < len(r) {
		cw := pdf.GetStringWidth(string(r[n]))
		if width+cw > w && n > 0 {
			break
		}
		width += cw
		n++
	}
	return string(r[:n]), string(r[n:])
}

// ellipsize shortens s until s plus an ellipsis fits in w.
func ellipsize(pdf *gofpdf.Fpdf, s string, w float64) string {
	r := []rune(s)
	for len(r) > 0 && pdf.GetStringWidth(string(r)+ellipsis) > w {
		r = r[:len(r)-1]
	}
	return strings.TrimRightFunc(string(r), unicode.IsSpace) + ellipsis
}

// fitSize is the font size, at most pt, at which text fits in w. Numbers are
// shrunk rather than cut: a truncated amount would be a wrong amount.
func fitSize(pdf *gofpdf.Fpdf, text string, w, pt float64) float64 {
	pdf.SetFontSize(pt)
	tw := pdf.GetStringWidth(text)
	if tw <= w || tw == 0 {
		return pt
	}
	return pt * w / tw * 0.98
}

// withLabel joins a label and a value ("Tax ID: 7701234567"), or returns ""
// when there is no value.
func withLabel(label, value string) string {
	if strings.TrimSpace(value) == "" {
		return ""
	}
	return label + ": " + value
}
