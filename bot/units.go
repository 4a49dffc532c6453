package bot

import "strings"

// Units of measure and plural forms. A product's unit is free text in the
// catalog ("pcs", "pack", "кг"); the common ones are known here and shown in
// each language by its rules: "1 pack", "2 packs", "за упаковку", "2
// упаковки", "5 упаковок". A unit not known here is shown as written.

// unitWords are one unit's words in one language: per is how it reads after
// "per" ("за" in Russian takes the accusative), abbr its short form for the
// unit column of documents, and forms its forms after a number, in the
// order of the language's plural categories (see pluralIndex).
type unitWords struct {
	per, abbr string
	forms     []string
}

// unitCatalog maps a canonical unit to its words per language.
var unitCatalog = map[string]map[lang]unitWords{
	"pcs":   {langEN: {"piece", "pcs", []string{"pc", "pcs"}}, langRU: {"шт.", "шт.", []string{"шт.", "шт.", "шт."}}},
	"pack":  {langEN: {"pack", "pack", []string{"pack", "packs"}}, langRU: {"упаковку", "уп.", []string{"упаковка", "упаковки", "упаковок"}}},
	"bag":   {langEN: {"bag", "bag", []string{"bag", "bags"}}, langRU: {"пакет", "пак.", []string{"пакет", "пакета", "пакетов"}}},
	"box":   {langEN: {"box", "box", []string{"box", "boxes"}}, langRU: {"коробку", "кор.", []string{"коробка", "коробки", "коробок"}}},
	"btl":   {langEN: {"bottle", "btl", []string{"bottle", "bottles"}}, langRU: {"бутылку", "бут.", []string{"бутылка", "бутылки", "бутылок"}}},
	"can":   {langEN: {"can", "can", []string{"can", "cans"}}, langRU: {"банку", "бан.", []string{"банка", "банки", "банок"}}},
	"jar":   {langEN: {"jar", "jar", []string{"jar", "jars"}}, langRU: {"банку", "бан.", []string{"банка", "банки", "банок"}}},
	"set":   {langEN: {"set", "set", []string{"set", "sets"}}, langRU: {"набор", "наб.", []string{"набор", "набора", "наборов"}}},
	"pair":  {langEN: {"pair", "pair", []string{"pair", "pairs"}}, langRU: {"пару", "пар.", []string{"пара", "пары", "пар"}}},
	"roll":  {langEN: {"roll", "roll", []string{"roll", "rolls"}}, langRU: {"рулон", "рул.", []string{"рулон", "рулона", "рулонов"}}},
	"case":  {langEN: {"case", "case", []string{"case", "cases"}}, langRU: {"ящик", "ящ.", []string{"ящик", "ящика", "ящиков"}}},
	"dozen": {langEN: {"dozen", "doz.", []string{"dozen", "dozen"}}, langRU: {"дюжину", "дюж.", []string{"дюжина", "дюжины", "дюжин"}}},
	"kg":    {langEN: {"kg", "kg", []string{"kg", "kg"}}, langRU: {"кг", "кг", []string{"кг", "кг", "кг"}}},
	"g":     {langEN: {"g", "g", []string{"g", "g"}}, langRU: {"г", "г", []string{"г", "г", "г"}}},
	"l":     {langEN: {"litre", "l", []string{"l", "l"}}, langRU: {"литр", "л", []string{"л", "л", "л"}}},
	"ml":    {langEN: {"ml", "ml", []string{"ml", "ml"}}, langRU: {"мл", "мл", []string{"мл", "мл", "мл"}}},
	"m":     {langEN: {"metre", "m", []string{"m", "m"}}, langRU: {"метр", "м", []string{"м", "м", "м"}}},
}

// unitAliases are the ways catalogs write the known units.
var unitAliases = map[string]string{
	"pc": "pcs", "piece": "pcs", "pieces": "pcs", "ea": "pcs", "each": "pcs", "шт": "pcs", "шт.": "pcs", "штука": "pcs", "штук": "pcs",
	"pk": "pack", "pkg": "pack", "packet": "pack", "packs": "pack", "уп": "pack", "уп.": "pack", "упак": "pack", "упак.": "pack", "упаковка": "pack",
	"bags": "bag", "пакет": "bag", "пак": "bag", "пак.": "bag",
	"boxes": "box", "кор": "box", "кор.": "box", "коробка": "box",
	"bottle": "btl", "bottles": "btl", "btls": "btl", "бут": "btl", "бут.": "btl", "бутылка": "btl",
	"cans": "can", "jars": "jar", "банка": "jar", "sets": "set", "набор": "set", "pairs": "pair", "пара": "pair",
	"rolls": "roll", "рулон": "roll", "cases": "case", "ящик": "case", "doz": "dozen", "дюжина": "dozen",
	"кг": "kg", "kgs": "kg", "г": "g", "gr": "g", "гр": "g", "ltr": "l", "liter": "l", "litre": "l", "л": "l",
	"мл": "ml", "м": "m", "metre": "m", "meter": "m",
}

// unitWordsOf finds a unit's words in l, or ok false for a unit not known.
func (l lang) unitWordsOf(unit string) (unitWords, bool) {
	key := strings.ToLower(strings.TrimSpace(unit))
	if k, ok := unitAliases[key]; ok {
		key = k
	}
	w, ok := unitCatalog[key][l]
	return w, ok
}

// unit is the unit as it reads after the quantity n: "1 pack", "2 packs".
func (l lang) unit(n int64, unit string) string {
	if w, ok := l.unitWordsOf(unit); ok {
		return w.forms[min(pluralIndex(l, n), len(w.forms)-1)]
	}
	return unit
}

// perUnit is the unit as it reads after "per": "per pack", "за упаковку".
func (l lang) perUnit(unit string) string {
	if w, ok := l.unitWordsOf(unit); ok {
		return w.per
	}
	return unit
}

// unitAbbr is the unit's short form for tables: "pcs", "уп.".
func (l lang) unitAbbr(unit string) string {
	if w, ok := l.unitWordsOf(unit); ok {
		return w.abbr
	}
	return unit
}

// pluralIndex is the plural category of n in l, as an index into a word's
// forms. English: one (1), other. Russian: one (1, 21, 101, …; not 11), few
// (2–4, 22–24, …; not 12–14), many (the rest: 0, 5–20, 25, …).
func pluralIndex(l lang, n int64) int {
	if n < 0 {
		n = -n
	}
	if l != langRU {
		if n == 1 {
			return 0
		}
		return 1
	}
	switch d, dd := n%10, n%100; {
	case d == 1 && dd != 11:
		return 0
	case d >= 2 && d <= 4 && (dd < 12 || dd > 14):
		return 1
	}
	return 2
}

// pluralForms is how many forms a word has in l.
func pluralForms(l lang) int {
	if l == langRU {
		return 3
	}
	return 2
}
