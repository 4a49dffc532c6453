package fakeapi

import (
	"encoding/json"
	"net/url"
	"slices"
	"strings"
)

// markup is a parsed reply_markup parameter.
type markup struct {
	inline [][]Button
	reply  [][]ReplyButton
	remove bool
	force  bool
}

var errMarkupJSON = badRequest("can't parse reply keyboard markup JSON object")

// parseMarkup validates reply_markup the way Telegram does; an empty
// parameter gives an empty markup.
func parseMarkup(raw string) (markup, error) {
	var mk markup
	if strings.TrimSpace(raw) == "" {
		return mk, nil
	}
	var m struct {
		InlineKeyboard [][]map[string]json.RawMessage `json:"inline_keyboard"`
		Keyboard       [][]json.RawMessage            `json:"keyboard"`
		RemoveKeyboard bool                           `json:"remove_keyboard"`
		ForceReply     bool                           `json:"force_reply"`
	}
	if err := json.Unmarshal([]byte(raw), &m); err != nil {
		return mk, errMarkupJSON
	}
	var err error
	switch {
	case m.InlineKeyboard != nil:
		mk.inline, err = parseInline(m.InlineKeyboard)
	case m.Keyboard != nil:
		mk.reply, err = parseReplyKeyboard(m.Keyboard)
	case m.RemoveKeyboard:
		mk.remove = true
	case m.ForceReply:
		mk.force = true
	default:
		err = errMarkupJSON
	}
	return mk, err
}

// buttonKinds are the optional fields of an inline button; exactly one
// must be set.
var buttonKinds = []string{"url", "callback_data", "web_app", "login_url", "switch_inline_query",
	"switch_inline_query_current_chat", "switch_inline_query_chosen_chat", "copy_text", "callback_game", "pay"}

func parseInline(rows [][]map[string]json.RawMessage) ([][]Button, error) {
	out := make([][]Button, 0, len(rows))
	for _, row := range rows {
		var r []Button
		for _, fields := range row {
			b, err := parseInlineButton(fields)
			if err != nil {
				return nil, err
			}
			r = append(r, b)
		}
		if len(r) > 0 {
			out = append(out, r)
		}
	}
	return out, nil
}

func parseInlineButton(f map[string]json.RawMessage) (Button, error) {
	var b Button
	str := func(k string) string {
		var s string
		_ = json.Unmarshal(f[k], &s)
		return s
	}
	b.Text = str("text")
	if strings.TrimSpace(b.Text) == "" {
		return b, badRequest("can't parse inline keyboard button: Text must be non-empty")
	}
	kinds := 0
	for _, k := range buttonKinds {
		if raw, ok := f[k]; ok && !emptyJSON(k, raw) {
			kinds++
		}
	}
	if kinds == 0 {
		return b, badRequest("can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard")
	}
	if _, ok := f["callback_data"]; ok {
		b.CallbackData = str("callback_data")
		if b.CallbackData == "" || len(b.CallbackData) > MaxCallbackData {
			return b, badRequest("BUTTON_DATA_INVALID")
		}
	}
	if _, ok := f["url"]; ok {
		b.URL = str("url")
		if !validButtonURL(b.URL) {
			return b, badRequest("inline keyboard button URL '%s' is invalid: Wrong HTTP URL", b.URL)
		}
	}
	b.Pay = strings.ReplaceAll(string(f["pay"]), " ", "") == "true"
	if kinds > 1 {
		return b, badRequest("can't parse inline keyboard button: exactly one of the optional fields must be used")
	}
	return b, nil
}

// emptyJSON reports fields that clients send even when unused, such as
// go-telegram's always-present "copy_text":{"text":""} or "pay":false.
func emptyJSON(key string, raw json.RawMessage) bool {
	s := strings.ReplaceAll(string(raw), " ", "")
	switch {
	case s == "null" || s == "false":
		return true
	case key == "copy_text":
		return s == `{"text":""}` || s == "{}"
	case key == "callback_data":
		return false // present but empty is BUTTON_DATA_INVALID
	}
	return false
}

func validButtonURL(raw string) bool {
	u, err := url.Parse(raw)
	if err != nil {
		return false
	}
	switch u.Scheme {
	case "http", "https":
		return u.Host != ""
	case "tg":
		return true
	}
	return false
}

func parseReplyKeyboard(rows [][]json.RawMessage) ([][]ReplyButton, error) {
	out := make([][]ReplyButton, 0, len(rows))
	for _, row := range rows {
		var r []ReplyButton
		for _, raw := range row {
			var b ReplyButton
			var s string
			if json.Unmarshal(raw, &s) == nil {
				b.Text = s // Telegram accepts plain strings as buttons
			} else {
				var obj struct {
					Text            string `json:"text"`
					RequestContact  bool   `json:"request_contact"`
					RequestLocation bool   `json:"request_location"`
				}
				if json.Unmarshal(raw, &obj) != nil {
					return nil, errMarkupJSON
				}
				b = ReplyButton(obj)
			}
			if strings.TrimSpace(b.Text) == "" {
				return nil, badRequest("can't parse keyboard button: Text must be non-empty")
			}
			r = append(r, b)
		}
		if len(r) > 0 {
			out = append(out, r)
		}
	}
	return out, nil
}

// sameInline reports whether two inline keyboards are identical.
func sameInline(a, b [][]Button) bool {
	return slices.EqualFunc(a, b, func(x, y []Button) bool { return slices.Equal(x, y) })
}

// apply copies the markup onto a message.
func (mk markup) apply(m *Message) {
	m.InlineKeyboard, m.ReplyKeyboard = mk.inline, mk.reply
	m.RemoveKeyboard, m.ForceReply = mk.remove, mk.force
}
