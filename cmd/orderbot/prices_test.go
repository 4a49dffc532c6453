package main

import (
	"strings"
	"testing"

	"github.com/orderbot/orderbot/core"
)

// TestCLI_PricesImportAndAssign imports price lists, refuses a file with a
// bad row (naming the line, changing nothing) and puts a customer on a list.
func TestCLI_PricesImportAndAssign(t *testing.T) {
	c := newCLI(t)
	if _, errOut, code := c.run("catalog", "import", writeFile(t, "sku,name,price,stock,unit,vat\nA-1,Apple juice,2.00,10,btl,7.5\n")); code != 0 {
		t.Fatalf("catalog: %d %q", code, errOut)
	}
	out, errOut, code := c.run("prices", "import", writeFile(t, "list,sku,price,min_qty\nwholesale,A-1,1.80,\nwholesale,A-1,1.60,12\n"))
	if code != 0 || !strings.Contains(out, "imported 2 price(s) in 1 list(s)") || !strings.Contains(out, "wholesale: 2") {
		t.Fatalf("prices import: %d %q %q", code, out, errOut)
	}
	for _, bad := range []struct{ csv, want string }{
		{"list,sku,price\nretail,A-1,1.00\nretail,ZZZ,1.00\n", `:3: no product with sku "ZZZ"`},
		{"list,sku,price\nretail,A-1,1.00\nretail,A-1,-2,\n", `:3: 4 fields, want 3`},
		{"list,sku,price,min_qty\nretail,A-1,-2,\n", `:2: price "-2" is negative`},
	} {
		_, errOut, code = c.run("prices", "import", writeFile(t, bad.csv))
		if code != 1 || !strings.Contains(errOut, bad.want) || !strings.Contains(errOut, "nothing was changed") {
			t.Fatalf("bad prices %q: %d %q", bad.csv, code, errOut)
		}
	}
	if _, errOut, code := c.run("prices", "assign", "999", "wholesale"); code == 0 {
		t.Fatalf("assign to no customer: %q", errOut)
	}
	if _, _, code := c.run("prices", "nonsense"); code == 0 {
		t.Fatal("bad usage accepted")
	}
}

// TestConfig_Pricing reads the VAT and delivery settings and refuses bad
// ones, naming each; the defaults charge no tax and no delivery.
func TestConfig_Pricing(t *testing.T) {
	env := func(kv map[string]string) func(string) string { return func(k string) string { return kv[k] } }
	cfg, err := loadConfig(env(nil))
	if err != nil || cfg.Pricing != (core.Pricing{}) {
		t.Fatalf("defaults: %v %+v", err, cfg.Pricing)
	}
	cfg, err = loadConfig(env(map[string]string{"VAT_RATE": "7,5", "VAT_PAYER": "true", "PRICES_INCLUDE_TAX": "false",
		"DELIVERY_FEE": "4.90", "DELIVERY_FREE_FROM": "100"}))
	want := core.Pricing{VATRate: 750, VATPayer: true, Excluded: true, DeliveryFee: 490, DeliveryFreeFrom: 10000}
	if err != nil || cfg.Pricing != want {
		t.Fatalf("set: %v %+v", err, cfg.Pricing)
	}
	_, err = loadConfig(env(map[string]string{"VAT_RATE": "101", "VAT_PAYER": "maybe", "DELIVERY_FEE": "-1"}))
	for _, part := range []string{"VAT_RATE=\"101\"", "over 100", "VAT_PAYER=\"maybe\"", "DELIVERY_FEE=\"-1\""} {
		if err == nil || !strings.Contains(err.Error(), part) {
			t.Errorf("bad settings: %v, want %q", err, part)
		}
	}
}
