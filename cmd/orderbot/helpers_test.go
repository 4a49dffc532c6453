package main

import (
	"context"
	"testing"

	"github.com/orderbot/orderbot/storage/postgres"
)

func openTestDB(t *testing.T, url string) *postgres.DB {
	t.Helper()
	db, err := postgres.Open(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(db.Close)
	return db
}
