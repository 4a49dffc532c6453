package postgres

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"slices"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// TestMigrate_NumbersWithGaps: migration numbers need not be consecutive
// (engineers take numbers side by side): 1, 3 and 10 apply in order, and a
// 2 merged after 10 was applied is applied too, once.
func TestMigrate_NumbersWithGaps(t *testing.T) {
	db := emptyDB(t)
	mig := func(v int, table string) migration {
		return migration{version: v, name: table, sql: "CREATE TABLE " + table + " (id int)"}
	}
	first := []migration{mig(1, "a"), mig(3, "c"), mig(10, "j")}
	if err := db.apply(context.Background(), first); err != nil {
		t.Fatal(err)
	}
	later := []migration{mig(1, "a"), mig(2, "b"), mig(3, "c"), mig(10, "j")}
	for range 2 {
		if err := db.apply(context.Background(), later); err != nil {
			t.Fatal(err)
		}
	}
	got, err := db.Applied(context.Background())
	if err != nil || !slices.Equal(got, []int{1, 2, 3, 10}) {
		t.Fatalf("applied %v %v", got, err)
	}
	var ok bool
	if err := db.pool.QueryRow(context.Background(), `SELECT to_regclass('b') IS NOT NULL`).Scan(&ok); err != nil || !ok {
		t.Fatalf("table of the late migration: %v %v", ok, err)
	}
}

// emptyDB is a new database without any migration on the test server
// (TEST_DATABASE_URL, as pgtest), dropped after the test.
func emptyDB(t *testing.T) *DB {
	t.Helper()
	ctx := context.Background()
	server := os.Getenv("TEST_DATABASE_URL")
	if server == "" {
		server = "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"
	}
	u, err := url.Parse(server)
	if err != nil {
		t.Fatal(err)
	}
	admin, err := pgx.Connect(ctx, server)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close(ctx)
	name := fmt.Sprintf("orderbot_gaps_%d", time.Now().UnixNano())
	if _, err := admin.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{name}.Sanitize()); err != nil {
		t.Fatal(err)
	}
	u.Path = "/" + name
	pool, err := pgxpool.New(ctx, u.String())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		pool.Close()
		c, err := pgx.Connect(context.Background(), server)
		if err == nil {
			c.Exec(context.Background(), "DROP DATABASE IF EXISTS "+pgx.Identifier{name}.Sanitize()+" WITH (FORCE)") //nolint:errcheck
			c.Close(context.Background())
		}
	})
	return &DB{pool: pool}
}
