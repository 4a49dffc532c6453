package sandbox

import (
	"cmp"
	"html"
	"net/url"
	"slices"
	"strings"
	"unicode/utf16"

	"github.com/go-telegram/bot/models"
)

// renderHTML turns a message's plain text and entities (UTF-16 offsets, as
// Telegram sends them) into HTML for the page. Only a fixed set of tags is
// ever produced and every piece of text and every attribute is escaped, so
// nothing the bot sends can inject markup or script: the bot's own HTML was
// already parsed into entities by the fake server and is not reused.
func renderHTML(text string, ents []models.MessageEntity) string {
	units := utf16.Encode([]rune(text))
	sorted := slices.Clone(ents)
	slices.SortStableFunc(sorted, func(a, b models.MessageEntity) int {
		return cmp.Or(cmp.Compare(a.Offset, b.Offset), cmp.Compare(b.Length, a.Length))
	})
	r := &renderer{units: units}
	r.span(0, len(units), sorted)
	return r.out.String()
}

type renderer struct {
	units []uint16
	out   strings.Builder
}

// span writes units[from:to], opening an element for each entity in ents
// (sorted by offset, longest first) and nesting the entities that start
// inside it; entities that cross their parent's end are clipped to it.
func (r *renderer) span(from, to int, ents []models.MessageEntity) {
	pos := from
	for i := 0; i < len(ents); {
		e := ents[i]
		start, end := max(e.Offset, pos), min(e.Offset+e.Length, to)
		j := i + 1
		for j < len(ents) && ents[j].Offset < end {
			j++
		}
		if end > start {
			r.text(pos, start)
			open, closeTag := r.tags(e, start, end)
			r.out.WriteString(open)
			r.span(start, end, ents[i+1:j])
			r.out.WriteString(closeTag)
			pos = end
		}
		i = j
	}
	r.text(pos, to)
}

func (r *renderer) text(from, to int) {
	if to > from {
		r.out.WriteString(html.EscapeString(r.slice(from, to)))
	}
}

func (r *renderer) slice(from, to int) string { return string(utf16.Decode(r.units[from:to])) }

// tags returns the opening and closing HTML for one entity; types the page
// does not style render as their text only.
func (r *renderer) tags(e models.MessageEntity, start, end int) (string, string) {
	switch e.Type {
	case models.MessageEntityTypeBold:
		return "<b>", "</b>"
	case models.MessageEntityTypeItalic:
		return "<i>", "</i>"
	case models.MessageEntityTypeUnderline:
		return "<u>", "</u>"
	case models.MessageEntityTypeStrikethrough:
		return "<s>", "</s>"
	case models.MessageEntityTypeCode:
		return "<code>", "</code>"
	case models.MessageEntityTypePre:
		return "<pre>", "</pre>"
	case models.MessageEntityTypeBlockquote, models.MessageEntityTypeExpandableBlockquote:
		return "<blockquote>", "</blockquote>"
	case models.MessageEntityTypeSpoiler:
		return `<span class="spoiler">`, "</span>"
	case models.MessageEntityTypeBotCommand:
		return `<span class="cmd">`, "</span>"
	case models.MessageEntityTypeMention, models.MessageEntityTypeHashtag, models.MessageEntityTypeCashtag:
		return `<span class="mention">`, "</span>"
	case models.MessageEntityTypeTextLink:
		return link(e.URL)
	case models.MessageEntityTypeURL:
		return link(r.slice(start, end))
	case models.MessageEntityTypeEmail:
		return link("mailto:" + r.slice(start, end))
	}
	return "", ""
}

// link opens an anchor for http, https and mailto targets (a bare
// "example.com" gets http://, as Telegram does); anything else, such as
// javascript: or tg:, is shown as text without a link.
func link(raw string) (string, string) {
	target := strings.TrimSpace(raw)
	if !strings.Contains(target, ":") {
		target = "http://" + target
	}
	u, err := url.Parse(target)
	if err != nil {
		return "", ""
	}
	switch {
	case (u.Scheme == "http" || u.Scheme == "https") && u.Host != "":
	case u.Scheme == "mailto" && u.Opaque != "":
	default:
		return "", ""
	}
	return `<a href="` + html.EscapeString(u.String()) + `" target="_blank" rel="noopener noreferrer nofollow">`, "</a>"
}
