package bot

import (
	"regexp"
	"strings"
	"testing"
)

func TestPluralIndex(t *testing.T) {
	ru := map[int64]int{0: 2, 1: 0, 2: 1, 4: 1, 5: 2, 11: 2, 12: 2, 14: 2, 21: 0, 22: 1, 25: 2, 101: 0, 111: 2, 112: 2, 122: 1, -3: 1}
	for n, want := range ru {
		if got := pluralIndex(langRU, n); got != want {
			t.Errorf("ru %d: %d, want %d", n, got, want)
		}
	}
	for n, want := range map[int64]int{0: 1, 1: 0, 2: 1, 21: 1} {
		if got := pluralIndex(langEN, n); got != want {
			t.Errorf("en %d: %d, want %d", n, got, want)
		}
	}
}

// TestUnits: the common units read by each language's rules, whatever way
// the catalog spells them; unknown units stay as written.
func TestUnits(t *testing.T) {
	for _, tc := range []struct {
		l          lang
		unit       string
		n          int64
		count, per string
	}{
		{langEN, "pack", 1, "pack", "pack"}, {langEN, "pack", 2, "packs", "pack"}, {langEN, "bag", 2, "bags", "bag"},
		{langEN, "pcs", 1, "pc", "piece"}, {langEN, "pcs", 3, "pcs", "piece"}, {langEN, "btl", 2, "bottles", "bottle"},
		{langEN, "box", 5, "boxes", "box"}, {langEN, "kg", 2, "kg", "kg"}, {langEN, "l", 2, "l", "litre"},
		{langRU, "pack", 1, "упаковка", "упаковку"}, {langRU, "pack", 2, "упаковки", "упаковку"}, {langRU, "pack", 5, "упаковок", "упаковку"},
		{langRU, "bag", 2, "пакета", "пакет"}, {langRU, "bag", 11, "пакетов", "пакет"}, {langRU, "bag", 21, "пакет", "пакет"},
		{langRU, "Box", 3, "коробки", "коробку"}, {langRU, "btl", 12, "бутылок", "бутылку"}, {langRU, "шт", 7, "шт.", "шт."},
		{langRU, "pcs", 2, "шт.", "шт."}, {langRU, "kg", 2, "кг", "кг"}, {langRU, "л", 3, "л", "литр"},
		{langRU, "crate", 2, "crate", "crate"}, {langEN, "мешок", 2, "мешок", "мешок"},
	} {
		if got := tc.l.unit(tc.n, tc.unit); got != tc.count {
			t.Errorf("%s: %d %s reads %q, want %q", tc.l, tc.n, tc.unit, got, tc.count)
		}
		if got := tc.l.perUnit(tc.unit); got != tc.per {
			t.Errorf("%s: per %s reads %q, want %q", tc.l, tc.unit, got, tc.per)
		}
	}
	for key, ls := range unitCatalog {
		for _, l := range languages {
			w, ok := ls[l]
			if !ok || len(w.forms) != pluralForms(l) || w.per == "" || w.abbr == "" {
				t.Errorf("unit %s in %s: %+v", key, l, w)
			}
		}
	}
}

var pluralGroupRE = regexp.MustCompile(`(%\S*?[a-zA-Z])? \{([^{}]*)\}`)

// TestCatalogs_Plurals: every "{forms}" in a text follows a %d and has as
// many forms as the language has plural categories; numbers pick them.
func TestCatalogs_Plurals(t *testing.T) {
	for _, l := range languages {
		for key, tmpl := range catalogs[l] {
			for _, m := range pluralGroupRE.FindAllStringSubmatch(tmpl, -1) {
				if !strings.HasSuffix(m[1], "d") {
					t.Errorf("%s/%s: {%s} does not follow a %%d", l, key, m[2])
				}
				if n := len(strings.Split(m[2], "|")); n != pluralForms(l) {
					t.Errorf("%s/%s: {%s} has %d forms, want %d", l, key, m[2], n, pluralForms(l))
				}
			}
		}
	}
	for _, tc := range []struct {
		l    lang
		n    int
		want string
	}{{langEN, 1, "<b>To ship</b>: 1 order,"}, {langEN, 3, ": 3 orders,"}, {langRU, 1, ": 1 заказ,"}, {langRU, 3, ": 3 заказа,"},
		{langRU, 5, ": 5 заказов,"}, {langRU, 21, ": 21 заказ,"}} {
		if got := tc.l.T("staff.toship.title", tc.n, 1, 1); !strings.Contains(got, tc.want) {
			t.Errorf("%s %d: %q, want %q", tc.l, tc.n, got, tc.want)
		}
	}
	if got := langRU.T("err.too_long", 1); !strings.Contains(got, "не больше 1 символа") {
		t.Errorf("ru too long: %q", got)
	}
	if got := langEN.Plain("staff.btn.days", 1); got != "1 day" {
		t.Errorf("en 1 day: %q", got)
	}
}
