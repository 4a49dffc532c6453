package main

import (
	"context"
	"testing"

	"github.com/orderbot/orderbot/core"
	"github.com/orderbot/orderbot/storage/postgres/pgtest"
)

// TestLoadDemo: an empty database gets orders in every state a list shows;
// a database with data is never touched.
func TestLoadDemo_Roubles(t *testing.T) {
	// A rouble shop checks tax numbers as INNs: the demo's must pass.
	cfg, err := loadConfig(func(k string) string { return map[string]string{"CURRENCY": "RUB"}[k] })
	if err != nil {
		t.Fatal(err)
	}
	if loaded, err := loadDemo(context.Background(), pgtest.New(t), cfg); err != nil || !loaded {
		t.Fatalf("load: %v %v", loaded, err)
	}
}

func TestLoadDemo(t *testing.T) {
	db := pgtest.New(t)
	cfg, err := loadConfig(func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	loaded, err := loadDemo(context.Background(), db, cfg)
	if err != nil || !loaded {
		t.Fatalf("load: %v %v", loaded, err)
	}
	orders, err := db.Orders(context.Background(), core.OrderFilter{})
	if err != nil {
		t.Fatal(err)
	}
	seen := map[core.Status]int{}
	for _, o := range orders {
		seen[o.Status]++
	}
	for _, st := range []core.Status{core.StatusNew, core.StatusInProgress, core.StatusShipped, core.StatusPaid, core.StatusClosed, core.StatusCancelled} {
		if seen[st] == 0 {
			t.Errorf("no demo order is %s: %v", st, seen)
		}
	}
	bal, err := db.Balances(context.Background(), core.BalanceFilter{Today: core.NewOrders(core.Deps{Store: db}).Today()})
	if err != nil || len(bal) == 0 || bal[0].Overdue() == 0 {
		t.Fatalf("no overdue debt in the demo: %+v %v", bal, err)
	}
	// The personas buy the same tea at their own prices: Anna at the
	// catalog's, Boris on the wholesale list, cheaper from 20 packs.
	ctx := context.Background()
	cat := core.NewCatalog(core.Deps{Store: db, Currency: cfg.Currency})
	tea, err := db.Stock(ctx, core.StockFilter{})
	if err != nil {
		t.Fatal(err)
	}
	var teaP *core.Product
	for i := range tea {
		if tea[i].SKU == "TEA-GRN-100" {
			teaP = &tea[i].Product
		}
	}
	for _, c := range []struct {
		tg       int64
		one, big core.Money
	}{{demoAnnaID, 450, 450}, {demoBorisID, 390, 340}} {
		cust, err := db.CustomerByTelegram(ctx, c.tg)
		if err != nil || teaP == nil {
			t.Fatalf("persona %d: %v (tea %v)", c.tg, err, teaP)
		}
		cp, err := cat.CustomerPrices(ctx, cust.ID, []int64{teaP.ID})
		if err != nil {
			t.Fatal(err)
		}
		if one, big := cp.Price(teaP, 1), cp.Price(teaP, 20); one != c.one || big != c.big {
			t.Errorf("%s pays %d for one tea and %d each for 20, want %d and %d", cust.Name, one, big, c.one, c.big)
		}
	}
	again, err := loadDemo(context.Background(), db, cfg)
	if err != nil || again {
		t.Fatalf("demo loaded into a database with data: %v %v", again, err)
	}
}
