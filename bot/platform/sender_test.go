package platform_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	tg "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"github.com/orderbot/orderbot/bot/fakeapi"
	"github.com/orderbot/orderbot/bot/platform"
)

// rig is a sender on the real client against the fake Bot API, with users
// who started the bot.
type rig struct {
	srv     *fakeapi.Server
	obs     *fakeapi.Observer
	send    *platform.Sender
	blocked *blockedChats
}

type blockedChats struct {
	mu    sync.Mutex
	chats []int64
}

func (b *blockedChats) MarkBlocked(_ context.Context, chat int64, _ time.Time) error {
	b.mu.Lock()
	b.chats = append(b.chats, chat)
	b.mu.Unlock()
	return nil
}

func newRig(t *testing.T, lim platform.Limits, users ...int64) *rig {
	t.Helper()
	srv := fakeapi.New()
	if err := srv.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	for _, u := range users {
		srv.AddUser(models.User{ID: u, FirstName: fmt.Sprint("U", u)})
		if _, err := srv.SendText(u, "/start"); err != nil {
			t.Fatal(err)
		}
	}
	api, err := tg.New("1:test", tg.WithServerURL(srv.URL()), tg.WithSkipGetMe(),
		tg.WithHTTPClient(time.Minute, &http.Client{Timeout: time.Minute}))
	if err != nil {
		t.Fatal(err)
	}
	r := &rig{srv: srv, obs: srv.Observe(), blocked: &blockedChats{}}
	t.Cleanup(r.obs.Close)
	r.send = platform.NewSender(api, lim, r.blocked, slog.New(slog.NewTextHandler(io.Discard, nil)))
	t.Cleanup(r.send.Stop)
	return r
}

func (r *rig) wait(t *testing.T, chat int64, want string) fakeapi.Seen {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	seen, _, err := r.obs.Wait(ctx, chat, 0, func(m fakeapi.Message) bool { return strings.Contains(m.PlainText, want) })
	if err != nil {
		t.Fatalf("waiting for %q in chat %d: %v", want, chat, err)
	}
	return seen
}

// TestSender_AChatWaitingHoldsUpNobody: a chat whose per-chat budget is
// spent waits alone; another chat's message goes out at once.
func TestSender_AChatWaitingHoldsUpNobody(t *testing.T) {
	r := newRig(t, platform.Limits{Global: 100, PerChat: 1, ChatBurst: 1}, 1, 2)
	start := time.Now()
	for i := range 4 {
		r.send.Send(nil, 1, platform.Direct, fmt.Sprintf("busy %d", i), nil)
	}
	r.send.Send(nil, 2, platform.Direct, "quiet chat", nil)
	other := r.wait(t, 2, "quiet chat")
	second := r.wait(t, 1, "busy 1")
	last := r.wait(t, 1, "busy 3")
	if !other.At.Before(second.At) {
		t.Errorf("the other chat's message went after the busy chat's second: it waited behind it")
	}
	if d := last.At.Sub(start); d < 2500*time.Millisecond {
		t.Errorf("four messages to one chat at 1/s (burst 1) took only %v", d)
	}
	for i, e := range r.obs.Events(1) {
		if want := fmt.Sprintf("busy %d", i); !strings.Contains(e.Message.PlainText, want) {
			t.Errorf("message %d of the busy chat is %q, want %q: a chat keeps its order", i, e.Message.PlainText, want)
		}
	}
}

// TestSender_EditsOfAMessageCoalesce: quick successive edits of one message
// cost one call for those still waiting; the latest text wins.
func TestSender_EditsOfAMessageCoalesce(t *testing.T) {
	r := newRig(t, platform.Limits{Global: 100, PerChat: 1, ChatBurst: 1}, 1)
	id, err := r.send.SendWait(context.Background(), 1, platform.Direct, "screen 0", nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := 1; i <= 5; i++ {
		r.send.Edit(nil, 1, id, platform.Direct, fmt.Sprintf("screen %d", i), nil)
	}
	r.wait(t, 1, "screen 5")
	if !r.send.Drain(10 * time.Second) {
		t.Fatal("not drained")
	}
	if n := r.srv.Requests("editMessageText"); n > 2 {
		t.Errorf("%d edit calls for 5 edits made while the chat waited; want them coalesced", n)
	}
	if st := r.send.Snapshot(); st.Coalesced < 3 {
		t.Errorf("coalesced %d", st.Coalesced)
	}
	m, _ := r.srv.LastBotMessage(1)
	if m.PlainText != "screen 5" {
		t.Errorf("the screen ends on %q", m.PlainText)
	}
}

// TestSender_DirectAnswersGoFirst: with the global budget spent, an answer
// to what someone just did goes before queued bulk messages.
func TestSender_DirectAnswersGoFirst(t *testing.T) {
	users := []int64{1, 2, 3, 4, 5, 6, 7}
	r := newRig(t, platform.Limits{Global: 2, GlobalBurst: 1, PerChat: 100, ChatBurst: 100}, users...)
	for _, u := range users[:6] {
		r.send.Send(nil, u, platform.Bulk, fmt.Sprintf("reminder to %d", u), nil)
	}
	r.send.Send(nil, 7, platform.Direct, "your order is placed", nil)
	direct := r.wait(t, 7, "your order is placed")
	later := 0
	for _, u := range users[:6] {
		if r.wait(t, u, "reminder").At.After(direct.At) {
			later++
		}
	}
	if later < 4 {
		t.Errorf("only %d of 6 queued reminders went after the direct answer", later)
	}
}

// TestSender_TooManyRequests: a 429 pauses its chat for retry_after and the
// message goes then; other chats are not held up.
func TestSender_TooManyRequests(t *testing.T) {
	r := newRig(t, platform.Limits{Global: 100, PerChat: 100, ChatBurst: 100}, 1, 2)
	r.srv.FailNext("sendMessage", 1, http.StatusTooManyRequests, "", 1)
	start := time.Now()
	r.send.Send(nil, 1, platform.Direct, "after a pause", nil)
	time.Sleep(50 * time.Millisecond)
	r.send.Send(nil, 2, platform.Direct, "not held up", nil)
	other := r.wait(t, 2, "not held up")
	paused := r.wait(t, 1, "after a pause")
	if !other.At.Before(paused.At) {
		t.Errorf("another chat waited for one chat's 429")
	}
	if d := paused.At.Sub(start); d < time.Second {
		t.Errorf("sent %v after a 429 with retry_after 1", d)
	}
	r.send.Drain(5 * time.Second)
	if st := r.send.Snapshot(); st.Limited != 1 || st.Sent != 2 {
		t.Errorf("stats %+v", st)
	}
}

// TestSender_BlockedChat: a chat that blocked the bot is marked, and what
// was queued for it is dropped with the reason.
func TestSender_BlockedChat(t *testing.T) {
	r := newRig(t, platform.Limits{Global: 100, PerChat: 1, ChatBurst: 1}, 1)
	if _, err := r.srv.BlockBot(1); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() {
		_, err := r.send.SendWait(context.Background(), 1, platform.Notice, "second", nil)
		done <- err
	}()
	_, err := r.send.SendWait(context.Background(), 1, platform.Notice, "first", nil)
	if err == nil || !strings.Contains(err.Error(), "blocked") {
		t.Fatalf("first: %v", err)
	}
	if err := <-done; err == nil {
		t.Fatal("second went to a chat that blocked the bot")
	}
	if len(r.blocked.chats) != 1 || r.blocked.chats[0] != 1 {
		t.Fatalf("marked blocked: %v", r.blocked.chats)
	}
}

// TestSender_AnswersAreNotMessages: answers to taps go out at once however
// full the message queue is.
func TestSender_AnswersAreNotMessages(t *testing.T) {
	r := newRig(t, platform.Limits{Global: 1, GlobalBurst: 1, PerChat: 1, ChatBurst: 1}, 1)
	for i := range 5 {
		r.send.Send(nil, 1, platform.Direct, fmt.Sprintf("slow %d", i), nil)
	}
	id, err := r.srv.PressData(1, r.wait(t, 1, "slow 0").Message.ID, "x")
	if err != nil {
		t.Fatal(err)
	}
	upd, _ := r.srv.Update(id)
	r.send.Answer(context.Background(), nil, upd.CallbackQuery.ID, "done", false)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_, at, err := r.obs.Answer(ctx, upd.CallbackQuery.ID)
	if err != nil {
		t.Fatal(err)
	}
	if next := r.wait(t, 1, "slow 1"); !at.Before(next.At) {
		t.Fatal("the answer to a tap waited behind queued messages")
	}
}
