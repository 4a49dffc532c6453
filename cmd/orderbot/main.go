// Command orderbot runs a seller's order management inside Telegram.
//
// Usage:
//
//	orderbot run                         the bot and its scheduled jobs
//	orderbot sandbox [--addr A] [--http A] the bot against a built-in Bot API with a chat page
//	orderbot migrate                     create the database if missing and apply migrations
//	orderbot catalog import FILE.csv|-   upsert products and set stock (sku,name,price,stock[,unit][,vat]); - reads stdin
//	orderbot prices import FILE.csv|-    replace price lists (list,sku,price[,min_qty]); prices assign CUSTOMER_ID LIST
//	orderbot stock [--json]              stock: on hand, reserved, held in carts, free
//	orderbot orders [--json] [--status S] orders
//	orderbot invoice NUMBER -o FILE.pdf  write an invoice as PDF
//	orderbot generate --orders N --customers M [--seed S]   fill an empty database with a history
//	orderbot jobs list                   the scheduled jobs, their schedules and last runs
//	orderbot jobs run NAME [--at TIME] [--dry-run]          run one job now and time it
//	orderbot export orders|lines|invoices|payments|debts [--from D] [--to D] [--format csv|xlsx] [-o FILE]
//	orderbot receive SKU QTY [NOTE] | FILE.csv             goods received, reserved for orders awaiting them
//	orderbot product SKU --supply stock|to_order|backorder [--lead-days N]
//
// Configuration comes from environment variables; `orderbot help` lists them.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/orderbot/orderbot/core"
)

// usageError is a mistake in the command line: it prints usage, exit code 2.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := runMain(ctx, os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(exitCode(err, os.Stderr))
}

func exitCode(err error, stderr io.Writer) int {
	var ue usageError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &ue):
		fmt.Fprintf(stderr, "orderbot: %s\n\n%s", ue.msg, usage)
		return 2
	}
	fmt.Fprintf(stderr, "orderbot: %v\n", err)
	return 1
}

const usage = `usage:
  orderbot run                          run the bot and its scheduled jobs (needs TELEGRAM_TOKEN)
  orderbot sandbox [--addr HOST:PORT] [--http HOST:PORT]
                                        run the bot against a built-in Bot API with a chat page in the browser;
                                        free ports are picked when SANDBOX_ADDR or HTTP_ADDR is taken
  orderbot migrate                      create the database if missing and apply migrations
  orderbot catalog import FILE.csv      upsert products and set stock; header sku,name,price,stock[,unit][,vat];
                                        "-" reads the file from standard input (docker compose exec -T ... < catalog.csv)
  orderbot prices import FILE.csv       replace the prices of the price lists the file names, all or nothing;
                                        header list,sku,price[,min_qty] ("-" reads standard input)
  orderbot prices assign CUSTOMER_ID LIST
                                        put a customer on a price list ("-": catalog prices)
  orderbot stock [--json]               stock per product: on hand, reserved, held in carts, free
  orderbot orders [--json] [--status S] orders, optionally of one status (new, in_progress, shipped, paid, closed, cancelled)
  orderbot invoice NUMBER -o FILE.pdf   write an invoice as PDF
  orderbot statement CUSTOMER_ID [--from D] [--to D] -o FILE.pdf
                                        write a customer's statement of account as PDF (default: all of it, to today)
  orderbot generate --orders N --customers M [--seed S] [--days D] [--products P]
                                        fill an EMPTY database with a realistic history (for tests and benchmarks)
  orderbot jobs list                    one scheduled job a line: name, schedule, last run
  orderbot jobs run NAME [--at TIME] [--dry-run]
                                        run a job for the period at TIME (default now) and time it;
                                        --dry-run prints what it would send and changes nothing
  orderbot export orders|lines|invoices|payments|debts [--from D] [--to D] [--format csv|xlsx] [-o FILE]
                                        a spreadsheet for the accountant (CSV UTF-8 or XLSX), streamed,
                                        progress on stderr; dates are business dates, both ends included
  orderbot receive SKU QTY [NOTE]       goods received: on hand rises, orders awaiting the product get them
  orderbot receive FILE.csv             the same from a file with the header sku,qty[,note] ("-": stdin)
  orderbot product SKU --supply stock|to_order|backorder [--lead-days N]
                                        how a product is sold beyond stock (to_order needs --lead-days)
  orderbot healthcheck                  ask a running orderbot's /healthz (for container health checks)
  orderbot version                      print the version
  orderbot help                         this text and the environment variables
`

// runMain dispatches a sub-command. It is main without the process: tests
// call it with their own environment, input and writers.
func runMain(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return usageError{"no command"}
	}
	cfg, err := loadConfig(getenv)
	if err != nil && args[0] != "help" {
		return fmt.Errorf("configuration:\n%w", err)
	}
	switch args[0] {
	case "help", "-h", "--help":
		printHelp(stdout)
		return nil
	case "migrate":
		return cmdMigrate(ctx, cfg, stdout)
	case "catalog":
		return cmdCatalog(ctx, cfg, args[1:], stdin, stdout, stderr)
	case "prices":
		return cmdPrices(ctx, cfg, args[1:], stdin, stdout, stderr)
	case "stock":
		return cmdStock(ctx, cfg, args[1:], stdout, stderr)
	case "orders":
		return cmdOrders(ctx, cfg, args[1:], stdout)
	case "invoice":
		return cmdInvoice(ctx, cfg, args[1:], stdout)
	case "statement":
		return cmdStatement(ctx, cfg, args[1:], stdout)
	case "generate":
		return cmdGenerate(ctx, cfg, args[1:], stdout, stderr)
	case "jobs":
		return cmdJobs(ctx, cfg, args[1:], stdout, stderr)
	case "export":
		return cmdExport(ctx, cfg, args[1:], stdout, stderr)
	case "receive":
		return cmdReceive(ctx, cfg, args[1:], stdin, stdout, stderr)
	case "product":
		return cmdProduct(ctx, cfg, args[1:], stdout)
	case "run":
		return cmdRun(ctx, cfg, stderr)
	case "sandbox":
		return cmdSandbox(ctx, cfg, args[1:], stdout, stderr)
	case "healthcheck":
		return cmdHealthcheck(ctx, cfg, stdout)
	case "version":
		fmt.Fprintln(stdout, "orderbot", version)
		return nil
	}
	return usageError{fmt.Sprintf("unknown command %q", args[0])}
}

func printHelp(w io.Writer) {
	fmt.Fprint(w, usage, "\nenvironment:\n")
	for _, v := range variables {
		def := v.def
		if def == "" {
			def = "(none)"
		}
		fmt.Fprintf(w, "  %-17s %s\n  %17s default: %s\n", v.name, v.about, "", def)
	}
}

// deps builds the core services' shared dependencies for a command-line tool
// (no cart holds: a read-out that counts them adds them, see openHolds).
func deps(cfg Config, store core.Store) core.Deps {
	return core.Deps{Store: store, Currency: cfg.Currency, Location: cfg.Location, Pricing: cfg.Pricing,
		KeepStarsOnCancel: !cfg.StarsRefundOnCancel}
}

// cliActor is who the command line acts as in order events.
var cliActor = core.Actor{Role: core.RoleSystem, Name: "command line"}

// version is set at build time (-ldflags "-X main.version=...").
var version = "dev"
