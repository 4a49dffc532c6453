package postgres_test

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/orderbot/orderbot/core"
)

// The summary, the overdue list and the awaiting orders state what the
// documents state: line amounts after discount, with tax when prices
// exclude it; order amounts with delivery. Figures computed by hand.
func TestReports_ValuesWithDiscountTaxAndDelivery(t *testing.T) {
	s := pricedShop(t, core.Pricing{VATPayer: true, VATRate: 2000, Excluded: true, DeliveryFee: 500})
	a := s.product("A", 1000, 100)
	b := s.product("B", 333, 100)
	c := s.customer("Vera", 0)
	promised := dateOnly(s.clock.Now()).AddDate(0, 0, 1)
	o, err := s.orders.Place(ctx(), manager, core.PlaceOrder{CustomerID: c.ID, Confirmed: true, PromisedOn: &promised,
		Lines: []core.OrderLineInput{line(a, 3), line(b, 2)}})
	if err != nil {
		t.Fatal(err)
	}
	// 10 % off A: 30.00 - 3.00; 0.01 off B: 6.66 - 0.01.
	o = must[*core.Order](t)(discount(s, o, core.DiscountInput{ProductID: a.ID, IsPercent: true, Percent: 1000, Reason: "loyal"}))
	o = must[*core.Order](t)(discount(s, o, core.DiscountInput{ProductID: b.ID, Amount: 1, Reason: "rounding"}))
	// A: 27.00 + 20 % = 32.40; B: 6.65 + 1.33 = 7.98; delivery 5.00 + 1.00.
	const total = 3240 + 798 + 600
	if o.Total() != total {
		t.Fatalf("order total %d, want %d", o.Total(), total)
	}
	// One of each ships: A 10.00 - 1.00 + 1.80 = 10.80; B 3.33 - 0.01
	// (half of 0.01 rounds up) + 0.66 = 3.98.
	if _, o, err = s.orders.Ship(ctx(), manager, o.ID, o.Version, []core.QtyLine{{ProductID: a.ID, Qty: 1}, {ProductID: b.ID, Qty: 1}}); err != nil {
		t.Fatal(err)
	}
	const shipped = 1080 + 398
	const left = 3240 - 1080 + 798 - 398 // 21.60 + 4.00
	if o.ShippedValue() != shipped {
		t.Errorf("order's shipped value %d, want %d", o.ShippedValue(), shipped)
	}

	today := dateOnly(s.clock.Now())
	sum, err := s.db.DaySummary(ctx(), core.SummaryQuery{Day: today, From: today, To: today.AddDate(0, 0, 1), Today: today,
		TimeZone: "UTC", LowStock: 5, Days: 2, Top: 5})
	if err != nil {
		t.Fatal(err)
	}
	check := func(what string, got, want core.Money) {
		t.Helper()
		if got != want {
			t.Errorf("%s: %d, want %d", what, got, want)
		}
	}
	check("new amount", sum.NewAmount, total)
	check("confirmed amount", sum.ConfirmedAmount, total)
	check("shipped value", sum.ShippedValue, shipped)
	check("waiting value", sum.WaitingValue, left)
	check("ordered on the chart", sum.Days[len(sum.Days)-1].Ordered, total)
	if len(sum.TopProducts) != 2 {
		t.Fatalf("top products %+v", sum.TopProducts)
	}
	check("top product A", sum.TopProducts[0].Amount, 3240)
	check("top product B", sum.TopProducts[1].Amount, 798)

	var value, outstanding int64
	if err := s.db.Pool().QueryRow(ctx(), `SELECT value, outstanding FROM awaiting_orders WHERE order_id = $1`, o.ID).
		Scan(&value, &outstanding); err != nil {
		t.Fatal(err)
	}
	if value != left || outstanding != 3 {
		t.Errorf("awaiting order: value %d, outstanding %d; want %d, 3", value, outstanding, left)
	}

	s.clock.Advance(72 * time.Hour)
	list, n, err := s.db.OverdueShipments(ctx(), dateOnly(s.clock.Now()), 10)
	if err != nil || n != 1 || len(list) != 1 {
		t.Fatalf("overdue: %v %d %+v", err, n, list)
	}
	check("overdue value", list[0].Value, left)
	s.checkReports("after the shipment")
	checkOpenItems(t, s.db.Pool(), "after the shipment")

	// The lines export states each line's discount, rate, tax and total.
	ex := core.NewExports(core.Deps{Store: s.db, Now: s.clock.Now}, s.db)
	cols := core.ExportColumns(core.ExportLines)
	var got []map[string]any
	if err := ex.Stream(ctx(), manager, core.ExportLines, core.ExportFilter{}, func(row []any) error {
		m := map[string]any{}
		for i, c := range cols {
			m[c.Name] = row[i]
		}
		got = append(got, m)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	want := []map[string]any{
		{"sku": "A", "qty": int64(3), "price": core.Money(1000), "discount": core.Money(300), "amount": core.Money(2700),
			"tax_rate": int64(2000), "tax": core.Money(540), "total": core.Money(3240)},
		{"sku": "B", "qty": int64(2), "price": core.Money(333), "discount": core.Money(1), "amount": core.Money(665),
			"tax_rate": int64(2000), "tax": core.Money(133), "total": core.Money(798)},
	}
	if len(got) != len(want) {
		t.Fatalf("lines export: %v", got)
	}
	for i, w := range want {
		for k, v := range w {
			if got[i][k] != v {
				t.Errorf("line %d: %s = %v (%T), want %v", i+1, k, got[i][k], got[i][k], v)
			}
		}
	}
}

// The lines export in the other tax mode: the amount is the gross and the
// tax is the part of it, rounded on the line.
func TestExport_LinesWithTaxIncluded(t *testing.T) {
	s := pricedShop(t, core.Pricing{VATPayer: true, VATRate: 2000})
	p := s.product("C", 105, 10)
	o := s.place(s.customer("Ida", 0), true, line(p, 1))
	if o.Lines[0].TaxRate != 2000 {
		t.Fatalf("line rate %d", o.Lines[0].TaxRate)
	}
	ex := core.NewExports(core.Deps{Store: s.db, Now: s.clock.Now}, s.db)
	var row []any
	if err := ex.Stream(ctx(), manager, core.ExportLines, core.ExportFilter{}, func(r []any) error {
		row = append([]any(nil), r...)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	// 1.05 * 20 / 120 = 0.175 -> 0.18
	names := []string{"amount", "tax_rate", "tax", "total"}
	want := []any{core.Money(105), int64(2000), core.Money(18), core.Money(105)}
	for i, c := range core.ExportColumns(core.ExportLines) {
		for j, n := range names {
			if c.Name == n && row[i] != want[j] {
				t.Errorf("%s = %v, want %v", n, row[i], want[j])
			}
		}
	}
}

func discount(s *shop, o *core.Order, in core.DiscountInput) (*core.Order, error) {
	o, _, err := s.orders.Discount(ctx(), manager, o.ID, o.Version, in)
	return o, err
}

// line_gross (migration 032) is core.Line.Value's gross, rounding and all,
// on random lines in both tax modes.
func TestLineGross_AgreesWithCore(t *testing.T) {
	s := newShop(t)
	r := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 2000; i++ {
		qty := 1 + r.Int64N(20)
		price := core.Money(r.Int64N(100000))
		l := core.Line{Qty: qty, Price: price, Discount: core.Money(r.Int64N(int64(price)*qty + 1)), TaxRate: r.IntN(3000)}
		if i%5 == 0 {
			l.TaxRate = []int{0, 750, 2000, 10000}[r.IntN(4)]
		}
		k := r.Int64N(qty + 1)
		included := r.IntN(2) == 0
		var got int64
		if err := s.db.Pool().QueryRow(ctx(), `SELECT line_gross($1, $2, $3, $4, $5, $6)`,
			int64(l.Price), l.Qty, int64(l.Discount), l.TaxRate, included, k).Scan(&got); err != nil {
			t.Fatal(err)
		}
		if want := l.Value(k, included).Gross; core.Money(got) != want {
			t.Fatalf("line %+v, %d units, included %v: line_gross %d, core %d", l, k, included, got, want)
		}
	}
}
