package fakeapi

import (
	"net/http"
	"slices"
)

// sendArgs are the validated, chat-independent parts of a send request.
type sendArgs struct {
	text    formatted
	mode    string
	raw     string
	markup  markup
	caption bool // raw/text is a caption
}

func readSendArgs(p *params, caption bool) (sendArgs, error) {
	a := sendArgs{mode: p.str("parse_mode"), caption: caption}
	var err error
	if caption {
		a.raw = p.str("caption")
		a.text, err = captionText(a.raw, a.mode, p.str("caption_entities"))
	} else {
		a.raw = p.str("text")
		a.text, err = messageText(a.raw, a.mode, p.str("entities"))
	}
	if err != nil {
		return a, err
	}
	a.markup, err = parseMarkup(p.str("reply_markup"))
	return a, err
}

// botSend runs the checks shared by every send method (chat, attachment,
// rate limit), then stores the message and returns its API form.
func (s *Server) botSend(p *params, a sendArgs, attach func(m *Message) error) (any, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, err := s.sendChatLocked(p)
	if err != nil {
		return nil, err
	}
	m := s.newMessageLocked(c, s.bot)
	m.ParseMode = a.mode
	if a.caption {
		m.Caption, m.PlainCaption, m.CaptionEntities = a.raw, a.text.plain, a.text.entities
	} else {
		m.Text, m.PlainText, m.Entities = a.raw, a.text.plain, a.text.entities
	}
	a.markup.apply(m)
	if attach != nil {
		if err := attach(m); err != nil {
			return nil, err
		}
	}
	if err := s.rateLocked(c.id); err != nil {
		return nil, err
	}
	s.addMessageLocked(c, m)
	s.lim.sent++
	return m.model(c), nil
}

func (s *Server) sendMessage(_ *http.Request, p *params) (any, error) {
	a, err := readSendArgs(p, false)
	if err != nil {
		return nil, err
	}
	return s.botSend(p, a, nil)
}

func (s *Server) sendDocument(_ *http.Request, p *params) (any, error) {
	a, err := readSendArgs(p, true)
	if err != nil {
		return nil, err
	}
	return s.botSend(p, a, func(m *Message) error {
		f, err := s.inputFileLocked(p, "document", "documents")
		if err != nil {
			return err
		}
		m.Document = &Document{FileID: f.id, FileName: f.name, MimeType: f.mime, Data: slices.Clone(f.data)}
		return nil
	})
}

func (s *Server) sendPhoto(_ *http.Request, p *params) (any, error) {
	a, err := readSendArgs(p, true)
	if err != nil {
		return nil, err
	}
	return s.botSend(p, a, func(m *Message) error {
		f, err := s.inputFileLocked(p, "photo", "photos")
		if err != nil {
			return err
		}
		m.Photo = &Photo{FileID: f.id, Width: f.width, Height: f.height, Data: slices.Clone(f.data)}
		return nil
	})
}

var chatActions = []string{"typing", "upload_photo", "record_video", "upload_video", "record_voice",
	"upload_voice", "upload_document", "choose_sticker", "find_location", "record_video_note", "upload_video_note"}

func (s *Server) sendChatAction(_ *http.Request, p *params) (any, error) {
	action := p.str("action")
	if !slices.Contains(chatActions, action) {
		return nil, badRequest("wrong parameter action in request")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	c, err := s.sendChatLocked(p)
	if err != nil {
		return nil, err
	}
	c.actions = append(c.actions, action)
	s.sub.publish(Event{Kind: EventChatAction, ChatID: c.id, Action: action})
	s.notifyLocked()
	return true, nil
}

// ChatActions returns the chat actions the bot sent to a chat, in order.
func (s *Server) ChatActions(chatID int64) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if c, ok := s.chats[chatID]; ok {
		return slices.Clone(c.actions)
	}
	return nil
}
