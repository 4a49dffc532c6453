package postgres

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/orderbot/orderbot/core"
)

// DefaultURL is the local Postgres used when DATABASE_URL is not set.
const DefaultURL = "postgres://postgres@127.0.0.1:5432/orderbot?sslmode=disable"

// DB is the Postgres store. It is safe for concurrent use.
type DB struct {
	pool *pgxpool.Pool
}

var _ core.Store = (*DB)(nil)

// querier is what both the pool and a transaction offer; reads are written
// once against it.
type querier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
}

// Open connects to url, creating the database when it does not exist yet,
// and applies pending migrations.
func Open(ctx context.Context, url string) (*DB, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("DATABASE_URL: %w", err)
	}
	if !strings.Contains(url, "pool_max_conns") {
		// Each running job holds a connection for its lock while the bot
		// keeps serving: the default of max(4, cores) is too few.
		cfg.MaxConns = 16
	}
	if err := ensureDatabase(ctx, cfg.ConnConfig); err != nil {
		return nil, err
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("connect to postgres: %w", err)
	}
	db := &DB{pool: pool}
	if err := db.Migrate(ctx); err != nil {
		pool.Close()
		return nil, err
	}
	return db, nil
}

// Close releases every connection.
func (db *DB) Close() { db.pool.Close() }

// Ping checks that the database answers (readiness).
func (db *DB) Ping(ctx context.Context) error {
	if err := db.pool.Ping(ctx); err != nil {
		return interpretError(err)
	}
	return nil
}

// Pool exposes the pool to packages of this module that need raw access
// (jobs' locks, benchmarks, tests). Nothing above storage sees pgx types.
func (db *DB) Pool() *pgxpool.Pool { return db.pool }

// ensureDatabase creates the configured database if the server says it does
// not exist, connecting to the maintenance database "postgres" to do so.
func ensureDatabase(ctx context.Context, cfg *pgx.ConnConfig) error {
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err == nil {
		return conn.Close(ctx)
	}
	var pgErr *pgconn.PgError
	if !errors.As(err, &pgErr) || pgErr.Code != "3D000" {
		return fmt.Errorf("connect to postgres at %s:%d: %w", cfg.Host, cfg.Port, interpretError(err))
	}
	admin := cfg.Copy()
	admin.Database = "postgres"
	conn, err = pgx.ConnectConfig(ctx, admin)
	if err != nil {
		return fmt.Errorf("connect to postgres to create database %q: %w", cfg.Database, err)
	}
	defer conn.Close(ctx)
	_, err = conn.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{cfg.Database}.Sanitize())
	if err != nil && !isCode(err, "42P04") && !isCode(err, "23505") { // created meanwhile by another process
		return fmt.Errorf("create database %q: %w", cfg.Database, err)
	}
	return nil
}

func isCode(err error, code string) bool {
	var pgErr *pgconn.PgError
	return errors.As(err, &pgErr) && pgErr.Code == code
}

// maxAttempts bounds retries of a transaction that lost a serialization or
// deadlock race.
const maxAttempts = 5

// InTx runs fn in a transaction: commit when it returns nil, roll back on an
// error or a panic (which is re-raised). Serialization failures and
// deadlocks retry the whole fn.
func (db *DB) InTx(ctx context.Context, fn func(ctx context.Context, tx core.Tx) error) error {
	claim := core.ClaimFrom(ctx)
	var err error
	for attempt := 1; attempt <= maxAttempts; attempt++ {
		err = pgx.BeginFunc(ctx, db.pool, func(ptx pgx.Tx) error {
			t := &txStore{tx: ptx}
			if err := fn(ctx, t); err != nil {
				return err
			}
			if claim != nil {
				return t.claimUpdate(ctx, claim)
			}
			return nil
		})
		if !isCode(err, "40001") && !isCode(err, "40P01") {
			break
		}

		time.Sleep(time.Duration(attempt*attempt) * 5 * time.Millisecond)
	}
	if err == nil && claim != nil {
		claim.Claimed()
	}
	return interpretError(err)
}

// txStore implements core.Tx on one transaction. It remembers the order
// events it wrote, for the answer to the update that made them.
type txStore struct {
	tx     pgx.Tx
	events []core.ReplyEvent
}

var _ core.Tx = (*txStore)(nil)

// interpretError maps driver errors to core's kinds; errors that already carry
// a kind pass through unchanged. It is the only place that knows pgx errors.
func interpretError(err error) error {
	if err == nil {
		return nil
	}
	var ce *core.Error
	var se *core.ShortageError
	var fe *core.CatalogFileError
	if errors.As(err, &ce) || errors.As(err, &se) || errors.As(err, &fe) ||
		errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	if errors.Is(err, pgx.ErrNoRows) {
		return core.Errorf(core.ErrNotFound, "not found")
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		return fromPgError(pgErr, err)
	}
	var netErr net.Error
	var connErr *pgconn.ConnectError
	if errors.As(err, &netErr) || errors.As(err, &connErr) || pgconn.SafeToRetry(err) ||
		strings.Contains(err.Error(), "conn closed") {
		return fmt.Errorf("%w: %v", core.ErrUnavailable, err)
	}
	return err
}

func fromPgError(pgErr *pgconn.PgError, err error) error {
	switch {
	case pgErr.Code == "23505":
		return fmt.Errorf("%w: %s", core.ErrConflict, pgErr.ConstraintName)
	case pgErr.Code == "23514" && pgErr.ConstraintName == "stock_no_oversell":
		return fmt.Errorf("%w: stock would fall below reserved", core.ErrOutOfStock)
	case pgErr.Code == "23514", pgErr.Code == "23001":
		return fmt.Errorf("%w: %s", core.ErrConflict, pgErr.Message)
	case pgErr.Code == "23503":
		return fmt.Errorf("%w: %s", core.ErrNotFound, pgErr.ConstraintName)
	case pgErr.Code == "40001", pgErr.Code == "40P01":
		// keep the driver error in the chain: InTx retries on its code
		return fmt.Errorf("%w: concurrent change, try again: %w", core.ErrConflict, err)
	case strings.HasPrefix(pgErr.Code, "08"), strings.HasPrefix(pgErr.Code, "57P"), pgErr.Code == "53300":
		return fmt.Errorf("%w: %v", core.ErrUnavailable, err)
	}
	return err
}

func isKind(err, kind error) bool { return errors.Is(err, kind) }

func itoa(n int) string { return strconv.Itoa(n) }
