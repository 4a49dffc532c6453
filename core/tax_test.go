package core

import (
	"math/rand/v2"
	"strings"
	"testing"
)

func TestLineTax(t *testing.T) {
	tests := []struct {
		name     string
		amount   Money
		rate     int
		included bool
		want     Amounts
	}{
		{"included 20% of 120.00", 12000, 2000, true, Amounts{Net: 10000, Tax: 2000, Gross: 12000}},
		{"excluded 20% of 100.00", 10000, 2000, false, Amounts{Net: 10000, Tax: 2000, Gross: 12000}},
		{"zero rate included", 999, 0, true, Amounts{Net: 999, Tax: 0, Gross: 999}},
		{"zero rate excluded", 999, 0, false, Amounts{Net: 999, Tax: 0, Gross: 999}},
		// 0.25 * 20 % = 0.05 exactly; 0.02 * 25 % = 0.005 rounds up to 0.01.
		{"excluded half rounds up", 2, 2500, false, Amounts{Net: 2, Tax: 1, Gross: 3}},
		// 0.10 * 5 % = 0.005 -> 0.01
		{"excluded 0.005 rounds away", 10, 500, false, Amounts{Net: 10, Tax: 1, Gross: 11}},
		// 0.09 * 5 % = 0.0045 -> 0.00
		{"excluded below half rounds down", 9, 500, false, Amounts{Net: 9, Tax: 0, Gross: 9}},
		// 0.21 gross at 5 %: 21 * 500 / 10500 = 1.0 exactly.
		{"included exact", 21, 500, true, Amounts{Net: 20, Tax: 1, Gross: 21}},
		// 1.05 gross at 10 %: 105 * 1000 / 11000 = 9.545... -> 10
		{"included rounds up", 105, 1000, true, Amounts{Net: 95, Tax: 10, Gross: 105}},
		// 0.55 gross at 10 %: 55 * 1000 / 11000 = 5.0 exactly
		{"included x.0", 55, 1000, true, Amounts{Net: 50, Tax: 5, Gross: 55}},
		// 0.11 gross at 10 %: 11/11 = 1.0; 0.33 gross at 10 %: 3.0
		// 0.165 not possible; 7.5 % of 0.14 net = 0.0105 -> 0.01
		{"7.5% excluded", 14, 750, false, Amounts{Net: 14, Tax: 1, Gross: 15}},
		// 7.5 % included of 1.00: 100 * 750 / 10750 = 6.976 -> 7
		{"7.5% included", 100, 750, true, Amounts{Net: 93, Tax: 7, Gross: 100}},
		// 100 % excluded doubles.
		{"100% excluded", 1234, 10000, false, Amounts{Net: 1234, Tax: 1234, Gross: 2468}},
		// 100 % included of 0.03: 1.5 -> 2 (half away from zero)
		{"100% included half", 3, 10000, true, Amounts{Net: 1, Tax: 2, Gross: 3}},
		{"negative amount rounds away from zero", -2, 2500, false, Amounts{Net: -2, Tax: -1, Gross: -3}},
		{"zero amount", 0, 2000, true, Amounts{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := LineTax(tt.amount, tt.rate, tt.included); got != tt.want {
				t.Errorf("LineTax(%d, %d, %v) = %+v, want %+v", tt.amount, tt.rate, tt.included, got, tt.want)
			}
		})
	}
}

func TestParseTaxRate(t *testing.T) {
	tests := []struct {
		in   string
		want int
		err  string
	}{
		{"20", 2000, ""}, {"7.5", 750, ""}, {"7,5", 750, ""}, {"0", 0, ""}, {"100", 10000, ""},
		{" 12.25 %", 1225, ""}, {"100.01", 0, "over 100"}, {"101", 0, "over 100"}, {"-1", 0, "negative"},
		{"7.125", 0, "write a percent"}, {"abc", 0, "write a percent"}, {"", 0, "write a percent"},
	}
	for _, tt := range tests {
		got, err := ParseTaxRate(tt.in)
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("ParseTaxRate(%q) = %d, %v; want error with %q", tt.in, got, err, tt.err)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("ParseTaxRate(%q) = %d, %v; want %d", tt.in, got, err, tt.want)
		}
	}
	for rate, want := range map[int]string{2000: "20", 750: "7.5", 0: "0", 1225: "12.25", 10000: "100"} {
		if got := FormatTaxRate(rate); got != want {
			t.Errorf("FormatTaxRate(%d) = %q, want %q", rate, got, want)
		}
	}
}

func TestShare(t *testing.T) {
	// 1.00 of discount over 3 units: 0.33, 0.67 (0.666 rounds up), 1.00.
	for k, want := range []Money{0, 33, 67, 100} {
		if got := Share(100, int64(k), 3); got != want {
			t.Errorf("Share(100, %d, 3) = %d, want %d", k, got, want)
		}
	}
	// Half rounds away from zero: 0.01 over 2 units, one of them: 0.005 -> 0.01.
	if got := Share(1, 1, 2); got != 1 {
		t.Errorf("Share(1, 1, 2) = %d, want 1", got)
	}
}

func TestOrderTotals_HandComputed(t *testing.T) {
	tests := []struct {
		name  string
		order Order
		want  OrderTotals
	}{
		{
			name: "mixed rates, tax included, with a discount and delivery",
			order: Order{TaxIncluded: true, Delivery: 500, DeliveryRate: 2000, Lines: []Line{
				{Qty: 3, Price: 1000, TaxRate: 2000, Discount: 300}, // 27.00 gross: tax 4.50 exactly
				{Qty: 1, Price: 105, TaxRate: 1000},                 // 1.05: tax 0.0954.. -> 0.10
				{Qty: 2, Price: 250, TaxRate: 0},                    // 5.00 untaxed
			}},
			// delivery 5.00 at 20 % included: 500*2000/12000 = 83.33 -> 83
			want: OrderTotals{Goods: 3605, Discount: 300, Delivery: 500, TaxTotals: TaxTotals{
				Amounts: Amounts{Net: 2700 + 105 + 500 + 500 - 450 - 10 - 83, Tax: 450 + 10 + 83, Gross: 3805},
				Rates:   []RateTotal{{0, 500, 0}, {1000, 95, 10}, {2000, 2250 + 417, 450 + 83}}}},
		},
		{
			name: "mixed rates, tax excluded, per-line rounding",
			order: Order{Lines: []Line{
				{Qty: 1, Price: 2, TaxRate: 2500},   // 0.005 -> 0.01
				{Qty: 1, Price: 2, TaxRate: 2500},   // again 0.01: 0.02, not round(0.01) of the sum
				{Qty: 10, Price: 14, TaxRate: 750},  // 1.40 * 7.5 % = 0.105 -> 0.11
				{Qty: 4, Price: 100, Discount: 100}, // 3.00 at 0 %
			}},
			want: OrderTotals{Goods: 544, Discount: 100, TaxTotals: TaxTotals{
				Amounts: Amounts{Net: 444, Tax: 13, Gross: 457},
				Rates:   []RateTotal{{0, 300, 0}, {750, 140, 11}, {2500, 4, 2}}}},
		},
		{
			name:  "nothing taxed is today's order",
			order: Order{TaxIncluded: true, Lines: []Line{{Qty: 3, Price: 1999}}},
			want: OrderTotals{Goods: 5997, TaxTotals: TaxTotals{Amounts: Amounts{Net: 5997, Gross: 5997},
				Rates: []RateTotal{{0, 5997, 0}}}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.order.Totals()
			if !equalTotals(got, tt.want) {
				t.Errorf("Totals() =\n%+v\nwant\n%+v", got, tt.want)
			}
			if tt.order.Total() != tt.want.Gross {
				t.Errorf("Total() = %d, want %d", tt.order.Total(), tt.want.Gross)
			}
		})
	}
}

func equalTotals(a, b OrderTotals) bool {
	if a.Goods != b.Goods || a.Discount != b.Discount || a.Delivery != b.Delivery || a.Amounts != b.Amounts || len(a.Rates) != len(b.Rates) {
		return false
	}
	for i := range a.Rates {
		if a.Rates[i] != b.Rates[i] {
			return false
		}
	}
	return true
}

// The total of an order is the sum of its rounded lines in both modes, and
// the invoices of a line billed in parts add up to the line.
func TestOrderTotals_SumOfRoundedLines(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	rates := []int{0, 500, 750, 1000, 2000, 2500, 1225}
	for range 2000 {
		o := Order{TaxIncluded: r.IntN(2) == 0, Delivery: Money(r.IntN(1000)), DeliveryRate: rates[r.IntN(len(rates))]}
		for range 1 + r.IntN(6) {
			l := Line{Qty: 1 + r.Int64N(20), Price: Money(r.IntN(100000)), TaxRate: rates[r.IntN(len(rates))]}
			l.Discount = Money(r.Int64N(int64(l.Price)*l.Qty + 1))
			o.Lines = append(o.Lines, l)
		}
		tot := o.Totals()
		var sum Amounts
		var tax Money
		for _, l := range o.Lines {
			a := l.Value(l.Qty, o.TaxIncluded)
			sum = sum.Add(a)
			if a.Net+a.Tax != a.Gross {
				t.Fatalf("line %+v: net %d + tax %d != gross %d", l, a.Net, a.Tax, a.Gross)
			}
			if want := LineTax(l.Price*Money(l.Qty)-l.Discount, l.TaxRate, o.TaxIncluded); a != want {
				t.Fatalf("line %+v: %+v, want %+v", l, a, want)
			}
			var parts Amounts
			for k := int64(0); k < l.Qty; {
				q := 1 + r.Int64N(l.Qty-k)
				parts = parts.Add(l.Value(k+q, o.TaxIncluded).Sub(l.Value(k, o.TaxIncluded)))
				k += q
			}
			if parts != a {
				t.Fatalf("line %+v billed in parts: %+v, whole %+v", l, parts, a)
			}
		}
		sum = sum.Add(o.DeliveryAmounts())
		for _, rt := range tot.Rates {
			tax += rt.Tax
		}
		if tot.Amounts != sum || tax != tot.Tax || tot.Net+tot.Tax != tot.Gross || o.Total() != tot.Gross {
			t.Fatalf("order %+v: totals %+v, sum of lines %+v, tax by rate %d", o, tot, sum, tax)
		}
	}
}
