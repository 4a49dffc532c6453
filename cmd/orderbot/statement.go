package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/orderbot/orderbot/bot"
	"github.com/orderbot/orderbot/core"
)

// cmdStatement writes a customer's statement of account as PDF:
// orderbot statement CUSTOMER_ID [--from D] [--to D] -o FILE.pdf ("-o -"
// writes to standard output). Without --from it starts at the customer's
// first document; without --to it ends today.
func cmdStatement(ctx context.Context, cfg Config, args []string, stdout io.Writer) error {
	bad := usageError{"want: orderbot statement CUSTOMER_ID [--from 2026-03-01] [--to 2026-03-31] -o FILE.pdf"}
	if len(args) == 0 || args[0] == "" || args[0][0] == '-' {
		return bad
	}
	id, err := strconv.ParseInt(args[0], 10, 64)
	if err != nil || id <= 0 {
		return usageError{fmt.Sprintf("customer id %q: want a number such as 42 (the id /debts and exports show)", args[0])}
	}
	fs := flag.NewFlagSet("statement", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fromS, toS, out := fs.String("from", "", ""), fs.String("to", "", ""), fs.String("o", "", "")
	if err := fs.Parse(args[1:]); err != nil || fs.NArg() > 0 || *out == "" {
		return bad
	}
	var from, to time.Time
	for _, d := range []struct {
		flag, v string
		into    *time.Time
	}{{"--from", *fromS, &from}, {"--to", *toS, &to}} {
		if d.v == "" {
			continue
		}
		if *d.into, err = time.Parse(time.DateOnly, d.v); err != nil {
			return usageError{fmt.Sprintf("%s %q: want a date such as 2026-03-01", d.flag, d.v)}
		}
	}
	db, err := openDB(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	d := deps(cfg, db)
	svc := bot.Services{Orders: core.NewOrders(d), Customers: core.NewCustomers(d)}
	st, pdf, err := bot.StatementFile(ctx, svc, pdfSeller(cfg), cfg.Currency, cfg.Lang, id, from, to)
	if err != nil {
		if msg := core.SafeMessage(err); msg != "" {
			return fmt.Errorf("statement of customer %d: %s", id, msg)
		}
		return err
	}
	if err := writeOutput(*out, pdf, stdout); err != nil || *out == "-" {
		return err
	}
	fmt.Fprintf(stdout, "wrote %s: statement of %s from %s to %s, %d document(s), closing balance %s (%d bytes)\n",
		*out, st.Customer.Name, st.From.Format(time.DateOnly), st.To.Format(time.DateOnly), len(st.Entries),
		cfg.Currency.Format(st.Closing), len(pdf))
	return nil
}
