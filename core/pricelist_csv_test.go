package core

import (
	"errors"
	"strings"
	"testing"
)

func TestParsePriceList(t *testing.T) {
	usd := MustCurrency("USD")
	rows, err := ParsePriceList(strings.NewReader("\ufefflist;sku;price;min_qty\nwholesale;A-1;\"4,10\";10\nretail;A-1;5\n"), usd)
	if err != nil {
		t.Fatal(err)
	}
	want := []PriceRow{{Line: 2, List: "wholesale", SKU: "A-1", Price: 410, MinQty: 10}, {Line: 3, List: "retail", SKU: "A-1", Price: 500, MinQty: 1}}
	if len(rows) != 2 || rows[0] != want[0] || rows[1] != want[1] {
		t.Fatalf("rows %+v", rows)
	}
	bad := "list,sku,price,min_qty\n" +
		"r,A-1,-1,\n" + // 2
		"r,A-1,1,0\n" + // 3
		"r,A-1,1,-3\n" + // 4
		",A-1,1,\n" + // 5
		"r,A\x00,1,\n" + // 6
		"r,A-1\n" + // 7
		"r,A-1,1,1,1\n" + // 8
		"r,A-2,1.005,\n" // 9
	_, err = ParsePriceList(strings.NewReader(bad), usd)
	var fe *CatalogFileError
	if !errors.As(err, &fe) || !errors.Is(err, ErrInvalid) {
		t.Fatalf("bad file: %v", err)
	}
	for i, want := range []string{"negative", "min_qty", "min_qty", "list is empty", "control character", "2 fields", "5 fields", "at most 2 digits"} {
		if i >= len(fe.Rows) || fe.Rows[i].Line != i+2 || !strings.Contains(fe.Rows[i].Reason, want) {
			t.Errorf("row %d: %+v, want line %d with %q", i, fe.Rows, i+2, want)
		}
	}
	if !IsPriceListFile([]byte("List,sku,price\n")) || IsPriceListFile([]byte("sku,name,price,stock\n")) {
		t.Error("IsPriceListFile tells the files apart wrongly")
	}
}

func TestParseCatalog_VATColumn(t *testing.T) {
	usd := MustCurrency("USD")
	rows, err := ParseCatalog(strings.NewReader("sku,name,price,stock,unit,vat\nA,Apple,1,1,kg,7.5\nB,Bread,1,1,pcs,\n"), usd)
	if err != nil {
		t.Fatal(err)
	}
	if !rows[0].HasVAT || rows[0].Product.VATRate == nil || *rows[0].Product.VATRate != 750 || rows[1].Product.VATRate != nil {
		t.Fatalf("rows %+v %+v", rows[0], rows[1])
	}
	rows, err = ParseCatalog(strings.NewReader("sku,name,price,stock,vat\nA,Apple,1,1,20\n"), usd)
	if err != nil || *rows[0].Product.VATRate != 2000 || rows[0].Product.Unit != DefaultUnit {
		t.Fatalf("vat without unit: %v %+v", err, rows)
	}
	rows, err = ParseCatalog(strings.NewReader("sku,name,price,stock,unit\nA,Apple,1,1,kg\n"), usd)
	if err != nil || rows[0].HasVAT {
		t.Fatalf("old header: %v %+v", err, rows)
	}
	_, err = ParseCatalog(strings.NewReader("sku,name,price,stock,unit,vat\nA,Apple,1,1,kg,101\nB,Bread,1,1,kg,-5\n"), usd)
	if err == nil || !strings.Contains(err.Error(), "line 2: vat: VAT rate \"101\" is over 100") || !strings.Contains(err.Error(), "line 3: vat: VAT rate \"-5\" is negative") {
		t.Fatalf("bad rates: %v", err)
	}
	if _, err = ParseCatalog(strings.NewReader("sku,name,price,stock,tax\nA,Apple,1,1,1\n"), usd); err == nil || !strings.Contains(err.Error(), "want unit or vat") {
		t.Fatalf("unknown column: %v", err)
	}
}
