package core

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"
)

// PriceRow is one good row of a price list file: the price of a product
// (by SKU) on a named list from MinQty units up.
type PriceRow struct {
	Line   int
	List   string
	SKU    string
	Price  Money
	MinQty int64
}

// MaxListNameLen bounds a price list's name.
const MaxListNameLen = 64

// IsPriceListFile tells a price list file (header list,sku,price[,min_qty])
// from a catalog file by its first header name.
func IsPriceListFile(data []byte) bool {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	first, _, _ := bytes.Cut(data, []byte("\n"))
	name, _, _ := bytes.Cut(first, []byte{byte(sniffComma(data))})
	return strings.EqualFold(strings.Trim(strings.TrimSpace(string(name)), `"`), "list")
}

// ParsePriceList reads a price list file with the header
// list,sku,price[,min_qty] (min_qty: a quantity break, "from 10 pcs";
// empty or missing is 1). Like ParseCatalog, every line is checked and any
// bad line fails the whole file with all of them listed; SKUs are checked
// against the catalog when the file is imported.
func ParsePriceList(r io.Reader, cur Currency) ([]PriceRow, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxCatalogBytes+1))
	if err != nil {
		return nil, fmt.Errorf("read price list: %w", err)
	}
	fail := func(line int, reason string) error {
		return &CatalogFileError{Rows: []RowError{{Line: line, Reason: reason}}}
	}
	if len(data) > MaxCatalogBytes {
		return nil, fail(0, fmt.Sprintf("the file is larger than %d MB", MaxCatalogBytes>>20))
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if !utf8.Valid(data) {
		return nil, fail(0, "the file is not UTF-8 text; save it as CSV UTF-8")
	}
	cr := csv.NewReader(bytes.NewReader(data))
	cr.Comma = sniffComma(data)
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if err != nil {
		return nil, fail(1, "no header; the first line must be list,sku,price[,min_qty]")
	}
	if err := checkPriceHeader(header); err != nil {
		return nil, fail(1, err.Error())
	}
	return readPriceRows(cr, cur, len(header))
}

func checkPriceHeader(h []string) error {
	want := []string{"list", "sku", "price", "min_qty"}
	if len(h) != 3 && len(h) != 4 {
		return errors.New("header must be list,sku,price or list,sku,price,min_qty")
	}
	for i, name := range h {
		if strings.ToLower(strings.TrimSpace(name)) != want[i] {
			return fmt.Errorf("header column %d is %q, want %q (header list,sku,price[,min_qty])", i+1, name, want[i])
		}
	}
	return nil
}

func readPriceRows(cr *csv.Reader, cur Currency, width int) ([]PriceRow, error) {
	seen := map[string]int{}
	return readCSVRows(cr, "prices", func(rec []string, line int) (PriceRow, string) {
		return parsePriceRow(rec, line, cur, width, seen)
	})
}

func parsePriceRow(rec []string, line int, cur Currency, width int, seen map[string]int) (PriceRow, string) {
	if len(rec) > width {
		return PriceRow{}, fmt.Sprintf("%d fields, want %d (a price with a decimal comma must be in quotes: \"12,50\")", len(rec), width)
	}
	if len(rec) < 3 {
		return PriceRow{}, fmt.Sprintf("%d fields, want %d", len(rec), width)
	}
	row := PriceRow{Line: line, List: strings.TrimSpace(rec[0]), SKU: strings.TrimSpace(rec[1]), MinQty: 1}
	for _, f := range []struct{ name, v string }{{"list", row.List}, {"sku", row.SKU}} {
		if err := CheckText(f.name, f.v, MaxListNameLen); err != nil {
			return PriceRow{}, SafeMessage(err)
		}
		if f.v == "" {
			return PriceRow{}, f.name + " is empty"
		}
	}
	price, err := cur.Parse(rec[2])
	if err != nil {
		if strings.HasPrefix(strings.TrimSpace(rec[2]), "-") {
			return PriceRow{}, fmt.Sprintf("price %q is negative", rec[2])
		}
		return PriceRow{}, "price: " + SafeMessage(err)
	}
	row.Price = price
	if len(rec) == 4 && strings.TrimSpace(rec[3]) != "" {
		q, err := strconv.ParseInt(strings.TrimSpace(rec[3]), 10, 64)
		if err != nil || q < 1 || q > MaxQty {
			return PriceRow{}, fmt.Sprintf("min_qty %q: want a whole number from 1 to %d", rec[3], MaxQty)
		}
		row.MinQty = q
	}
	key := fmt.Sprintf("%s\x00%s\x00%d", strings.ToLower(row.List), strings.ToLower(row.SKU), row.MinQty)
	if first, dup := seen[key]; dup {
		return PriceRow{}, fmt.Sprintf("list %q, sku %q from %d already on line %d", row.List, row.SKU, row.MinQty, first)
	}
	seen[key] = line
	return row, ""
}
