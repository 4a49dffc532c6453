package main

import (
	"context"
	"encoding/csv"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/orderbot/orderbot/core"
	"github.com/orderbot/orderbot/storage/postgres/pgtest"
)

// TestCLI_ProductReceiveExport: a product made to order takes an order
// beyond stock; goods received on the command line (by SKU, or from a
// file checked whole first) go to it; exports write CSV and XLSX files with
// progress on stderr and refuse bad arguments.
func TestCLI_ProductReceiveExport(t *testing.T) {
	_, url := pgtest.NewWithURL(t)
	c := &cli{t: t, env: map[string]string{"DATABASE_URL": url}}
	if _, errOut, code := c.run("catalog", "import", writeFile(t, "sku,name,price,stock\nA-1,Armchair,120.00,1\n")); code != 0 {
		t.Fatalf("import: %s", errOut)
	}
	if out, errOut, code := c.run("product", "A-1", "--supply", "to_order"); code != 1 || !strings.Contains(errOut, "needs a lead time") {
		t.Fatalf("to order without a lead time: %d %q %q", code, out, errOut)
	}
	if out, errOut, code := c.run("product", "A-1", "--supply", "to_order", "--lead-days", "5"); code != 0 || !strings.Contains(out, "supply to_order, lead time 5") {
		t.Fatalf("product: %d %q %q", code, out, errOut)
	}
	db := openTestDB(t, url)
	d := core.Deps{Store: db}
	cust, err := core.NewCustomers(d).Create(context.Background(), core.System, core.Customer{Name: "Ann, \"the\" buyer"})
	if err != nil {
		t.Fatal(err)
	}
	p, _ := db.ProductBySKU(context.Background(), "A-1")
	o, err := core.NewOrders(d).Place(context.Background(), core.System, core.PlaceOrder{CustomerID: cust.ID, Confirmed: true,
		Lines: []core.OrderLineInput{{ProductID: p.ID, Qty: 4}}})
	if err != nil || o.Awaited() != 3 {
		t.Fatalf("place: %v %+v", err, o)
	}
	bad := writeFile(t, "sku,qty\nA-1,2\nA-1,zero\n")
	if _, errOut, code := c.run("receive", bad); code != 1 || !strings.Contains(errOut, ":3: quantity") {
		t.Fatalf("bad receipt file: %d %q", code, errOut)
	}
	if out, errOut, code := c.run("receive", "A-1", "2", "truck 7"); code != 0 || !strings.Contains(out, "order "+o.Number+": 2 reserved, 1 still awaited") {
		t.Fatalf("receive: %d %q %q", code, out, errOut)
	}
	if out, errOut, code := c.run("receive", writeFile(t, "sku,qty,note\nA-1,5,truck 8\n")); code != 0 || !strings.Contains(out, "1 reserved, 0 still awaited") {
		t.Fatalf("receive file: %d %q %q", code, out, errOut)
	}

	dir := t.TempDir()
	csvPath := filepath.Join(dir, "orders.csv")
	out, errOut, code := c.run("export", "orders", "-o", csvPath)
	if code != 0 || !strings.Contains(errOut, "exported 1 orders row(s)") || !strings.Contains(errOut, "exporting orders: 1 of 1 rows (100%)") {
		t.Fatalf("export: %d %q %q", code, out, errOut)
	}
	data, err := os.ReadFile(csvPath)
	if err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(string(data), "\ufeff"))).ReadAll()
	if err != nil || len(recs) != 2 || recs[1][0] != o.Number || recs[1][3] != cust.Name || recs[1][8] != "480.00" {
		t.Fatalf("CSV: %v %v", recs, err)
	}
	xlsxPath := filepath.Join(dir, "lines.xlsx")
	if _, errOut, code := c.run("export", "lines", "--from", "2000-01-01", "-o", xlsxPath); code != 0 {
		t.Fatalf("xlsx: %q", errOut)
	}
	f, err := excelize.OpenFile(xlsxPath)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if rows, err := f.GetRows("lines"); err != nil || len(rows) != 2 || rows[1][5] != "A-1" {
		t.Fatalf("xlsx rows: %v %v", rows, err)
	}
	for _, args := range [][]string{{"export"}, {"export", "everything"}, {"export", "orders", "--from", "2026-13-01"},
		{"export", "orders", "--format", "pdf"}, {"export", "orders", "--from", "2026-03-02", "--to", "2026-03-01"}} {
		if _, errOut, code := c.run(args...); code != 2 {
			t.Errorf("%v: exit %d, want 2 (usage): %q", args, code, errOut)
		}
	}
	if out, _, code := c.run("export", "debts"); code != 0 || !strings.HasPrefix(strings.TrimPrefix(out, "\ufeff"), "customer_id,customer,phone") {
		t.Errorf("debts to stdout: %d %q", code, out)
	}
}
