package export

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/orderbot/orderbot/core"
	"github.com/orderbot/orderbot/storage/postgres/pgtest"
)

// linesShop is a VAT payer whose prices exclude tax, with an order of two
// lines at two rates, one with a discount, and a delivery charge.
func linesShop(t *testing.T) *core.Exports {
	t.Helper()
	ctx := context.Background()
	db := pgtest.New(t)
	now := func() time.Time { return time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC) }
	d := core.Deps{Store: db, Currency: core.MustCurrency("USD"), Now: now,
		Pricing: core.Pricing{VATPayer: true, VATRate: 2000, Excluded: true, DeliveryFee: 500}}
	rows, err := core.ParseCatalog(strings.NewReader("sku,name,price,stock,unit,vat\nBREAD,Bread,0.35,10,pcs,7.5\nWINE,Wine,10.00,10,pcs,\n"), d.Currency)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := core.NewCatalog(d).Import(ctx, core.System, rows, false); err != nil {
		t.Fatal(err)
	}
	c, err := core.NewCustomers(d).Create(ctx, core.System, core.Customer{Name: "Eve", Phone: "+1 555 0100"})
	if err != nil {
		t.Fatal(err)
	}
	orders := core.NewOrders(d)
	o, err := orders.Place(ctx, core.System, core.PlaceOrder{CustomerID: c.ID, Confirmed: true,
		Lines: []core.OrderLineInput{{SKU: "BREAD", Qty: 3}, {SKU: "WINE", Qty: 2}}})
	if err != nil {
		t.Fatal(err)
	}
	staff := core.Actor{Role: core.RoleManager, UserID: 1, Name: "Mia"}
	if _, _, err := orders.Discount(ctx, staff, o.ID, o.Version, core.DiscountInput{ProductID: o.Lines[1].ProductID,
		Amount: 150, Reason: "dented box"}); err != nil {
		t.Fatal(err)
	}
	return core.NewExports(d, db)
}

var staff = core.Actor{Role: core.RoleManager, UserID: 1, Name: "Mia"}

// The lines export states each line's discount, tax rate (a percent), tax
// and total as the invoice will: bread 3 x 0.35 = 1.05 at 7.5 % (0.07875 ->
// 0.08), wine 2 x 10.00 - 1.50 = 18.50 at 20 % (3.70).
func TestWrite_LinesCSVWithDiscountAndTax(t *testing.T) {
	ex := linesShop(t)
	var b bytes.Buffer
	if _, err := Write(context.Background(), ex, staff, core.ExportLines, core.ExportFilter{}, CSV, &b, nil); err != nil {
		t.Fatal(err)
	}
	want := "\ufefforder_number,order_date,customer_id,customer,line_no,sku,name,unit,qty,price,discount,amount,tax_rate,tax,total," +
		"shipped,returned,released,awaited,invoiced,expected_on,status\r\n" +
		"2026-000001,2026-03-10,1,Eve,1,BREAD,Bread,pcs,3,0.35,0.00,1.05,7.5,0.08,1.13,0,0,0,0,0,,in_progress\r\n" +
		"2026-000001,2026-03-10,1,Eve,2,WINE,Wine,pcs,2,10.00,1.50,18.50,20,3.70,22.20,0,0,0,0,0,,in_progress\r\n"
	if got := b.String(); got != want {
		t.Errorf("lines CSV:\n%s\nwant\n%s", got, want)
	}
}

// In XLSX the rate is a number (a percent) and the money columns are
// numbers in the shop's currency.
func TestWrite_LinesXLSXWithDiscountAndTax(t *testing.T) {
	ex := linesShop(t)
	var b bytes.Buffer
	if _, err := Write(context.Background(), ex, staff, core.ExportLines, core.ExportFilter{}, XLSX, &b, nil); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&b)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for cell, want := range map[string]string{"K1": "discount", "L1": "amount", "M1": "tax_rate", "N1": "tax", "O1": "total",
		"K2": "0", "L2": "1.05", "M2": "7.5", "N2": "0.08", "O2": "1.13",
		"K3": "1.5", "L3": "18.5", "M3": "20", "N3": "3.7", "O3": "22.2"} {
		if v, _ := f.GetCellValue("lines", cell, excelize.Options{RawCellValue: true}); v != want {
			t.Errorf("%s = %q, want %q", cell, v, want)
		}
		if cell[1] != '1' {
			if typ, _ := f.GetCellType("lines", cell); typ != excelize.CellTypeUnset && typ != excelize.CellTypeNumber {
				t.Errorf("%s is not a number: %v", cell, typ)
			}
		}
	}
}
