package main

import (
	"context"
	"testing"

	"github.com/orderbot/orderbot/core"
	"github.com/orderbot/orderbot/storage/postgres/pgtest"
)

// TestLoadDemo: an empty database gets orders in every state a list shows;
// a database with data is never touched.
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
	again, err := loadDemo(context.Background(), db, cfg)
	if err != nil || again {
		t.Fatalf("demo loaded into a database with data: %v %v", again, err)
	}
}
