package fakeapi

import (
	"fmt"
	"slices"
	"strings"

	"github.com/go-telegram/bot/models"
)

// userSendLocked stores a message from a user in their private chat, after
// fill sets its content, and queues the "message" update. Writing to the
// bot starts it (and unblocks it, with a my_chat_member update, as on
// Telegram).
func (s *Server) userSend(userID int64, fill func(u *user, m *Message) error) (int64, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	u, err := s.userLocked(userID)
	if err != nil {
		return 0, err
	}
	c := s.privateChatLocked(u)
	m := s.newMessageLocked(c, u.u)
	if err := fill(u, m); err != nil {
		return 0, err
	}
	u.started = true
	if u.blocked {
		u.blocked = false
		s.enqueueLocked(s.myChatMemberUpdate(c, u, models.ChatMemberTypeBanned, models.ChatMemberTypeMember))
	}
	s.addMessageLocked(c, m)
	return s.enqueueLocked(&models.Update{Message: m.model(c)}), nil
}

// setText fills a user's text message, marking bot commands.
func setText(m *Message, text string) error {
	if strings.TrimSpace(text) == "" {
		return fmt.Errorf("fakeapi: empty message text")
	}
	if utf16Len(text) > MaxTextLength {
		return fmt.Errorf("fakeapi: message text longer than %d", MaxTextLength)
	}
	m.Text, m.PlainText, m.Entities = text, text, commandEntities(text)
	return nil
}

// SendText sends text from the user to the bot in their private chat and
// returns the update id. "/start abc" carries a bot_command entity for
// "/start" at offset 0, as Telegram sends it.
func (s *Server) SendText(userID int64, text string) (int64, error) {
	return s.userSend(userID, func(_ *user, m *Message) error { return setText(m, text) })
}

// SendDocument sends a file from the user, with an optional caption. The
// bot can fetch it with getFile and the /file/ URL.
func (s *Server) SendDocument(userID int64, fileName string, data []byte, caption string) (int64, error) {
	return s.userSend(userID, func(_ *user, m *Message) error {
		if utf16Len(caption) > MaxCaptionLength {
			return fmt.Errorf("fakeapi: caption longer than %d", MaxCaptionLength)
		}
		f := s.storeFileLocked("documents", fileName, slices.Clone(data))
		m.Document = &Document{FileID: f.id, FileName: f.name, MimeType: f.mime, Data: slices.Clone(data)}
		m.Caption, m.PlainCaption = caption, caption
		return nil
	})
}

// ShareContact sends a contact from the user. contactUserID is the
// contact's user_id (0 for none): pass another user's id to share someone
// else's contact.
func (s *Server) ShareContact(userID int64, phone string, contactUserID int64) (int64, error) {
	return s.userSend(userID, func(_ *user, m *Message) error {
		ct := &models.Contact{PhoneNumber: phone, UserID: contactUserID, FirstName: "Contact"}
		if cu, ok := s.users[contactUserID]; ok {
			ct.FirstName, ct.LastName = cu.u.FirstName, cu.u.LastName
		}
		m.Contact = ct
		return nil
	})
}

// ForwardFrom sends the bot a text message the user forwarded from another
// user: forward_origin is of type "user" with from as sender_user.
func (s *Server) ForwardFrom(userID int64, from models.User, text string) (int64, error) {
	return s.userSend(userID, func(_ *user, m *Message) error {
		f := from
		m.ForwardFrom = &f
		return setText(m, text)
	})
}

// PressReplyButton presses a button of the reply keyboard the user
// currently sees (the newest bot message that set or removed one): it sends
// the label as text, or the user's own contact when the button has
// request_contact.
func (s *Server) PressReplyButton(userID int64, label string) (int64, error) {
	return s.userSend(userID, func(u *user, m *Message) error {
		b, err := s.currentReplyButtonLocked(userID, label)
		if err != nil {
			return err
		}
		if b.RequestContact {
			m.Contact = &models.Contact{PhoneNumber: u.phone, FirstName: u.u.FirstName, LastName: u.u.LastName, UserID: u.u.ID}
			return nil
		}
		return setText(m, b.Text)
	})
}

func (s *Server) currentReplyButtonLocked(chatID int64, label string) (ReplyButton, error) {
	if c, ok := s.chats[chatID]; ok {
		for i := len(c.messages) - 1; i >= 0; i-- {
			m := c.messages[i]
			if !m.FromBot || (m.ReplyKeyboard == nil && !m.RemoveKeyboard) {
				continue
			}
			for _, row := range m.ReplyKeyboard {
				for _, b := range row {
					if b.Text == label {
						return b, nil
					}
				}
			}
			break
		}
	}
	return ReplyButton{}, fmt.Errorf("fakeapi: user %d sees no reply button %q", chatID, label)
}

// SendGroupText sends text from a user in a group. With privacy mode on and
// the bot not an administrator, the bot only receives commands (for it),
// mentions of it and replies; otherwise the message is stored but no update
// is queued and the returned update id is 0.
func (s *Server) SendGroupText(chatID, userID int64, text string) (int64, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	u, err := s.userLocked(userID)
	if err != nil {
		return 0, err
	}
	c, ok := s.chats[chatID]
	if !ok || c.typ == models.ChatTypePrivate {
		return 0, fmt.Errorf("fakeapi: unknown group %d", chatID)
	}
	m := s.newMessageLocked(c, u.u)
	if err := setText(m, text); err != nil {
		return 0, err
	}
	if st := c.members[userID]; st == "" || st == models.ChatMemberTypeLeft {
		c.members[userID] = models.ChatMemberTypeMember
	}
	s.addMessageLocked(c, m)
	if !s.botSeesLocked(c, text) {
		return 0, nil
	}
	return s.enqueueLocked(&models.Update{Message: m.model(c)}), nil
}

func (s *Server) botSeesLocked(c *chat, text string) bool {
	if !s.privacy || s.botIsAdminLocked(c) {
		return true
	}
	if isCmd, target := commandTarget(text); isCmd {
		return target == "" || strings.EqualFold(target, s.bot.Username)
	}
	return strings.Contains(strings.ToLower(text), "@"+strings.ToLower(s.bot.Username))
}

// BlockBot makes the user block the bot: later sends to them get 403
// "Forbidden: bot was blocked by the user", and a my_chat_member update
// (member -> kicked) is queued, as Telegram does. Sending anything to the
// bot afterwards unblocks it.
func (s *Server) BlockBot(userID int64) (int64, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	u, err := s.userLocked(userID)
	if err != nil {
		return 0, err
	}
	if u.blocked {
		return 0, fmt.Errorf("fakeapi: user %d already blocked the bot", userID)
	}
	u.blocked = true
	c := s.privateChatLocked(u)
	return s.enqueueLocked(s.myChatMemberUpdate(c, u, models.ChatMemberTypeMember, models.ChatMemberTypeBanned)), nil
}

func (s *Server) myChatMemberUpdate(c *chat, u *user, from, to models.ChatMemberType) *models.Update {
	return &models.Update{MyChatMember: &models.ChatMemberUpdated{Chat: c.model(), From: u.u, Date: s.nowUnix(),
		OldChatMember: *chatMember(from, s.bot), NewChatMember: *chatMember(to, s.bot)}}
}
