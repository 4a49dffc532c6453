// Package export writes the core's exports (orders, lines, invoices,
// payments, debts) as files a spreadsheet opens: CSV in UTF-8 with a header
// (and a byte-order mark, so Excel reads it as UTF-8) or XLSX
// (github.com/xuri/excelize/v2, streamed). Amounts are numbers in the shop's
// currency, dates ISO (2006-01-02) and instants ISO in the business time
// zone (2006-01-02 15:04:05). Rows are written as they stream from the
// store: memory stays flat however many there are.
//
// It is the presentation side of core.Exports, used by the bot's /export
// and by `orderbot export`; it imports core and the spreadsheet library.
package export

import (
	"archive/zip"
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/orderbot/orderbot/core"
)

// Format is a file format.
type Format string

// Formats.
const (
	CSV  Format = "csv"
	XLSX Format = "xlsx"
)

// ParseFormat accepts "csv" or "xlsx".
func ParseFormat(s string) (Format, error) {
	switch f := Format(strings.ToLower(strings.TrimSpace(s))); f {
	case CSV, XLSX:
		return f, nil
	}
	return "", core.Errorf(core.ErrInvalid, "format %q: want csv or xlsx", s)
}

// FileName is the file's name for an export of kind over the filter's
// period: orders_2026-01-01_2026-01-31.csv.
func FileName(k core.ExportKind, f core.ExportFilter, format Format) string {
	name := string(k)
	if f.From != nil {
		name += "_" + f.From.Format(time.DateOnly)
	}
	if f.To != nil {
		name += "_" + f.To.Format(time.DateOnly)
	}
	return name + "." + string(format)
}

// ProgressEvery is how many rows pass between progress calls.
const ProgressEvery = 10000

// Write streams the export to w and returns how many rows it wrote;
// progress, when not nil, is called with the rows done every ProgressEvery
// rows and at the end.
func Write(ctx context.Context, ex *core.Exports, a core.Actor, k core.ExportKind, f core.ExportFilter, format Format, w io.Writer, progress func(done int64)) (int64, error) {
	var out sink
	var err error
	switch format {
	case CSV:
		out, err = newCSV(w, ex)
	case XLSX:
		out, err = newXLSX(w, ex, string(k))
	default:
		return 0, core.Errorf(core.ErrInvalid, "format %q: want csv or xlsx", format)
	}
	if err != nil {
		return 0, err
	}
	cols := core.ExportColumns(k)
	if err := out.header(cols); err != nil {
		return 0, err
	}
	var n int64
	err = ex.Stream(ctx, a, k, f, func(row []any) error {
		if err := out.row(cols, row); err != nil {
			return err
		}
		n++
		if progress != nil && n%ProgressEvery == 0 {
			progress(n)
		}
		return nil
	})
	if err != nil {
		out.abort()
		return n, err
	}
	if progress != nil {
		progress(n)
	}
	return n, out.close()
}

// sink is one file format.
type sink interface {
	header(cols []core.ExportColumn) error
	row(cols []core.ExportColumn, vals []any) error
	close() error
	abort()
}

// csvSink writes RFC 4180 CSV with CRLF line ends after a UTF-8 BOM.
type csvSink struct {
	w   *csv.Writer
	cur core.Currency
	loc *time.Location
	rec []string
}

func newCSV(w io.Writer, ex *core.Exports) (*csvSink, error) {
	if _, err := io.WriteString(w, "\ufeff"); err != nil {
		return nil, err
	}
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	return &csvSink{w: cw, cur: ex.Currency(), loc: ex.Location()}, nil
}

func (s *csvSink) header(cols []core.ExportColumn) error {
	names := make([]string, len(cols))
	for i, c := range cols {
		names[i] = c.Name
	}
	return s.w.Write(names)
}

func (s *csvSink) row(cols []core.ExportColumn, vals []any) error {
	s.rec = s.rec[:0]
	for i, c := range cols {
		s.rec = append(s.rec, s.text(c.Type, vals[i]))
	}
	return s.w.Write(s.rec)
}

// text is a value as CSV writes it.
func (s *csvSink) text(t core.ColType, v any) string {
	switch v := v.(type) {
	case nil:
		return ""
	case core.Money:
		return s.cur.Format(v)
	case int64:
		if t == core.ColRate {
			return core.FormatTaxRate(int(v))
		}
		return strconv.FormatInt(v, 10)
	case bool:
		if v {
			return "yes"
		}
		return "no"
	case time.Time:
		if t == core.ColDate {
			return v.UTC().Format(time.DateOnly)
		}
		return v.In(s.loc).Format(time.DateTime)
	case string:
		return safeCell(v)
	}
	return fmt.Sprint(v)
}

// safeCell keeps a text from being read as a formula by a spreadsheet
// (CSV injection): a leading =, @, tab or CR is escaped with an apostrophe,
// and so is a leading + or - unless only digits and spaces follow (a phone
// number stays as it is).
func safeCell(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '=', '@', '\t', '\r':
		return "'" + s
	case '+', '-':
		if strings.Trim(s[1:], "0123456789 ") != "" {
			return "'" + s
		}
	}
	return s
}

func (s *csvSink) close() error {
	s.w.Flush()
	return s.w.Error()
}

func (s *csvSink) abort() { s.w.Flush() }

// xlsxSheetRows is how many data rows one sheet takes (Excel's limit is
// 1,048,576 rows with the header); more continue on the next sheet.
const xlsxSheetRows = 1_000_000

// xlsxSink streams rows into sheets of an XLSX workbook and writes the
// workbook to w at the end.
type xlsxSink struct {
	w      io.Writer
	f      *excelize.File
	sw     *excelize.StreamWriter
	name   string
	sheet  int
	rowNo  int
	cur    core.Currency
	loc    *time.Location
	styles map[core.ColType]int
	bold   int
	cells  []any
	cols   []core.ExportColumn
}

func newXLSX(w io.Writer, ex *core.Exports, name string) (*xlsxSink, error) {
	s := &xlsxSink{w: w, f: excelize.NewFile(), name: name, cur: ex.Currency(), loc: ex.Location(), styles: map[core.ColType]int{}}
	money := "0"
	if d := s.cur.Digits; d > 0 {
		money = "#,##0." + strings.Repeat("0", d)
	}
	for t, fmtCode := range map[core.ColType]string{core.ColDate: "yyyy-mm-dd", core.ColTime: "yyyy-mm-dd hh:mm:ss", core.ColMoney: money} {
		code := fmtCode
		id, err := s.f.NewStyle(&excelize.Style{CustomNumFmt: &code})
		if err != nil {
			return nil, err
		}
		s.styles[t] = id
	}
	bold, err := s.f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return nil, err
	}
	s.bold = bold
	if err := s.f.SetSheetName("Sheet1", name); err != nil {
		return nil, err
	}
	return s, s.open(name)
}

// open starts a sheet and its header row.
func (s *xlsxSink) open(sheet string) error {
	if s.sheet > 0 {
		if _, err := s.f.NewSheet(sheet); err != nil {
			return err
		}
	}
	s.sheet++
	sw, err := s.f.NewStreamWriter(sheet)
	if err != nil {
		return err
	}
	s.sw, s.rowNo = sw, 0
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	if s.cols != nil {
		return s.header(s.cols)
	}
	return nil
}

func (s *xlsxSink) header(cols []core.ExportColumn) error {
	s.cols = cols
	for i, c := range cols {
		w := 14.0
		if c.Type == core.ColText {
			w = 22
		}
		if err := s.sw.SetColWidth(i+1, i+1, w); err != nil {
			return err
		}
	}
	cells := make([]any, len(cols))
	for i, c := range cols {
		cells[i] = excelize.Cell{StyleID: s.bold, Value: c.Name}
	}
	return s.put(cells)
}

func (s *xlsxSink) put(cells []any) error {
	s.rowNo++
	cell, err := excelize.CoordinatesToCellName(1, s.rowNo)
	if err != nil {
		return err
	}
	return s.sw.SetRow(cell, cells)
}

func (s *xlsxSink) row(cols []core.ExportColumn, vals []any) error {
	if s.rowNo > xlsxSheetRows {
		if err := s.sw.Flush(); err != nil {
			return err
		}
		if err := s.open(fmt.Sprintf("%s_%d", s.name, s.sheet+1)); err != nil {
			return err
		}
	}
	s.cells = s.cells[:0]
	for i, c := range cols {
		s.cells = append(s.cells, s.cell(c.Type, vals[i]))
	}
	return s.put(s.cells)
}

// cell is a value as an XLSX cell: numbers as numbers (money in the shop's
// currency, exact to its minor unit), dates and instants as dates.
func (s *xlsxSink) cell(t core.ColType, v any) any {
	switch v := v.(type) {
	case nil:
		return nil
	case core.Money:
		f, _ := strconv.ParseFloat(s.cur.Format(v), 64) // the shortest float prints back the same decimal
		return excelize.Cell{StyleID: s.styles[core.ColMoney], Value: f}
	case time.Time:
		if t == core.ColDate {
			v = v.UTC()
		} else {
			v = v.In(s.loc)
		}
		wall := time.Date(v.Year(), v.Month(), v.Day(), v.Hour(), v.Minute(), v.Second(), 0, time.UTC)
		return excelize.Cell{StyleID: s.styles[t], Value: wall}
	case int64:
		if t == core.ColRate { // a percent, as CSV writes it: 7.5
			f, _ := strconv.ParseFloat(core.FormatTaxRate(int(v)), 64)
			return f
		}
	case bool:
		if v {
			return "yes"
		}
		return "no"
	}
	return v
}

func (s *xlsxSink) close() error {
	defer s.f.Close() //nolint:errcheck // temporary files only
	if err := s.sw.Flush(); err != nil {
		return err
	}
	// File.Write builds the whole archive in a buffer first; writing the
	// zip straight to w keeps memory flat (the sheets stream from excelize's
	// temporary files into it).
	s.f.SetZipWriter(func(io.Writer) excelize.ZipWriter { return zip.NewWriter(s.w) })
	return s.f.Write(io.Discard)
}

func (s *xlsxSink) abort() { s.f.Close() } //nolint:errcheck
