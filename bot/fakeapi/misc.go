package fakeapi

import (
	"encoding/json"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/go-telegram/bot/models"
)

func (s *Server) getMe(*http.Request, *params) (any, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	u := s.bot
	return &u, nil
}

func (s *Server) getChat(_ *http.Request, p *params) (any, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, err := s.chatLocked(p)
	if err != nil {
		return nil, err
	}
	mc := c.model()
	return &models.ChatFullInfo{ID: mc.ID, Type: mc.Type, Title: mc.Title, Username: mc.Username,
		FirstName: mc.FirstName, LastName: mc.LastName, MaxReactionCount: 11}, nil
}

func (s *Server) getChatMember(_ *http.Request, p *params) (any, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, err := s.chatLocked(p)
	if err != nil {
		return nil, err
	}
	uid, err := p.int64("user_id")
	if err != nil {
		return nil, err
	}
	var u models.User
	switch known, ok := s.users[uid]; {
	case uid == s.bot.ID:
		u = s.bot
	case ok:
		u = known.u
	default:
		return nil, badRequest("user not found")
	}
	status := models.ChatMemberTypeMember
	if c.typ != models.ChatTypePrivate {
		if status = c.members[uid]; status == "" {
			status = models.ChatMemberTypeLeft
		}
	} else if uid != c.id && uid != s.bot.ID {
		return nil, badRequest("user not found")
	}
	return chatMember(status, u), nil
}

// chatMember builds the ChatMember variant for a status.
func chatMember(status models.ChatMemberType, u models.User) *models.ChatMember {
	cm := &models.ChatMember{Type: status}
	switch status {
	case models.ChatMemberTypeOwner:
		cm.Owner = &models.ChatMemberOwner{User: &u}
	case models.ChatMemberTypeAdministrator:
		cm.Administrator = &models.ChatMemberAdministrator{User: u, CanManageChat: true, CanDeleteMessages: true}
	case models.ChatMemberTypeRestricted:
		cm.Restricted = &models.ChatMemberRestricted{User: &u, IsMember: true}
	case models.ChatMemberTypeLeft:
		cm.Left = &models.ChatMemberLeft{User: &u}
	case models.ChatMemberTypeBanned:
		cm.Banned = &models.ChatMemberBanned{User: &u}
	default:
		cm.Type = models.ChatMemberTypeMember
		cm.Member = &models.ChatMemberMember{User: &u}
	}
	return cm
}

var commandRE = regexp.MustCompile(`^[a-z0-9_]{1,32}$`)

// scopeKey reads a BotCommandScope JSON object into a map key; chat scopes
// must name a chat the bot can see.
func (s *Server) scopeKeyLocked(raw string) (string, error) {
	if strings.TrimSpace(raw) == "" {
		return "default", nil
	}
	var sc struct {
		Type   string          `json:"type"`
		ChatID json.RawMessage `json:"chat_id"`
		UserID int64           `json:"user_id"`
	}
	if json.Unmarshal([]byte(raw), &sc) != nil {
		return "", badRequest("can't parse BotCommandScope JSON object")
	}
	switch sc.Type {
	case "default", "all_private_chats", "all_group_chats", "all_chat_administrators":
		return sc.Type, nil
	case "chat", "chat_administrators", "chat_member":
	default:
		return "", badRequest("unsupported bot command scope type")
	}
	chatID := strings.Trim(string(sc.ChatID), `"`)
	id, err := strconv.ParseInt(chatID, 10, 64)
	if c, ok := s.chats[id]; err != nil || !ok || (c.user != nil && !c.user.started) {
		return "", badRequest("chat not found")
	}
	key := sc.Type + ":" + chatID
	if sc.Type == "chat_member" {
		key += ":" + strconv.FormatInt(sc.UserID, 10)
	}
	return key, nil
}

func commandsKey(scope, lang string) string { return scope + "|" + lang }

func (s *Server) setMyCommands(_ *http.Request, p *params) (any, error) {
	var cmds []models.BotCommand
	if p.json("commands", &cmds) != nil {
		return nil, badRequest("can't parse commands JSON array")
	}
	if len(cmds) > 100 {
		return nil, badRequest("too many commands specified")
	}
	for _, c := range cmds {
		if !commandRE.MatchString(c.Command) {
			return nil, badRequest("BOT_COMMAND_INVALID")
		}
		if n := utf8.RuneCountInString(strings.TrimSpace(c.Description)); n == 0 || n > 256 {
			return nil, badRequest("BOT_COMMAND_DESCRIPTION_INVALID")
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	scope, err := s.scopeKeyLocked(p.str("scope"))
	if err != nil {
		return nil, err
	}
	key := commandsKey(scope, p.str("language_code"))
	if len(cmds) == 0 {
		delete(s.commands, key)
	} else {
		s.commands[key] = cmds
	}
	s.notifyLocked()
	return true, nil
}

func (s *Server) getMyCommands(_ *http.Request, p *params) (any, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	scope, err := s.scopeKeyLocked(p.str("scope"))
	if err != nil {
		return nil, err
	}
	cmds := slices.Clone(s.commands[commandsKey(scope, p.str("language_code"))])
	if cmds == nil {
		cmds = []models.BotCommand{}
	}
	return cmds, nil
}

func (s *Server) deleteMyCommands(_ *http.Request, p *params) (any, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	scope, err := s.scopeKeyLocked(p.str("scope"))
	if err != nil {
		return nil, err
	}
	delete(s.commands, commandsKey(scope, p.str("language_code")))
	s.notifyLocked()
	return true, nil
}

// Commands returns the commands the bot registered for exactly this scope
// and language code (nil scope means the default scope; "" the default
// language), or nil.
func (s *Server) Commands(scope models.BotCommandScope, lang string) []models.BotCommand {
	raw := ""
	if scope != nil {
		b, err := scope.MarshalCustom()
		if err != nil {
			return nil
		}
		raw = string(b)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	key, err := s.scopeKeyLocked(raw)
	if err != nil {
		return nil
	}
	return slices.Clone(s.commands[commandsKey(key, lang)])
}
