package main

import (
	"context"
	"fmt"
	"io"
	"sort"
	"strconv"

	"github.com/orderbot/orderbot/core"
)

// cmdPrices imports a price list file (list,sku,price[,min_qty]), all or
// nothing, or puts a customer on a list (customer id, list name; "-" for
// catalog prices).
func cmdPrices(ctx context.Context, cfg Config, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	usage := usageError{"want: orderbot prices import FILE.csv (or - for standard input), or orderbot prices assign CUSTOMER_ID LIST (- for catalog prices)"}
	switch {
	case len(args) == 2 && args[0] == "import":
		return importPrices(ctx, cfg, args[1], stdin, stdout, stderr)
	case len(args) == 3 && args[0] == "assign":
		id, err := strconv.ParseInt(args[1], 10, 64)
		if err != nil || id <= 0 {
			return usage
		}
		db, err := openDB(ctx, cfg)
		if err != nil {
			return err
		}
		defer db.Close()
		c, err := core.NewCustomers(deps(cfg, db)).SetPriceList(ctx, cliActor, id, args[2])
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "customer %d (%s) buys at: %s\n", c.ID, c.Name, orCatalog(c.PriceList))
		return nil
	}
	return usage
}

func orCatalog(list string) string {
	if list == "" {
		return "catalog prices"
	}
	return list
}

func importPrices(ctx context.Context, cfg Config, name string, stdin io.Reader, stdout, stderr io.Writer) error {
	in, name, done, err := openInput(name, stdin)
	if err != nil {
		return err
	}
	defer done()
	rows, err := core.ParsePriceList(in, cfg.Currency)
	if err != nil {
		return reportCatalogErrors(err, name, stderr)
	}
	db, err := openDB(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	res, err := core.NewCatalog(deps(cfg, db)).ImportPrices(ctx, cliActor, rows, false)
	if err != nil {
		return reportCatalogErrors(err, name, stderr)
	}
	names := make([]string, 0, len(res.Lists))
	for n := range res.Lists {
		names = append(names, n)
	}
	sort.Strings(names)
	fmt.Fprintf(stdout, "imported %d price(s) in %d list(s)\n", res.Rows, len(res.Lists))
	for _, n := range names {
		fmt.Fprintf(stdout, "  %s: %d\n", n, res.Lists[n])
	}
	return nil
}
