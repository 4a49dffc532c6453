package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/orderbot/orderbot/core"
	"github.com/orderbot/orderbot/storage/postgres"
)

func openDB(ctx context.Context, cfg Config) (*postgres.DB, error) {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	db, err := postgres.Open(ctx, cfg.DatabaseURL)
	if err != nil {
		return nil, fmt.Errorf("%w\n(is Postgres running? DATABASE_URL is %s)", err, redactURL(cfg.DatabaseURL))
	}
	return db, nil
}

func cmdMigrate(ctx context.Context, cfg Config, stdout io.Writer) error {
	db, err := openDB(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	vs, err := db.Applied(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "database is up to date: %d migration(s) applied, latest %d\n", len(vs), vs[len(vs)-1])
	return nil
}

// cmdCatalog imports a catalog file, or standard input for "-" (a
// container without a shell gets the file from the host that way).
func cmdCatalog(ctx context.Context, cfg Config, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) != 2 || args[0] != "import" {
		return usageError{"want: orderbot catalog import FILE.csv (or - for standard input)"}
	}
	in, name, done, err := openInput(args[1], stdin)
	if err != nil {
		return err
	}
	defer done()
	rows, err := core.ParseCatalog(in, cfg.Currency)
	if err != nil {
		return reportCatalogErrors(err, name, stderr)
	}
	db, err := openDB(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	res, err := core.NewCatalog(deps(cfg, db)).Import(ctx, cliActor, rows, false)
	if err != nil {
		return reportCatalogErrors(err, name, stderr)
	}
	fmt.Fprintf(stdout, "imported %d product(s): %d new, %d changed, %d unchanged\n",
		len(res.Rows), res.New, res.Changed, res.Unchanged)
	return nil
}

// openInput opens the file a command reads, or standard input for "-";
// name is what reports call it; done closes it.
func openInput(path string, stdin io.Reader) (in io.Reader, name string, done func(), err error) {
	if path == "-" {
		return stdin, "stdin", func() {}, nil
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, path, nil, err
	}
	return f, path, func() { f.Close() }, nil
}

// writeOutput writes a document to path, or to standard output for "-".
func writeOutput(path string, data []byte, stdout io.Writer) error {
	if path == "-" {
		_, err := stdout.Write(data)
		return err
	}
	return os.WriteFile(path, data, 0o644)
}

func reportCatalogErrors(err error, file string, stderr io.Writer) error {
	var fe *core.CatalogFileError
	if !errors.As(err, &fe) {
		return err
	}
	for _, r := range fe.Rows {
		fmt.Fprintf(stderr, "%s:%d: %s\n", file, r.Line, r.Reason)
	}
	return fmt.Errorf("%d bad line(s) in %s; nothing was changed", len(fe.Rows), file)
}

// stockJSON is the shape of `orderbot stock --json` rows: on_hand =
// reserved + held + free, counted as the bot's /stock counts them.
type stockJSON struct {
	SKU      string `json:"sku"`
	Name     string `json:"name"`
	Unit     string `json:"unit"`
	Price    string `json:"price"`
	OnHand   int64  `json:"on_hand"`
	Reserved int64  `json:"reserved"`
	Held     int64  `json:"held"`
	Free     int64  `json:"free"`
}

func cmdStock(ctx context.Context, cfg Config, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("stock", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	asJSON := fs.Bool("json", false, "")
	if err := fs.Parse(args); err != nil || fs.NArg() > 0 {
		return usageError{"want: orderbot stock [--json]"}
	}
	db, err := openDB(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	d := deps(cfg, db)
	holds, closeHolds := openHolds(ctx, cfg, stderr)
	defer closeHolds()
	d.Holds = holds
	levels, err := core.NewCatalog(d).Stock(ctx, core.StockFilter{Exact: true})
	if err != nil {
		return err
	}
	holds.report(stderr)
	rows := make([]stockJSON, len(levels))
	for i, l := range levels {
		rows[i] = stockJSON{SKU: l.SKU, Name: l.Name, Unit: l.Unit, Price: cfg.Currency.Format(l.Price),
			OnHand: l.OnHand, Reserved: l.Reserved, Held: l.Held, Free: l.Free}
	}
	if *asJSON {
		return writeJSON(stdout, rows)
	}
	tw := tabwriter.NewWriter(stdout, 2, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "SKU\tNAME\tUNIT\tPRICE\tON HAND\tRESERVED\tHELD\tFREE\t")
	for _, r := range rows {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%d\t%d\t%d\t%d\t\n", r.SKU, r.Name, r.Unit, r.Price, r.OnHand, r.Reserved, r.Held, r.Free)
	}
	return tw.Flush()
}

// orderJSON is the shape of `orderbot orders --json` rows. Money is a decimal
// string in the shop's currency; shipped is the value shipped and kept.
type orderJSON struct {
	Number     string    `json:"number"`
	Status     string    `json:"status"`
	Customer   string    `json:"customer"`
	Total      string    `json:"total"`
	Shipped    string    `json:"shipped"`
	Paid       string    `json:"paid"`
	CreatedAt  time.Time `json:"created_at"`
	Fulfilment string    `json:"fulfilment"`
	Payment    string    `json:"payment"`
	Currency   string    `json:"currency"`
}

func cmdOrders(ctx context.Context, cfg Config, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("orders", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	asJSON := fs.Bool("json", false, "")
	status := fs.String("status", "", "")
	if err := fs.Parse(args); err != nil || fs.NArg() > 0 {
		return usageError{"want: orderbot orders [--json] [--status S]"}
	}
	f := core.OrderFilter{Limit: 100000}
	if *status != "" {
		st, err := core.ParseStatus(*status)
		if err != nil {
			return usageError{core.SafeMessage(err)}
		}
		f.Statuses = []core.Status{st}
	}
	db, err := openDB(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	orders, err := db.Orders(ctx, f)
	if err != nil {
		return err
	}
	rows := make([]orderJSON, len(orders))
	for i, o := range orders {
		rows[i] = orderJSON{Number: o.Number, Status: string(o.Status), Customer: o.CustomerName,
			Total: cfg.Currency.Format(o.Total()), Shipped: cfg.Currency.Format(o.ShippedValue()),
			Paid: cfg.Currency.Format(o.Paid), CreatedAt: o.CreatedAt.UTC(), Fulfilment: string(o.Fulfilment),
			Payment: string(o.Payment), Currency: o.Currency}
	}
	if *asJSON {
		return writeJSON(stdout, rows)
	}
	tw := tabwriter.NewWriter(stdout, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "NUMBER\tSTATUS\tCUSTOMER\tTOTAL\tSHIPPED\tPAID\tCREATED")
	for _, r := range rows {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", r.Number, strings.ReplaceAll(r.Status, "_", " "), r.Customer,
			r.Total, r.Shipped, r.Paid, r.CreatedAt.Format(time.DateTime))
	}
	return tw.Flush()
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// redactURL hides a password in a connection URL for messages.
func redactURL(s string) string {
	if i := strings.Index(s, "://"); i >= 0 {
		if j := strings.Index(s[i+3:], "@"); j >= 0 {
			cred := s[i+3 : i+3+j]
			if k := strings.Index(cred, ":"); k >= 0 {
				return s[:i+3] + cred[:k] + ":***" + s[i+3+j:]
			}
		}
	}
	return s
}
