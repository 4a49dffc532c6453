package core

import (
	"errors"
	"strings"
	"testing"
)

func TestParseCatalog_Good(t *testing.T) {
	usd := MustCurrency("USD")
	tests := []struct {
		name, in string
		want     []CatalogRow
	}{
		{"comma, no unit", "sku,name,price,stock\nA-1,Apple,12.50,10\n",
			[]CatalogRow{{Line: 2, Product: Product{SKU: "A-1", Name: "Apple", Unit: "pcs", Price: 1250, Active: true}, Stock: 10}}},
		{"quoted decimal comma and unit", "\ufeffSKU, Name ,Price,Stock,Unit\r\nB-2,\"Bread, rye\",\"3,20\",4,loaf\r\n\r\n",
			[]CatalogRow{{Line: 2, Product: Product{SKU: "B-2", Name: "Bread, rye", Unit: "loaf", Price: 320, Active: true}, Stock: 4}}},
		{"semicolon separated", "sku;name;price;stock\nC-3;Сыр «Российский»;450,00;0\n",
			[]CatalogRow{{Line: 2, Product: Product{SKU: "C-3", Name: "Сыр «Российский»", Unit: "pcs", Price: 45000, Active: true}, Stock: 0}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseCatalog(strings.NewReader(tt.in), usd)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(tt.want) || got[0] != tt.want[0] {
				t.Fatalf("got %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

func TestParseCatalog_Bad(t *testing.T) {
	usd := MustCurrency("USD")
	tests := []struct {
		name, in string
		lines    []int
		reason   string
	}{
		{"empty file", "", []int{1}, "no header"},
		{"wrong header", "sku,title,price,stock\n", []int{1}, `column 2 is "title"`},
		{"header too short", "sku,name,price\n", []int{1}, "header must be"},
		{"no rows", "sku,name,price,stock\n", []int{2}, "no products"},
		{"bad price", "sku,name,price,stock\nA,Apple,12.5.0,1\n", []int{2}, "price"},
		{"negative price", "sku,name,price,stock\nA,Apple,-1,1\n", []int{2}, "price"},
		{"too many decimals", "sku,name,price,stock\nA,Apple,1.999,1\n", []int{2}, "at most 2 digits"},
		{"unquoted decimal comma", "sku,name,price,stock\nA,Apple,12,50,1\n", []int{2}, "in quotes"},
		{"negative stock", "sku,name,price,stock\nA,Apple,1,-3\n", []int{2}, "stock"},
		{"fractional stock", "sku,name,price,stock\nA,Apple,1,2.5\n", []int{2}, "stock"},
		{"empty sku", "sku,name,price,stock\n,Apple,1,2\n", []int{2}, "sku is empty"},
		{"sku with space", "sku,name,price,stock\nA 1,Apple,1,2\n", []int{2}, "no spaces"},
		{"empty name", "sku,name,price,stock\nA,,1,2\n", []int{2}, "name is empty"},
		{"long name", "sku,name,price,stock\nA," + strings.Repeat("x", 201) + ",1,2\n", []int{2}, "too long"},
		{"duplicate sku", "sku,name,price,stock\nA,Apple,1,2\na,Apple again,1,2\n", []int{3}, "already on line 2"},
		{"missing field", "sku,name,price,stock,unit\nA,Apple,1,2\n", []int{2}, "4 fields, want 5"},
		{"broken quote", "sku,name,price,stock\nA,\"Apple,1,2\n", []int{2}, "not valid CSV"},
		{"not utf-8", "sku,name,price,stock\nA,\xff\xfe,1,2\n", []int{0}, "UTF-8"},
		{"NUL in a name", "sku,name,price,stock\nA,App\x00le,1,2\n", []int{2}, "control character (U+0000)"},
		{"control character in a unit", "sku,name,price,stock,unit\nA,Apple,1,2,k\x07g\n", []int{2}, "unit contains"},
		{"every bad line listed", "sku,name,price,stock\nA,Apple,x,1\nB,Bread,1,2\nC,Cheese,1,y\n", []int{2, 4}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rows, err := ParseCatalog(strings.NewReader(tt.in), usd)
			var fe *CatalogFileError
			if !errors.As(err, &fe) || !errors.Is(err, ErrInvalid) {
				t.Fatalf("got rows %v, err %v; want a CatalogFileError", rows, err)
			}
			if rows != nil {
				t.Errorf("rows returned with an error: %v", rows)
			}
			if len(fe.Rows) != len(tt.lines) {
				t.Fatalf("bad lines %v, want lines %v", fe.Rows, tt.lines)
			}
			for i, r := range fe.Rows {
				if r.Line != tt.lines[i] || !strings.Contains(r.Reason, tt.reason) {
					t.Errorf("row %d = %v, want line %d with %q", i, r, tt.lines[i], tt.reason)
				}
			}
		})
	}
}

func FuzzParseCatalog(f *testing.F) {
	f.Add("sku,name,price,stock\nA-1,Apple,12.50,10\n")
	f.Add("sku;name;price;stock;unit\nA;B;1,5;2;kg\n")
	f.Add("sku,name,price,stock\n\"A,1\n")
	usd := MustCurrency("USD")
	f.Fuzz(func(t *testing.T, in string) {
		rows, err := ParseCatalog(strings.NewReader(in), usd)
		if err == nil && len(rows) == 0 {
			t.Fatal("no rows and no error")
		}
		for _, r := range rows {
			if r.Product.SKU == "" || r.Product.Name == "" || r.Product.Price < 0 || r.Stock < 0 {
				t.Fatalf("invalid row accepted: %+v", r)
			}
		}
	})
}
