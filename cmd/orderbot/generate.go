package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/orderbot/orderbot/storage/postgres"
)

// cmdGenerate fills an empty database with a realistic history, the one the
// tests and benchmarks use, showing progress on stderr.
func cmdGenerate(ctx context.Context, cfg Config, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("generate", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	orders := fs.Int("orders", 0, "")
	customers := fs.Int("customers", 0, "")
	seed := fs.Uint64("seed", 1, "")
	days := fs.Int("days", 0, "")
	products := fs.Int("products", 0, "")
	if err := fs.Parse(args); err != nil || fs.NArg() > 0 || *orders <= 0 || *customers <= 0 || *days < 0 || *products < 0 {
		return usageError{"want: orderbot generate --orders N --customers M [--seed S] [--days D] [--products P]"}
	}
	db, err := openDB(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	bar := newProgressBar(stderr)
	res, err := db.Generate(ctx, postgres.GenerateOptions{Orders: *orders, Customers: *customers, Products: *products,
		Seed: *seed, Days: *days, Now: time.Now(), Location: cfg.Location, Currency: cfg.Currency,
		Policy: cfg.Jobs.Reminders, Opening: cfg.BusinessHours[0], Progress: bar.update})
	bar.finish()
	if err != nil {
		return err
	}
	took := time.Since(bar.start)
	fmt.Fprintf(stdout, "generated %s orders of %s customers from %s to %s in %s (%s orders/s; loading %s, keys and indexes %s)\n",
		group(int64(res.Orders)), group(int64(res.Customers)), res.From.Format(time.DateOnly), res.To.Format(time.DateOnly),
		took.Round(100*time.Millisecond), group(int64(float64(res.Orders)/took.Seconds())), res.Load.Round(100*time.Millisecond),
		res.Build.Round(100*time.Millisecond))
	fmt.Fprintf(stdout, "  %s events, %s shipments, %s invoices, %s payments, %s reminders sent\n",
		group(res.Events), group(res.Shipments), group(res.Invoices), group(res.Payments), group(res.Reminders))
	fmt.Fprintf(stdout, "  open now: %s invoices, %s orders awaiting shipment\n", group(res.OpenInvoices), group(res.AwaitingOrders))
	return nil
}

// progressBar draws generation progress on one line of a terminal, or a
// line per tenth elsewhere (logs, pipes).
type progressBar struct {
	w     io.Writer
	tty   bool
	start time.Time
	last  time.Time
	tenth int
	step  string
}

func newProgressBar(w io.Writer) *progressBar {
	tty := false
	if f, ok := w.(*os.File); ok {
		if st, err := f.Stat(); err == nil && st.Mode()&os.ModeCharDevice != 0 {
			tty = true
		}
	}
	return &progressBar{w: w, tty: tty, start: time.Now()}
}

func (b *progressBar) update(p postgres.GenerateProgress) {
	now := time.Now()
	if p.Step != "" {
		if b.step == "" {
			fmt.Fprintf(b.w, "%sbuilding keys and indexes\n", b.cr())
		}
		b.step = p.Step
		if b.tty {
			fmt.Fprintf(b.w, "\r\033[K  %s", shorten(p.Step, 100))
		}
		return
	}
	rate := float64(p.Orders) / max(now.Sub(b.start).Seconds(), 0.001)
	line := fmt.Sprintf("generating %s %3d%% %s/%s orders · %s/s · %s", bar(p.Orders, p.Total, 30),
		100*p.Orders/p.Total, group(int64(p.Orders)), group(int64(p.Total)), group(int64(rate)),
		now.Sub(b.start).Round(time.Second))
	switch {
	case b.tty && (now.Sub(b.last) > 100*time.Millisecond || p.Orders == p.Total):
		fmt.Fprintf(b.w, "\r\033[K%s", line)
		b.last = now
	case !b.tty && 10*p.Orders/p.Total > b.tenth:
		b.tenth = 10 * p.Orders / p.Total
		fmt.Fprintln(b.w, line)
	}
}

func (b *progressBar) cr() string {
	if b.tty {
		return "\n"
	}
	return ""
}

func (b *progressBar) finish() {
	if b.tty {
		fmt.Fprint(b.w, "\r\033[K")
	}
}

func bar(done, total, width int) string {
	n := width * done / max(total, 1)
	return "[" + strings.Repeat("█", n) + strings.Repeat("░", width-n) + "]"
}

func shorten(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return s
}

// group writes n with thousands separated by commas.
func group(n int64) string {
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0 && s[i-1] != '-'; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
