package core

import (
	"errors"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestCurrency_Parse(t *testing.T) {
	usd, jpy, kwd := MustCurrency("usd"), MustCurrency("JPY"), MustCurrency("KWD")
	tests := []struct {
		cur  Currency
		in   string
		want Money
		err  string
	}{
		{usd, "12.50", 1250, ""},
		{usd, "12,50", 1250, ""},
		{usd, "12", 1200, ""},
		{usd, " 12.5 ", 1250, ""},
		{usd, "0.01", 1, ""},
		{usd, "0", 0, ""},
		{usd, "1 234,50", 123450, ""},
		{usd, "1\u00a0234.50", 123450, ""},
		{usd, "92233720368547758.07", 9223372036854775807, ""},
		{usd, "92233720368547758.08", 0, "too large"},
		{usd, "12.505", 0, "at most 2 digits"},
		{usd, "-1", 0, "write it like"},
		{usd, "+1", 0, "write it like"},
		{usd, "1e3", 0, "write it like"},
		{usd, "12.", 0, "write it like"},
		{usd, ".5", 0, "write it like"},
		{usd, "1.2.3", 0, "write it like"},
		{usd, "1,234.50", 0, "write it like"},
		{usd, "", 0, "empty"},
		{usd, "NaN", 0, "write it like"},
		{jpy, "500", 500, ""},
		{jpy, "500.5", 0, "at most 0 digits"},
		{kwd, "1.005", 1005, ""},
	}
	for _, tt := range tests {
		got, err := tt.cur.Parse(tt.in)
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) || !errors.Is(err, ErrInvalid) {
				t.Errorf("%s Parse(%q) = %d, %v; want error with %q", tt.cur.Code, tt.in, got, err, tt.err)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("%s Parse(%q) = %d, %v; want %d", tt.cur.Code, tt.in, got, err, tt.want)
		}
	}
}

func TestCurrency_Format(t *testing.T) {
	usd, jpy, kwd := MustCurrency("USD"), MustCurrency("JPY"), MustCurrency("KWD")
	tests := []struct {
		cur           Currency
		in            Money
		plain, people string
	}{
		{usd, 0, "0.00", "0.00 USD"},
		{usd, 5, "0.05", "0.05 USD"},
		{usd, 1250, "12.50", "12.50 USD"},
		{usd, -1250, "-12.50", "-12.50 USD"},
		{usd, 123456789, "1234567.89", "1\u202f234\u202f567.89 USD"},
		{usd, -9223372036854775808, "-92233720368547758.08", "-92\u202f233\u202f720\u202f368\u202f547\u202f758.08 USD"},
		{jpy, 1500, "1500", "1\u202f500 JPY"},
		{kwd, 1005, "1.005", "1.005 KWD"},
	}
	for _, tt := range tests {
		if got := tt.cur.Format(tt.in); got != tt.plain {
			t.Errorf("Format(%d %s) = %q, want %q", tt.in, tt.cur.Code, got, tt.plain)
		}
		if got := tt.cur.Display(tt.in); got != tt.people {
			t.Errorf("Display(%d %s) = %q, want %q", tt.in, tt.cur.Code, got, tt.people)
		}
		if tt.in >= 0 {
			back, err := tt.cur.Parse(tt.plain)
			if err != nil || back != tt.in {
				t.Errorf("round trip %d: %d %v", tt.in, back, err)
			}
		}
	}
}

func TestParseCurrency_Bad(t *testing.T) {
	for _, in := range []string{"", "US", "USDD", "U$D", "12A"} {
		if _, err := ParseCurrency(in); !errors.Is(err, ErrInvalid) {
			t.Errorf("ParseCurrency(%q) = %v, want ErrInvalid", in, err)
		}
	}
}

func TestMoney_MulOverflow(t *testing.T) {
	if v, err := Money(1250).Mul(3); err != nil || v != 3750 {
		t.Fatalf("Mul = %d, %v", v, err)
	}
	if _, err := Money(1 << 62).Mul(4); !errors.Is(err, ErrInvalid) {
		t.Fatalf("overflow not caught: %v", err)
	}
}

// TestNoFloatsNearMoney fails if any non-test file of core mentions a float
// type: money is integers and strings only.
func TestNoFloatsNearMoney(t *testing.T) {
	files, _ := filepath.Glob("*.go")
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		file, err := parser.ParseFile(token.NewFileSet(), f, src, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(file, func(n ast.Node) bool {
			if id, ok := n.(*ast.Ident); ok && (id.Name == "float64" || id.Name == "float32") {
				t.Errorf("%s uses %s; money must never be a float", f, id.Name)
			}
			if bl, ok := n.(*ast.BasicLit); ok && bl.Kind == token.FLOAT {
				t.Errorf("%s has a float literal %s", f, bl.Value)
			}
			return true
		})
	}
}
