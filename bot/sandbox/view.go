package sandbox

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/orderbot/orderbot/bot/fakeapi"
)

// messageView is a message as the page shows it. HTML is built by
// renderHTML from the parsed text and entities, never copied from the bot.
type messageView struct {
	ID        int    `json:"id"`
	FromBot   bool   `json:"from_bot"`
	Date      int64  `json:"date"`                // Unix seconds
	Version   int    `json:"version"`             // number of edits; the page ignores older versions
	Edited    bool   `json:"edited,omitempty"`    // shown as "edited", as Telegram does
	Deleted   bool   `json:"deleted,omitempty"`   // only in "delete" events
	HTML      string `json:"html"`                // text or caption, sanitized
	Text      string `json:"text"`                // the same, plain
	Forwarded string `json:"forwarded,omitempty"` // original sender's name

	Buttons        [][]buttonView `json:"buttons,omitempty"`
	ReplyKeyboard  [][]replyView  `json:"reply_keyboard,omitempty"`
	RemoveKeyboard bool           `json:"remove_keyboard,omitempty"`
	Document       *fileView      `json:"document,omitempty"`
	Photo          *fileView      `json:"photo,omitempty"`
	Contact        *contactView   `json:"contact,omitempty"`
	Invoice        *invoiceView   `json:"invoice,omitempty"`
}

type buttonView struct {
	Text string `json:"text"`
	Data string `json:"data,omitempty"`
	URL  string `json:"url,omitempty"` // only http and https links
	Pay  bool   `json:"pay,omitempty"` // the Pay button of an invoice (api/pay)
}

type replyView struct {
	Text           string `json:"text"`
	RequestContact bool   `json:"request_contact,omitempty"`
}

// fileView points at GET api/file for a message's document or photo.
type fileView struct {
	Name   string `json:"name,omitempty"`
	Mime   string `json:"mime,omitempty"`
	Size   int    `json:"size"`
	URL    string `json:"url"` // relative to the page
	Width  int    `json:"width,omitempty"`
	Height int    `json:"height,omitempty"`
}

type contactView struct {
	Phone string `json:"phone"`
	Name  string `json:"name"`
}

func newView(m fakeapi.Message) messageView {
	v := messageView{ID: m.ID, FromBot: m.FromBot, Date: m.Date.Unix(), Version: len(m.Edits),
		Edited: !m.EditDate.IsZero(), Deleted: m.Deleted, RemoveKeyboard: m.RemoveKeyboard}
	if m.Document != nil || m.Photo != nil {
		v.Text, v.HTML = m.PlainCaption, renderHTML(m.PlainCaption, m.CaptionEntities)
	} else {
		v.Text, v.HTML = m.PlainText, renderHTML(m.PlainText, m.Entities)
	}
	if m.ForwardFrom != nil {
		v.Forwarded = fullName(m.ForwardFrom.FirstName, m.ForwardFrom.LastName)
	}
	v.Buttons = inlineView(m.InlineKeyboard)
	v.ReplyKeyboard = replyKeyboardView(m.ReplyKeyboard)
	v.Document, v.Photo = attachmentViews(m)
	if c := m.Contact; c != nil {
		v.Contact = &contactView{Phone: c.PhoneNumber, Name: fullName(c.FirstName, c.LastName)}
	}
	if m.Invoice != nil {
		v.Invoice = newInvoiceView(m.Invoice)
	}
	if sp := m.SuccessfulPayment; sp != nil {
		v.Text = paymentText(sp)
		v.HTML = renderHTML(v.Text, nil)
	}
	return v
}

func inlineView(rows [][]fakeapi.Button) [][]buttonView {
	var out [][]buttonView
	for _, row := range rows {
		var r []buttonView
		for _, b := range row {
			bv := buttonView{Text: b.Text, Data: b.CallbackData, Pay: b.Pay}
			if u, err := url.Parse(b.URL); err == nil && (u.Scheme == "http" || u.Scheme == "https") {
				bv.URL = u.String()
			}
			r = append(r, bv)
		}
		out = append(out, r)
	}
	return out
}

func replyKeyboardView(rows [][]fakeapi.ReplyButton) [][]replyView {
	var out [][]replyView
	for _, row := range rows {
		var r []replyView
		for _, b := range row {
			r = append(r, replyView{Text: b.Text, RequestContact: b.RequestContact})
		}
		out = append(out, r)
	}
	return out
}

func attachmentViews(m fakeapi.Message) (doc, photo *fileView) {
	link := "api/file?" + url.Values{"user": {strconv.FormatInt(m.ChatID, 10)},
		"message_id": {strconv.Itoa(m.ID)}}.Encode()
	if d := m.Document; d != nil {
		doc = &fileView{Name: d.FileName, Mime: d.MimeType, Size: len(d.Data), URL: link}
	}
	if p := m.Photo; p != nil {
		photo = &fileView{Mime: http.DetectContentType(p.Data), Size: len(p.Data), URL: link,
			Width: p.Width, Height: p.Height}
	}
	return doc, photo
}

func fullName(first, last string) string {
	if last == "" {
		return first
	}
	return first + " " + last
}
