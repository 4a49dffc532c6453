package bot

import (
	"testing"

	"github.com/orderbot/orderbot/core"
)

// TestNiceScale: the chart's y-axis ends just above the peak, on a round
// step of whole units (a peak of 201 gets 250, not 400).
func TestNiceScale(t *testing.T) {
	usd, jpy := core.MustCurrency("USD"), core.MustCurrency("JPY")
	for _, tc := range []struct {
		cur   core.Currency
		peak  core.Money
		top   core.Money
		lines int
	}{
		{usd, 201_00, 250_00, 5}, {usd, 200_00, 200_00, 4}, {usd, 101_00, 120_00, 6}, {usd, 999_99, 1000_00, 4},
		{usd, 7_50, 8_00, 4}, {usd, 0, 3_00, 3}, {usd, 12_345_67, 12_500_00, 5}, {jpy, 201, 250, 5},
	} {
		top, lines := niceScale(tc.peak, tc.cur)
		if top != tc.top || lines != tc.lines {
			t.Errorf("%s peak %d: top %d in %d lines, want %d in %d", tc.cur.Code, tc.peak, top, lines, tc.top, tc.lines)
		}
		if top < tc.peak || (tc.peak > 0 && top*4 > tc.peak*5+4*300) {
			t.Errorf("%s peak %d: top %d does not fit the data", tc.cur.Code, tc.peak, top)
		}
	}
}
