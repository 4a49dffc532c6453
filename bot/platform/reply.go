package platform

import (
	"context"
	"regexp"
	"strings"
)

// Reply is how a handler answers the update it handles: new messages and
// edits in the update's chat, and the answer to its button, all queued on
// the sender and counted on the update's track (so the update is marked
// handled once they are out). With Sync (the outbox answering for a
// handler after a crash) sends wait for Telegram and report its answer.
type Reply struct {
	Ctx    context.Context
	Sender *Sender
	Track  *Track
	// Chat is where the answer goes; Callback the button press being
	// answered ("" for a message); Message the message whose button was
	// pressed (0 when there is none, or when the answer must not replace
	// it).
	Chat     int64
	Callback string
	Message  int
	// Sync makes sends wait for Telegram; Prio is their priority then
	// (Direct otherwise).
	Sync bool
	Prio Priority
	// Quiet says the button's route shows screens only (Router.Quiet):
	// what the handler says goes as a message, never as a toast.
	Quiet    bool
	answered bool
}

// AnsweredAtOnce notes that the intake answered the button already
// (platform.AnsweredAtOnce): Answer and Finish do nothing.
func (r *Reply) AnsweredAtOnce() { r.answered = true }

// Send sends a new message to the chat. It queues the message and returns
// at once, unless Sync.
func (r *Reply) Send(text string, markup any) error {
	if r.Sync {
		_, err := r.Sender.SendWait(r.Ctx, r.Chat, r.Prio, text, markup)
		return err
	}
	r.Sender.Send(r.Track, r.Chat, Direct, text, markup)
	return nil
}

// Show puts a screen in front of the person: it edits the message whose
// button was pressed (a later edit of it not yet sent replaces this one),
// or sends a new one.
func (r *Reply) Show(text string, markup any) error {
	switch {
	case r.Message != 0 && r.Sync:
		return r.Sender.EditWait(r.Ctx, r.Chat, r.Message, r.Prio, text, markup)
	case r.Message != 0:
		r.Sender.Edit(r.Track, r.Chat, r.Message, Direct, text, markup)
		return nil
	}
	return r.Send(text, markup)
}

// Answer answers the pressed button once, at once: it is not a message and
// waits for no limit. A text shows as a toast, or as an alert.
func (r *Reply) Answer(text string, alert bool) {
	if r.Callback == "" || r.answered {
		return
	}
	r.answered = true
	r.Sender.Answer(r.Ctx, r.Track, r.Callback, text, alert)
}

// Answered reports whether the button was answered.
func (r *Reply) Answered() bool { return r.answered }

// Say tells the person something (HTML): as the button's answer, which
// costs no message, when a button was pressed and the text fits a toast;
// else as a message.
func (r *Reply) Say(text string) {
	if r.Chat == 0 {
		return
	}
	if r.Callback != "" && !r.answered && !r.Quiet && Units(text) <= maxToast {
		r.Answer(StripTags(text), true)
		return
	}
	r.Send(text, nil) //nolint:errcheck // nothing more to tell
}

// Finish answers a button nobody answered, so it stops spinning.
func (r *Reply) Finish() { r.Answer("", false) }

// maxToast is what Telegram shows of a callback answer.
const maxToast = 190

var tagRE = regexp.MustCompile(`<[^>]*>`)

// StripTags turns HTML of the bot's texts into plain text (toasts, logs).
func StripTags(s string) string {
	s = tagRE.ReplaceAllString(s, "")
	return strings.NewReplacer("&lt;", "<", "&gt;", ">", "&quot;", `"`, "&#34;", `"`, "&#39;", "'", "&amp;", "&").Replace(s)
}
