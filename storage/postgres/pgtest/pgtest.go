// Package pgtest gives each test its own freshly migrated Postgres database,
// cloned from a template database that is migrated once per schema version.
// Tests that use it run against the real server and fail, never skip, when it
// does not answer. TEST_DATABASE_URL points at the server (default: the local
// one); it imports the postgres store and pgx only.
package pgtest

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"net/url"
	"os"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/orderbot/orderbot/storage/postgres"
)

// ServerURL is the Postgres server tests use, with any database name.
func ServerURL() string {
	if u := os.Getenv("TEST_DATABASE_URL"); u != "" {
		return u
	}
	return "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"
}

// New returns a store on a new empty, migrated database that is dropped when
// the test ends.
func New(t testing.TB) *postgres.DB {
	t.Helper()
	db, _ := NewWithURL(t)
	return db
}

// NewWithURL is New that also returns the database's URL, for tests that run
// the binary or open a second connection.
func NewWithURL(t testing.TB) (*postgres.DB, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	admin := connect(t, ctx, ServerURL())
	defer admin.Close(ctx)
	tmpl := templateName()
	ensureTemplate(t, ctx, admin, tmpl)
	name := "orderbot_test_" + randomSuffix()
	if _, err := admin.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{name}.Sanitize()+" TEMPLATE "+pgx.Identifier{tmpl}.Sanitize()); err != nil {
		t.Fatalf("pgtest: create database %s: %v", name, err)
	}
	url := withDatabase(t, name)
	db, err := postgres.Open(ctx, url)
	if err != nil {
		t.Fatalf("pgtest: open %s: %v", name, err)
	}
	t.Cleanup(func() {
		db.Close()
		Drop(t, name)
	})
	return db, url
}

// Drop removes a test database, closing whatever still uses it.
func Drop(t testing.TB, name string) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	admin := connect(t, ctx, ServerURL())
	defer admin.Close(ctx)
	if _, err := admin.Exec(ctx, "DROP DATABASE IF EXISTS "+pgx.Identifier{name}.Sanitize()+" WITH (FORCE)"); err != nil {
		t.Errorf("pgtest: drop %s: %v", name, err)
	}
}

func connect(t testing.TB, ctx context.Context, url string) *pgx.Conn {
	t.Helper()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatalf("pgtest: Postgres does not answer at %s: %v\n"+
			"start it: pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start", url, err)
	}
	return conn
}

// templateName depends on the migrations' contents, so a schema change
// gets a new template instead of a stale one.
func templateName() string {
	h := sha256.New()
	fs.WalkDir(postgres.Migrations(), ".", func(path string, d fs.DirEntry, err error) error { //nolint:errcheck
		if err == nil && !d.IsDir() {
			b, _ := fs.ReadFile(postgres.Migrations(), path)
			h.Write([]byte(path))
			h.Write(b)
		}
		return nil
	})
	return "orderbot_tmpl_" + hex.EncodeToString(h.Sum(nil))[:12]
}

// ensureTemplate creates and migrates the template once, under an advisory
// lock, since test binaries of several packages run at the same time.
func ensureTemplate(t testing.TB, ctx context.Context, admin *pgx.Conn, name string) {
	t.Helper()
	if _, err := admin.Exec(ctx, "SELECT pg_advisory_lock(7476251)"); err != nil {
		t.Fatalf("pgtest: lock: %v", err)
	}
	defer admin.Exec(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock(7476251)") //nolint:errcheck
	var ready bool
	err := admin.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1 AND datistemplate)", name).Scan(&ready)
	if err != nil {
		t.Fatalf("pgtest: %v", err)
	}
	if ready {
		return
	}
	building := name + "_build"
	admin.Exec(ctx, "DROP DATABASE IF EXISTS "+pgx.Identifier{building}.Sanitize()+" WITH (FORCE)") //nolint:errcheck
	if _, err := admin.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{building}.Sanitize()); err != nil {
		t.Fatalf("pgtest: create template: %v", err)
	}
	db, err := postgres.Open(ctx, withDatabase(t, building))
	if err != nil {
		t.Fatalf("pgtest: migrate template: %v", err)
	}
	db.Close()
	for _, sql := range []string{
		"ALTER DATABASE " + pgx.Identifier{building}.Sanitize() + " RENAME TO " + pgx.Identifier{name}.Sanitize(),
		"ALTER DATABASE " + pgx.Identifier{name}.Sanitize() + " WITH IS_TEMPLATE true",
	} {
		if _, err := admin.Exec(ctx, sql); err != nil {
			t.Fatalf("pgtest: %s: %v", sql, err)
		}
	}
}

func withDatabase(t testing.TB, name string) string {
	t.Helper()
	u, err := url.Parse(ServerURL())
	if err != nil {
		t.Fatalf("pgtest: TEST_DATABASE_URL: %v", err)
	}
	u.Path = "/" + name
	return u.String()
}

func randomSuffix() string {
	b := make([]byte, 6)
	rand.Read(b) //nolint:errcheck
	return hex.EncodeToString(b)
}

// URLFor is the URL of database name on the test server (it may not exist).
func URLFor(t testing.TB, name string) string { return withDatabase(t, name) }
