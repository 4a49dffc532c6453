// Package gofpdf is github.com/jung-kurt/gofpdf v1.16.2 (MIT, see LICENSE),
// copied into orderbot so that pdfdoc can share parsed fonts between
// documents and reuse compressors, which the library offers no hook for. The
// upstream repository is archived: there are no releases to track.
//
// Changes from v1.16.2, so that a diff against the module cache
// ($(go env GOMODCACHE)/github.com/jung-kurt/gofpdf@v1.16.2) reads clearly:
//   - dropped: the tests, doc.go, the Pdf interface (def.go) and the features
//     pdfdoc does not use that nothing else needs: SVG, HTML, grid, label,
//     SubWrite, transformations, MakeFont (font.go, ttfparser.go);
//   - gofmt and go vet fixes (comments; two non-constant format strings);
//   - fonts parsed once and shared (sharedfont.go: LoadUTF8Font,
//     AddUTF8FontShared): the work GenerateCutFont did for every document
//     that does not depend on the runes used (cmap, glyph locations) is done
//     once by prepareCut, and each document cuts its subset on a copy of the
//     parsed font (subset), which only reads the shared one; so parsing a
//     font without a Unicode cmap now fails (upstream printed a message and
//     wrote a broken font later);
//   - the two places that wrote into the font's bytes (generateChecksum
//     padding a table in place, getMetrics appending to a slice of the font)
//     write to copies instead, so concurrent documents may share the bytes;
//   - sliceCompress reuses zlib writers from a sync.Pool.
//
// Output is byte for byte what upstream writes (sharedfont_test.go compares
// the two). Changed lines are marked "orderbot".
//
// Imports: the standard library only (its test: upstream gofpdf too).
package gofpdf
