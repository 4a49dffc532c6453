package postgres_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/orderbot/orderbot/core"
)

func parse(t *testing.T, csv string) []core.CatalogRow {
	t.Helper()
	rows, err := core.ParseCatalog(strings.NewReader(csv), core.MustCurrency("USD"))
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

func TestCatalog_Import(t *testing.T) {
	s := newShop(t)
	res, err := s.catalog.Import(ctx(), manager, parse(t, "sku,name,price,stock,unit\nA,Apple,1.20,10,kg\nB,Bread,2,5,pcs\n"), false)
	if err != nil || res.New != 2 {
		t.Fatalf("first import: %+v %v", res, err)
	}
	res, err = s.catalog.Import(ctx(), manager, parse(t, "sku,name,price,stock,unit\na,Apple,1.30,10,kg\nB,Bread,2,5,pcs\nC,Cheese,9,0,kg\n"), false)
	if err != nil || res.New != 1 || res.Changed != 1 || res.Unchanged != 1 {
		t.Fatalf("second import: new %d changed %d unchanged %d, %v", res.New, res.Changed, res.Unchanged, err)
	}
	levels := must[[]core.StockLevel](t)(s.catalog.Stock(ctx(), core.StockFilter{}))
	if len(levels) != 3 || levels[0].SKU != "A" || levels[0].Price != 130 || levels[0].OnHand != 10 || levels[0].Unit != "kg" {
		t.Fatalf("stock after import: %+v", levels)
	}
	moves := must[[]core.StockMove](t)(s.db.StockMoves(ctx(), levels[0].ID))
	if len(moves) != 1 || moves[0].Kind != core.MoveImport || moves[0].Delta != 10 {
		t.Fatalf("ledger: %+v", moves)
	}
}

// TestCatalog_Import_NothingChangedOnFailure: a row that would set stock
// below what orders reserved fails the whole file, and the preview says so.
func TestCatalog_Import_NothingChangedOnFailure(t *testing.T) {
	s := newShop(t)
	a := s.product("A", 100, 10)
	c := s.customer("Client", 0)
	s.place(c, false, line(a, 4))
	rows := parse(t, "sku,name,price,stock\nA,Apple,1.00,3\nNEW,Newcomer,5,5\n")
	res, err := s.catalog.Import(ctx(), manager, rows, true)
	var fe *core.CatalogFileError
	if !errors.As(err, &fe) || len(fe.Rows) != 1 || fe.Rows[0].Line != 2 || !strings.Contains(fe.Rows[0].Reason, "below the 4 reserved") {
		t.Fatalf("preview: %v", err)
	}
	if res == nil || res.Rows[1].Change != core.ImportNew {
		t.Fatalf("preview result: %+v", res)
	}
	if _, err := s.catalog.Import(ctx(), manager, rows, false); !errors.As(err, &fe) {
		t.Fatalf("apply: %v", err)
	}
	if _, err := s.db.ProductBySKU(ctx(), "NEW"); !errors.Is(err, core.ErrNotFound) {
		t.Fatalf("a failed import added a product: %v", err)
	}
	if st := s.stock(a.ID); st.OnHand != 10 || st.Reserved != 4 || st.Name != "Product A" {
		t.Fatalf("a failed import changed stock: %+v", st)
	}
}

func TestCatalog_Import_PreviewChangesNothing(t *testing.T) {
	s := newShop(t)
	res, err := s.catalog.Import(ctx(), manager, parse(t, "sku,name,price,stock\nA,Apple,1,1\n"), true)
	if err != nil || res.New != 1 {
		t.Fatalf("preview: %+v %v", res, err)
	}
	if levels := must[[]core.StockLevel](t)(s.catalog.Stock(ctx(), core.StockFilter{})); len(levels) != 0 {
		t.Fatalf("preview stored products: %+v", levels)
	}
}

func TestCatalog_StockMoves(t *testing.T) {
	s := newShop(t)
	p := s.product("P", 100, 5)
	c := s.customer("Client", 0)
	s.place(c, false, line(p, 4))
	if st, err := s.catalog.Receive(ctx(), manager, p.ID, 10, "supplier delivery"); err != nil || st.OnHand != 15 {
		t.Fatalf("receive: %+v %v", st, err)
	}
	if _, err := s.catalog.Correct(ctx(), manager, p.ID, -12, "counted"); !errors.Is(err, core.ErrConflict) {
		t.Fatalf("correction below reserved: %v", err)
	}
	if _, err := s.catalog.Correct(ctx(), manager, p.ID, -2, ""); !errors.Is(err, core.ErrInvalid) {
		t.Fatalf("correction without reason: %v", err)
	}
	if st, err := s.catalog.Correct(ctx(), manager, p.ID, -2, "two broken"); err != nil || st.OnHand != 13 {
		t.Fatalf("correction: %+v %v", st, err)
	}
	if _, err := s.catalog.Receive(ctx(), customerActor(c), p.ID, 1, ""); !errors.Is(err, core.ErrForbidden) {
		t.Fatalf("customer receiving goods: %v", err)
	}
	if _, err := s.catalog.Receive(ctx(), manager, p.ID, 0, ""); !errors.Is(err, core.ErrInvalid) {
		t.Fatalf("receiving zero: %v", err)
	}
	var sum int64
	for _, m := range must[[]core.StockMove](t)(s.db.StockMoves(ctx(), p.ID)) {
		sum += m.Delta
	}
	if sum != 13 {
		t.Fatalf("ledger sums to %d, on hand is 13", sum)
	}
}

// TestDocuments_NeverEdited: the database itself refuses to edit or delete a
// document or an event (invariant 4).
func TestDocuments_NeverEdited(t *testing.T) {
	s := newShop(t)
	p := s.product("P", 100, 5)
	c := s.customer("Client", 7)
	o := s.orderIn(core.StatusShipped, c, p)
	if _, _, err := s.orders.IssueInvoice(ctx(), manager, o.ID, 0, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := s.orders.RecordPayment(ctx(), manager, core.PaymentInput{CustomerID: c.ID, Amount: 50, Method: core.PayCash}); err != nil {
		t.Fatal(err)
	}
	for _, sql := range []string{
		"UPDATE invoices SET amount = 1", "DELETE FROM invoices", "UPDATE invoice_lines SET qty = 1",
		"UPDATE payments SET amount = 1", "DELETE FROM payments", "UPDATE shipments SET at = now()",
		"DELETE FROM shipment_lines", "UPDATE order_events SET detail = 'x'", "DELETE FROM order_events",
		"UPDATE stock_moves SET delta = 1", "DELETE FROM stock_moves",
	} {
		if _, err := s.db.Pool().Exec(context.Background(), sql); err == nil || !strings.Contains(err.Error(), "is a document") {
			t.Errorf("%s: %v", sql, err)
		}
	}
}
