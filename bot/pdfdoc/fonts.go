package pdfdoc

import (
	_ "embed"
	"fmt"
	"sync"
	"time"

	"github.com/orderbot/orderbot/bot/pdfdoc/internal/gofpdf"
)

// DejaVu Sans, copied from Debian's fonts-dejavu-core; licence in fonts/LICENSE.
var (
	//go:embed fonts/DejaVuSans.ttf
	fontRegular []byte
	//go:embed fonts/DejaVuSans-Bold.ttf
	fontBold []byte
)

// fontFamily is the name the embedded fonts are registered under.
const fontFamily = "dejavu"

// Page geometry in millimetres (A4 portrait).
const (
	pageW     = 210.0
	pageH     = 297.0
	marginL   = 15.0
	marginR   = 15.0
	marginTop = 15.0
	bodyBot   = pageH - 20 // content stops above this line
	footerY   = pageH - 14 // footer rule
	contentW  = pageW - marginL - marginR
)

// meta is what goes into the PDF's information dictionary.
type meta struct {
	title, author string
	date          time.Time
}

// sharedFonts parses the embedded fonts once, on first use. Documents share
// them read-only: each records only which runes it uses, and cuts its own
// subset from them when it is written out.
var sharedFonts = sync.OnceValues(func() ([]*gofpdf.UTF8Font, error) {
	regular, err := gofpdf.LoadUTF8Font(fontFamily, "", fontRegular)
	if err != nil {
		return nil, fmt.Errorf("load the regular font: %w", err)
	}
	bold, err := gofpdf.LoadUTF8Font(fontFamily, "B", fontBold)
	if err != nil {
		return nil, fmt.Errorf("load the bold font: %w", err)
	}
	return []*gofpdf.UTF8Font{regular, bold}, nil
})

// newPDF returns an empty A4 document with the embedded fonts registered and
// everything that would make output vary pinned down:
//   - creation and modification dates come from m.date, not the clock;
//   - catalog sort is on: gofpdf writes its fonts (and images, templates) by
//     ranging over maps, so with two fonts their object order and numbers
//     would change from run to run without it.
func newPDF(m meta) *gofpdf.Fpdf {
	pdf := gofpdf.NewCustom(&gofpdf.InitType{
		OrientationStr: "P",
		UnitStr:        "mm",
		SizeStr:        "A4",
	})
	pdf.SetCatalogSort(true)
	pdf.SetCompression(true)
	// gofpdf writes the date without a zone, which readers take as UTC.
	pdf.SetCreationDate(m.date.UTC())
	pdf.SetModificationDate(m.date.UTC())
	pdf.SetTitle(m.title, true)
	pdf.SetAuthor(m.author, true)
	pdf.SetCreator("orderbot", true)
	pdf.SetProducer("orderbot pdfdoc (gofpdf)", true)
	fonts, err := sharedFonts()
	if err != nil {
		pdf.SetError(err)
	}
	for _, font := range fonts {
		pdf.AddUTF8FontShared(font)
	}
	pdf.SetMargins(marginL, marginTop, marginR)
	pdf.SetAutoPageBreak(false, 0) // pages are laid out by plan, see layout.go
	pdf.SetCellMargin(0)
	return pdf
}
