package bot

import (
	"fmt"
	"html"
	"regexp"
	"strconv"
	"strings"
)

// lang is a supported interface language.
type lang string

// Supported languages. Texts live in message catalogs (texts_*.go), one map
// per language, keyed by a short name; no user-visible text is written
// inline in handlers.
const (
	langEN lang = "en"
	langRU lang = "ru"
)

var languages = []lang{langEN, langRU}

var catalogs = map[lang]map[string]string{langEN: {}, langRU: {}}

// register adds texts to a language's catalog; each feature file registers
// its own texts from init.
func register(l lang, texts map[string]string) {
	for k, v := range texts {
		if _, dup := catalogs[l][k]; dup {
			panic("bot: text " + k + " registered twice for " + string(l))
		}
		catalogs[l][k] = v
	}
}

// pickLang chooses the interface language: an explicit choice, else the
// user's Telegram language when supported, else the default.
func pickLang(override, telegram string, def lang) lang {
	for _, c := range []string{override, telegram} {
		c = strings.ToLower(c)
		if i := strings.IndexAny(c, "-_"); i > 0 {
			c = c[:i]
		}
		for _, l := range languages {
			if string(l) == c {
				return l
			}
		}
	}
	return def
}

// safeHTML is text already escaped or built from escaped parts; T inserts
// it as is.
type safeHTML string

// T renders a text of the catalog as HTML. String arguments are escaped;
// safeHTML arguments are inserted as they are. A missing text falls back to
// English, then to the key itself, so a person never sees an empty message.
// A number's word follows the language's plural rules when the text writes
// its forms after it: "%d {order|orders}", "%d {заказ|заказа|заказов}".
func (l lang) T(key string, args ...any) string {
	tmpl, ok := catalogs[l][key]
	if !ok {
		tmpl, ok = catalogs[langEN][key]
	}
	if !ok {
		return html.EscapeString(key)
	}
	if len(args) == 0 {
		return tmpl
	}
	tmpl = l.plurals(tmpl, args)
	esc := make([]any, len(args))
	for i, a := range args {
		switch v := a.(type) {
		case string:
			esc[i] = html.EscapeString(v)
		case safeHTML:
			esc[i] = string(v)
		default:
			esc[i] = v
		}
	}
	return fmt.Sprintf(tmpl, esc...)
}

// Plain is T without HTML: for button labels, which Telegram shows as
// written.
func (l lang) Plain(key string, args ...any) string {
	tmpl, ok := catalogs[l][key]
	if !ok {
		tmpl = catalogs[langEN][key]
	}
	if tmpl == "" {
		return key
	}
	if len(args) == 0 {
		return tmpl
	}
	return fmt.Sprintf(l.plurals(tmpl, args), args...)
}

var verbPosRE = regexp.MustCompile(`%(?:\[(\d+)\])?[-+# 0]*\d*(?:\.\d+)?[a-zA-Z%]`)

// plurals replaces each "%d {forms}" of tmpl by "%d form", the form that
// fits the number given for that %d in l (see pluralIndex).
func (l lang) plurals(tmpl string, args []any) string {
	if !strings.Contains(tmpl, " {") {
		return tmpl
	}
	var b strings.Builder
	last, next := 0, 0
	for _, m := range verbPosRE.FindAllStringSubmatchIndex(tmpl, -1) {
		verb := tmpl[m[0]:m[1]]
		if verb == "%%" {
			continue
		}
		i := next
		if m[2] >= 0 {
			n, _ := strconv.Atoi(tmpl[m[2]:m[3]])
			i = n - 1
		}
		next = i + 1
		rest := tmpl[m[1]:]
		end := strings.IndexByte(rest, '}')
		if !strings.HasSuffix(verb, "d") || !strings.HasPrefix(rest, " {") || end < 0 || i < 0 || i >= len(args) {
			continue
		}
		n, ok := toInt64(args[i])
		if !ok {
			continue
		}
		forms := strings.Split(rest[2:end], "|")
		b.WriteString(tmpl[last:m[1]])
		b.WriteString(" " + strings.ReplaceAll(forms[min(pluralIndex(l, n), len(forms)-1)], "%", "%%"))
		last = m[1] + end + 1
	}
	b.WriteString(tmpl[last:])
	return b.String()
}

func toInt64(v any) (int64, bool) {
	switch n := v.(type) {
	case int:
		return int64(n), true
	case int64:
		return n, true
	case int32:
		return int64(n), true
	}
	return 0, false
}

func esc(s string) string { return html.EscapeString(s) }
