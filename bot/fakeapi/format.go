package fakeapi

import (
	"encoding/json"
	"slices"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/go-telegram/bot/models"
)

// Telegram's limits, counted in UTF-16 code units after entity parsing.
const (
	MaxTextLength    = 4096
	MaxCaptionLength = 1024
	MaxCallbackData  = 64
)

// formatted is a text or caption after entity parsing.
type formatted struct {
	plain    string
	entities []models.MessageEntity
}

// formatText parses raw with the parse mode (or explicit entities JSON) and
// trims surrounding whitespace the way Telegram does.
func formatText(raw, mode, entitiesJSON string) (formatted, error) {
	var f formatted
	var err error
	switch strings.ToLower(mode) {
	case "":
		f.plain = raw
		if entitiesJSON != "" {
			if json.Unmarshal([]byte(entitiesJSON), &f.entities) != nil {
				return f, badRequest("can't parse entities JSON object")
			}
		}
	case "html":
		f.plain, f.entities, err = parseHTML(raw)
	case "markdownv2":
		f.plain, f.entities, err = parseMarkdownV2(raw)
	case "markdown":
		f.plain, f.entities, err = parseMarkdown(raw)
	default:
		return f, badRequest("unsupported parse_mode")
	}
	if err != nil {
		return f, badRequest("can't parse entities: %v", err)
	}
	return trimFormatted(f), nil
}

// messageText validates a message text (non-empty, at most 4096).
func messageText(raw, mode, entitiesJSON string) (formatted, error) {
	if strings.TrimSpace(raw) == "" {
		return formatted{}, badRequest("message text is empty")
	}
	f, err := formatText(raw, mode, entitiesJSON)
	if err != nil {
		return f, err
	}
	if f.plain == "" {
		return f, badRequest("message text is empty")
	}
	if utf16Len(f.plain) > MaxTextLength {
		return f, badRequest("message is too long")
	}
	return f, nil
}

// captionText validates a caption (may be empty, at most 1024).
func captionText(raw, mode, entitiesJSON string) (formatted, error) {
	f, err := formatText(raw, mode, entitiesJSON)
	if err != nil {
		return f, err
	}
	if utf16Len(f.plain) > MaxCaptionLength {
		return f, badRequest("message caption is too long")
	}
	return f, nil
}

// trimFormatted strips leading and trailing whitespace, moving entities.
func trimFormatted(f formatted) formatted {
	trimmed := strings.TrimLeftFunc(f.plain, unicode.IsSpace)
	shift := utf16Len(f.plain[:len(f.plain)-len(trimmed)])
	trimmed = strings.TrimRightFunc(trimmed, unicode.IsSpace)
	end := utf16Len(trimmed)
	var ents []models.MessageEntity
	for _, e := range f.entities {
		start, stop := max(e.Offset-shift, 0), min(e.Offset+e.Length-shift, end)
		if stop > start {
			e.Offset, e.Length = start, stop-start
			ents = append(ents, e)
		}
	}
	return formatted{plain: trimmed, entities: ents}
}

// sortEntities orders entities by offset, longer first; among equal spans
// the outer one (closed last, so appended last) comes first.
func sortEntities(ents []models.MessageEntity) {
	slices.Reverse(ents)
	sort.SliceStable(ents, func(i, j int) bool {
		if ents[i].Offset != ents[j].Offset {
			return ents[i].Offset < ents[j].Offset
		}
		return ents[i].Length > ents[j].Length
	})
}

// utf16Len is the length of s in UTF-16 code units, Telegram's unit for
// offsets and limits.
func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		n += runeUnits(r)
	}
	return n
}

func runeUnits(r rune) int {
	if r >= 0x10000 {
		return 2
	}
	return 1
}

// commandEntities finds bot commands the way Telegram marks them: "/name"
// (letters, digits, '_', up to 32) optionally followed by "@botname", at the
// start of the text or after whitespace.
func commandEntities(text string) []models.MessageEntity {
	var out []models.MessageEntity
	units := 0
	for i, r := range text {
		if r == '/' && (i == 0 || isSpaceBefore(text, i)) {
			if n := commandLen(text[i:]); n > 0 {
				out = append(out, models.MessageEntity{Type: models.MessageEntityTypeBotCommand,
					Offset: units, Length: utf16Len(text[i : i+n])})
			}
		}
		units += runeUnits(r)
	}
	return out
}

func isSpaceBefore(text string, i int) bool {
	r, _ := utf8.DecodeLastRuneInString(text[:i])
	return unicode.IsSpace(r)
}

func isWordByte(c byte) bool {
	return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
}

// commandLen returns the byte length of the command at the start of s
// ("/cmd" or "/cmd@bot"), or 0.
func commandLen(s string) int {
	n := 1
	for n < len(s) && n <= 32 && isWordByte(s[n]) {
		n++
	}
	if n == 1 || (n < len(s) && isWordByte(s[n])) {
		return 0
	}
	if n < len(s) && s[n] == '@' {
		m := n + 1
		for m < len(s) && isWordByte(s[m]) {
			m++
		}
		if m-n-1 >= 3 {
			n = m
		}
	}
	return n
}

// commandTarget reports whether text starts with a command, and its
// "@botname" suffix if any.
func commandTarget(text string) (bool, string) {
	if !strings.HasPrefix(text, "/") {
		return false, ""
	}
	n := commandLen(text)
	if n == 0 {
		return false, ""
	}
	_, target, _ := strings.Cut(text[:n], "@")
	return true, target
}
