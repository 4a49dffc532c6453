package postgres

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"golang.org/x/sync/errgroup"
)

// copyBuf holds rows of one table in COPY's binary format, written straight
// from the generator's values: no per-value boxing, nothing for the server
// to parse. Column types must match the table's exactly (int8, int4, text,
// date, timestamptz, bool).
type copyBuf struct {
	table string
	cols  []string
	rows  int
	b     bytes.Buffer
}

var pgEpoch = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)

func newCopyBuf(table string, cols ...string) *copyBuf {
	c := &copyBuf{table: table, cols: cols}
	c.reset()
	return c
}

func (c *copyBuf) reset() {
	c.b.Reset()
	c.rows = 0
	c.b.WriteString("PGCOPY\n\xff\r\n\x00")
	c.b.Write(make([]byte, 8)) // flags, header extension length
}

// The writers append into the buffer's spare capacity: no allocation per
// value.

func (c *copyBuf) row() *copyBuf {
	c.rows++
	c.b.Write(binary.BigEndian.AppendUint16(c.b.AvailableBuffer(), uint16(len(c.cols))))
	return c
}

func (c *copyBuf) field(n int) {
	c.b.Write(binary.BigEndian.AppendUint32(c.b.AvailableBuffer(), uint32(n)))
}

func (c *copyBuf) i64(v int64) *copyBuf {
	b := binary.BigEndian.AppendUint32(c.b.AvailableBuffer(), 8)
	c.b.Write(binary.BigEndian.AppendUint64(b, uint64(v)))
	return c
}

func (c *copyBuf) i32(v int) *copyBuf {
	b := binary.BigEndian.AppendUint32(c.b.AvailableBuffer(), 4)
	c.b.Write(binary.BigEndian.AppendUint32(b, uint32(int32(v))))
	return c
}

func (c *copyBuf) text(s string) *copyBuf {
	c.field(len(s))
	c.b.WriteString(s)
	return c
}

func (c *copyBuf) boolean(v bool) *copyBuf {
	c.field(1)
	if v {
		c.b.WriteByte(1)
	} else {
		c.b.WriteByte(0)
	}
	return c
}

func (c *copyBuf) null() *copyBuf {
	c.b.Write([]byte{0xff, 0xff, 0xff, 0xff})
	return c
}

// ts writes a timestamptz: microseconds since 2000-01-01 UTC.
func (c *copyBuf) ts(t time.Time) *copyBuf { return c.i64(t.Sub(pgEpoch).Microseconds()) }

func (c *copyBuf) tsOrNull(t *time.Time) *copyBuf {
	if t == nil {
		return c.null()
	}
	return c.ts(*t)
}

// date writes a date (midnight UTC of it): days since 2000-01-01.
func (c *copyBuf) date(t time.Time) *copyBuf {
	y, m, d := t.Date()
	return c.i32(int(time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Sub(pgEpoch) / (24 * time.Hour)))
}

func (c *copyBuf) dateOrNull(t *time.Time) *copyBuf {
	if t == nil {
		return c.null()
	}
	return c.date(*t)
}

func (c *copyBuf) idOrNull(id int64) *copyBuf {
	if id == 0 {
		return c.null()
	}
	return c.i64(id)
}

// copyTo sends the rows with COPY ... FREEZE (the tables were truncated in
// this transaction, so rows go in frozen and all-visible) and empties the
// buffer.
func (c *copyBuf) copyTo(ctx context.Context, tx pgx.Tx) error {
	if c.rows == 0 {
		return nil
	}
	c.b.Write([]byte{0xff, 0xff})
	sql := fmt.Sprintf("COPY %s (%s) FROM STDIN (FORMAT binary, FREEZE)", c.table, strings.Join(c.cols, ", "))
	if _, err := tx.Conn().PgConn().CopyFrom(ctx, &c.b, sql); err != nil {
		return fmt.Errorf("copy %d rows into %s: %w", c.rows, c.table, err)
	}
	c.reset()
	return nil
}

// bulkSchema is what a bulk load takes off the tables it fills and puts back
// after: foreign keys, primary and unique keys and plain indexes are built
// once over the loaded rows instead of row by row, and user triggers
// (immutability, the event queue, the awaiting_orders sync) stay quiet.
// Keys, indexes and triggers come back in the loading transaction: if the
// load fails, the schema is as it was. Foreign keys come back in it too, as
// NOT VALID (enforced from then on); validate checks the loaded rows after
// the commit, several tables at once.
type bulkSchema struct {
	drop, restore []string
	validate      []string
}

// bulkSchemaSQL lists, for the given tables, the DDL to drop and to restore:
// foreign keys from or to them first (dropped first, restored last), then
// keys, then indexes that back no constraint.
const bulkSchemaSQL = `
WITH t AS (SELECT unnest($1::text[])::regclass AS rel)
SELECT 1 AS step, format('ALTER TABLE %s DROP CONSTRAINT %I', c.conrelid::regclass, c.conname),
       format('ALTER TABLE %s ADD CONSTRAINT %I %s NOT VALID', c.conrelid::regclass, c.conname, pg_get_constraintdef(c.oid)),
       format('ALTER TABLE %s VALIDATE CONSTRAINT %I', c.conrelid::regclass, c.conname)
FROM pg_constraint c
WHERE c.contype = 'f' AND (c.conrelid IN (SELECT rel FROM t) OR c.confrelid IN (SELECT rel FROM t))
UNION ALL
SELECT 2, format('ALTER TABLE %s DROP CONSTRAINT %I', c.conrelid::regclass, c.conname),
       format('ALTER TABLE %s ADD CONSTRAINT %I %s', c.conrelid::regclass, c.conname, pg_get_constraintdef(c.oid)), ''
FROM pg_constraint c
WHERE c.contype IN ('p', 'u') AND c.conrelid IN (SELECT rel FROM t)
UNION ALL
SELECT 3, format('DROP INDEX %s', i.indexrelid::regclass), pg_get_indexdef(i.indexrelid), ''
FROM pg_index i
WHERE i.indrelid IN (SELECT rel FROM t)
  AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
ORDER BY 1, 2`

// takeOffSchema drops the tables' keys and indexes and disables their user
// triggers, remembering how to put everything back.
func takeOffSchema(ctx context.Context, tx pgx.Tx, tables []string) (*bulkSchema, error) {
	rows, err := tx.Query(ctx, bulkSchemaSQL, tables)
	if err != nil {
		return nil, err
	}
	type ddl struct {
		step                    int
		drop, restore, validate string
	}
	ds, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (ddl, error) {
		var d ddl
		return d, r.Scan(&d.step, &d.drop, &d.restore, &d.validate)
	})
	if err != nil {
		return nil, err
	}
	b := &bulkSchema{}
	for _, t := range tables {
		b.drop = append(b.drop, "ALTER TABLE "+pgx.Identifier{t}.Sanitize()+" DISABLE TRIGGER USER")
		b.restore = append(b.restore, "ALTER TABLE "+pgx.Identifier{t}.Sanitize()+" ENABLE TRIGGER USER")
	}
	for _, d := range ds {
		b.drop = append(b.drop, d.drop)
		if d.validate != "" {
			b.validate = append(b.validate, d.validate)
		}
	}
	for i := len(ds) - 1; i >= 0; i-- { // indexes, then keys, then foreign keys
		b.restore = append(b.restore, ds[i].restore)
	}
	for _, sql := range b.drop {
		if _, err := tx.Exec(ctx, sql); err != nil {
			return nil, fmt.Errorf("%s: %w", sql, err)
		}
	}
	return b, nil
}

// putBack restores what takeOffSchema took off, building every key and
// index over the loaded rows.
func (b *bulkSchema) putBack(ctx context.Context, tx pgx.Tx, progress func(step string)) error {
	for _, sql := range b.restore {
		progress(sql)
		if _, err := tx.Exec(ctx, sql); err != nil {
			return fmt.Errorf("%s: %w", sql, err)
		}
	}
	return nil
}

// validateAndAnalyze checks the loaded rows against every foreign key and
// gathers the tables' statistics, on several connections at once (each
// statement takes locks that let the others run).
func (b *bulkSchema) validateAndAnalyze(ctx context.Context, pool *pgxpool.Pool, tables []string, progress func(step string)) error {
	work := append([]string(nil), b.validate...)
	for _, t := range tables {
		work = append(work, "ANALYZE "+pgx.Identifier{t}.Sanitize())
	}
	g, ctx := errgroup.WithContext(ctx)
	g.SetLimit(max(2, runtime.GOMAXPROCS(0)))
	var mu sync.Mutex
	for _, sql := range work {
		g.Go(func() error {
			mu.Lock()
			progress(sql)
			mu.Unlock()
			if _, err := pool.Exec(ctx, "SET work_mem = '256MB'; "+sql); err != nil {
				return fmt.Errorf("%s: %w", sql, err)
			}
			return nil
		})
	}
	return g.Wait()
}
