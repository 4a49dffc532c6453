package fakeapi

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/go-telegram/bot/models"
)

// htmlTag is an open tag waiting for its end tag.
type htmlTag struct {
	name   string
	typ    models.MessageEntityType // "" for tags that make no entity
	start  int                      // UTF-16 offset in the plain text
	url    string
	lang   string
	emoji  string
	isPre  bool
	byteAt int
}

// htmlParser implements Telegram's HTML parse mode: the supported tags, the
// four named entities and numeric ones; anything else is an error.
type htmlParser struct {
	src   string
	out   strings.Builder
	units int
	stack []*htmlTag
	ents  []models.MessageEntity
}

// parseHTML returns the plain text and entities of Telegram HTML, or an
// error worded like Telegram's "can't parse entities" details.
func parseHTML(src string) (string, []models.MessageEntity, error) {
	p := &htmlParser{src: src}
	for i := 0; i < len(src); {
		var err error
		switch src[i] {
		case '<':
			i, err = p.tag(i)
		case '&':
			i, err = p.entity(i)
		default:
			r, size := utf8.DecodeRuneInString(src[i:])
			p.write(r)
			i += size
		}
		if err != nil {
			return "", nil, err
		}
	}
	if len(p.stack) > 0 {
		return "", nil, fmt.Errorf("Can't find end tag corresponding to start tag \"%s\"", p.stack[len(p.stack)-1].name)
	}
	sortEntities(p.ents)
	return p.out.String(), p.ents, nil
}

func (p *htmlParser) write(r rune) {
	p.out.WriteRune(r)
	p.units += runeUnits(r)
}

// entity decodes &lt; &gt; &amp; &quot; &#NN; &#xNN; at i.
func (p *htmlParser) entity(i int) (int, error) {
	end := strings.IndexByte(p.src[i:], ';')
	if end > 1 && end <= 10 {
		if r, ok := decodeEntity(p.src[i+1 : i+end]); ok {
			p.write(r)
			return i + end + 1, nil
		}
	}
	return 0, fmt.Errorf("Character '&' at byte offset %d is not a part of an HTML entity; replace it with \"&amp;\"", i)
}

func decodeEntity(name string) (rune, bool) {
	switch name {
	case "lt":
		return '<', true
	case "gt":
		return '>', true
	case "amp":
		return '&', true
	case "quot":
		return '"', true
	}
	if !strings.HasPrefix(name, "#") {
		return 0, false
	}
	base, digits := 10, name[1:]
	if strings.HasPrefix(digits, "x") || strings.HasPrefix(digits, "X") {
		base, digits = 16, digits[1:]
	}
	n, err := strconv.ParseUint(digits, base, 32)
	if err != nil || n == 0 || n > utf8.MaxRune || !utf8.ValidRune(rune(n)) {
		return 0, false
	}
	return rune(n), true
}

func (p *htmlParser) tag(i int) (int, error) {
	if i+1 < len(p.src) && p.src[i+1] == '/' {
		return p.endTag(i)
	}
	j := i + 1
	for j < len(p.src) && !isHTMLSpace(p.src[j]) && p.src[j] != '>' {
		j++
	}
	if j >= len(p.src) {
		return 0, fmt.Errorf("Unclosed start tag at byte offset %d", i)
	}
	name := strings.ToLower(p.src[i+1 : j])
	typ, ok := htmlTags[name]
	if !ok {
		return 0, fmt.Errorf("Unsupported start tag \"%s\" at byte offset %d", name, i)
	}
	attrs, next, err := parseAttrs(p.src, j, i)
	if err != nil {
		return 0, err
	}
	t := &htmlTag{name: name, typ: typ, start: p.units, byteAt: i}
	if err := p.applyAttrs(t, attrs); err != nil {
		return 0, err
	}
	p.stack = append(p.stack, t)
	return next, nil
}

var htmlTags = map[string]models.MessageEntityType{
	"b": models.MessageEntityTypeBold, "strong": models.MessageEntityTypeBold,
	"i": models.MessageEntityTypeItalic, "em": models.MessageEntityTypeItalic,
	"u": models.MessageEntityTypeUnderline, "ins": models.MessageEntityTypeUnderline,
	"s": models.MessageEntityTypeStrikethrough, "strike": models.MessageEntityTypeStrikethrough,
	"del":        models.MessageEntityTypeStrikethrough,
	"tg-spoiler": models.MessageEntityTypeSpoiler, "span": models.MessageEntityTypeSpoiler,
	"code": models.MessageEntityTypeCode, "pre": models.MessageEntityTypePre,
	"a":          models.MessageEntityTypeTextLink,
	"blockquote": models.MessageEntityTypeBlockquote,
	"tg-emoji":   models.MessageEntityTypeCustomEmoji,
}

func (p *htmlParser) applyAttrs(t *htmlTag, attrs map[string]string) error {
	switch t.name {
	case "a":
		t.url = attrs["href"]
		if t.url == "" {
			t.typ = ""
		}
	case "span":
		if attrs["class"] != "tg-spoiler" {
			return fmt.Errorf("Tag \"span\" must have class \"tg-spoiler\" at byte offset %d", t.byteAt)
		}
	case "tg-emoji":
		if t.emoji = attrs["emoji-id"]; t.emoji == "" {
			return fmt.Errorf("Tag \"tg-emoji\" must have attribute \"emoji-id\" at byte offset %d", t.byteAt)
		}
	case "blockquote":
		if _, ok := attrs["expandable"]; ok {
			t.typ = models.MessageEntityTypeExpandableBlockquote
		}
	case "pre":
		t.isPre = true
	case "code":
		t.lang = strings.TrimPrefix(attrs["class"], "language-")
	}
	return nil
}

// parseAttrs reads attributes from j (just after the tag name) to '>'.
func parseAttrs(src string, j, tagAt int) (map[string]string, int, error) {
	attrs := map[string]string{}
	for {
		for j < len(src) && isHTMLSpace(src[j]) {
			j++
		}
		if j >= len(src) {
			return nil, 0, fmt.Errorf("Unclosed start tag at byte offset %d", tagAt)
		}
		if src[j] == '>' {
			return attrs, j + 1, nil
		}
		k := j
		for k < len(src) && !isHTMLSpace(src[k]) && src[k] != '=' && src[k] != '>' {
			k++
		}
		name := strings.ToLower(src[j:k])
		if k < len(src) && src[k] == '=' {
			val, next, err := attrValue(src, k+1, tagAt)
			if err != nil {
				return nil, 0, err
			}
			attrs[name], j = val, next
			continue
		}
		attrs[name], j = "", k
	}
}

func attrValue(src string, j, tagAt int) (string, int, error) {
	if j < len(src) && (src[j] == '"' || src[j] == '\'') {
		end := strings.IndexByte(src[j+1:], src[j])
		if end < 0 {
			return "", 0, fmt.Errorf("Unclosed start tag at byte offset %d", tagAt)
		}
		v, err := decodeAttr(src[j+1 : j+1+end])
		return v, j + end + 2, err
	}
	k := j
	for k < len(src) && !isHTMLSpace(src[k]) && src[k] != '>' {
		k++
	}
	v, err := decodeAttr(src[j:k])
	return v, k, err
}

// decodeAttr decodes entities in an attribute value; a '&' that starts no
// entity is kept, as URLs in href often contain one.
func decodeAttr(v string) (string, error) {
	var b strings.Builder
	for i := 0; i < len(v); i++ {
		if v[i] == '&' {
			if end := strings.IndexByte(v[i:], ';'); end > 1 && end <= 10 {
				if r, ok := decodeEntity(v[i+1 : i+end]); ok {
					b.WriteRune(r)
					i += end
					continue
				}
			}
		}
		b.WriteByte(v[i])
	}
	return b.String(), nil
}

func (p *htmlParser) endTag(i int) (int, error) {
	j := i + 2
	for j < len(p.src) && !isHTMLSpace(p.src[j]) && p.src[j] != '>' {
		j++
	}
	name := strings.ToLower(p.src[i+2 : j])
	for j < len(p.src) && isHTMLSpace(p.src[j]) {
		j++
	}
	if j >= len(p.src) || p.src[j] != '>' {
		return 0, fmt.Errorf("Can't find end of end tag at byte offset %d", i)
	}
	if len(p.stack) == 0 {
		return 0, fmt.Errorf("Unexpected end tag at byte offset %d", i)
	}
	top := p.stack[len(p.stack)-1]
	if name != "" && name != top.name {
		return 0, fmt.Errorf("Unmatched end tag at byte offset %d, expected \"</%s>\", found \"</%s>\"", i, top.name, name)
	}
	p.stack = p.stack[:len(p.stack)-1]
	p.close(top)
	return j + 1, nil
}

// close turns a finished tag into an entity (none when empty).
func (p *htmlParser) close(t *htmlTag) {
	length := p.units - t.start
	if t.typ == "" || length == 0 {
		return
	}
	if t.name == "code" && len(p.stack) > 0 && p.stack[len(p.stack)-1].isPre {
		p.stack[len(p.stack)-1].lang = t.lang // <pre><code class="language-x">
		return
	}
	e := models.MessageEntity{Type: t.typ, Offset: t.start, Length: length}
	switch t.typ {
	case models.MessageEntityTypeTextLink:
		e.URL = t.url
	case models.MessageEntityTypePre:
		e.Language = t.lang
	case models.MessageEntityTypeCustomEmoji:
		e.CustomEmojiID = t.emoji
	}
	p.ents = append(p.ents, e)
}

func isHTMLSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r'
}
