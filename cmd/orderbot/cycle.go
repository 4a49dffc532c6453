package main

import (
	"context"
	"encoding/csv"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/orderbot/orderbot/bot/export"
	"github.com/orderbot/orderbot/core"
)

// The order cycle on the command line: exports for the accountant, goods
// received (allocated to the orders awaiting them), and how a product is
// supplied beyond stock.

// cmdExport writes an export to a file (or standard output), streaming, with
// progress on standard error.
func cmdExport(ctx context.Context, cfg Config, args []string, stdout, stderr io.Writer) error {
	bad := usageError{"want: orderbot export orders|lines|invoices|payments|debts [--from D] [--to D] [--format csv|xlsx] [-o FILE]"}
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		return bad
	}
	kind, err := core.ParseExportKind(args[0])
	if err != nil {
		return usageError{core.SafeMessage(err)}
	}
	fs := flag.NewFlagSet("export", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	from, to := fs.String("from", "", ""), fs.String("to", "", "")
	format, out := fs.String("format", "", ""), fs.String("o", "", "")
	if err := fs.Parse(args[1:]); err != nil || fs.NArg() > 0 {
		return bad
	}
	f, err := exportFilter(*from, *to)
	if err != nil {
		return err
	}
	ff, err := exportFormat(*format, *out)
	if err != nil {
		return err
	}
	db, err := openDB(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	ex := core.NewExports(deps(cfg, db), db)
	total, err := ex.Count(ctx, cliActor, kind, f)
	if err != nil {
		return err
	}
	w, done, err := exportOutput(*out, stdout)
	if err != nil {
		return err
	}
	start := time.Now()
	p := newProgress(stderr, string(kind), total)
	n, err := export.Write(ctx, ex, cliActor, kind, f, ff, w, p.report)
	if err = done(err); err != nil {
		return err
	}
	p.end()
	fmt.Fprintf(stderr, "exported %d %s row(s) in %s", n, kind, time.Since(start).Round(time.Millisecond))
	if *out != "" {
		fmt.Fprintf(stderr, " to %s", *out)
	}
	fmt.Fprintln(stderr)
	return nil
}

func exportFilter(from, to string) (core.ExportFilter, error) {
	var f core.ExportFilter
	for _, d := range []struct {
		flag, v string
		into    **time.Time
	}{{"--from", from, &f.From}, {"--to", to, &f.To}} {
		if d.v == "" {
			continue
		}
		t, err := time.Parse(time.DateOnly, d.v)
		if err != nil {
			return f, usageError{fmt.Sprintf("%s %q: want a date such as 2026-03-01", d.flag, d.v)}
		}
		*d.into = &t
	}
	if err := f.Check(); err != nil {
		return f, usageError{core.SafeMessage(err)}
	}
	return f, nil
}

// exportFormat is --format, else the output file's extension, else CSV.
func exportFormat(format, out string) (export.Format, error) {
	if format == "" {
		format = strings.TrimPrefix(filepath.Ext(out), ".")
		if format != "xlsx" {
			format = "csv"
		}
	}
	ff, err := export.ParseFormat(format)
	if err != nil {
		return "", usageError{core.SafeMessage(err)}
	}
	return ff, nil
}

// exportOutput opens the file (written to a temporary name and renamed when
// complete, so a failed export leaves no half file) or standard output.
func exportOutput(name string, stdout io.Writer) (io.Writer, func(error) error, error) {
	if name == "" || name == "-" {
		return stdout, func(err error) error { return err }, nil
	}
	tmp, err := os.CreateTemp(filepath.Dir(name), "."+filepath.Base(name)+".*")
	if err != nil {
		return nil, nil, err
	}
	return tmp, func(err error) error {
		if cerr := tmp.Close(); err == nil {
			err = cerr
		}
		if err == nil {
			err = os.Chmod(tmp.Name(), 0o644) // as a file written directly would be
		}
		if err == nil {
			err = os.Rename(tmp.Name(), name)
		}
		if err != nil {
			os.Remove(tmp.Name()) //nolint:errcheck
		}
		return err
	}, nil
}

// progress reports rows written on standard error: one line rewritten in
// place on a terminal, a line every tenth otherwise.
type progress struct {
	w         io.Writer
	what      string
	total     int64
	tty       bool
	lastTenth int64
}

func newProgress(w io.Writer, what string, total int64) *progress {
	p := &progress{w: w, what: what, total: total}
	if f, ok := w.(*os.File); ok {
		if st, err := f.Stat(); err == nil && st.Mode()&os.ModeCharDevice != 0 {
			p.tty = true
		}
	}
	return p
}

func (p *progress) report(done int64) {
	pct := int64(100)
	if p.total > 0 {
		pct = min(done*100/p.total, 100)
	}
	if p.tty {
		fmt.Fprintf(p.w, "\rexporting %s: %d of %d rows (%d%%)", p.what, done, p.total, pct)
		return
	}
	if tenth := pct / 10; tenth > p.lastTenth || done == 0 {
		p.lastTenth = tenth
		fmt.Fprintf(p.w, "exporting %s: %d of %d rows (%d%%)\n", p.what, done, p.total, pct)
	}
}

func (p *progress) end() {
	if p.tty {
		fmt.Fprintln(p.w)
	}
}

// cmdReceive records goods received, by SKU and quantity or from a CSV file
// with the header sku,qty[,note]; each receipt goes to the orders awaiting
// the product, oldest first, and says which.
func cmdReceive(ctx context.Context, cfg Config, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	bad := usageError{"want: orderbot receive SKU QTY [NOTE], or orderbot receive FILE.csv (header sku,qty[,note]; - reads standard input)"}
	var rows []receiptRow
	switch len(args) {
	case 1:
		var err error
		if rows, err = readReceipts(args[0], stdin); err != nil {
			return err
		}
	case 2, 3:
		qty, err := strconv.ParseInt(args[1], 10, 64)
		if err != nil {
			return bad
		}
		rows = []receiptRow{{line: 0, sku: args[0], qty: qty}}
		if len(args) == 3 {
			rows[0].note = args[2]
		}
	default:
		return bad
	}
	db, err := openDB(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	cat := core.NewCatalog(deps(cfg, db))
	for _, r := range rows {
		p, err := cat.ProductBySKU(ctx, r.sku)
		if err != nil {
			return fmt.Errorf("line %d: %s: %w", r.line, r.sku, err)
		}
		rc, err := cat.ReceiveGoods(ctx, cliActor, p.ID, r.qty, r.note)
		if err != nil {
			return fmt.Errorf("%s: %w", r.sku, err)
		}
		fmt.Fprintf(stdout, "%s: received %d; on hand %d, reserved %d\n", p.SKU, r.qty, rc.Stock.OnHand, rc.Stock.Reserved)
		for _, a := range rc.Arrivals {
			fmt.Fprintf(stdout, "  order %s: %d reserved, %d still awaited\n", a.Order, a.Qty, a.Left)
		}
	}
	return nil
}

type receiptRow struct {
	line int
	sku  string
	qty  int64
	note string
}

// readReceipts reads a receipt file, checking every line first.
func readReceipts(name string, stdin io.Reader) ([]receiptRow, error) {
	in, _, done, err := openInput(name, stdin)
	if err != nil {
		return nil, err
	}
	defer done()
	cr := csv.NewReader(in)
	cr.FieldsPerRecord = -1
	recs, err := cr.ReadAll()
	if err != nil {
		return nil, fmt.Errorf("%s: not valid CSV: %w", name, err)
	}
	if len(recs) == 0 || len(recs[0]) < 2 || strings.ToLower(strings.TrimSpace(strings.TrimPrefix(recs[0][0], "\ufeff"))) != "sku" ||
		strings.ToLower(strings.TrimSpace(recs[0][1])) != "qty" {
		return nil, fmt.Errorf("%s: the first line must be sku,qty[,note]", name)
	}
	var rows []receiptRow
	var errs []error
	for i, rec := range recs[1:] {
		if len(rec) < 2 || len(rec) > 3 {
			errs = append(errs, fmt.Errorf("%s:%d: want sku,qty[,note]", name, i+2))
			continue
		}
		q, err := strconv.ParseInt(strings.TrimSpace(rec[1]), 10, 64)
		if err != nil || q <= 0 || q > core.MaxQty {
			errs = append(errs, fmt.Errorf("%s:%d: quantity %q: want a whole number from 1 to %d", name, i+2, rec[1], core.MaxQty))
			continue
		}
		r := receiptRow{line: i + 2, sku: strings.TrimSpace(rec[0]), qty: q}
		if len(rec) == 3 {
			r.note = rec[2]
		}
		rows = append(rows, r)
	}
	if len(errs) > 0 {
		return nil, fmt.Errorf("%d bad line(s); nothing was received:\n%w", len(errs), errors.Join(errs...))
	}
	return rows, nil
}

// cmdProduct sets how a product is supplied beyond stock.
func cmdProduct(ctx context.Context, cfg Config, args []string, stdout io.Writer) error {
	bad := usageError{"want: orderbot product SKU --supply stock|to_order|backorder [--lead-days N]"}
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		return bad
	}
	fs := flag.NewFlagSet("product", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	supply, lead := fs.String("supply", "", ""), fs.Int("lead-days", 0, "")
	if err := fs.Parse(args[1:]); err != nil || fs.NArg() > 0 || *supply == "" {
		return bad
	}
	sp, err := core.ParseSupply(*supply)
	if err != nil {
		return usageError{core.SafeMessage(err)}
	}
	db, err := openDB(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	cat := core.NewCatalog(deps(cfg, db))
	p, err := cat.ProductBySKU(ctx, args[0])
	if err != nil {
		return fmt.Errorf("%s: %w", args[0], err)
	}
	if p, err = cat.SetSupply(ctx, cliActor, p.ID, sp, *lead); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s: supply %s, lead time %d day(s)\n", p.SKU, p.Supply, p.LeadDays)
	return nil
}
