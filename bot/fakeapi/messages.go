package fakeapi

import (
	"slices"
	"time"

	"github.com/go-telegram/bot/models"
)

// Button is an inline keyboard button as the bot sent it.
type Button struct {
	Text         string
	CallbackData string
	URL          string
	Pay          bool // Telegram's Pay button of an invoice
}

// ReplyButton is a reply keyboard button as the bot sent it.
type ReplyButton struct {
	Text            string
	RequestContact  bool
	RequestLocation bool
}

// Document is a file attached to a message.
type Document struct {
	FileID   string
	FileName string
	MimeType string
	Data     []byte
}

// Photo is a photo attached to a message (one size is kept).
type Photo struct {
	FileID string
	Width  int
	Height int
	Data   []byte
}

// Message is one message of a chat, sent by a user or by the bot, as the
// server stores it. Values returned by the Server are deep copies.
type Message struct {
	ID       int
	ChatID   int64
	FromBot  bool
	From     models.User
	Date     time.Time
	EditDate time.Time // zero until edited
	// Text is the raw text as sent (with markup for parse modes); for media
	// messages it is empty and the caption is in Caption.
	Text string
	// ParseMode is the parse_mode the bot used for Text or Caption.
	ParseMode string
	// PlainText is Text after entity parsing: tags stripped, HTML entities
	// decoded, surrounding whitespace trimmed, as a Telegram client shows it.
	PlainText       string
	Entities        []models.MessageEntity
	Caption         string // raw caption as sent
	PlainCaption    string // caption after entity parsing
	CaptionEntities []models.MessageEntity
	InlineKeyboard  [][]Button
	ReplyKeyboard   [][]ReplyButton
	RemoveKeyboard  bool // the message carried ReplyKeyboardRemove
	ForceReply      bool
	Document        *Document
	Photo           *Photo
	Contact         *models.Contact
	ForwardFrom     *models.User // forward_origin sender, for user messages
	// Invoice is set on the bot's invoices (sendInvoice).
	Invoice *Invoice
	// SuccessfulPayment is set on a user's message reporting a payment.
	SuccessfulPayment *models.SuccessfulPayment
	// Edits holds every previous version of the message, oldest first.
	Edits   []Message
	Deleted bool

	seq uint64 // value of Server.seq when the message last changed
}

// clone returns a deep copy sharing nothing with m.
func (m *Message) clone() Message {
	c := *m
	c.Entities = slices.Clone(m.Entities)
	c.CaptionEntities = slices.Clone(m.CaptionEntities)
	c.InlineKeyboard = cloneRows(m.InlineKeyboard)
	c.ReplyKeyboard = cloneRows(m.ReplyKeyboard)
	if m.Document != nil {
		d := *m.Document
		d.Data = slices.Clone(d.Data)
		c.Document = &d
	}
	if m.Photo != nil {
		ph := *m.Photo
		ph.Data = slices.Clone(ph.Data)
		c.Photo = &ph
	}
	if m.Contact != nil {
		ct := *m.Contact
		c.Contact = &ct
	}
	if m.ForwardFrom != nil {
		f := *m.ForwardFrom
		c.ForwardFrom = &f
	}
	if m.Invoice != nil {
		inv := *m.Invoice
		inv.Prices = slices.Clone(inv.Prices)
		c.Invoice = &inv
	}
	if m.SuccessfulPayment != nil {
		sp := *m.SuccessfulPayment
		c.SuccessfulPayment = &sp
	}
	c.Edits = nil
	for i := range m.Edits {
		c.Edits = append(c.Edits, m.Edits[i].clone())
	}
	return c
}

func cloneRows[T any](rows [][]T) [][]T {
	if rows == nil {
		return nil
	}
	out := make([][]T, len(rows))
	for i, r := range rows {
		out[i] = slices.Clone(r)
	}
	return out
}

// model renders the message as the Bot API returns it.
func (m *Message) model(c *chat) *models.Message {
	from := m.From
	mm := &models.Message{
		ID:              m.ID,
		From:            &from,
		Date:            int(m.Date.Unix()),
		Chat:            c.model(),
		Text:            m.PlainText,
		Entities:        slices.Clone(m.Entities),
		Caption:         m.PlainCaption,
		CaptionEntities: slices.Clone(m.CaptionEntities),
		ReplyMarkup:     inlineModel(m.InlineKeyboard),
	}
	if !m.EditDate.IsZero() {
		mm.EditDate = int(m.EditDate.Unix())
	}
	if d := m.Document; d != nil {
		mm.Document = &models.Document{FileID: d.FileID, FileUniqueID: uniqueID(d.FileID),
			FileName: d.FileName, MimeType: d.MimeType, FileSize: int64(len(d.Data))}
	}
	if ph := m.Photo; ph != nil {
		mm.Photo = []models.PhotoSize{{FileID: ph.FileID, FileUniqueID: uniqueID(ph.FileID),
			Width: ph.Width, Height: ph.Height, FileSize: len(ph.Data)}}
	}
	if m.Contact != nil {
		ct := *m.Contact
		mm.Contact = &ct
	}
	if inv := m.Invoice; inv != nil {
		mm.Text = ""
		mm.Invoice = &models.Invoice{Title: inv.Title, Description: inv.Description, Currency: inv.Currency, TotalAmount: inv.Total}
	}
	if m.SuccessfulPayment != nil {
		sp := *m.SuccessfulPayment
		mm.SuccessfulPayment = &sp
	}
	if m.ForwardFrom != nil {
		mm.ForwardOrigin = &models.MessageOrigin{Type: models.MessageOriginTypeUser,
			MessageOriginUser: &models.MessageOriginUser{Type: models.MessageOriginTypeUser,
				Date: int(m.Date.Unix()) - 60, SenderUser: *m.ForwardFrom}}
	}
	return mm
}

func inlineModel(rows [][]Button) *models.InlineKeyboardMarkup {
	if len(rows) == 0 {
		return nil
	}
	mk := &models.InlineKeyboardMarkup{InlineKeyboard: make([][]models.InlineKeyboardButton, len(rows))}
	for i, row := range rows {
		for _, b := range row {
			mk.InlineKeyboard[i] = append(mk.InlineKeyboard[i],
				models.InlineKeyboardButton{Text: b.Text, CallbackData: b.CallbackData, URL: b.URL, Pay: b.Pay})
		}
	}
	return mk
}

// newMessageLocked starts a message of the chat; addMessageLocked gives it
// its id.
func (s *Server) newMessageLocked(c *chat, from models.User) *Message {
	return &Message{ChatID: c.id, From: from, FromBot: from.ID == s.bot.ID && from.IsBot, Date: s.now()}
}

// addMessageLocked numbers m, stores it in the chat and publishes it.
func (s *Server) addMessageLocked(c *chat, m *Message) {
	m.ID = c.nextID
	c.nextID++
	c.messages = append(c.messages, m)
	s.touchLocked(m, EventMessage)
}

// touchLocked marks m as changed, wakes waiters and emits an event.
func (s *Server) touchLocked(m *Message, kind EventKind) {
	s.seq++
	m.seq = s.seq
	if len(s.sub.subs) > 0 {
		s.sub.publish(Event{Kind: kind, ChatID: m.ChatID, Message: m.clone()})
	}
	s.notifyLocked()
}
