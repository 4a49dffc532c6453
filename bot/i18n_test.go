package bot

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

var verbRE = regexp.MustCompile(`%(\[\d+\])?[-+# 0]*\d*(\.\d+)?[a-zA-Z]`)

// TestCatalogs_Complete: every text exists in every language with the same
// placeholders, and every key the code uses is in the catalogs.
func TestCatalogs_Complete(t *testing.T) {
	for key, en := range catalogs[langEN] {
		for _, l := range languages {
			tr, ok := catalogs[l][key]
			if !ok {
				t.Errorf("%s: missing in %s", key, l)
				continue
			}
			if a, b := verbRE.FindAllString(en, -1), verbRE.FindAllString(tr, -1); strings.Join(a, " ") != strings.Join(b, " ") {
				t.Errorf("%s: placeholders differ: en %v, %s %v", key, a, l, b)
			}
		}
	}
	for _, l := range languages {
		for key := range catalogs[l] {
			if _, ok := catalogs[langEN][key]; !ok {
				t.Errorf("%s: in %s but not in en", key, l)
			}
		}
	}
	used := regexp.MustCompile(`(?:\.T|\.Plain|invalid)\("([a-z_]+\.[a-z_.]+)"`)
	files, _ := filepath.Glob("*.go")
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range used.FindAllStringSubmatch(string(src), -1) {
			if _, ok := catalogs[langEN][m[1]]; !ok {
				t.Errorf("%s uses text %q that no catalog has", f, m[1])
			}
		}
	}
}

// TestCatalogs_FitTelegramLimits renders every text in every language with
// long arguments: messages stay under 4096 characters, button labels are
// short, and the HTML is balanced.
func TestCatalogs_FitTelegramLimits(t *testing.T) {
	long := strings.Repeat("Ж", 200)
	for _, l := range languages {
		for key, tmpl := range catalogs[l] {
			args := make([]any, len(verbRE.FindAllString(tmpl, -1)))
			for i := range args {
				args[i] = long
				if strings.Contains(verbRE.FindAllString(tmpl, -1)[i], "d") {
					args[i] = 1234567
				}
			}
			text := l.T(key, args...)
			if units(text) > 4096 { // one message
				t.Errorf("%s/%s renders to %d units", l, key, units(text))
			}
			if strings.HasPrefix(key, "btn.") || strings.HasPrefix(key, "menu.") {
				short := make([]any, len(args))
				for i := range short {
					short[i] = "12345678901234567890"
					if args[i] == 1234567 {
						short[i] = 100
					}
				}
				if n := len([]rune(l.Plain(key, short...))); n > 64 {
					t.Errorf("%s/%s: button label of %d characters", l, key, n)
				}
			}
			if err := balanced(text); err != "" {
				t.Errorf("%s/%s: %s in %q", l, key, err, text)
			}
		}
	}
}

var tagTokRE = regexp.MustCompile(`</?([a-z\-]+)[^>]*>`)

// balanced checks that tags open and close in order and that only the tags
// Telegram's HTML mode knows are used.
func balanced(s string) string {
	allowed := map[string]bool{"b": true, "i": true, "u": true, "s": true, "code": true, "pre": true, "a": true, "tg-spoiler": true, "blockquote": true}
	var stack []string
	for _, m := range tagTokRE.FindAllStringSubmatch(s, -1) {
		name := m[1]
		if !allowed[name] {
			return "tag <" + name + "> not allowed"
		}
		if strings.HasPrefix(m[0], "</") {
			if len(stack) == 0 || stack[len(stack)-1] != name {
				return "unbalanced </" + name + ">"
			}
			stack = stack[:len(stack)-1]
			continue
		}
		stack = append(stack, name)
	}
	if len(stack) > 0 {
		return "unclosed <" + stack[len(stack)-1] + ">"
	}
	return ""
}

func TestPickLang(t *testing.T) {
	tests := []struct{ override, tg, want string }{
		{"", "ru", "ru"}, {"", "ru-RU", "ru"}, {"", "de", "en"}, {"en", "ru", "en"}, {"ru", "", "ru"}, {"", "", "en"},
	}
	for _, tt := range tests {
		if got := pickLang(tt.override, tt.tg, langEN); string(got) != tt.want {
			t.Errorf("pickLang(%q, %q) = %s", tt.override, tt.tg, got)
		}
	}
}
