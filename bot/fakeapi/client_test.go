package fakeapi

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/png"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	tg "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"
)

func TestTextHandlerReplies(t *testing.T) {
	srv := newServer(t)
	ctx := testCtx(t)
	got := make(chan *models.Message, 1)
	startBot(t, srv, tg.WithMessageTextHandler("start", tg.MatchTypeCommandStartOnly,
		func(ctx context.Context, b *tg.Bot, u *models.Update) {
			got <- u.Message
			_, _ = sendTo(ctx, b, u.Message.Chat.ID, "Hello, <b>"+u.Message.From.FirstName+"</b> &amp; welcome", models.ParseModeHTML)
		}))

	updID := need(t)(srv.SendText(alice.ID, "/start ref42"))
	m, err := srv.WaitBotMessage(ctx, alice.ID, nil)
	if err != nil {
		t.Fatal(err)
	}
	if m.PlainText != "Hello, Alice & welcome" || m.Text != "Hello, <b>Alice</b> &amp; welcome" || m.ParseMode != "HTML" {
		t.Fatalf("bot message = %q / %q / %q", m.PlainText, m.Text, m.ParseMode)
	}
	if len(m.Entities) != 1 || m.Entities[0].Type != models.MessageEntityTypeBold || m.Entities[0].Offset != 7 || m.Entities[0].Length != 5 {
		t.Fatalf("entities = %+v", m.Entities)
	}
	in := <-got
	if in.Text != "/start ref42" || in.From.ID != alice.ID || in.Chat.Type != models.ChatTypePrivate {
		t.Fatalf("handler got %+v", in)
	}
	want := models.MessageEntity{Type: models.MessageEntityTypeBotCommand, Offset: 0, Length: 6}
	if len(in.Entities) != 1 || in.Entities[0] != want {
		t.Fatalf("command entities = %+v", in.Entities)
	}
	if u, ok := srv.Update(updID); !ok || u.Message.Text != "/start ref42" {
		t.Fatalf("Update(%d) = %+v, %v", updID, u, ok)
	}
	all := srv.Messages(alice.ID)
	if len(all) != 2 || all[0].FromBot || !all[1].FromBot || all[0].ID != 1 || all[1].ID != 2 {
		t.Fatalf("chat history = %+v", all)
	}
	if srv.Sent() != 1 || srv.Requests("sendMessage") != 1 || srv.Requests("getMe") != 1 {
		t.Fatalf("counters: sent %d, sendMessage %d, getMe %d", srv.Sent(), srv.Requests("sendMessage"), srv.Requests("getMe"))
	}
}

func keyboard(rows ...[]models.InlineKeyboardButton) *models.InlineKeyboardMarkup {
	return &models.InlineKeyboardMarkup{InlineKeyboard: rows}
}

func TestInlineKeyboardPress(t *testing.T) {
	srv := newServer(t)
	ctx := testCtx(t)
	data := make(chan string, 1)
	startBot(t, srv,
		tg.WithMessageTextHandler("/menu", tg.MatchTypeExact, func(ctx context.Context, b *tg.Bot, u *models.Update) {
			_, _ = b.SendMessage(ctx, &tg.SendMessageParams{ChatID: u.Message.Chat.ID, Text: "Menu",
				ReplyMarkup: keyboard([]models.InlineKeyboardButton{{Text: "Orders", CallbackData: "orders:list"},
					{Text: "Site", URL: "https://example.com"}})})
		}),
		tg.WithCallbackQueryDataHandler("orders:", tg.MatchTypePrefix, func(ctx context.Context, b *tg.Bot, u *models.Update) {
			data <- u.CallbackQuery.Data
			msg := u.CallbackQuery.Message.Message
			_, _ = b.EditMessageText(ctx, &tg.EditMessageTextParams{ChatID: msg.Chat.ID, MessageID: msg.ID, Text: "No orders yet"})
			_, _ = b.AnswerCallbackQuery(ctx, &tg.AnswerCallbackQueryParams{CallbackQueryID: u.CallbackQuery.ID, Text: "Loaded"})
		}))

	need(t)(srv.SendText(alice.ID, "/menu"))
	menu, err := srv.WaitBotMessage(ctx, alice.ID, func(m Message) bool { return len(m.InlineKeyboard) > 0 })
	if err != nil {
		t.Fatal(err)
	}
	if got := menu.InlineKeyboard[0]; len(got) != 2 || got[0] != (Button{Text: "Orders", CallbackData: "orders:list"}) || got[1].URL != "https://example.com" {
		t.Fatalf("keyboard = %+v", menu.InlineKeyboard)
	}
	if _, err := srv.PressButton(alice.ID, "Site"); err == nil {
		t.Fatal("pressing a URL button must fail")
	}
	updID := need(t)(srv.PressButton(alice.ID, "Orders"))
	upd, _ := srv.Update(updID)
	answer, err := srv.WaitCallbackAnswer(ctx, upd.CallbackQuery.ID)
	if err != nil {
		t.Fatal(err)
	}
	if <-data != "orders:list" || answer.Text != "Loaded" || answer.ShowAlert {
		t.Fatalf("answer = %+v", answer)
	}
	edited, _ := srv.LastBotMessage(alice.ID)
	if edited.PlainText != "No orders yet" || len(edited.Edits) != 1 || edited.Edits[0].PlainText != "Menu" || edited.InlineKeyboard != nil || edited.EditDate.IsZero() {
		t.Fatalf("edited = %+v", edited)
	}
	if len(srv.UnansweredCallbacks()) != 0 {
		t.Fatalf("unanswered = %v", srv.UnansweredCallbacks())
	}
}

func TestCallbackAnswerErrors(t *testing.T) {
	srv := newServer(t)
	ctx := testCtx(t)
	b := newBot(t, srv)
	need(t)(srv.SendText(alice.ID, "hi"))
	msg, err := b.SendMessage(ctx, &tg.SendMessageParams{ChatID: alice.ID, Text: "x",
		ReplyMarkup: keyboard([]models.InlineKeyboardButton{{Text: "A", CallbackData: "a"}})})
	if err != nil {
		t.Fatal(err)
	}
	updID := need(t)(srv.PressData(alice.ID, msg.ID, "forged:1"))
	upd, _ := srv.Update(updID)
	if upd.CallbackQuery.Data != "forged:1" || upd.CallbackQuery.Message.Message.ID != msg.ID {
		t.Fatalf("forged press = %+v", upd.CallbackQuery)
	}
	if ids := srv.UnansweredCallbacks(); len(ids) != 1 || ids[0] != upd.CallbackQuery.ID {
		t.Fatalf("unanswered = %v", ids)
	}
	p := &tg.AnswerCallbackQueryParams{CallbackQueryID: upd.CallbackQuery.ID}
	if _, err := b.AnswerCallbackQuery(ctx, p); err != nil {
		t.Fatal(err)
	}
	const tooOld = "query is too old and response timeout expired or query ID is invalid"
	if _, err := b.AnswerCallbackQuery(ctx, p); !errors.Is(err, tg.ErrorBadRequest) || !strings.Contains(err.Error(), tooOld) {
		t.Fatalf("second answer err = %v", err)
	}
	p.CallbackQueryID = "999"
	if _, err := b.AnswerCallbackQuery(ctx, p); !errors.Is(err, tg.ErrorBadRequest) {
		t.Fatalf("unknown query err = %v", err)
	}
}

func TestDocumentsBothWays(t *testing.T) {
	srv := newServer(t)
	ctx := testCtx(t)
	b := newBot(t, srv)
	need(t)(srv.SendText(alice.ID, "/start"))
	pdf := []byte("%PDF-1.4 fake invoice")
	msg, err := b.SendDocument(ctx, &tg.SendDocumentParams{ChatID: alice.ID,
		Document: &models.InputFileUpload{Filename: "invoice-7.pdf", Data: bytes.NewReader(pdf)},
		Caption:  "Invoice <b>#7</b>", ParseMode: models.ParseModeHTML})
	if err != nil {
		t.Fatal(err)
	}
	if msg.Document == nil || msg.Document.FileName != "invoice-7.pdf" || msg.Caption != "Invoice #7" {
		t.Fatalf("result = %+v", msg)
	}
	m, _ := srv.LastBotMessage(alice.ID)
	if d := m.Document; d == nil || !bytes.Equal(d.Data, pdf) || d.MimeType != "application/pdf" || m.PlainCaption != "Invoice #7" || m.Caption != "Invoice <b>#7</b>" {
		t.Fatalf("stored = %+v", m)
	}
	again, err := b.SendDocument(ctx, &tg.SendDocumentParams{ChatID: alice.ID, Document: &models.InputFileString{Data: msg.Document.FileID}})
	if err != nil || again.Document.FileID != msg.Document.FileID {
		t.Fatalf("resend by file_id: %+v, %v", again, err)
	}
	if _, err := b.SendDocument(ctx, &tg.SendDocumentParams{ChatID: alice.ID, Document: &models.InputFileString{Data: "nope"}}); !errors.Is(err, tg.ErrorBadRequest) {
		t.Fatalf("unknown file_id err = %v", err)
	}

	csv := []byte("sku,qty\nA1,3\n")
	updID := need(t)(srv.SendDocument(alice.ID, "stock.csv", csv, "new stock"))
	upd, _ := srv.Update(updID)
	f, err := b.GetFile(ctx, &tg.GetFileParams{FileID: upd.Message.Document.FileID})
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.Get(b.FileDownloadLink(f))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 || !bytes.Equal(body, csv) || f.FileSize != int64(len(csv)) || upd.Message.Caption != "new stock" {
		t.Fatalf("download %d %q, file %+v", resp.StatusCode, body, f)
	}
}

func TestTooManyRequestsInjected(t *testing.T) {
	srv := newServer(t)
	ctx := testCtx(t)
	b := newBot(t, srv)
	need(t)(srv.SendText(alice.ID, "hi"))
	srv.FailNext("sendMessage", 1, 429, "", 7)
	_, err := sendTo(ctx, b, alice.ID, "first", "")
	var tooMany *tg.TooManyRequestsError
	if !errors.As(err, &tooMany) || tooMany.RetryAfter != 7 || !strings.Contains(tooMany.Message, "retry after 7") {
		t.Fatalf("err = %#v", err)
	}
	if _, err := sendTo(ctx, b, alice.ID, "second", ""); err != nil {
		t.Fatalf("after the injected failure: %v", err)
	}
	if srv.TooManyRequestsSent() != 1 || srv.Requests("sendmessage") != 2 || srv.Sent() != 1 {
		t.Fatalf("429s %d, requests %d, sent %d", srv.TooManyRequestsSent(), srv.Requests("sendmessage"), srv.Sent())
	}
	srv.FailNext("editMessageText", 2, 500, "Internal Server Error", 0)
	for range 2 {
		_, err := b.EditMessageText(ctx, &tg.EditMessageTextParams{ChatID: alice.ID, MessageID: 2, Text: "x"})
		if err == nil || !strings.Contains(err.Error(), "500 Internal Server Error") {
			t.Fatalf("injected 500: %v", err)
		}
	}
}

func TestBlockedAndUnknownChats(t *testing.T) {
	srv := newServer(t)
	ctx := testCtx(t)
	b := newBot(t, srv)
	if _, err := sendTo(ctx, b, bob.ID, "hi", ""); !errors.Is(err, tg.ErrorBadRequest) || !strings.Contains(err.Error(), "chat not found") {
		t.Fatalf("never started: %v", err)
	}
	if _, err := sendTo(ctx, b, 555, "hi", ""); !errors.Is(err, tg.ErrorBadRequest) || !strings.Contains(err.Error(), "chat not found") {
		t.Fatalf("unknown chat: %v", err)
	}
	need(t)(srv.SendText(alice.ID, "/start"))
	need(t)(srv.BlockBot(alice.ID))
	_, err := sendTo(ctx, b, alice.ID, "hi", "")
	if !errors.Is(err, tg.ErrorForbidden) || !strings.Contains(err.Error(), "bot was blocked by the user") {
		t.Fatalf("blocked: %v", err)
	}
	need(t)(srv.SendText(alice.ID, "/start"))
	if _, err := sendTo(ctx, b, alice.ID, "welcome back", ""); err != nil {
		t.Fatalf("after unblocking: %v", err)
	}
}

func TestEditAndDeleteErrors(t *testing.T) {
	srv := newServer(t)
	ctx := testCtx(t)
	b := newBot(t, srv)
	need(t)(srv.SendText(alice.ID, "hi"))
	kb := keyboard([]models.InlineKeyboardButton{{Text: "OK", CallbackData: "ok"}})
	msg, err := b.SendMessage(ctx, &tg.SendMessageParams{ChatID: alice.ID, Text: "<i>Order</i> #1", ParseMode: models.ParseModeHTML, ReplyMarkup: kb})
	if err != nil {
		t.Fatal(err)
	}
	same := &tg.EditMessageTextParams{ChatID: alice.ID, MessageID: msg.ID, Text: "<i>Order</i> #1", ParseMode: models.ParseModeHTML, ReplyMarkup: kb}
	_, err = b.EditMessageText(ctx, same)
	if !errors.Is(err, tg.ErrorBadRequest) || !strings.Contains(err.Error(), "message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message") {
		t.Fatalf("same edit: %v", err)
	}
	if _, err := b.EditMessageReplyMarkup(ctx, &tg.EditMessageReplyMarkupParams{ChatID: alice.ID, MessageID: msg.ID, ReplyMarkup: kb}); err == nil || !strings.Contains(err.Error(), "message is not modified") {
		t.Fatalf("same markup: %v", err)
	}
	same.ReplyMarkup = nil // dropping the keyboard is a modification
	if _, err := b.EditMessageText(ctx, same); err != nil {
		t.Fatalf("edit removing keyboard: %v", err)
	}
	same.MessageID = 99
	if _, err := b.EditMessageText(ctx, same); err == nil || !strings.Contains(err.Error(), "message to edit not found") {
		t.Fatalf("unknown message: %v", err)
	}
	if ok, err := b.DeleteMessage(ctx, &tg.DeleteMessageParams{ChatID: alice.ID, MessageID: msg.ID}); !ok || err != nil {
		t.Fatalf("delete: %v %v", ok, err)
	}
	if _, err := b.DeleteMessage(ctx, &tg.DeleteMessageParams{ChatID: alice.ID, MessageID: msg.ID}); err == nil || !strings.Contains(err.Error(), "message to delete not found") {
		t.Fatalf("second delete: %v", err)
	}
	ms := srv.BotMessages(alice.ID)
	if len(ms) != 1 || !ms[0].Deleted || len(ms[0].Edits) != 1 {
		t.Fatalf("bot messages = %+v", ms)
	}
	if _, ok := srv.LastBotMessage(alice.ID); ok {
		t.Fatal("LastBotMessage must skip deleted messages")
	}
}

func TestCommandsPerScopeAndLanguage(t *testing.T) {
	srv := newServer(t)
	ctx := testCtx(t)
	b := newBot(t, srv)
	need(t)(srv.SendText(alice.ID, "/start"))
	user := []models.BotCommand{{Command: "start", Description: "Start"}, {Command: "orders", Description: "My orders"}}
	admin := []models.BotCommand{{Command: "stats", Description: "Статистика"}}
	if _, err := b.SetMyCommands(ctx, &tg.SetMyCommandsParams{Commands: user}); err != nil {
		t.Fatal(err)
	}
	scope := &models.BotCommandScopeChat{ChatID: alice.ID}
	if _, err := b.SetMyCommands(ctx, &tg.SetMyCommandsParams{Commands: admin, Scope: scope, LanguageCode: "ru"}); err != nil {
		t.Fatal(err)
	}
	if got := srv.Commands(nil, ""); len(got) != 2 || got[1] != user[1] {
		t.Fatalf("default commands = %+v", got)
	}
	if got := srv.Commands(&models.BotCommandScopeChat{ChatID: alice.ID}, "ru"); len(got) != 1 || got[0] != admin[0] {
		t.Fatalf("chat ru commands = %+v", got)
	}
	if got := srv.Commands(scope, ""); got != nil {
		t.Fatalf("chat commands without language = %+v", got)
	}
	got, err := b.GetMyCommands(ctx, &tg.GetMyCommandsParams{Scope: scope, LanguageCode: "ru"})
	if err != nil || len(got) != 1 || got[0].Command != "stats" {
		t.Fatalf("getMyCommands = %+v, %v", got, err)
	}
	bad := []models.BotCommand{{Command: "Bad-Command", Description: "x"}}
	if _, err := b.SetMyCommands(ctx, &tg.SetMyCommandsParams{Commands: bad}); err == nil || !strings.Contains(err.Error(), "BOT_COMMAND_INVALID") {
		t.Fatalf("invalid command: %v", err)
	}
	_, err = b.SetMyCommands(ctx, &tg.SetMyCommandsParams{Commands: user, Scope: &models.BotCommandScopeChat{ChatID: bob.ID}})
	if err == nil || !strings.Contains(err.Error(), "chat not found") {
		t.Fatalf("scope for a chat the bot cannot see: %v", err)
	}
	if _, err := b.DeleteMyCommands(ctx, &tg.DeleteMyCommandsParams{}); err != nil || srv.Commands(nil, "") != nil {
		t.Fatalf("delete: %v, %+v", err, srv.Commands(nil, ""))
	}
}

func TestPhotoCaptionEditAndClock(t *testing.T) {
	at := time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)
	srv := newServer(t, WithClock(func() time.Time { return at }))
	ctx := testCtx(t)
	b := newBot(t, srv)
	need(t)(srv.SendText(alice.ID, "hi"))
	var img bytes.Buffer
	if err := png.Encode(&img, image.NewRGBA(image.Rect(0, 0, 3, 2))); err != nil {
		t.Fatal(err)
	}
	msg, err := b.SendPhoto(ctx, &tg.SendPhotoParams{ChatID: alice.ID, Caption: "Product",
		Photo: &models.InputFileUpload{Filename: "p.png", Data: bytes.NewReader(img.Bytes())}})
	if err != nil {
		t.Fatal(err)
	}
	if len(msg.Photo) != 1 || msg.Photo[0].Width != 3 || msg.Photo[0].Height != 2 || msg.Date != int(at.Unix()) {
		t.Fatalf("photo result = %+v", msg)
	}
	if m, _ := srv.LastBotMessage(alice.ID); m.Photo == nil || !bytes.Equal(m.Photo.Data, img.Bytes()) || !m.Date.Equal(at) {
		t.Fatalf("stored photo = %+v", m.Photo)
	}
	p := &tg.EditMessageCaptionParams{ChatID: alice.ID, MessageID: msg.ID, Caption: "<b>Product</b> 2", ParseMode: models.ParseModeHTML}
	if _, err := b.EditMessageCaption(ctx, p); err != nil {
		t.Fatal(err)
	}
	if _, err := b.EditMessageCaption(ctx, p); err == nil || !strings.Contains(err.Error(), "message is not modified") {
		t.Fatalf("same caption: %v", err)
	}
	m, _ := srv.LastBotMessage(alice.ID)
	if m.PlainCaption != "Product 2" || len(m.Edits) != 1 || m.Edits[0].PlainCaption != "Product" {
		t.Fatalf("edited caption = %+v", m)
	}
	_, err = b.EditMessageText(ctx, &tg.EditMessageTextParams{ChatID: alice.ID, MessageID: msg.ID, Text: "x"})
	if err == nil || !strings.Contains(err.Error(), "there is no text in the message to edit") {
		t.Fatalf("editing text of a photo: %v", err)
	}
	ok, err := b.SetChatMenuButton(ctx, &tg.SetChatMenuButtonParams{ChatID: alice.ID, MenuButton: models.MenuButtonCommands{Type: models.MenuButtonTypeCommands}})
	if !ok || err != nil {
		t.Fatalf("setChatMenuButton: %v %v", ok, err)
	}
}
