package bot

import (
	"strings"
	"unicode/utf8"
)

// inlineKeyboard is our own inline keyboard type. The client library's model
// always serializes an empty copy_text on every button, which Telegram can
// refuse (BUTTON_COPY_TEXT_INVALID); this one sends only what is set.
type inlineKeyboard struct {
	InlineKeyboard [][]button `json:"inline_keyboard"`
}

type button struct {
	Text         string `json:"text"`
	CallbackData string `json:"callback_data,omitempty"`
	URL          string `json:"url,omitempty"`
}

// replyKeyboard is a keyboard under the input field (contact sharing).
type replyKeyboard struct {
	Keyboard        [][]replyButton `json:"keyboard"`
	ResizeKeyboard  bool            `json:"resize_keyboard,omitempty"`
	OneTimeKeyboard bool            `json:"one_time_keyboard,omitempty"`
}

type replyButton struct {
	Text           string `json:"text"`
	RequestContact bool   `json:"request_contact,omitempty"`
}

// removeKeyboard hides a reply keyboard.
type removeKeyboard struct {
	RemoveKeyboard bool `json:"remove_keyboard"`
}

// kb builds an inline keyboard row by row.
type kb struct {
	rows [][]button
}

// row adds a row of buttons; empty buttons are skipped.
func (k *kb) row(bs ...button) *kb {
	var r []button
	for _, b := range bs {
		if b.Text != "" {
			r = append(r, b)
		}
	}
	if len(r) > 0 {
		k.rows = append(k.rows, r)
	}
	return k
}

func (k *kb) markup() any {
	if k == nil || len(k.rows) == 0 {
		return nil
	}
	return inlineKeyboard{InlineKeyboard: k.rows}
}

// btn is a callback button; labels are cut to fit a button.
func btn(label string, data callback) button {
	return button{Text: clip(label, 60), CallbackData: data.String()}
}

// clip shortens s to at most n runes, marking the cut with an ellipsis.
func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return strings.TrimSpace(string(r[:n-1])) + "…"
}
