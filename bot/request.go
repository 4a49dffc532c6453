package bot

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"
	"time"

	"github.com/go-telegram/bot/models"

	"github.com/orderbot/orderbot/core"
)

// req is one update being handled: who sent it, in which chat, their role
// and language, and the helpers handlers answer with.
type req struct {
	ctx      context.Context
	b        *Bot
	upd      *models.Update
	chatID   int64
	user     models.User
	role     core.Role
	actor    core.Actor
	customer *core.Customer // the sender's own customer record (customers only)
	lang     lang
	cbID     string // callback query being answered
	cbMsgID  int    // the message the pressed button is on
	answered bool
	log      *slog.Logger
}

// handleTimeout bounds one update's work.
const handleTimeout = 60 * time.Second

// process handles one update. A panic is logged with its stack and answered
// with an apology; it never takes the process down. A callback query is
// always answered, whatever happened.
func (b *Bot) process(upd *models.Update) {
	ctx, cancel := context.WithTimeout(context.Background(), handleTimeout)
	defer cancel()
	r := &req{ctx: ctx, b: b, upd: upd, chatID: chatOf(upd), log: b.log.With("update_id", upd.ID)}
	if b.lockChat != nil && r.chatID != 0 {
		unlock, err := b.lockChat(ctx, r.chatID)
		if err != nil {
			// Handling the update matters more than strict order across
			// replicas while Redis is away.
			r.log.Warn("chat lock unavailable; handling without it", "chat_id", r.chatID, "err", err)
		} else {
			defer unlock()
		}
	}
	start := time.Now()
	defer func() {
		if p := recover(); p != nil {
			ref := newRef()
			r.log.Error("handler panic", "ref", ref, "panic", fmt.Sprint(p), "stack", string(debug.Stack()))
			r.sayError(fmt.Errorf("panic %v", p), ref)
		}
		r.finish()
		b.observe(time.Since(start))
	}()
	if err := r.setup(); err != nil {
		r.fail(err)
		return
	}
	r.fail(b.route(r))
}

// setup identifies the sender: their role (checked on every update) and, for
// customers, their customer record, registered on first contact.
func (r *req) setup() error {
	switch {
	case r.upd.Message != nil && r.upd.Message.From != nil:
		r.user = *r.upd.Message.From
	case r.upd.CallbackQuery != nil:
		r.user = r.upd.CallbackQuery.From
		r.cbID = r.upd.CallbackQuery.ID
		if m := r.upd.CallbackQuery.Message.Message; m != nil {
			r.cbMsgID = m.ID
		}
	case r.upd.MyChatMember != nil:
		r.user = r.upd.MyChatMember.From
	default:
		return nil
	}
	r.lang = r.b.userLang(r.ctx, r.user)
	r.log = r.log.With("user_id", r.user.ID, "chat_id", r.chatID)
	role, err := r.b.svc.Staff.RoleOf(r.ctx, r.user.ID)
	if err != nil {
		return err
	}
	r.role = role
	name := core.TelegramProfile{UserID: r.user.ID, FirstName: r.user.FirstName, LastName: r.user.LastName, Username: r.user.Username}.Name()
	r.actor = core.Actor{Role: role, UserID: r.user.ID, Name: name}
	if role.IsStaff() || r.chatID != r.user.ID {
		return nil // staff, or a group chat: no customer record
	}
	cust, _, err := r.b.svc.Customers.Register(r.ctx, core.TelegramProfile{UserID: r.user.ID, FirstName: r.user.FirstName,
		LastName: r.user.LastName, Username: r.user.Username, Lang: r.user.LanguageCode})
	if err != nil {
		return err
	}
	r.customer = cust
	r.actor.CustomerID = cust.ID
	return nil
}

func (b *Bot) userLang(ctx context.Context, u models.User) lang {
	override, err := b.cache.Lang(ctx, u.ID)
	if err != nil {
		override = ""
	}
	return pickLang(override, u.LanguageCode, b.def)
}

// finish answers a callback query nobody answered, so the button stops
// spinning.
func (r *req) finish() {
	if r.cbID != "" && !r.answered {
		r.answer("", false)
	}
}

// fail turns a handler's error into an answer and a log line: the safe
// message of a core error, a plain word when a service is down, or a short
// apology with a reference for anything else.
func (r *req) fail(err error) {
	if err == nil {
		return
	}
	var se *core.ShortageError
	switch {
	case errors.As(err, &se):
		r.say(r.shortage(se))
	case errors.Is(err, core.ErrUnavailable):
		r.log.Warn("service unavailable", "err", err)
		r.say(r.lang.T("err.unavailable"))
	case errors.Is(err, errBlocked):
	case core.SafeMessage(err) != "":
		r.log.Info("refused", "err", err)
		r.say(r.lang.T("err.refused", core.SafeMessage(err)))
	default:
		ref := newRef()
		r.log.Error("handler failed", "ref", ref, "err", err)
		r.sayError(err, ref)
	}
}

func (r *req) sayError(_ error, ref string) { r.say(r.lang.T("err.internal", ref)) }

// say tells the person something: as the callback's answer (a toast) when a
// button was pressed and the text is short, else as a message.
func (r *req) say(text string) {
	if r.chatID == 0 {
		return
	}
	if r.cbID != "" && !r.answered && units(text) <= 190 {
		r.answer(stripTags(text), true)
		return
	}
	if _, err := r.b.send.message(r.ctx, r.chatID, text, nil); err != nil {
		r.log.Warn("reply failed", "err", err)
	}
}

// reply sends a new message to the chat.
func (r *req) reply(text string, markup any) error {
	_, err := r.b.send.message(r.ctx, r.chatID, text, markup)
	return err
}

// show puts a screen in front of the person: it edits the message whose
// button was pressed, or sends a new one.
func (r *req) show(text string, k *kb) error {
	if r.cbMsgID != 0 {
		return r.b.send.edit(r.ctx, r.chatID, r.cbMsgID, text, k.markup())
	}
	return r.reply(text, k.markup())
}

// answer answers the pressed button once.
func (r *req) answer(text string, alert bool) {
	if r.cbID == "" || r.answered {
		return
	}
	r.answered = true
	if err := r.b.send.answer(r.ctx, r.cbID, text, alert); err != nil {
		r.log.Warn("answer callback", "err", err)
	}
}

func (r *req) isStaff() bool { return r.role.IsStaff() }

func newRef() string {
	b := make([]byte, 4)
	rand.Read(b) //nolint:errcheck
	return hex.EncodeToString(b)
}
