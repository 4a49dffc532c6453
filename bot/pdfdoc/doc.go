// Package pdfdoc renders orderbot's paper: invoices, sales receipts
// (shipment and payment), credit notes and statements of account as A4 PDF
// documents that a business can book: the seller's full details, the
// buyer's company and tax number, VAT lines or "Without VAT", the amount
// in words, signature lines.
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
// document's Lang, and so do amounts (money.go: "1 234,50 ₽" and
// "1,234.50 USD") and amounts in words (words.go). No-break spaces (U+00A0,
// U+202F) hold an amount, a rate or "№ 12" together: the line breaker never
// breaks at them, and DejaVu has their glyphs.
//
// Output is deterministic: the same input gives byte-identical PDF bytes. The
// document dates come from the input, never from the clock, and gofpdf's
// resource catalogs are sorted (see newPDF). Rendering is safe for concurrent
// use: every call builds its own gofpdf document, and the parsed fonts that
// all documents share are only read.
package pdfdoc
