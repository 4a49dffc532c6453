package fakeapi

import (
	"context"
	"slices"
	"sync"
	"testing"
	"time"

	tg "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"
)

func TestGetUpdatesOffsetSemantics(t *testing.T) {
	srv := newServer(t)
	u1 := need(t)(srv.SendText(alice.ID, "one"))
	u2 := need(t)(srv.SendText(alice.ID, "two"))
	u3 := need(t)(srv.SendText(bob.ID, "three"))
	if u2 != u1+1 || u3 != u2+1 {
		t.Fatalf("ids %d %d %d are not consecutive", u1, u2, u3)
	}
	if got := updateIDs(t, callJSON(t, srv, "getUpdates", map[string]any{"limit": 2})); !slices.Equal(got, []int64{u1, u2}) {
		t.Fatalf("limit 2 = %v", got)
	}
	// Without an offset nothing is confirmed: the same updates come again.
	if got := updateIDs(t, callJSON(t, srv, "getUpdates", map[string]any{})); !slices.Equal(got, []int64{u1, u2, u3}) {
		t.Fatalf("unconfirmed = %v", got)
	}
	// offset u2 confirms u1 for good.
	if got := updateIDs(t, callJSON(t, srv, "getUpdates", map[string]any{"offset": u2})); !slices.Equal(got, []int64{u2, u3}) {
		t.Fatalf("offset u2 = %v", got)
	}
	if got := updateIDs(t, callJSON(t, srv, "getUpdates", map[string]any{"offset": 0})); !slices.Equal(got, []int64{u2, u3}) {
		t.Fatalf("u1 came back after confirmation: %v", got)
	}
	if got := updateIDs(t, callJSON(t, srv, "getUpdates", map[string]any{"offset": u3 + 1})); len(got) != 0 {
		t.Fatalf("all confirmed, got %v", got)
	}
	if srv.PendingUpdates() != 0 {
		t.Fatalf("pending = %d", srv.PendingUpdates())
	}
	// Redeliver brings a confirmed update back with the same id, once.
	if _, err := srv.Redeliver(u2); err != nil {
		t.Fatal(err)
	}
	if got := updateIDs(t, callJSON(t, srv, "getUpdates", map[string]any{"offset": u3 + 1})); !slices.Equal(got, []int64{u2}) {
		t.Fatalf("redelivered = %v", got)
	}
	if got := updateIDs(t, callJSON(t, srv, "getUpdates", map[string]any{"offset": u2 + 1})); len(got) != 0 {
		t.Fatalf("redelivered update confirmed, got %v", got)
	}
	if _, err := srv.Redeliver(1); err == nil {
		t.Fatal("Redeliver of an unknown update must fail")
	}
}

func TestLongPollWakesUpAndTimesOut(t *testing.T) {
	srv := newServer(t)
	start := time.Now()
	if got := updateIDs(t, callJSON(t, srv, "getUpdates", map[string]any{"timeout": 1})); len(got) != 0 {
		t.Fatalf("empty poll = %v", got)
	}
	if d := time.Since(start); d < 900*time.Millisecond || d > 3*time.Second {
		t.Fatalf("timeout 1 returned after %v", d)
	}
	done := make(chan apiResult, 1)
	go func() {
		r, err := postJSON(srv, "getUpdates", map[string]any{"timeout": 30})
		if err != nil {
			r.Description = err.Error()
		}
		done <- r
	}()
	ctx := testCtx(t)
	if err := srv.waitFor(ctx, func() bool { return srv.upd.polling == 1 }); err != nil {
		t.Fatal(err)
	}
	id := need(t)(srv.SendText(alice.ID, "wake up"))
	select {
	case r := <-done:
		if got := updateIDs(t, r); !slices.Equal(got, []int64{id}) {
			t.Fatalf("woken poll = %v", got)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("long poll did not wake up")
	}
}

func TestRedeliverReachesHandlerTwice(t *testing.T) {
	srv := newServer(t)
	ctx := testCtx(t)
	var mu sync.Mutex
	var seen []int64
	startBot(t, srv, tg.WithDefaultHandler(func(ctx context.Context, b *tg.Bot, u *models.Update) {
		mu.Lock()
		seen = append(seen, u.ID)
		mu.Unlock()
		_, _ = sendTo(ctx, b, u.Message.Chat.ID, "got "+u.Message.Text, "")
	}))
	id := need(t)(srv.SendText(alice.ID, "pay order 7"))
	if _, err := srv.WaitBotMessage(ctx, alice.ID, nil); err != nil {
		t.Fatal(err)
	}
	if err := srv.WaitIdle(ctx); err != nil {
		t.Fatal(err)
	}
	cur := srv.Cursor()
	need(t)(srv.Redeliver(id))
	if _, err := srv.WaitBotMessageAfter(ctx, cur, alice.ID, nil); err != nil {
		t.Fatal(err)
	}
	later := need(t)(srv.SendText(alice.ID, "next"))
	if _, err := srv.WaitBotMessage(ctx, alice.ID, func(m Message) bool { return m.PlainText == "got next" }); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	if !slices.Equal(seen, []int64{id, id, later}) {
		t.Fatalf("handler saw %v, want [%d %d %d]", seen, id, id, later)
	}
}

func TestAllowedUpdatesFilter(t *testing.T) {
	srv := newServer(t)
	need(t)(srv.SendText(alice.ID, "text"))
	r := callJSON(t, srv, "getUpdates", map[string]any{"allowed_updates": []string{"callback_query"}})
	if got := updateIDs(t, r); len(got) != 0 {
		t.Fatalf("message delivered despite allowed_updates: %v", got)
	}
	if got := srv.AllowedUpdates(); !slices.Equal(got, []string{"callback_query"}) {
		t.Fatalf("AllowedUpdates = %v", got)
	}
	// Omitting the parameter keeps the previous list.
	need(t)(srv.SendText(alice.ID, "text 2"))
	if got := updateIDs(t, callJSON(t, srv, "getUpdates", map[string]any{})); len(got) != 0 {
		t.Fatalf("previous list not kept: %v", got)
	}
	if got := srv.AllowedUpdates(); !slices.Equal(got, []string{"callback_query"}) {
		t.Fatalf("AllowedUpdates = %v", got)
	}
}

func TestGetUpdatesConflicts(t *testing.T) {
	srv := newServer(t)
	r := callJSON(t, srv, "setWebhook", map[string]any{"url": "http://127.0.0.1:1/hook"})
	if !r.OK || r.Description != "Webhook was set" {
		t.Fatalf("setWebhook = %+v", r)
	}
	r = callJSON(t, srv, "getUpdates", map[string]any{})
	want := "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first"
	if r.OK || r.ErrorCode != 409 || r.Description != want {
		t.Fatalf("getUpdates with webhook = %+v", r)
	}
	if r := callJSON(t, srv, "deleteWebhook", map[string]any{}); !r.OK || r.Description != "Webhook was deleted" {
		t.Fatalf("deleteWebhook = %+v", r)
	}
	if r := callJSON(t, srv, "getUpdates", map[string]any{}); !r.OK {
		t.Fatalf("getUpdates after deleteWebhook = %+v", r)
	}
}
