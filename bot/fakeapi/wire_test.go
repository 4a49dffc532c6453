package fakeapi

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"testing"
	"time"

	tg "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"
)

func TestJSONAndFormBodies(t *testing.T) {
	srv := newServer(t)
	need(t)(srv.SendText(alice.ID, "hi"))
	r := callJSON(t, srv, "sendMessage", map[string]any{"chat_id": alice.ID, "text": "json <b>body</b>", "parse_mode": "HTML",
		"reply_markup": map[string]any{"inline_keyboard": [][]map[string]string{{{"text": "Go", "callback_data": "go"}}}}})
	if !r.OK {
		t.Fatalf("json sendMessage = %+v", r)
	}
	r = callForm(t, srv, "sendMessage", url.Values{"chat_id": {"1001"}, "text": {"form body"},
		"reply_markup": {`{"keyboard":[["Catalog",{"text":"Share phone","request_contact":true}]],"resize_keyboard":true}`}})
	if !r.OK {
		t.Fatalf("form sendMessage = %+v", r)
	}
	ms := srv.BotMessages(alice.ID)
	if len(ms) != 2 || ms[0].PlainText != "json body" || ms[0].InlineKeyboard[0][0].CallbackData != "go" {
		t.Fatalf("json message = %+v", ms)
	}
	want := []ReplyButton{{Text: "Catalog"}, {Text: "Share phone", RequestContact: true}}
	if kb := ms[1].ReplyKeyboard; len(kb) != 1 || len(kb[0]) != 2 || kb[0][0] != want[0] || kb[0][1] != want[1] {
		t.Fatalf("reply keyboard = %+v", ms[1].ReplyKeyboard)
	}
	r = callJSON(t, srv, "sendMessage", map[string]any{"chat_id": alice.ID, "text": "x", "reply_markup": "{not json"})
	if r.OK || r.Description != "Bad Request: can't parse reply keyboard markup JSON object" {
		t.Fatalf("bad markup = %+v", r)
	}
}

func TestUnknownMethodAndWrongToken(t *testing.T) {
	srv := newServer(t)
	r := callJSON(t, srv, "sendTelepathy", map[string]any{})
	if r.OK || r.ErrorCode != 404 || r.Description != "Not Found: method not found" {
		t.Fatalf("unknown method = %+v", r)
	}
	_, err := tg.New("999:wrong", tg.WithServerURL(srv.URL()))
	if !errors.Is(err, tg.ErrorUnauthorized) {
		t.Fatalf("wrong token: %v", err)
	}
	resp, err := http.Get(srv.URL() + "/file/bot" + testToken + "/documents/missing.pdf")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 404 {
		t.Fatalf("missing file status %d", resp.StatusCode)
	}
	if me := callJSON(t, srv, "GETME", nil); !me.OK || srv.Requests("getMe") != 1 {
		t.Fatalf("method names are case-insensitive: %+v", me)
	}
}

func TestReplyKeyboardContactAndForward(t *testing.T) {
	srv := newServer(t)
	ctx := testCtx(t)
	b := newBot(t, srv)
	need(t)(srv.SendText(alice.ID, "/start"))
	kb := &models.ReplyKeyboardMarkup{Keyboard: [][]models.KeyboardButton{{{Text: "Catalog"}, {Text: "Share phone", RequestContact: true}}}}
	if _, err := b.SendMessage(ctx, &tg.SendMessageParams{ChatID: alice.ID, Text: "Choose", ReplyMarkup: kb}); err != nil {
		t.Fatal(err)
	}
	if err := srv.SetUserPhone(alice.ID, "+79990001122"); err != nil {
		t.Fatal(err)
	}
	upd, _ := srv.Update(need(t)(srv.PressReplyButton(alice.ID, "Share phone")))
	if c := upd.Message.Contact; c == nil || c.PhoneNumber != "+79990001122" || c.UserID != alice.ID {
		t.Fatalf("contact = %+v", upd.Message.Contact)
	}
	upd, _ = srv.Update(need(t)(srv.PressReplyButton(alice.ID, "Catalog")))
	if upd.Message.Text != "Catalog" {
		t.Fatalf("text button = %+v", upd.Message)
	}
	if _, err := b.SendMessage(ctx, &tg.SendMessageParams{ChatID: alice.ID, Text: "Bye", ReplyMarkup: &models.ReplyKeyboardRemove{RemoveKeyboard: true}}); err != nil {
		t.Fatal(err)
	}
	if _, err := srv.PressReplyButton(alice.ID, "Catalog"); err == nil {
		t.Fatal("pressed a removed reply keyboard")
	}
	upd, _ = srv.Update(need(t)(srv.ShareContact(alice.ID, "+100200", bob.ID)))
	if c := upd.Message.Contact; c.UserID != bob.ID || c.FirstName != "Bob" || upd.Message.From.ID != alice.ID {
		t.Fatalf("someone else's contact = %+v", c)
	}
	upd, _ = srv.Update(need(t)(srv.ForwardFrom(alice.ID, bob, "order #5 please")))
	o := upd.Message.ForwardOrigin
	if o == nil || o.Type != models.MessageOriginTypeUser || o.MessageOriginUser.SenderUser.ID != bob.ID || upd.Message.Text != "order #5 please" {
		t.Fatalf("forward origin = %+v", o)
	}
}

func TestGroupsAndPrivacy(t *testing.T) {
	srv := newServer(t)
	ctx := testCtx(t)
	b := newBot(t, srv)
	const group = -4001
	if err := srv.AddGroup(group, "Shop staff"); err != nil {
		t.Fatal(err)
	}
	if id := need(t)(srv.SendGroupText(group, alice.ID, "hello all")); id != 0 {
		t.Fatal("privacy mode must hide plain group messages")
	}
	if id := need(t)(srv.SendGroupText(group, alice.ID, "/orders@other_bot")); id != 0 {
		t.Fatal("a command for another bot was delivered")
	}
	upd, _ := srv.Update(need(t)(srv.SendGroupText(group, alice.ID, "/orders@order_test_bot")))
	if upd.Message.Chat.Type != models.ChatTypeGroup || upd.Message.Chat.Title != "Shop staff" || upd.Message.Entities[0].Length != 22 {
		t.Fatalf("group command = %+v", upd.Message)
	}
	if err := srv.SetChatMember(group, srv.BotUser().ID, models.ChatMemberTypeAdministrator); err != nil {
		t.Fatal(err)
	}
	if id := need(t)(srv.SendGroupText(group, alice.ID, "now seen")); id == 0 {
		t.Fatal("an admin bot must see every message")
	}
	if _, err := sendTo(ctx, b, group, "hi group", ""); err != nil {
		t.Fatal(err)
	}
	m, err := b.GetChatMember(ctx, &tg.GetChatMemberParams{ChatID: group, UserID: alice.ID})
	if err != nil || m.Type != models.ChatMemberTypeMember || m.Member.User.ID != alice.ID {
		t.Fatalf("getChatMember = %+v, %v", m, err)
	}
	m, err = b.GetChatMember(ctx, &tg.GetChatMemberParams{ChatID: group, UserID: bob.ID})
	if err != nil || m.Type != models.ChatMemberTypeLeft {
		t.Fatalf("non-member = %+v, %v", m, err)
	}
	chat, err := b.GetChat(ctx, &tg.GetChatParams{ChatID: group})
	if err != nil || chat.Title != "Shop staff" || chat.Type != models.ChatTypeGroup {
		t.Fatalf("getChat = %+v, %v", chat, err)
	}
	if ok, err := b.SendChatAction(ctx, &tg.SendChatActionParams{ChatID: group, Action: models.ChatActionTyping}); !ok || err != nil {
		t.Fatalf("sendChatAction: %v %v", ok, err)
	}
	if got := srv.ChatActions(group); len(got) != 1 || got[0] != "typing" {
		t.Fatalf("actions = %v", got)
	}
}

func TestSubscribeEvents(t *testing.T) {
	srv := newServer(t)
	ctx := testCtx(t)
	b := newBot(t, srv)
	events, cancel := srv.Subscribe()
	defer cancel()
	need(t)(srv.SendText(alice.ID, "hi"))
	msg, err := b.SendMessage(ctx, &tg.SendMessageParams{ChatID: alice.ID, Text: "one",
		ReplyMarkup: keyboard([]models.InlineKeyboardButton{{Text: "A", CallbackData: "a"}})})
	if err != nil {
		t.Fatal(err)
	}
	upd, _ := srv.Update(need(t)(srv.PressButton(alice.ID, "A")))
	if _, err := b.AnswerCallbackQuery(ctx, &tg.AnswerCallbackQueryParams{CallbackQueryID: upd.CallbackQuery.ID, Text: "ok"}); err != nil {
		t.Fatal(err)
	}
	if _, err := b.EditMessageText(ctx, &tg.EditMessageTextParams{ChatID: alice.ID, MessageID: msg.ID, Text: "two"}); err != nil {
		t.Fatal(err)
	}
	if _, err := b.DeleteMessage(ctx, &tg.DeleteMessageParams{ChatID: alice.ID, MessageID: msg.ID}); err != nil {
		t.Fatal(err)
	}
	want := []EventKind{EventMessage, EventMessage, EventCallbackAnswer, EventEdit, EventDelete}
	for i, kind := range want {
		select {
		case e := <-events:
			if e.Kind != kind {
				t.Fatalf("event %d = %s, want %s", i, e.Kind, kind)
			}
			if kind == EventEdit && (e.Message.PlainText != "two" || e.ChatID != alice.ID) {
				t.Fatalf("edit event = %+v", e)
			}
			if kind == EventCallbackAnswer && e.Callback.Text != "ok" {
				t.Fatalf("answer event = %+v", e)
			}
		case <-time.After(5 * time.Second):
			t.Fatalf("event %d (%s) missing", i, kind)
		}
	}
	cancel()
	if _, open := <-events; open {
		t.Fatal("channel still open after cancel")
	}
}

func TestWaitBotMessageHonoursContext(t *testing.T) {
	srv := newServer(t)
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if _, err := srv.WaitBotMessage(ctx, alice.ID, nil); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v", err)
	}
}
