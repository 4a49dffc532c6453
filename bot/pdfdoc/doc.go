// Package pdfdoc renders orderbot's paper: invoices and sales receipts
// (shipment and payment) as A4 PDF documents.
//
// It only renders. It knows nothing of Telegram, of the database or of how an
// order came to be: the bot fills the plain structs declared here (Invoice,
// Receipt, Seller, Party, Line) from core types and configuration, calls
// RenderInvoice or RenderReceipt, and sends the bytes wherever it wants.
//
// Imports: the standard library, internal/gofpdf for the PDF itself (a copy
// of github.com/jung-kurt/gofpdf that lets documents share parsed fonts and
// reuse compressors; see its doc.go), and orderbot's core for the money types
// (core.Money amounts in minor units, formatted by their core.Currency; no
// floats touch money here, only page coordinates are float64).
//
// Text is set in DejaVu Sans (regular and bold), embedded in the binary with
// go:embed (see fonts/LICENSE), so Cyrillic, Greek and most European names
// render. The fonts are parsed once per process; each PDF embeds only the
// glyphs it uses. Labels come in English and Russian, chosen by the
// document's Lang.
//
// Output is deterministic: the same input gives byte-identical PDF bytes. The
// document dates come from the input, never from the clock, and gofpdf's
// resource catalogs are sorted (see newPDF). Rendering is safe for concurrent
// use: every call builds its own gofpdf document, and the parsed fonts that
// all documents share are only read.
package pdfdoc
