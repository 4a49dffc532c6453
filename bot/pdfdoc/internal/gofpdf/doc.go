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
//   - gofmt and go vet fixes (comments; two non-constant format strings).
//
// Imports: the standard library only.
package gofpdf
