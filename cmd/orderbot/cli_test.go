package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/orderbot/orderbot/core"
	"github.com/orderbot/orderbot/storage/postgres/pgtest"
	redisstore "github.com/orderbot/orderbot/storage/redis"
	"github.com/orderbot/orderbot/storage/redis/redistest"
)

// cli runs a sub-command in-process with the given environment.
type cli struct {
	t     *testing.T
	env   map[string]string
	stdin string
}

func newCLI(t *testing.T) *cli {
	_, url := pgtest.NewWithURL(t)
	return &cli{t: t, env: map[string]string{"DATABASE_URL": url}}
}

func (c *cli) run(args ...string) (stdout, stderr string, code int) {
	var out, errOut bytes.Buffer
	err := runMain(context.Background(), args, func(k string) string { return c.env[k] }, strings.NewReader(c.stdin), &out, &errOut)
	code = exitCode(err, &errOut)
	return out.String(), errOut.String(), code
}

func writeFile(t *testing.T, body string) string {
	p := filepath.Join(t.TempDir(), "catalog.csv")
	if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestCLI_CatalogImportAndStock(t *testing.T) {
	c := newCLI(t)
	if out, errOut, code := c.run("migrate"); code != 0 || !strings.Contains(out, "up to date") {
		t.Fatalf("migrate: %d %q %q", code, out, errOut)
	}
	good := writeFile(t, "sku,name,price,stock,unit\nA-1,Apple juice,\"12,50\",10,btl\nB-2,Сыр,3.20,4,kg\n")
	if out, errOut, code := c.run("catalog", "import", good); code != 0 || !strings.Contains(out, "2 new") {
		t.Fatalf("import: %d %q %q", code, out, errOut)
	}
	bad := writeFile(t, "sku,name,price,stock,unit\nA-1,Apple juice,99.99,1,btl\nC-3,,1,1,kg\nD-4,Dates,x,1,kg\n")
	_, errOut, code := c.run("catalog", "import", bad)
	if code != 1 || !strings.Contains(errOut, "catalog.csv:3: name is empty") || !strings.Contains(errOut, "catalog.csv:4: price") ||
		!strings.Contains(errOut, "nothing was changed") {
		t.Fatalf("bad import: %d %q", code, errOut)
	}
	out, _, code := c.run("stock", "--json")
	var rows []map[string]any
	if err := json.Unmarshal([]byte(out), &rows); err != nil || code != 0 {
		t.Fatalf("stock --json: %v %q", err, out)
	}
	want := `[{"free":10,"held":0,"name":"Apple juice","on_hand":10,"price":"12.50","reserved":0,"sku":"A-1","unit":"btl"},` +
		`{"free":4,"held":0,"name":"Сыр","on_hand":4,"price":"3.20","reserved":0,"sku":"B-2","unit":"kg"}]`
	if got, _ := json.Marshal(rows); string(got) != want {
		t.Fatalf("stock --json:\n got %s\nwant %s", got, want)
	}
	if out, _, _ := c.run("stock"); !strings.Contains(out, "Apple juice") || !strings.Contains(out, "RESERVED") {
		t.Fatalf("stock table: %q", out)
	}
}

func TestCLI_Orders(t *testing.T) {
	c := newCLI(t)
	c.run("catalog", "import", writeFile(t, "sku,name,price,stock\nA,Apple,2.50,10\n"))
	db := openTestDB(t, c.env["DATABASE_URL"])
	d := core.Deps{Store: db, Currency: core.MustCurrency("USD")}
	staff := core.Actor{Role: core.RoleManager, Name: "m"}
	cust, err := core.NewCustomers(d).Create(context.Background(), staff, core.Customer{Name: "Acme"})
	if err != nil {
		t.Fatal(err)
	}
	p, _ := db.ProductBySKU(context.Background(), "A")
	orders := core.NewOrders(d)
	for _, confirmed := range []bool{false, true} {
		if _, err := orders.Place(context.Background(), staff, core.PlaceOrder{CustomerID: cust.ID, Confirmed: confirmed,
			Lines: []core.OrderLineInput{{ProductID: p.ID, Qty: 2}}}); err != nil {
			t.Fatal(err)
		}
	}
	out, _, code := c.run("orders", "--json", "--status", "in progress")
	var rows []orderJSON
	if err := json.Unmarshal([]byte(out), &rows); err != nil || code != 0 || len(rows) != 1 {
		t.Fatalf("orders --json: %v %q", err, out)
	}
	r := rows[0]
	if r.Status != "in_progress" || r.Customer != "Acme" || r.Total != "5.00" || r.Shipped != "0.00" || r.Paid != "0.00" || r.CreatedAt.IsZero() {
		t.Fatalf("row: %+v", r)
	}
	if out, _, _ := c.run("orders"); strings.Count(out, "Acme") != 2 {
		t.Fatalf("orders table: %q", out)
	}
	if _, errOut, code := c.run("orders", "--status", "done"); code != 2 || !strings.Contains(errOut, "unknown status") {
		t.Fatalf("bad status: %d %q", code, errOut)
	}
}

func TestCLI_BadUsageAndConfig(t *testing.T) {
	c := &cli{t: t, env: map[string]string{}}
	if _, errOut, code := c.run("frobnicate"); code != 2 || !strings.Contains(errOut, `unknown command "frobnicate"`) {
		t.Fatalf("unknown command: %d %q", code, errOut)
	}
	if _, errOut, code := c.run(); code != 2 || !strings.Contains(errOut, "usage:") {
		t.Fatalf("no command: %d %q", code, errOut)
	}
	c.env = map[string]string{"CURRENCY": "dollars", "HOLD_TTL": "forever", "OWNER_IDS": "12,abc", "TIMEZONE": "Mars/Base"}
	_, errOut, code := c.run("stock")
	for _, want := range []string{"CURRENCY", "HOLD_TTL", "OWNER_IDS", "TIMEZONE"} {
		if code != 1 || !strings.Contains(errOut, want) {
			t.Errorf("config error for %s missing: %q", want, errOut)
		}
	}
	c.env = map[string]string{"DATABASE_URL": "postgres://postgres@127.0.0.1:1/none?sslmode=disable&connect_timeout=2"}
	if _, errOut, code := c.run("stock"); code != 1 || !strings.Contains(errOut, "is Postgres running?") {
		t.Fatalf("database down: %d %q", code, errOut)
	}
	if out, _, code := c.run("help"); code != 0 || !strings.Contains(out, "TELEGRAM_TOKEN") {
		t.Fatalf("help: %d %q", code, out)
	}
}

func TestCLI_ImportMissingFile(t *testing.T) {
	c := &cli{t: t, env: map[string]string{}}
	_, errOut, code := c.run("catalog", "import", "/nonexistent.csv")
	if code != 1 || !strings.Contains(errOut, "no such file") {
		t.Fatalf("missing file: %d %q", code, errOut)
	}
	var ue usageError
	if err := runMain(context.Background(), []string{"catalog", "export"}, func(string) string { return "" }, nil, &bytes.Buffer{}, &bytes.Buffer{}); !errors.As(err, &ue) {
		t.Fatalf("catalog export: %v", err)
	}
}

// TestCLI_StockCountsCartHolds: `stock --json` reads the cart holds from the
// bot's Redis (REDIS_URL, REDIS_PREFIX and the bot id from TELEGRAM_TOKEN),
// so held and free agree with the bot's /stock and on_hand = reserved + held
// + free; with Redis away it says so on stderr and counts no holds.
func TestCLI_StockCountsCartHolds(t *testing.T) {
	c := newCLI(t)
	prefix := fmt.Sprintf("obtest:stock:%d:", time.Now().UnixNano())
	c.env["REDIS_PREFIX"], c.env["TELEGRAM_TOKEN"] = prefix, "4242:secret"
	t.Cleanup(func() { redistest.Delete(prefix + "*") })
	c.run("catalog", "import", writeFile(t, "sku,name,price,stock\nA,Apple,2.50,10\n"))
	db := openTestDB(t, c.env["DATABASE_URL"])
	cache, err := redisstore.Open(context.Background(), redisstore.DefaultURL, redisstore.WithPrefix(prefix+"4242:"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cache.Close() })
	d := core.Deps{Store: db, Holds: cache.Carts(), Currency: core.MustCurrency("USD")}
	staff := core.Actor{Role: core.RoleManager, Name: "m"}
	cust, err := core.NewCustomers(d).Create(context.Background(), staff, core.Customer{Name: "Ann"})
	if err != nil {
		t.Fatal(err)
	}
	p, _ := db.ProductBySKU(context.Background(), "A")
	orders := core.NewOrders(d)
	if _, err := orders.Place(context.Background(), staff, core.PlaceOrder{CustomerID: cust.ID, Lines: []core.OrderLineInput{{ProductID: p.ID, Qty: 3}}}); err != nil {
		t.Fatal(err)
	}
	shop := core.NewShopping(d, cache.Carts(), orders, time.Hour)
	if _, err := shop.SetQty(context.Background(), core.Actor{Role: core.RoleCustomer, CustomerID: cust.ID}, p.ID, 2); err != nil {
		t.Fatal(err)
	}
	want := []stockJSON{{SKU: "A", Name: "Apple", Unit: "pcs", Price: "2.50", OnHand: 10, Reserved: 3, Held: 2, Free: 5}}
	out, errOut, code := c.run("stock", "--json")
	var rows []stockJSON
	if err := json.Unmarshal([]byte(out), &rows); err != nil || code != 0 || !reflect.DeepEqual(rows, want) {
		t.Fatalf("stock --json: %d %v\n got %+v\nwant %+v\n%s", code, err, rows, want, errOut)
	}
	if out, _, _ := c.run("stock"); !strings.Contains(out, "HELD") {
		t.Fatalf("stock table has no HELD column: %q", out)
	}

	c.env["REDIS_URL"] = "redis://127.0.0.1:2/0"
	out, errOut, code = c.run("stock", "--json")
	want[0].Held, want[0].Free = 0, 7
	rows = nil
	if err := json.Unmarshal([]byte(out), &rows); err != nil || code != 0 || !reflect.DeepEqual(rows, want) {
		t.Fatalf("stock --json without Redis: %d %v %+v", code, err, rows)
	}
	if !strings.Contains(errOut, "cart holds not counted") || !strings.Contains(errOut, "127.0.0.1:2") {
		t.Fatalf("no word of Redis being away: %q", errOut)
	}
}
