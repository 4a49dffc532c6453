package fakeapi

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/go-telegram/bot/models"
)

// user is a Telegram user known to the server.
type user struct {
	u       models.User
	phone   string
	started bool // has sent anything to the bot; the private chat exists
	blocked bool // has blocked the bot
}

// chat is a private chat (id = user id) or a group (negative id).
type chat struct {
	id       int64
	typ      models.ChatType
	title    string
	user     *user // private chats only
	messages []*Message
	nextID   int
	members  map[int64]models.ChatMemberType
	actions  []string
}

func (c *chat) model() models.Chat {
	mc := models.Chat{ID: c.id, Type: c.typ, Title: c.title}
	if c.user != nil {
		mc.FirstName, mc.LastName, mc.Username = c.user.u.FirstName, c.user.u.LastName, c.user.u.Username
	}
	return mc
}

// message returns the message with that id, or nil.
func (c *chat) message(id int) *Message {
	for _, m := range c.messages {
		if m.ID == id {
			return m
		}
	}
	return nil
}

// AddUser registers a Telegram user (IsBot is forced to false). The user has
// not started the bot yet: the bot gets "chat not found" when writing to
// them until they send something. Adding an existing id updates its profile.
func (s *Server) AddUser(u models.User) {
	s.mu.Lock()
	defer s.mu.Unlock()
	u.IsBot = false
	if old, ok := s.users[u.ID]; ok {
		old.u = u
		return
	}
	s.users[u.ID] = &user{u: u, phone: fmt.Sprintf("+1555%07d", u.ID%10000000)}
}

// SetUserPhone sets the phone number the user shares when pressing a
// request_contact reply button (default "+1555" and the last 7 digits of
// the id).
func (s *Server) SetUserPhone(userID int64, phone string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	u, err := s.userLocked(userID)
	if err != nil {
		return err
	}
	u.phone = phone
	return nil
}

// AddGroup registers a group the bot is a member of. chatID must be
// negative; ids below -1000000000000 make a supergroup.
func (s *Server) AddGroup(chatID int64, title string) error {
	if chatID >= 0 {
		return fmt.Errorf("fakeapi: group id %d must be negative", chatID)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	typ := models.ChatTypeGroup
	if chatID < -1000000000000 {
		typ = models.ChatTypeSupergroup
	}
	if c, ok := s.chats[chatID]; ok {
		c.title = title
		return nil
	}
	s.chats[chatID] = &chat{id: chatID, typ: typ, title: title, nextID: 1,
		members: map[int64]models.ChatMemberType{s.bot.ID: models.ChatMemberTypeMember}}
	return nil
}

// SetChatMember sets a member's status in a group ("creator",
// "administrator", "member", "left", "kicked"...). Use the bot's id to make
// the bot an administrator, which lifts privacy mode in that group.
func (s *Server) SetChatMember(chatID, userID int64, status models.ChatMemberType) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.chats[chatID]
	if !ok || c.typ == models.ChatTypePrivate {
		return fmt.Errorf("fakeapi: unknown group %d", chatID)
	}
	if _, err := s.userLocked(userID); err != nil && userID != s.bot.ID {
		return err
	}
	c.members[userID] = status
	return nil
}

func (s *Server) userLocked(id int64) (*user, error) {
	u, ok := s.users[id]
	if !ok {
		return nil, fmt.Errorf("fakeapi: unknown user %d (call AddUser first)", id)
	}
	return u, nil
}

// privateChatLocked returns the user's private chat, creating it.
func (s *Server) privateChatLocked(u *user) *chat {
	c, ok := s.chats[u.u.ID]
	if !ok {
		c = &chat{id: u.u.ID, typ: models.ChatTypePrivate, user: u, nextID: 1}
		s.chats[u.u.ID] = c
	}
	return c
}

// parseChatID reads chat_id: an integer or "@username".
func parseChatID(p *params, key string) (int64, string, error) {
	v := strings.TrimSpace(p.str(key))
	if v == "" {
		return 0, "", badRequest("%s is empty", key)
	}
	if strings.HasPrefix(v, "@") {
		return 0, v[1:], nil
	}
	id, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return 0, "", badRequest("chat not found")
	}
	return id, "", nil
}

// chatLocked finds the chat named by the chat_id parameter as the bot sees
// it: unknown chats and users who never started the bot are "chat not
// found".
func (s *Server) chatLocked(p *params) (*chat, error) {
	id, username, err := parseChatID(p, "chat_id")
	if err != nil {
		return nil, err
	}
	if username != "" {
		return nil, badRequest("chat not found")
	}
	c, ok := s.chats[id]
	if !ok || (c.user != nil && !c.user.started) {
		return nil, badRequest("chat not found")
	}
	return c, nil
}

// sendChatLocked is chatLocked plus the checks for sending to the chat.
func (s *Server) sendChatLocked(p *params) (*chat, error) {
	c, err := s.chatLocked(p)
	if err != nil {
		return nil, err
	}
	if c.user != nil && c.user.blocked {
		return nil, forbidden("bot was blocked by the user")
	}
	if c.members != nil {
		switch c.members[s.bot.ID] {
		case models.ChatMemberTypeLeft:
			return nil, forbidden("bot is not a member of the group chat")
		case models.ChatMemberTypeBanned:
			return nil, forbidden("bot was kicked from the group chat")
		}
	}
	return c, nil
}

// botIsAdminLocked reports whether the bot administers the group.
func (s *Server) botIsAdminLocked(c *chat) bool {
	st := c.members[s.bot.ID]
	return st == models.ChatMemberTypeAdministrator || st == models.ChatMemberTypeOwner
}
