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

	"github.com/orderbot/orderbot/bot/platform"
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
	out      *platform.Reply   // how this update is answered
	claim    *core.UpdateClaim // set by effect
	log      *slog.Logger
}

// handleTimeout bounds one update's work.
const handleTimeout = 60 * time.Second

// process handles one update. A panic is logged with its stack and answered
// with an apology; it never takes the process down. A callback query is
// always answered, whatever happened.
func (b *Bot) process(ctx context.Context, upd *models.Update) {
	ctx, cancel := context.WithTimeout(ctx, handleTimeout)
	defer cancel()
	chat := platform.ChatOf(upd)
	r := &req{ctx: ctx, b: b, upd: upd, chatID: chat, log: b.log.With("update_id", upd.ID),
		out: &platform.Reply{Ctx: ctx, Sender: b.send, Track: platform.TrackFrom(ctx), Chat: chat}}
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
		r.out.Callback = r.upd.CallbackQuery.ID
		if m := r.upd.CallbackQuery.Message.Message; m != nil {
			r.out.Message = m.ID
		}
		r.out.Quiet = platform.QuietTap(r.upd.CallbackQuery, routes.AnswersAtOnce)
		if platform.AnsweredAtOnce(r.ctx) {
			r.out.AnsweredAtOnce()
		}
	case r.upd.MyChatMember != nil:
		r.user = r.upd.MyChatMember.From
	case r.upd.PreCheckoutQuery != nil && r.upd.PreCheckoutQuery.From != nil:
		r.user = *r.upd.PreCheckoutQuery.From
	default:
		return nil
	}
	return r.identify()
}

// identify sets the language, role, actor and customer record of r.user.
func (r *req) identify() error {
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
	if r.user.LanguageCode == "" && cust.Lang != "" {
		r.lang = r.b.userLang(r.ctx, models.User{ID: r.user.ID, LanguageCode: cust.Lang})
	}
	return nil
}

// replyReq is a request standing in for the person who made a change, for
// the outbox to answer them as their handler would: the same screens, sent
// and waited for (the outbox records the outcome).
func (b *Bot) replyReq(ctx context.Context, chatID int64, msgID int, userID int64) (*req, error) {
	r := &req{ctx: ctx, b: b, chatID: chatID, user: models.User{ID: userID}, log: b.log.With("reply_to", userID),
		out: &platform.Reply{Ctx: ctx, Sender: b.send, Chat: chatID, Message: msgID, Sync: true, Prio: prio(ctx)}}
	if err := r.identify(); err != nil {
		return nil, err
	}
	return r, nil
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
func (r *req) finish() { r.out.Finish() }

// fail turns a handler's error into an answer and a log line: the safe
// message of a core error, a plain word when a service is down, or a short
// apology with a reference for anything else. A change already made for
// this update (handled before a crash) gets no second answer: its answer
// was written with it.
func (r *req) fail(err error) {
	if err == nil {
		return
	}
	var se *core.ShortageError
	switch {
	case errors.Is(err, core.ErrRepeated):
		r.log.Info("update handled before; its change and answer stand", "err", err)
	case errors.As(err, &se):
		r.say(r.shortage(se))
	case errors.Is(err, core.ErrUnavailable):
		r.log.Warn("service unavailable", "err", err)
		r.say(r.lang.T("err.unavailable"))
	case errors.Is(err, platform.ErrBlocked):
	case core.SafeMessage(err) != "":
		r.log.Info("refused", "err", err)
		r.say(r.lang.T("err.refused", r.refusal(err)))
	default:
		ref := newRef()
		r.log.Error("handler failed", "ref", ref, "err", err)
		r.sayError(err, ref)
	}
}

func (r *req) sayError(_ error, ref string) { r.say(r.lang.T("err.internal", ref)) }

// say tells the person something: a toast when a button was pressed and
// the text is short, else a message (platform.Reply.Say).
func (r *req) say(text string) { r.out.Say(text) }

// reply sends a new message to the chat; it is queued (the sender keeps the
// chat's order and the rate limits) and counted on the update's track.
func (r *req) reply(text string, markup any) error { return r.out.Send(text, markup) }

// show edits the message whose button was pressed, or sends a new one.
func (r *req) show(text string, k *kb) error { return r.out.Show(text, k.markup()) }

// answer answers the pressed button once, at once (not a message).
func (r *req) answer(text string, alert bool) { r.out.Answer(text, alert) }

// effect is the context for the core call that makes this update's change:
// the change marks the update done in its own transaction (a repeat of the
// update changes nothing: core.ErrRepeated), and the answer to the person,
// built from the change's order events, is written with it (see
// core.UpdateClaim). After the call, replied delivers that answer at once.
func (r *req) effect() context.Context {
	r.claim = &core.UpdateClaim{ID: r.upd.ID, Reply: core.MessageRef{ChatID: r.chatID, MessageID: r.out.Message}}
	return core.WithClaim(r.ctx, r.claim)
}

// effectQuiet is effect for a handler that answers by itself: the change
// still marks the update done in its transaction, but writes no answer
// (the handler's own messages, or the staff cards of the order, say it).
func (r *req) effectQuiet() context.Context {
	r.claim = &core.UpdateClaim{ID: r.upd.ID}
	return core.WithClaim(r.ctx, r.claim)
}

// replied wakes the outbox for the answer written with the change: the
// answer is the outbox's most urgent lane, so it goes out at once.
func (r *req) replied() {
	if r.claim != nil && r.claim.Made() {
		r.b.wake()
	}
}

func (r *req) isStaff() bool { return r.role.IsStaff() }

func newRef() string {
	b := make([]byte, 4)
	rand.Read(b) //nolint:errcheck
	return hex.EncodeToString(b)
}

// prioKey carries the priority of what a delivery sends.
type prioKey struct{}

func withPrio(ctx context.Context, p platform.Priority) context.Context {
	return context.WithValue(ctx, prioKey{}, p)
}

// prio is the priority of sends made under ctx: Direct unless the outbox
// set another.
func prio(ctx context.Context) platform.Priority {
	if p, ok := ctx.Value(prioKey{}).(platform.Priority); ok {
		return p
	}
	return platform.Direct
}

// units is the length of s as Telegram counts it.
func units(s string) int { return platform.Units(s) }
