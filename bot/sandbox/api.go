package sandbox

import (
	"net/http"
	"strings"
	"unicode/utf16"

	"github.com/orderbot/orderbot/bot/fakeapi"
)

// botView names the bot in the page's header.
type botView struct {
	Name     string `json:"name"`
	Username string `json:"username"`
}

// personasBody answers GET api/personas.
type personasBody struct {
	Title    string    `json:"title"`
	Bot      botView   `json:"bot"`
	Personas []Persona `json:"personas"`
}

// sentBody answers the endpoints that act as a user: the id of the update
// the bot will receive, and for presses the callback query's id.
type sentBody struct {
	UpdateID int64  `json:"update_id"`
	QueryID  string `json:"query_id,omitempty"`
}

func (p *Page) listPersonas(w http.ResponseWriter, _ *http.Request) error {
	b := p.srv.BotUser()
	writeJSON(w, http.StatusOK, personasBody{Title: p.title, Bot: botView{Name: b.FirstName, Username: b.Username},
		Personas: p.people.all()})
	return nil
}

// addCustomer answers POST api/personas {name?, lang?} with the new
// customer (201).
func (p *Page) addCustomer(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		Name string `json:"name"`
		Lang string `json:"lang"`
	}
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	per, err := p.people.newCustomer(in.Name, in.Lang)
	if err != nil {
		return errorf(http.StatusBadRequest, "%v", err)
	}
	if err := register(p.srv, per); err != nil {
		return err
	}
	p.hub.broadcast(sseEvent{name: "personas", data: p.people.all()})
	writeJSON(w, http.StatusCreated, per)
	return nil
}

// chatBody is a persona's private chat with the bot: the messages not
// deleted, oldest first, and the reply keyboard the persona sees.
type chatBody struct {
	Persona       Persona       `json:"persona"`
	Messages      []messageView `json:"messages"`
	ReplyKeyboard [][]replyView `json:"reply_keyboard"`
}

func (p *Page) chatOf(per Persona) chatBody {
	out := chatBody{Persona: per, Messages: []messageView{}}
	for _, m := range p.srv.Messages(per.ID) {
		if m.FromBot && (m.ReplyKeyboard != nil || m.RemoveKeyboard) {
			out.ReplyKeyboard = replyKeyboardView(m.ReplyKeyboard)
		}
		if !m.Deleted {
			out.Messages = append(out.Messages, newView(m))
		}
	}
	return out
}

func (p *Page) chat(w http.ResponseWriter, r *http.Request) error {
	per, err := p.personaParam(r)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, p.chatOf(per))
	return nil
}

// send answers POST api/send {user, text}: the persona writes to the bot.
func (p *Page) send(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		User int64  `json:"user"`
		Text string `json:"text"`
	}
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	if _, err := p.persona(in.User); err != nil {
		return err
	}
	if strings.TrimSpace(in.Text) == "" {
		return errorf(http.StatusBadRequest, "text is empty")
	}
	if n := len(utf16.Encode([]rune(in.Text))); n > fakeapi.MaxTextLength {
		return errorf(http.StatusBadRequest, "text is %d characters long; Telegram allows %d", n, fakeapi.MaxTextLength)
	}
	id, err := p.srv.SendText(in.User, in.Text)
	return p.sent(w, id, "", err)
}

// press answers POST api/press {user, message_id, data}: the persona
// presses the inline button with that callback data on a bot message.
// Only buttons the message shows now can be pressed, as in a real client.
func (p *Page) press(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		User      int64  `json:"user"`
		MessageID int    `json:"message_id"`
		Data      string `json:"data"`
	}
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	if _, err := p.persona(in.User); err != nil {
		return err
	}
	if in.Data == "" || len(in.Data) > fakeapi.MaxCallbackData {
		return errorf(http.StatusBadRequest, "data must be 1 to %d bytes of callback data", fakeapi.MaxCallbackData)
	}
	m, err := p.chatMessage(in.User, in.MessageID)
	if err != nil {
		return err
	}
	if !hasButton(m, in.Data) {
		return errorf(http.StatusConflict, "message %d has no button with that data now (it was edited)", in.MessageID)
	}
	upd, err := p.srv.PressData(in.User, in.MessageID, in.Data)
	if err != nil {
		return errorf(http.StatusConflict, "%s", strings.TrimPrefix(err.Error(), "fakeapi: "))
	}
	query := ""
	if u, ok := p.srv.Update(upd); ok && u.CallbackQuery != nil {
		query = u.CallbackQuery.ID
		p.hub.track(query, in.User)
	}
	return p.sent(w, upd, query, nil)
}

func hasButton(m fakeapi.Message, data string) bool {
	for _, row := range m.InlineKeyboard {
		for _, b := range row {
			if b.CallbackData == data {
				return true
			}
		}
	}
	return false
}

// chatMessage finds a message of the persona's chat that is not deleted.
func (p *Page) chatMessage(user int64, id int) (fakeapi.Message, error) {
	if id <= 0 {
		return fakeapi.Message{}, errorf(http.StatusBadRequest, "message_id must be a positive integer")
	}
	for _, m := range p.srv.Messages(user) {
		if m.ID != id {
			continue
		}
		if m.Deleted {
			return m, errorf(http.StatusNotFound, "message %d was deleted", id)
		}
		return m, nil
	}
	return fakeapi.Message{}, errorf(http.StatusNotFound, "no message %d in the chat of user %d", id, user)
}

// contact answers POST api/contact {user}: the persona shares their own
// phone, as a request_contact button does.
func (p *Page) contact(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		User int64 `json:"user"`
	}
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	per, err := p.persona(in.User)
	if err != nil {
		return err
	}
	id, err := p.srv.ShareContact(per.ID, per.Phone, per.ID)
	return p.sent(w, id, "", err)
}

// sent answers an action taken as a user; errors from the fake server are
// refusals of a well-formed request (409).
func (p *Page) sent(w http.ResponseWriter, updateID int64, query string, err error) error {
	if err != nil {
		return errorf(http.StatusConflict, "%s", strings.TrimPrefix(err.Error(), "fakeapi: "))
	}
	writeJSON(w, http.StatusOK, sentBody{UpdateID: updateID, QueryID: query})
	return nil
}
