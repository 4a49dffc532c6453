package platform

import (
	"context"
	"encoding/json"

	"github.com/go-telegram/bot/models"
)

// Taps of quiet routes (Router.Quiet: the route shows a screen and never a
// toast) are answered as soon as they are stored, before they wait for
// their chat's earlier updates and a worker: the button stops spinning at
// once, and the screen follows when the handler has run. The handler then
// does not answer the tap again (AnsweredAtOnce); what it has to say goes
// as a message. A tap stored but not answered before a crash is answered by
// its handler after the restart, as any other.

// peeked is what the intake reads of a stored update before handling it.
type peeked struct {
	PreCheckout *struct{} `json:"pre_checkout_query"`
	Callback    *struct {
		ID   string `json:"id"`
		Data string `json:"data"`
		From struct {
			ID int64 `json:"id"`
		} `json:"from"`
		Message *struct {
			Chat struct {
				ID int64 `json:"id"`
			} `json:"chat"`
		} `json:"message"`
	} `json:"callback_query"`
}

func peek(u Incoming) peeked {
	var p peeked
	if json.Unmarshal(u.Payload, &p) != nil {
		return peeked{}
	}
	return p
}

// quietPress is the one rule of what is answered at intake: a press in a
// private chat (the chat is the presser's) of a route atOnce accepts.
func quietPress(from, chat int64, data string, atOnce func(data string) bool) bool {
	return atOnce != nil && chat == from && atOnce(data)
}

// quietTap is quietPress of a stored update: the query to answer, if so.
func (p peeked) quietTap(atOnce func(data string) bool) (queryID string, ok bool) {
	c := p.Callback
	if c == nil || c.ID == "" || c.Message == nil {
		return "", false
	}
	return c.ID, quietPress(c.From.ID, c.Message.Chat.ID, c.Data, atOnce)
}

// QuietTap reports whether a tap is one the intake answers at once with
// atOnce (the flows' Router.AnswersAtOnce): a handler asks it to know that
// its answers are messages.
func QuietTap(cq *models.CallbackQuery, atOnce func(data string) bool) bool {
	if cq == nil || cq.Message.Message == nil {
		return false
	}
	return quietPress(cq.From.ID, cq.Message.Message.Chat.ID, cq.Data, atOnce)
}

// answerAtOnce answers the quiet taps among fresh updates, in the
// background, and notes them so that their handlers do not answer again
// (and their updates are done only once the answers are out).
func (in *Intake) answerAtOnce(fresh []Incoming, peeks []peeked) {
	if in.atOnce == nil || in.sender == nil {
		return
	}
	type tap struct {
		id       string
		answered chan struct{}
	}
	var taps []tap
	in.umu.Lock()
	for i, u := range fresh {
		if id, ok := peeks[i].quietTap(in.atOnce); ok {
			if len(in.early) > 100_000 { // taps handled by another replica: their handlers answered again, in vain
				clear(in.early)
			}
			t := tap{id: id, answered: make(chan struct{})}
			in.early[u.ID] = t.answered
			taps = append(taps, t)
		}
	}
	in.umu.Unlock()
	if len(taps) == 0 {
		return
	}
	go func() {
		for _, t := range taps {
			tr := NewTrack(func() { close(t.answered) })
			in.sender.Answer(context.Background(), tr, t.id, "", false)
			tr.Close()
		}
	}()
}

// answeredEarly returns (once) the channel closed when the intake's answer
// to update id's tap is out; nil when the intake did not answer it.
func (in *Intake) answeredEarly(id int64) chan struct{} {
	in.umu.Lock()
	defer in.umu.Unlock()
	ch := in.early[id]
	delete(in.early, id)
	return ch
}

type answeredKey struct{}

// AnsweredAtOnce reports whether the tap of the update being handled with
// ctx was answered at intake: its handler must not answer it again.
func AnsweredAtOnce(ctx context.Context) bool {
	ok, _ := ctx.Value(answeredKey{}).(bool)
	return ok
}
