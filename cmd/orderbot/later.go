package main

import (
	"context"
	"errors"
	"io"
)

func cmdInvoice(ctx context.Context, cfg Config, args []string, stdout io.Writer) error {
	return errors.New("invoice: not built yet")
}

func cmdSandbox(ctx context.Context, cfg Config, stdout, stderr io.Writer) error {
	return errors.New("sandbox: not built yet")
}
