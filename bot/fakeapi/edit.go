package fakeapi

import (
	"net/http"
	"slices"

	"github.com/go-telegram/bot/models"
)

var errNotModified = badRequest("message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message")

// editTargetLocked finds the bot message an edit refers to.
func (s *Server) editTargetLocked(p *params) (*chat, *Message, error) {
	if p.str("inline_message_id") != "" {
		return nil, nil, badRequest("MESSAGE_ID_INVALID")
	}
	c, err := s.sendChatLocked(p)
	if err != nil {
		return nil, nil, err
	}
	id, err := p.int("message_id")
	if err != nil {
		return nil, nil, err
	}
	if id == 0 {
		return nil, nil, badRequest("message identifier is not specified")
	}
	m := c.message(id)
	if m == nil || m.Deleted {
		return nil, nil, badRequest("message to edit not found")
	}
	if !m.FromBot {
		return nil, nil, badRequest("message can't be edited")
	}
	return c, m, nil
}

// editMarkup reads reply_markup for an edit: only inline keyboards, and no
// parameter means "no keyboard" (Telegram removes it).
func editMarkup(p *params) ([][]Button, error) {
	mk, err := parseMarkup(p.str("reply_markup"))
	if err != nil {
		return nil, err
	}
	if mk.reply != nil || mk.remove || mk.force {
		return nil, badRequest("inline keyboard expected")
	}
	return mk.inline, nil
}

// commitEditLocked records the previous version and publishes the edit.
func (s *Server) commitEditLocked(c *chat, m *Message, prev Message) *models.Message {
	prev.Edits = nil
	m.Edits = append(m.Edits, prev)
	m.EditDate = s.now()
	s.touchLocked(m, EventEdit)
	return m.model(c)
}

func (s *Server) editMessageText(_ *http.Request, p *params) (any, error) {
	mode := p.str("parse_mode")
	text, err := messageText(p.str("text"), mode, p.str("entities"))
	if err != nil {
		return nil, err
	}
	kb, err := editMarkup(p)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	c, m, err := s.editTargetLocked(p)
	if err != nil {
		return nil, err
	}
	if m.Document != nil || m.Photo != nil {
		return nil, badRequest("there is no text in the message to edit")
	}
	if m.PlainText == text.plain && slices.Equal(m.Entities, text.entities) && sameInline(m.InlineKeyboard, kb) {
		return nil, errNotModified
	}
	prev := m.clone()
	m.Text, m.ParseMode, m.PlainText, m.Entities, m.InlineKeyboard = p.str("text"), mode, text.plain, text.entities, kb
	return s.commitEditLocked(c, m, prev), nil
}

func (s *Server) editMessageCaption(_ *http.Request, p *params) (any, error) {
	mode := p.str("parse_mode")
	text, err := captionText(p.str("caption"), mode, p.str("caption_entities"))
	if err != nil {
		return nil, err
	}
	kb, err := editMarkup(p)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	c, m, err := s.editTargetLocked(p)
	if err != nil {
		return nil, err
	}
	if m.Document == nil && m.Photo == nil {
		return nil, badRequest("there is no caption in the message to edit")
	}
	if m.PlainCaption == text.plain && slices.Equal(m.CaptionEntities, text.entities) && sameInline(m.InlineKeyboard, kb) {
		return nil, errNotModified
	}
	prev := m.clone()
	m.Caption, m.ParseMode, m.PlainCaption, m.CaptionEntities, m.InlineKeyboard = p.str("caption"), mode, text.plain, text.entities, kb
	return s.commitEditLocked(c, m, prev), nil
}

func (s *Server) editMessageReplyMarkup(_ *http.Request, p *params) (any, error) {
	kb, err := editMarkup(p)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	c, m, err := s.editTargetLocked(p)
	if err != nil {
		return nil, err
	}
	if sameInline(m.InlineKeyboard, kb) {
		return nil, errNotModified
	}
	prev := m.clone()
	m.InlineKeyboard = kb
	return s.commitEditLocked(c, m, prev), nil
}

func (s *Server) deleteMessage(_ *http.Request, p *params) (any, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, err := s.chatLocked(p)
	if err != nil {
		return nil, err
	}
	id, err := p.int("message_id")
	if err != nil {
		return nil, err
	}
	m := c.message(id)
	if m == nil || m.Deleted {
		return nil, badRequest("message to delete not found")
	}
	if c.typ != models.ChatTypePrivate && !m.FromBot && !s.botIsAdminLocked(c) {
		return nil, badRequest("message can't be deleted")
	}
	m.Deleted = true
	s.touchLocked(m, EventDelete)
	return true, nil
}
