package core

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"
)

// CatalogRow is one good row of a catalog file.
type CatalogRow struct {
	Line    int
	Product Product
	Stock   int64
	// HasVAT: the file has a vat column; the row's rate is Product.VATRate
	// (nil for an empty cell: the shop's rate). Without the column an
	// import keeps the rates products have.
	HasVAT bool
}

// catalogLayout says which optional columns a catalog file has.
type catalogLayout struct {
	unit, vat int // column index, or -1
	width     int
}

// RowError says what is wrong with one line of a catalog file.
type RowError struct {
	Line   int
	Reason string
}

func (e RowError) String() string { return fmt.Sprintf("line %d: %s", e.Line, e.Reason) }

// CatalogFileError lists every bad line of a catalog file. Nothing of the
// file is applied when it is returned.
type CatalogFileError struct {
	Rows []RowError
}

func (e *CatalogFileError) Error() string {
	parts := make([]string, len(e.Rows))
	for i, r := range e.Rows {
		parts[i] = r.String()
	}
	return fmt.Sprintf("catalog file has %d bad line(s):\n%s", len(e.Rows), strings.Join(parts, "\n"))
}

// Unwrap makes errors.Is(err, ErrInvalid) true.
func (e *CatalogFileError) Unwrap() error { return ErrInvalid }

// Limits of a catalog file.
const (
	MaxCatalogRows  = 100_000
	MaxCatalogBytes = 20 << 20
)

// ParseCatalog reads a catalog file with the header sku,name,price,stock[,unit][,vat]
// (vat: the product's own VAT rate in percent; empty for the shop's).
// A ';' after the first header name switches the separator (spreadsheets
// in comma-decimal locales write that). Every line is checked; when any is bad,
// the error lists all of them with their line numbers and no row is returned.
func ParseCatalog(r io.Reader, cur Currency) ([]CatalogRow, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxCatalogBytes+1))
	if err != nil {
		return nil, fmt.Errorf("read catalog: %w", err)
	}
	if len(data) > MaxCatalogBytes {
		return nil, &CatalogFileError{Rows: []RowError{{Line: 0, Reason: fmt.Sprintf("the file is larger than %d MB", MaxCatalogBytes>>20)}}}
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if !utf8.Valid(data) {
		return nil, &CatalogFileError{Rows: []RowError{{Line: 0, Reason: "the file is not UTF-8 text; save it as CSV UTF-8"}}}
	}
	cr := csv.NewReader(bytes.NewReader(data))
	cr.Comma = sniffComma(data)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	header, err := cr.Read()
	if err != nil {
		return nil, &CatalogFileError{Rows: []RowError{{Line: 1, Reason: "no header; the first line must be sku,name,price,stock[,unit][,vat]"}}}
	}
	layout, herr := checkHeader(header)
	if herr != nil {
		return nil, &CatalogFileError{Rows: []RowError{{Line: 1, Reason: herr.Error()}}}
	}
	return readRows(cr, cur, layout)
}

func sniffComma(data []byte) rune {
	first, _, _ := bufio.NewReader(bytes.NewReader(data)).ReadLine()
	if i := bytes.IndexAny(first, ",;"); i >= 0 && first[i] == ';' {
		return ';'
	}
	return ','
}

func checkHeader(h []string) (catalogLayout, error) {
	l := catalogLayout{unit: -1, vat: -1, width: len(h)}
	if len(h) < 4 || len(h) > 6 {
		return l, errors.New("header must be sku,name,price,stock with unit and vat columns after them if you have them")
	}
	for i, name := range h {
		name = strings.ToLower(strings.TrimSpace(name))
		switch {
		case i < 4 && name != []string{"sku", "name", "price", "stock"}[i]:
			return l, fmt.Errorf("header column %d is %q, want %q (header sku,name,price,stock[,unit][,vat])", i+1, h[i], []string{"sku", "name", "price", "stock"}[i])
		case i == 4 && name == "unit":
			l.unit = i
		case i >= 4 && name == "vat" && l.vat < 0:
			l.vat = i
		case i >= 4:
			return l, fmt.Errorf("header column %d is %q, want unit or vat (header sku,name,price,stock[,unit][,vat])", i+1, h[i])
		}
	}
	return l, nil
}

func readRows(cr *csv.Reader, cur Currency, layout catalogLayout) ([]CatalogRow, error) {
	seen := map[string]int{}
	return readCSVRows(cr, "products", func(rec []string, line int) (CatalogRow, string) {
		return parseRow(rec, line, cur, layout, seen)
	})
}

// readCSVRows reads the rows after a header, parsing each with parse (a
// reason when the row is bad). Every bad row is reported with its line
// number, and nothing is returned then; a file without rows (of what) is
// refused too.
func readCSVRows[R any](cr *csv.Reader, what string, parse func(rec []string, line int) (R, string)) ([]R, error) {
	var rows []R
	var bad []RowError
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			line := 0
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				line = pe.StartLine
			}
			bad = append(bad, RowError{Line: line, Reason: "not valid CSV: " + csvReason(err)})
			if pe == nil || pe.Err == csv.ErrQuote || pe.Err == csv.ErrBareQuote {
				break // the rest of the file cannot be read reliably
			}
			continue
		}
		line, _ := cr.FieldPos(0)
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue
		}
		row, reason := parse(rec, line)
		if reason != "" {
			bad = append(bad, RowError{Line: line, Reason: reason})
			continue
		}
		rows = append(rows, row)
		if len(rows)+len(bad) > MaxCatalogRows {
			bad = append(bad, RowError{Line: line, Reason: fmt.Sprintf("more than %d rows", MaxCatalogRows)})
			break
		}
	}
	if len(bad) > 0 {
		return nil, &CatalogFileError{Rows: bad}
	}
	if len(rows) == 0 {
		return nil, &CatalogFileError{Rows: []RowError{{Line: 2, Reason: "no " + what + " after the header"}}}
	}
	return rows, nil
}

func csvReason(err error) string {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

func parseRow(rec []string, line int, cur Currency, layout catalogLayout, seen map[string]int) (CatalogRow, string) {
	want := layout.width
	if len(rec) > want {
		return CatalogRow{}, fmt.Sprintf("%d fields, want %d (a price with a decimal comma must be in quotes: \"12,50\")", len(rec), want)
	}
	if len(rec) < want {
		return CatalogRow{}, fmt.Sprintf("%d fields, want %d", len(rec), want)
	}
	p := Product{SKU: rec[0], Name: rec[1], Active: true}
	if layout.unit >= 0 {
		p.Unit = rec[layout.unit]
	}
	if layout.vat >= 0 && strings.TrimSpace(rec[layout.vat]) != "" {
		rate, err := ParseTaxRate(rec[layout.vat])
		if err != nil {
			return CatalogRow{}, "vat: " + SafeMessage(err)
		}
		p.VATRate = &rate
	}
	price, err := cur.Parse(rec[2])
	if err != nil {
		return CatalogRow{}, "price: " + SafeMessage(err)
	}
	p.Price = price
	if err := p.Validate(); err != nil {
		return CatalogRow{}, SafeMessage(err)
	}
	stock, err := strconv.ParseInt(strings.TrimSpace(rec[3]), 10, 64)
	if err != nil || stock < 0 || stock > MaxQty*100 {
		return CatalogRow{}, fmt.Sprintf("stock %q: want a whole number from 0 to %d", rec[3], MaxQty*100)
	}
	key := strings.ToLower(p.SKU)
	if first, dup := seen[key]; dup {
		return CatalogRow{}, fmt.Sprintf("sku %q already on line %d", p.SKU, first)
	}
	seen[key] = line
	return CatalogRow{Line: line, Product: p, Stock: stock, HasVAT: layout.vat >= 0}, ""
}
