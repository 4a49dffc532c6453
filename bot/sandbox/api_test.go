package sandbox

import (
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestPage_SendAndPressArriveLive(t *testing.T) {
	f := newFixture(t)
	s := f.openStream(t, "1001")
	var hist chatBody
	s.next(t, "history", nil, &hist)
	if hist.Persona.ID != alice || len(hist.Messages) != 0 {
		t.Fatalf("history = %+v, want alice and no messages", hist)
	}

	var sent sentBody
	if code := f.call(t, "POST", "/api/send", map[string]any{"user": alice, "text": "/start"}, &sent); code != http.StatusOK || sent.UpdateID == 0 {
		t.Fatalf("send: %d %+v", code, sent)
	}
	var own, greeting, edited messageView
	s.next(t, "message", contains(`"text":"/start"`), &own)
	s.next(t, "message", contains("Hello"), &greeting)
	if own.FromBot || !greeting.FromBot {
		t.Fatalf("from_bot: own %v, greeting %v", own.FromBot, greeting.FromBot)
	}
	if want := "Hello, <b>Alice</b>! You have <i>one</i> order."; greeting.HTML != want {
		t.Fatalf("greeting html = %q, want %q", greeting.HTML, want)
	}
	if len(greeting.Buttons) != 1 || len(greeting.Buttons[0]) != 2 || greeting.Buttons[0][0] != (buttonView{Text: "Confirm", Data: "confirm:1"}) {
		t.Fatalf("buttons = %+v", greeting.Buttons)
	}

	var pressed sentBody
	code := f.call(t, "POST", "/api/press", map[string]any{"user": alice, "message_id": greeting.ID, "data": "confirm:1"}, &pressed)
	if code != http.StatusOK || pressed.QueryID == "" {
		t.Fatalf("press: %d %+v", code, pressed)
	}
	s.next(t, "edit", nil, &edited)
	if edited.ID != greeting.ID || edited.Version != 1 || !edited.Edited || edited.HTML != "Order <b>#1</b> confirmed ✅" ||
		len(edited.Buttons) != 1 || edited.Buttons[0][0].URL != "https://example.com/track/1" {
		t.Fatalf("edit = %+v", edited)
	}
	var ans answerView
	s.next(t, "callback_answer", nil, &ans)
	if ans.Text != "Done" {
		t.Fatalf("callback answer = %+v", ans)
	}
}

func TestPage_HistoryOnReconnect(t *testing.T) {
	f := newFixture(t)
	first := f.openStream(t, "1001")
	first.next(t, "history", nil, nil)
	f.call(t, "POST", "/api/send", map[string]any{"user": alice, "text": "/start"}, nil)
	first.next(t, "message", contains("Share your phone"), nil)
	_ = first.body.Close()

	again := f.openStream(t, "1001")
	var hist chatBody
	again.next(t, "history", nil, &hist)
	if len(hist.Messages) != 3 || hist.Messages[0].Text != "/start" || !strings.HasPrefix(hist.Messages[1].Text, "Hello, Alice") {
		t.Fatalf("history after reconnect = %+v", hist.Messages)
	}
	if len(hist.ReplyKeyboard) != 1 || !hist.ReplyKeyboard[0][0].RequestContact {
		t.Fatalf("reply keyboard = %+v", hist.ReplyKeyboard)
	}
	var chat chatBody
	if code := f.call(t, "GET", "/api/chat?user=1001", nil, &chat); code != http.StatusOK || len(chat.Messages) != 3 {
		t.Fatalf("api/chat: %d %d messages", code, len(chat.Messages))
	}
	var other chatBody
	f.call(t, "GET", "/api/chat?user=2001", nil, &other)
	if len(other.Messages) != 0 {
		t.Fatalf("the manager sees alice's chat: %+v", other.Messages)
	}
}

func TestPage_ShareContact(t *testing.T) {
	f := newFixture(t)
	s := f.openStream(t, "1001")
	if code := f.call(t, "POST", "/api/contact", map[string]any{"user": alice}, nil); code != http.StatusOK {
		t.Fatalf("contact: %d", code)
	}
	var own, reply messageView
	s.next(t, "message", contains(`"contact"`), &own)
	if own.Contact == nil || own.Contact.Phone != "+15550001001" || own.Contact.Name != "Alice Buyer" {
		t.Fatalf("shared contact = %+v", own.Contact)
	}
	s.next(t, "message", contains("Thanks"), &reply)
	if reply.Text != "Thanks, +15550001001" || !reply.RemoveKeyboard {
		t.Fatalf("bot reply = %+v", reply)
	}
}

func TestPage_UploadAndDownload(t *testing.T) {
	f := newFixture(t)
	s := f.openStream(t, "1001")
	csv := []byte("sku,name,price,stock\nA-1,Tea,350,10\n")
	if code := f.do(t, f.uploadRequest(t, "1001", "catalog.csv", csv), nil); code != http.StatusOK {
		t.Fatalf("upload: %d", code)
	}
	var own, reply messageView
	s.next(t, "message", contains("catalog.csv"), &own)
	if own.FromBot || own.Document == nil || own.Document.Size != len(csv) || own.Document.Mime != "text/csv" {
		t.Fatalf("uploaded message = %+v", own)
	}
	s.next(t, "message", contains("report.csv"), &reply)
	if reply.HTML != "Got <code>catalog.csv</code>" {
		t.Fatalf("bot caption html = %q", reply.HTML)
	}
	for _, c := range []struct {
		url, name, body string
	}{{own.Document.URL, "catalog.csv", string(csv)}, {reply.Document.URL, "report.csv", reportCSV}} {
		resp, err := http.Get(f.http.URL + "/" + c.url)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		cd := resp.Header.Get("Content-Disposition")
		if resp.StatusCode != http.StatusOK || string(body) != c.body || cd != `attachment; filename=`+c.name {
			t.Fatalf("GET %s: %d %q, disposition %q", c.url, resp.StatusCode, body, cd)
		}
	}
}

func TestPage_PhotoAndDelete(t *testing.T) {
	f := newFixture(t)
	s := f.openStream(t, "1001")
	f.call(t, "POST", "/api/send", map[string]any{"user": alice, "text": "/photo"}, nil)
	var photo messageView
	s.next(t, "message", contains(`"photo"`), &photo)
	if photo.Photo == nil || photo.Photo.Width != 160 || photo.HTML != "<b>Green tea</b> · 3.50" {
		t.Fatalf("photo message = %+v", photo)
	}
	resp, err := http.Get(f.http.URL + "/" + photo.Photo.URL)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.Header.Get("Content-Type") != "image/png" || !strings.HasPrefix(resp.Header.Get("Content-Disposition"), "inline") || len(body) != photo.Photo.Size {
		t.Fatalf("photo download: %v, %d bytes", resp.Header, len(body))
	}

	f.call(t, "POST", "/api/send", map[string]any{"user": alice, "text": "/temp"}, nil)
	var gone messageView
	s.next(t, "delete", nil, &gone)
	if !gone.Deleted || gone.Text != "This disappears" {
		t.Fatalf("delete event = %+v", gone)
	}
	var chat chatBody
	f.call(t, "GET", "/api/chat?user=1001", nil, &chat)
	for _, m := range chat.Messages {
		if m.ID == gone.ID {
			t.Fatalf("history still has the deleted message %+v", m)
		}
	}
}

func TestPage_AddCustomer(t *testing.T) {
	f := newFixture(t, WithFirstCustomerID(3000))
	var p Persona
	if code := f.call(t, "POST", "/api/personas", map[string]any{"name": "  Zoe  "}, &p); code != http.StatusCreated {
		t.Fatalf("add: %d", code)
	}
	if p.ID != 3000 || p.Name != "Zoe" || p.Role != RoleCustomer || p.Lang != "en" || p.Phone == "" {
		t.Fatalf("new customer = %+v", p)
	}
	var unnamed Persona
	f.call(t, "POST", "/api/personas", map[string]any{}, &unnamed)
	if unnamed.ID != 3001 || unnamed.Name != "Customer 3" {
		t.Fatalf("unnamed customer = %+v", unnamed)
	}
	var list personasBody
	f.call(t, "GET", "/api/personas", nil, &list)
	if len(list.Personas) != 4 || list.Personas[2].ID != 3000 || list.Bot.Name != "Shop Bot" || list.Bot.Username != "shop_bot" {
		t.Fatalf("personas = %+v", list)
	}
	s := f.openStream(t, strconv.FormatInt(p.ID, 10))
	f.call(t, "POST", "/api/send", map[string]any{"user": p.ID, "text": "hi"}, nil)
	s.next(t, "message", contains("You said: hi"), nil)
}

func TestPage_EscapesWhatTheBotEchoes(t *testing.T) {
	f := newFixture(t)
	s := f.openStream(t, "1001")
	f.call(t, "POST", "/api/send", map[string]any{"user": alice, "text": `<img src=x onerror=alert(1)> & <b>`}, nil)
	var echo messageView
	s.next(t, "message", contains("You said"), &echo)
	if want := "You said: &lt;img src=x onerror=alert(1)&gt; &amp; &lt;b&gt;"; echo.HTML != want {
		t.Fatalf("echo html = %q, want %q", echo.HTML, want)
	}
}

func TestPage_CloseEndsStreams(t *testing.T) {
	f := newFixture(t)
	s := f.openStream(t, "1001")
	s.next(t, "history", nil, nil)
	f.page.Close()
	f.page.Close()
	timeout := time.After(5 * time.Second)
	for {
		select {
		case _, ok := <-s.events:
			if !ok {
				return
			}
		case <-timeout:
			t.Fatal("stream still open after Close")
		}
	}
}
