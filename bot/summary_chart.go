package bot

import (
	"bytes"
	_ "embed"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"sync"

	"golang.org/x/image/font"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"

	"github.com/orderbot/orderbot/core"
)

// The summary's chart: orders placed and payments received per day as pairs
// of bars, drawn with the standard image packages and labelled in DejaVu
// Sans (the documents' font, so Cyrillic labels render too). Scaling is
// integer arithmetic on minor units: no floats near money.

//go:embed pdfdoc/fonts/DejaVuSans.ttf
var chartFontData []byte

var (
	chartFontOnce sync.Once
	chartFont     *opentype.Font
	chartFontErr  error
)

func chartFace(size float64) (font.Face, error) {
	chartFontOnce.Do(func() { chartFont, chartFontErr = opentype.Parse(chartFontData) })
	if chartFontErr != nil {
		return nil, chartFontErr
	}
	return opentype.NewFace(chartFont, &opentype.FaceOptions{Size: size, DPI: 72, Hinting: font.HintingFull})
}

const (
	chartW, chartH                  = 840, 440
	chartLeft, chartRight           = 90, 20
	chartTop, chartBottom           = 56, 44
	plotW, plotH                    = chartW - chartLeft - chartRight, chartH - chartTop - chartBottom
	chartMinLines, chartMaxLines    = 3, 6  // grid lines above the axis
	chartBarGap, chartGroupFraction = 2, 70 // percent of a day's slot the two bars take
)

var (
	colBack   = color.RGBA{255, 255, 255, 255}
	colGrid   = color.RGBA{225, 228, 232, 255}
	colAxis   = color.RGBA{120, 125, 130, 255}
	colText   = color.RGBA{40, 44, 52, 255}
	colOrders = color.RGBA{52, 120, 246, 255}
	colPaid   = color.RGBA{46, 174, 96, 255}
)

// summaryChart draws the last days of s as a PNG.
func summaryChart(s core.Summary, l lang, cur core.Currency) ([]byte, error) {
	face, err := chartFace(12)
	if err != nil {
		return nil, err
	}
	defer face.Close()
	img := image.NewRGBA(image.Rect(0, 0, chartW, chartH))
	draw.Draw(img, img.Bounds(), image.NewUniform(colBack), image.Point{}, draw.Src)
	top, lines := niceScale(chartPeak(s.Days), cur)
	drawGrid(img, face, top, lines, cur)
	drawBars(img, face, s.Days, top)
	drawLegend(img, face, l, cur)
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func chartPeak(days []core.DayPoint) core.Money {
	var peak core.Money
	for _, d := range days {
		peak = max(peak, d.Ordered, d.Paid)
	}
	return peak
}

// niceScale picks the top of the y-axis and how many grid lines divide it:
// the lowest top at or above the peak that 3 to 6 lines divide into round
// steps of whole major units (1, 2, 2.5 or 5 times a power of ten; 2.5 only
// from 25 up), so the bars fill the chart: a peak of 201 gets 250 (5 × 50),
// not 400.
func niceScale(peak core.Money, cur core.Currency) (top core.Money, lines int) {
	unit := core.Money(1)
	for range cur.Digits {
		unit *= 10
	}
	for n := chartMinLines; n <= chartMaxLines; n++ {
		step := niceStep((peak + core.Money(n)*unit - 1) / (core.Money(n) * unit))
		if t := step * unit * core.Money(n); top == 0 || t < top {
			top, lines = t, n
		}
	}
	return top, lines
}

// niceStep is the smallest round step of at least min whole units.
func niceStep(min core.Money) core.Money {
	for p := core.Money(1); ; p *= 10 {
		for _, m := range []core.Money{10, 20, 25, 50} {
			if m == 25 && p == 1 {
				continue // 2.5 is not whole
			}
			if s := m * p / 10; s >= max(min, 1) && m*p%10 == 0 {
				return s
			}
		}
	}
}

func drawGrid(img *image.RGBA, face font.Face, top core.Money, lines int, cur core.Currency) {
	for i := 0; i <= lines; i++ {
		y := chartTop + plotH - plotH*i/lines
		c := colGrid
		if i == 0 {
			c = colAxis
		}
		fillRect(img, chartLeft, y, chartLeft+plotW, y+1, c)
		label := cur.Display(top * core.Money(i) / core.Money(lines))
		label = label[:len(label)-len(cur.Code)-1]
		if cur.Digits > 0 {
			label = label[:len(label)-cur.Digits-1] // whole units on the axis
		}
		w := font.MeasureString(face, label).Ceil()
		drawText(img, face, chartLeft-8-w, y+4, label, colText)
	}
}

func drawBars(img *image.RGBA, face font.Face, days []core.DayPoint, top core.Money) {
	if len(days) == 0 || top <= 0 {
		return
	}
	slot := plotW / len(days)
	barW := (slot*chartGroupFraction/100 - chartBarGap) / 2
	base := chartTop + plotH
	for i, d := range days {
		x := chartLeft + i*slot + (slot-2*barW-chartBarGap)/2
		h1 := int(int64(d.Ordered) * plotH / int64(top))
		h2 := int(int64(d.Paid) * plotH / int64(top))
		fillRect(img, x, base-h1, x+barW, base, colOrders)
		fillRect(img, x+barW+chartBarGap, base-h2, x+2*barW+chartBarGap, base, colPaid)
		label := d.Day.Format("02.01")
		w := font.MeasureString(face, label).Ceil()
		drawText(img, face, chartLeft+i*slot+(slot-w)/2, base+18, label, colText)
		if d.Orders > 0 {
			n := fmt.Sprint(d.Orders)
			nw := font.MeasureString(face, n).Ceil()
			drawText(img, face, x+(barW-nw)/2, base-h1-4, n, colOrders)
		}
	}
}

func drawLegend(img *image.RGBA, face font.Face, l lang, cur core.Currency) {
	x := chartLeft
	for _, it := range []struct {
		key string
		c   color.RGBA
	}{{"summary.chart_orders", colOrders}, {"summary.chart_paid", colPaid}} {
		fillRect(img, x, 22, x+14, 36, it.c)
		label := l.Plain(it.key)
		drawText(img, face, x+20, 34, label, colText)
		x += 20 + font.MeasureString(face, label).Ceil() + 28
	}
	w := font.MeasureString(face, cur.Code).Ceil()
	drawText(img, face, chartW-chartRight-w, 34, cur.Code, colAxis)
}

func fillRect(img *image.RGBA, x0, y0, x1, y1 int, c color.RGBA) {
	draw.Draw(img, image.Rect(x0, y0, x1, y1), image.NewUniform(c), image.Point{}, draw.Src)
}

func drawText(img *image.RGBA, face font.Face, x, y int, s string, c color.RGBA) {
	d := font.Drawer{Dst: img, Src: image.NewUniform(c), Face: face, Dot: fixed.P(x, y)}
	d.DrawString(s)
}
