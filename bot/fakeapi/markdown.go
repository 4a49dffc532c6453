package fakeapi

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/go-telegram/bot/models"
)

// mdV2Reserved are the characters MarkdownV2 requires to be escaped.
const mdV2Reserved = "_*[]()~`>#+-=|{}.!"

type mdOpen struct {
	typ    models.MessageEntityType
	name   string
	start  int
	byteAt int
}

// mdParser implements Telegram's MarkdownV2 (bold, italic, underline,
// strikethrough, spoiler, links, code, pre and '>' blockquotes).
type mdParser struct {
	src        string
	out        strings.Builder
	units      int
	stack      []mdOpen
	ents       []models.MessageEntity
	quoteStart int // -1 when no blockquote is open
}

func parseMarkdownV2(src string) (string, []models.MessageEntity, error) {
	p := &mdParser{src: src, quoteStart: -1}
	for i := 0; i < len(src); {
		c := src[i]
		var err error
		switch {
		case c == '\\' && i+1 < len(src) && src[i+1] > 0 && src[i+1] <= 126:
			p.write(rune(src[i+1]))
			i += 2
		case c == '\n':
			p.newline(i)
			i++
		case c < utf8.RuneSelf && strings.IndexByte(mdV2Reserved, c) >= 0:
			i, err = p.special(i)
		default:
			r, size := utf8.DecodeRuneInString(src[i:])
			p.write(r)
			i += size
		}
		if err != nil {
			return "", nil, err
		}
	}
	if n := len(p.stack); n > 0 {
		return "", nil, fmt.Errorf("Can't find end of %s entity at byte offset %d", p.stack[n-1].name, p.stack[n-1].byteAt)
	}
	p.closeQuote()
	sortEntities(p.ents)
	return p.out.String(), p.ents, nil
}

func (p *mdParser) write(r rune) {
	p.out.WriteRune(r)
	p.units += runeUnits(r)
}

// newline ends an open blockquote unless the next line continues it.
func (p *mdParser) newline(i int) {
	if p.quoteStart >= 0 && (i+1 >= len(p.src) || p.src[i+1] != '>') {
		p.closeQuote()
	}
	p.write('\n')
}

func (p *mdParser) closeQuote() {
	if p.quoteStart >= 0 && p.units > p.quoteStart {
		p.ents = append(p.ents, models.MessageEntity{Type: models.MessageEntityTypeBlockquote,
			Offset: p.quoteStart, Length: p.units - p.quoteStart})
	}
	p.quoteStart = -1
}

func (p *mdParser) special(i int) (int, error) {
	src := p.src
	next := byte(0)
	if i+1 < len(src) {
		next = src[i+1]
	}
	switch c := src[i]; {
	case c == '*':
		return p.toggle(models.MessageEntityTypeBold, "Bold", i, 1), nil
	case c == '_' && next == '_' && !p.topIs(models.MessageEntityTypeItalic):
		return p.toggle(models.MessageEntityTypeUnderline, "Underline", i, 2), nil
	case c == '_':
		return p.toggle(models.MessageEntityTypeItalic, "Italic", i, 1), nil
	case c == '~':
		return p.toggle(models.MessageEntityTypeStrikethrough, "Strikethrough", i, 1), nil
	case c == '|' && next == '|':
		return p.toggle(models.MessageEntityTypeSpoiler, "Spoiler", i, 2), nil
	case c == '[':
		p.stack = append(p.stack, mdOpen{typ: models.MessageEntityTypeTextLink, name: "TextUrl", start: p.units, byteAt: i})
		return i + 1, nil
	case c == ']' && p.topIs(models.MessageEntityTypeTextLink):
		return p.linkEnd(i)
	case c == '`':
		return p.code(i)
	case c == '>' && (i == 0 || src[i-1] == '\n') && len(p.stack) == 0:
		if p.quoteStart < 0 {
			p.quoteStart = p.units
		}
		return i + 1, nil
	}
	return 0, fmt.Errorf("Character '%c' is reserved and must be escaped with the preceding '\\'", src[i])
}

func (p *mdParser) topIs(t models.MessageEntityType) bool {
	return len(p.stack) > 0 && p.stack[len(p.stack)-1].typ == t
}

// toggle closes the entity if it is the innermost open one, else opens it.
func (p *mdParser) toggle(t models.MessageEntityType, name string, i, width int) int {
	if p.topIs(t) {
		open := p.stack[len(p.stack)-1]
		p.stack = p.stack[:len(p.stack)-1]
		p.add(models.MessageEntity{Type: t, Offset: open.start, Length: p.units - open.start})
		return i + width
	}
	p.stack = append(p.stack, mdOpen{typ: t, name: name, start: p.units, byteAt: i})
	return i + width
}

func (p *mdParser) add(e models.MessageEntity) {
	if e.Length > 0 {
		p.ents = append(p.ents, e)
	}
}

// linkEnd handles "](url)" closing an inline link.
func (p *mdParser) linkEnd(i int) (int, error) {
	open := p.stack[len(p.stack)-1]
	p.stack = p.stack[:len(p.stack)-1]
	if i+1 >= len(p.src) || p.src[i+1] != '(' {
		return i + 1, nil // "[text]" without a URL is plain text
	}
	var url strings.Builder
	for j := i + 2; j < len(p.src); j++ {
		switch c := p.src[j]; {
		case c == '\\' && j+1 < len(p.src):
			url.WriteByte(p.src[j+1])
			j++
		case c == ')':
			p.add(models.MessageEntity{Type: models.MessageEntityTypeTextLink, Offset: open.start,
				Length: p.units - open.start, URL: url.String()})
			return j + 1, nil
		default:
			url.WriteByte(c)
		}
	}
	return 0, fmt.Errorf("Can't find end of a URL at byte offset %d", i+1)
}

// code handles `inline code` and ```pre``` blocks, where only '`' and '\'
// are special.
func (p *mdParser) code(i int) (int, error) {
	typ, name, width := models.MessageEntityTypeCode, "Code", 1
	if strings.HasPrefix(p.src[i:], "```") {
		typ, name, width = models.MessageEntityTypePre, "Pre", 3
	}
	j, lang := i+width, ""
	if typ == models.MessageEntityTypePre {
		if nl := strings.IndexByte(p.src[j:], '\n'); nl >= 0 && !strings.ContainsAny(p.src[j:j+nl], " `") {
			lang, j = p.src[j:j+nl], j+nl+1
		}
	}
	start := p.units
	for j < len(p.src) {
		switch {
		case p.src[j] == '\\' && j+1 < len(p.src):
			p.write(rune(p.src[j+1]))
			j += 2
		case strings.HasPrefix(p.src[j:], "```"[:width]):
			p.add(models.MessageEntity{Type: typ, Offset: start, Length: p.units - start, Language: lang})
			return j + width, nil
		default:
			r, size := utf8.DecodeRuneInString(p.src[j:])
			p.write(r)
			j += size
		}
	}
	return 0, fmt.Errorf("Can't find end of %s entity at byte offset %d", name, i)
}

// parseMarkdown implements the legacy Markdown mode: *bold*, _italic_,
// `code`, ```pre``` and [text](url), no nesting, '\' escapes _*`[.
func parseMarkdown(src string) (string, []models.MessageEntity, error) {
	var out strings.Builder
	var ents []models.MessageEntity
	units := 0
	write := func(s string) {
		out.WriteString(s)
		units += utf16Len(s)
	}
	marks := map[string]models.MessageEntityType{"```": models.MessageEntityTypePre, "*": models.MessageEntityTypeBold,
		"_": models.MessageEntityTypeItalic, "`": models.MessageEntityTypeCode}
	for i := 0; i < len(src); {
		if src[i] == '\\' && i+1 < len(src) && strings.IndexByte("_*`[", src[i+1]) >= 0 {
			write(src[i+1 : i+2])
			i += 2
			continue
		}
		mark := ""
		for _, m := range []string{"```", "*", "_", "`"} {
			if strings.HasPrefix(src[i:], m) {
				mark = m
				break
			}
		}
		if mark == "" && src[i] != '[' {
			r, size := utf8.DecodeRuneInString(src[i:])
			write(string(r))
			i += size
			continue
		}
		end, inner, url := legacyEntity(src, i, mark)
		if end < 0 {
			return "", nil, fmt.Errorf("Can't find end of the entity starting at byte offset %d", i)
		}
		e := models.MessageEntity{Type: marks[mark], Offset: units, URL: url}
		if mark == "" {
			e.Type = models.MessageEntityTypeTextLink
		}
		write(inner)
		if e.Length = units - e.Offset; e.Length > 0 {
			ents = append(ents, e)
		}
		i = end
	}
	return out.String(), ents, nil
}

// legacyEntity finds the end of a legacy Markdown entity starting at i.
func legacyEntity(src string, i int, mark string) (end int, inner, url string) {
	if mark != "" {
		j := strings.Index(src[i+len(mark):], mark)
		if j < 0 {
			return -1, "", ""
		}
		return i + len(mark) + j + len(mark), src[i+len(mark) : i+len(mark)+j], ""
	}
	close := strings.Index(src[i:], "](")
	if close < 0 {
		return -1, "", ""
	}
	paren := strings.IndexByte(src[i+close+2:], ')')
	if paren < 0 {
		return -1, "", ""
	}
	return i + close + 2 + paren + 1, src[i+1 : i+close], src[i+close+2 : i+close+2+paren]
}
