package main

import (
	"context"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/orderbot/orderbot/core"
)

// TestCLI_Statement writes a customer's statement of account as PDF, with
// the seller's bank details and signatory from the settings.
func TestCLI_Statement(t *testing.T) {
	c := newCLI(t)
	c.env["SELLER_BANK"], c.env["SELLER_BANK_ACCOUNT"], c.env["SELLER_BANK_CODE"] = "Northwind Bank", "GB33BUKB20201555555555", "BUKBGB22"
	c.env["SELLER_SIGNATORY"] = "Jane Smith"
	c.run("catalog", "import", writeFile(t, "sku,name,price,stock\nA-1,Tea,2.50,10\n"))
	db := openTestDB(t, c.env["DATABASE_URL"])
	d := core.Deps{Store: db, Currency: core.MustCurrency("USD")}
	staff := core.Actor{Role: core.RoleManager, Name: "m"}
	cust, err := core.NewCustomers(d).Create(context.Background(), staff, core.Customer{Name: "Ann", Company: "Romashka Ltd", TaxID: "GB123456"})
	if err != nil {
		t.Fatal(err)
	}
	p, _ := db.ProductBySKU(context.Background(), "A-1")
	orders := core.NewOrders(d)
	o, err := orders.Place(context.Background(), staff, core.PlaceOrder{CustomerID: cust.ID, Confirmed: true, Lines: []core.OrderLineInput{{ProductID: p.ID, Qty: 4}}})
	if err != nil {
		t.Fatal(err)
	}
	inv, _, err := orders.IssueInvoice(context.Background(), staff, o.ID, 0, "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := orders.RecordPayment(context.Background(), staff, core.PaymentInput{CustomerID: cust.ID, Amount: 400, Method: core.PayBank}); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "st.pdf")
	id := strconv.FormatInt(cust.ID, 10)
	if out, errOut, code := c.run("statement", id, "-o", file); code != 0 || !strings.Contains(out, "2 document(s), closing balance 6.00") {
		t.Fatalf("statement: %d %q %q", code, out, errOut)
	}
	text, err := exec.Command("pdftotext", "-layout", file, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext (apt-get install poppler-utils): %v", err)
	}
	for _, want := range []string{"Statement of account", "Romashka Ltd", "Tax ID: GB123456", inv.Number, "Payment No. P-",
		"Account: GB33BUKB20201555555555", "BIC/SWIFT: BUKBGB22", "/ Jane Smith /", "the buyer owes the seller 6.00 USD"} {
		if !strings.Contains(string(text), want) {
			t.Errorf("statement PDF lacks %q:\n%s", want, text)
		}
	}
	if _, errOut, code := c.run("statement", id, "--from", "2026-13-01", "-o", file); code != 2 || !strings.Contains(errOut, "--from") {
		t.Fatalf("bad date: %d %q", code, errOut)
	}
	if _, errOut, code := c.run("statement", "999999", "-o", file); code != 1 || !strings.Contains(errOut, "no customer") {
		t.Fatalf("unknown customer: %d %q", code, errOut)
	}
	if _, _, code := c.run("statement", id); code != 2 {
		t.Fatalf("missing -o: %d", code)
	}
}
