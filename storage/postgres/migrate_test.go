package postgres_test

import (
	"context"
	"sync"
	"testing"

	"github.com/orderbot/orderbot/storage/postgres"
	"github.com/orderbot/orderbot/storage/postgres/pgtest"
)

// TestOpen_CreatesDatabaseAndMigratesOnce: several processes starting at
// once on a database that does not exist yet: it is created, and every
// migration is applied exactly once under the advisory lock.
func TestOpen_CreatesDatabaseAndMigratesOnce(t *testing.T) {
	name := "orderbot_fresh_" + t.Name()[len(t.Name())-4:]
	url := pgtest.URLFor(t, name)
	pgtest.Drop(t, name)
	t.Cleanup(func() { pgtest.Drop(t, name) })
	var wg sync.WaitGroup
	dbs := make([]*postgres.DB, 4)
	errs := make([]error, 4)
	for i := range dbs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			dbs[i], errs[i] = postgres.Open(context.Background(), url)
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("open %d: %v", i, err)
		}
		defer dbs[i].Close()
	}
	var applied, distinct int
	err := dbs[0].Pool().QueryRow(context.Background(), "SELECT count(*), count(DISTINCT version) FROM schema_migrations").Scan(&applied, &distinct)
	if err != nil || applied == 0 || applied != distinct {
		t.Fatalf("schema_migrations: %d rows, %d versions, %v", applied, distinct, err)
	}
	if err := dbs[1].Migrate(context.Background()); err != nil {
		t.Fatalf("migrating an up-to-date database: %v", err)
	}
}
