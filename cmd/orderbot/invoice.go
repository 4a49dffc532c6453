package main

import (
	"context"
	"flag"
	"fmt"
	"io"

	"github.com/orderbot/orderbot/bot"
	"github.com/orderbot/orderbot/bot/pdfdoc"
	"github.com/orderbot/orderbot/core"
)

// cmdInvoice writes one invoice as PDF: orderbot invoice NUMBER -o FILE.pdf
// ("-o -" writes to standard output). NUMBER is an invoice number
// (INV-2026-000001) or an order number (2026-000123: the order's latest
// invoice that is not void).
func cmdInvoice(ctx context.Context, cfg Config, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("invoice", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	out := fs.String("o", "", "")
	var number string
	if len(args) > 0 && args[0] != "" && args[0][0] != '-' {
		number, args = args[0], args[1:]
	}
	if err := fs.Parse(args); err != nil || *out == "" || (number == "" && fs.NArg() != 1) || (number != "" && fs.NArg() != 0) {
		return usageError{"want: orderbot invoice NUMBER -o FILE.pdf"}
	}
	if number == "" {
		number = fs.Arg(0)
	}
	db, err := openDB(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	d := deps(cfg, db)
	orders := core.NewOrders(d)
	svc := bot.Services{Orders: orders, Customers: core.NewCustomers(d)}
	inv, pdf, err := bot.InvoiceFile(ctx, svc, pdfSeller(cfg), cfg.Pricing, cfg.Currency, cfg.Lang, number)
	if err != nil {
		if msg := core.SafeMessage(err); msg != "" {
			return fmt.Errorf("invoice %s: %s", number, msg)
		}
		return err
	}
	if err := writeOutput(*out, pdf, stdout); err != nil || *out == "-" {
		return err
	}
	fmt.Fprintf(stdout, "wrote %s: invoice %s of order %s (%d bytes)\n", *out, inv.Number, inv.OrderNumber, len(pdf))
	return nil
}

// pdfSeller is the seller's details as documents print them.
func pdfSeller(cfg Config) pdfdoc.Seller {
	s := cfg.Seller
	return pdfdoc.Seller{Name: s.Name, Address: s.Address, TaxID: s.TaxID, Bank: s.Bank, BankAccount: s.BankAccount,
		BankCode: s.BankCode, Signatory: s.Signatory, Phone: s.Phone, Email: s.Email}
}
