package bot

import (
	"strings"
	"time"

	"github.com/go-telegram/bot/models"

	"github.com/orderbot/orderbot/bot/platform"
	"github.com/orderbot/orderbot/core"
)

// routes are the flows' buttons and commands, registered by each feature
// file's init; the platform parses callback data and checks access.
var routes = platform.NewRouter[*req]()

// flowStep handles a message typed while a dialog waits for it.
type flowStep func(r *req, d *dialog, m *models.Message) error

var (
	flows       = map[string]flowStep{}
	flowPrompts = map[string]func(r *req, d *dialog) error{}
)

func onCallback(verb string, arity int, staff bool, fn func(r *req, c callback) error) {
	access := platform.Anyone
	if staff {
		access = platform.Staff
	}
	routes.OnButton(verb, arity, access, fn)
}

func onCommand(name string, staff, owner bool, fn func(r *req, args string) error) {
	access := platform.Anyone
	switch {
	case owner:
		access = platform.Owner
	case staff:
		access = platform.Staff
	}
	routes.OnCommand(name, access, fn)
}

func onFlow(name string, step flowStep) { flows[name] = step }

// onFlowPrompt registers how a flow shows where it stands (its current
// question), for an update handled again after its answer was lost.
func onFlowPrompt(name string, prompt func(r *req, d *dialog) error) { flowPrompts[name] = prompt }

// allowed says whether the request's user may use a route of access a.
func (r *req) allowed(a platform.Access) bool {
	switch a {
	case platform.Owner:
		return r.role == core.RoleOwner
	case platform.Staff:
		return r.isStaff()
	}
	return true
}

func (b *Bot) route(r *req) error {
	u := r.upd
	if ok, err := b.routePayment(r); ok {
		return err
	}
	switch {
	case u.CallbackQuery != nil:
		return b.routeCallback(r)
	case u.Message != nil:
		return b.routeMessage(r)
	case u.MyChatMember != nil:
		return b.routeMember(r)
	}
	return nil
}

// routeCallback parses the data strictly: stale, unknown or forged data
// gets a refusal and changes nothing.
func (b *Bot) routeCallback(r *req) error {
	data := r.upd.CallbackQuery.Data
	route, c, err := routes.Button(data)
	if err != nil {
		r.log.Warn("bad callback data", "data", clip(data, 80), "err", err)
		r.answer(r.lang.Plain("err.stale"), true)
		return nil
	}
	if !r.allowed(route.Access) {
		r.log.Warn("customer pressed a staff button", "verb", c.Verb)
		r.answer(r.lang.Plain("err.staff_only"), true)
		return nil
	}
	if route.Access == platform.Anyone && r.customer == nil && !r.isStaff() {
		r.answer(r.lang.Plain("err.stale"), true) // a customer button pressed in a group
		return nil
	}
	return route.Handle(r, c)
}

func (b *Bot) routeMessage(r *req) error {
	m := r.upd.Message
	if m.Chat.Type != models.ChatTypePrivate || m.From == nil {
		return nil // groups only get cards; their buttons come as callbacks
	}
	if err := b.chats.Unblock(r.ctx, r.chatID); err != nil {
		r.log.Warn("unblock chat", "err", err)
	}
	if err := core.CheckText("message", m.Text+m.Caption, 1<<16); err != nil {
		// Nothing typed with a NUL or another control character goes
		// anywhere: not into a search, an address, a dialog or the database.
		return r.reply(r.lang.T("err.bad_text"), nil)
	}
	if name, args, ok := platform.SplitCommand(m.Text); ok {
		return b.runCommand(r, name, args)
	}
	d, err := r.loadDialog()
	if err != nil {
		return err
	}
	if step, ok := flows[d.Flow]; ok {
		if r.applied(d) {
			if prompt := flowPrompts[d.Flow]; prompt != nil {
				return prompt(r, d)
			}
			return nil
		}
		return step(r, d, m)
	}
	switch {
	case m.Contact != nil:
		return onContact(r, m.Contact)
	case m.Document != nil:
		return onDocument(r, m.Document)
	case strings.TrimSpace(m.Text) != "":
		return onText(r, strings.TrimSpace(m.Text))
	}
	return r.reply(r.lang.T("text.unknown"), nil)
}

func (b *Bot) runCommand(r *req, name, args string) error {
	route, ok := routes.Command(name)
	if !ok || !r.allowed(route.Access) {
		return r.reply(r.lang.T("text.unknown"), nil)
	}
	if err := r.clearDialog(); err != nil {
		r.log.Warn("clear dialog", "err", err)
	}
	return route.Handle(r, args)
}

// routeMember notes when a user blocks or unblocks the bot.
func (b *Bot) routeMember(r *req) error {
	cm := r.upd.MyChatMember
	if cm.Chat.Type != models.ChatTypePrivate {
		return nil
	}
	switch cm.NewChatMember.Type {
	case models.ChatMemberTypeBanned, models.ChatMemberTypeLeft:
		return b.chats.MarkBlocked(r.ctx, cm.Chat.ID, time.Now())
	}
	return b.chats.Unblock(r.ctx, cm.Chat.ID)
}
