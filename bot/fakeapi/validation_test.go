package fakeapi

import (
	"errors"
	"strings"
	"testing"

	tg "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"
)

func TestHTMLAccepted(t *testing.T) {
	cases := []struct {
		html, plain string
		want        []models.MessageEntity
	}{
		{"<b>bold</b> <i>it</i> <u>u</u> <s>s</s> <code>c</code>", "bold it u s c", []models.MessageEntity{
			{Type: "bold", Offset: 0, Length: 4}, {Type: "italic", Offset: 5, Length: 2}, {Type: "underline", Offset: 8, Length: 1},
			{Type: "strikethrough", Offset: 10, Length: 1}, {Type: "code", Offset: 12, Length: 1}}},
		{`<a href="https://example.com/?a=1&amp;b=2">shop</a>`, "shop", []models.MessageEntity{
			{Type: "text_link", Offset: 0, Length: 4, URL: "https://example.com/?a=1&b=2"}}},
		{`<pre><code class="language-go">x := 1</code></pre>`, "x := 1", []models.MessageEntity{
			{Type: "pre", Offset: 0, Length: 6, Language: "go"}}},
		{`<tg-spoiler>a</tg-spoiler><span class="tg-spoiler">b</span>`, "ab", []models.MessageEntity{
			{Type: "spoiler", Offset: 0, Length: 1}, {Type: "spoiler", Offset: 1, Length: 1}}},
		{"<blockquote expandable>q</blockquote><blockquote>r</blockquote>", "qr", []models.MessageEntity{
			{Type: "expandable_blockquote", Offset: 0, Length: 1}, {Type: "blockquote", Offset: 1, Length: 1}}},
		{"5 &lt; 6 &gt; 4 &quot;q&quot; &amp; &#65;&#x42;", `5 < 6 > 4 "q" & AB`, nil},
		{"<strong>s</strong><em>e</em><ins>i</ins><strike>x</strike><del>d</del>", "seixd", []models.MessageEntity{
			{Type: "bold", Offset: 0, Length: 1}, {Type: "italic", Offset: 1, Length: 1}, {Type: "underline", Offset: 2, Length: 1},
			{Type: "strikethrough", Offset: 3, Length: 1}, {Type: "strikethrough", Offset: 4, Length: 1}}},
		{"😀 <b>x</b>", "😀 x", []models.MessageEntity{{Type: "bold", Offset: 3, Length: 1}}},
		{`<tg-emoji emoji-id="5368324170671202286">👍</tg-emoji>`, "👍", []models.MessageEntity{
			{Type: "custom_emoji", Offset: 0, Length: 2, CustomEmojiID: "5368324170671202286"}}},
		{"<B>x</B> <b><i>y</i></b>", "x y", []models.MessageEntity{
			{Type: "bold", Offset: 0, Length: 1}, {Type: "bold", Offset: 2, Length: 1}, {Type: "italic", Offset: 2, Length: 1}}},
		{"  <b>padded</b>\n", "padded", []models.MessageEntity{{Type: "bold", Offset: 0, Length: 6}}},
	}
	for _, c := range cases {
		f, err := messageText(c.html, "HTML", "")
		if err != nil {
			t.Errorf("%q: %v", c.html, err)
			continue
		}
		if f.plain != c.plain || len(f.entities) != len(c.want) {
			t.Errorf("%q: plain %q entities %+v", c.html, f.plain, f.entities)
			continue
		}
		for i := range c.want {
			if f.entities[i] != c.want[i] {
				t.Errorf("%q: entity %d = %+v, want %+v", c.html, i, f.entities[i], c.want[i])
			}
		}
	}
}

func TestHTMLRefusedThroughClient(t *testing.T) {
	srv := newServer(t)
	ctx := testCtx(t)
	b := newBot(t, srv)
	need(t)(srv.SendText(alice.ID, "hi"))
	cases := map[string]string{
		"<div>x</div>":           `Unsupported start tag "div" at byte offset 0`,
		"a < b":                  `Unsupported start tag "" at byte offset 2`,
		"Tom & Jerry":            `Character '&' at byte offset 4 is not a part of an HTML entity`,
		"&nbsp;":                 `Character '&' at byte offset 0`,
		"<b>x":                   `Can't find end tag corresponding to start tag "b"`,
		"<b><i>x</b></i>":        `Unmatched end tag at byte offset 7, expected "</i>", found "</b>"`,
		"x</b>":                  `Unexpected end tag at byte offset 1`,
		"<span>x</span>":         `Tag "span" must have class "tg-spoiler"`,
		"line<br>break":          `Unsupported start tag "br" at byte offset 4`,
		"<b":                     `Unclosed start tag at byte offset 0`,
		"<tg-emoji>x</tg-emoji>": `Tag "tg-emoji" must have attribute "emoji-id"`,
	}
	for html, want := range cases {
		_, err := sendTo(ctx, b, alice.ID, html, models.ParseModeHTML)
		if !errors.Is(err, tg.ErrorBadRequest) || !strings.Contains(err.Error(), "Bad Request: can't parse entities: "+want) {
			t.Errorf("%q: err = %v, want %q", html, err, want)
		}
	}
	if n := len(srv.BotMessages(alice.ID)); n != 0 {
		t.Fatalf("%d refused messages were stored", n)
	}
	if _, err := sendTo(ctx, b, alice.ID, "Tom & Jerry", ""); err != nil {
		t.Fatalf("plain text with '&': %v", err)
	}
}

func TestMarkdownV2(t *testing.T) {
	f, err := messageText(`*Order* _\#7_ total 5\.00 [pay](https://pay.example/x\)y) ||s|| __u__ ~x~ `+"`a.b`", "MarkdownV2", "")
	if err != nil {
		t.Fatal(err)
	}
	if f.plain != "Order #7 total 5.00 pay s u x a.b" {
		t.Fatalf("plain = %q", f.plain)
	}
	if len(f.entities) != 7 || f.entities[2].URL != "https://pay.example/x)y" {
		t.Fatalf("entities = %+v", f.entities)
	}
	for text, want := range map[string]string{
		"Total: 5.00": `Character '.' is reserved and must be escaped with the preceding '\'`,
		"*unclosed":   `Can't find end of Bold entity at byte offset 0`,
		"(x)":         `Character '(' is reserved`,
		"```go\ncode": `Can't find end of Pre entity at byte offset 0`,
	} {
		if _, err := messageText(text, "MarkdownV2", ""); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: err = %v, want %q", text, err, want)
		}
	}
}

func TestLengthAndDataLimits(t *testing.T) {
	srv := newServer(t)
	ctx := testCtx(t)
	b := newBot(t, srv)
	need(t)(srv.SendText(alice.ID, "hi"))
	long := strings.Repeat("я", MaxTextLength)
	if _, err := sendTo(ctx, b, alice.ID, long, ""); err != nil {
		t.Fatalf("4096 characters: %v", err)
	}
	if _, err := sendTo(ctx, b, alice.ID, "<b>"+long+"</b>", models.ParseModeHTML); err != nil {
		t.Fatalf("4096 characters plus tags: %v", err)
	}
	for _, text := range []string{long + "!", strings.Repeat("😀", 2049)} {
		if _, err := sendTo(ctx, b, alice.ID, text, ""); err == nil || !strings.Contains(err.Error(), "Bad Request: message is too long") {
			t.Fatalf("over 4096: %v", err)
		}
	}
	for _, text := range []string{"", "   \n", "<b></b>"} {
		if _, err := sendTo(ctx, b, alice.ID, text, models.ParseModeHTML); err == nil || !strings.Contains(err.Error(), "Bad Request: message text is empty") {
			t.Fatalf("%q: %v", text, err)
		}
	}
	doc := func(caption string) error {
		_, err := b.SendDocument(ctx, &tg.SendDocumentParams{ChatID: alice.ID, Caption: caption,
			Document: &models.InputFileUpload{Filename: "a.txt", Data: strings.NewReader("a")}})
		return err
	}
	if err := doc(strings.Repeat("c", MaxCaptionLength)); err != nil {
		t.Fatalf("1024 caption: %v", err)
	}
	if err := doc(strings.Repeat("c", MaxCaptionLength+1)); err == nil || !strings.Contains(err.Error(), "Bad Request: message caption is too long") {
		t.Fatalf("1025 caption: %v", err)
	}
	button := func(data string) error {
		_, err := b.SendMessage(ctx, &tg.SendMessageParams{ChatID: alice.ID, Text: "k",
			ReplyMarkup: keyboard([]models.InlineKeyboardButton{{Text: "B", CallbackData: data}})})
		return err
	}
	if err := button(strings.Repeat("d", MaxCallbackData)); err != nil {
		t.Fatalf("64-byte data: %v", err)
	}
	if err := button(strings.Repeat("d", 63) + "é"); err == nil || !strings.Contains(err.Error(), "BUTTON_DATA_INVALID") {
		t.Fatalf("65-byte data: %v", err)
	}
	r := callJSON(t, srv, "sendMessage", map[string]any{"chat_id": alice.ID, "text": "k",
		"reply_markup": map[string]any{"inline_keyboard": [][]map[string]string{{{"text": "B", "callback_data": ""}}}}})
	if r.OK || r.ErrorCode != 400 || r.Description != "Bad Request: BUTTON_DATA_INVALID" {
		t.Fatalf("empty data = %+v", r)
	}
	if err := button(""); err == nil || !strings.Contains(err.Error(), "Text buttons are unallowed") {
		t.Fatalf("button without action: %v", err)
	}
}
