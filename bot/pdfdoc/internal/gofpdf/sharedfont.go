package gofpdf

import (
	"fmt"
	"strings"
)

// This file is orderbot's, not upstream's: fonts parsed once and shared.

// UTF8Font is a TrueType font parsed once, for any number of documents to
// use, also at the same time: see AddUTF8FontShared. AddUTF8FontFromBytes
// instead parses the font again for every document, and computes its id by
// hashing the JSON of a 65,536-entry width table.
type UTF8Font struct {
	def fontDefType // read-only; each document copies it and adds its own usedRunes
}

// LoadUTF8Font parses a TrueType font to be added to documents with
// AddUTF8FontShared. familyStr and styleStr are as in AddUTF8FontFromBytes.
// The font keeps utf8Bytes, which must not change afterwards.
func LoadUTF8Font(familyStr, styleStr string, utf8Bytes []byte) (*UTF8Font, error) {
	fontkey := getFontKey(fontFamilyEscape(familyStr), styleStr)
	utf8File := newUTF8Font(&fileReader{readerPosition: 0, array: utf8Bytes})
	if err := utf8File.parseFile(); err != nil {
		return nil, fmt.Errorf("parse font: %s", strings.TrimSpace(err.Error()))
	}
	// As in addFontFromBytes.
	def := fontDefType{
		Tp:   "UTF8",
		Name: fontkey,
		Desc: FontDescType{
			Ascent:       int(utf8File.Ascent),
			Descent:      int(utf8File.Descent),
			CapHeight:    utf8File.CapHeight,
			Flags:        utf8File.Flags,
			FontBBox:     utf8File.Bbox,
			ItalicAngle:  utf8File.ItalicAngle,
			StemV:        utf8File.StemV,
			MissingWidth: round(utf8File.DefaultWidth),
		},
		Up:       int(round(utf8File.UnderlinePosition)),
		Ut:       round(utf8File.UnderlineThickness),
		Cw:       utf8File.CharWidths,
		utf8File: utf8File,
	}
	var err error
	if def.i, err = generateFontID(def); err != nil {
		return nil, err
	}
	return &UTF8Font{def: def}, nil
}

// AddUTF8FontShared makes font available to SetFont under the family and
// style it was loaded with, like AddUTF8FontFromBytes but without parsing it
// again. The document gets its own record of the runes it uses; the font
// itself is only read, when the document is written out.
func (f *Fpdf) AddUTF8FontShared(font *UTF8Font) {
	if f.err != nil {
		return
	}
	if _, ok := f.fonts[font.def.Name]; ok {
		return
	}
	def := font.def
	if f.aliasNbPagesStr == "" {
		def.usedRunes = makeSubsetRange(57)
	} else {
		def.usedRunes = makeSubsetRange(32)
	}
	f.fonts[def.Name] = def
}
