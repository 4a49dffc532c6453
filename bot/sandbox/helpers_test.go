package sandbox

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"html"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	tg "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"
	"github.com/orderbot/orderbot/bot/fakeapi"
)

const (
	alice   int64 = 1001
	manager int64 = 2001
)

// reportCSV is the document the tiny bot sends back for every upload.
const reportCSV = "sku,qty\nA-1,3\n"

// fixture is a fake Telegram with the tiny bot running, and the page
// served over HTTP.
type fixture struct {
	srv  *fakeapi.Server
	page *Page
	http *httptest.Server
}

// newFixture starts everything and stops it when the test ends.
func newFixture(t *testing.T, opts ...Option) *fixture {
	t.Helper()
	srv := fakeapi.New(fakeapi.WithBotName("Shop Bot"), fakeapi.WithBotUsername("shop_bot"))
	if err := srv.Start(); err != nil {
		t.Fatalf("start fake server: %v", err)
	}
	page := New(srv, opts...)
	if err := page.AddPersona(alice, "Alice Buyer", "customer", "en", "+15550001001"); err != nil {
		t.Fatal(err)
	}
	if err := page.AddPersona(manager, "Max Manager", "manager", "ru", ""); err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(page.Handler())
	startTinyBot(t, srv)
	t.Cleanup(func() {
		page.Close()
		hs.Close()
		srv.Close()
	})
	return &fixture{srv: srv, page: page, http: hs}
}

// startTinyBot runs a real go-telegram client against srv until the test
// ends: /start gets a greeting with inline buttons and a reply keyboard,
// "Confirm" edits the greeting, "Help" answers with an alert, documents get a CSV back, contacts and
// other texts are echoed.
func startTinyBot(t *testing.T, srv *fakeapi.Server) {
	t.Helper()
	b, err := tg.New("42:sandbox-test", tg.WithServerURL(srv.URL()), tg.WithDefaultHandler(tinyBot),
		tg.WithErrorsHandler(func(err error) { t.Logf("bot: %v", err) }))
	if err != nil {
		t.Fatalf("bot.New: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Go(func() { b.Start(ctx) })
	t.Cleanup(func() { cancel(); wg.Wait() })
}

func tinyBot(ctx context.Context, b *tg.Bot, u *models.Update) {
	if q := u.CallbackQuery; q != nil && q.Data == "help" {
		_, _ = b.AnswerCallbackQuery(ctx, &tg.AnswerCallbackQueryParams{CallbackQueryID: q.ID, Text: "Call us: +1 555 0100", ShowAlert: true})
		return
	}
	if q := u.CallbackQuery; q != nil {
		m := q.Message.Message
		_, _ = b.EditMessageText(ctx, &tg.EditMessageTextParams{ChatID: m.Chat.ID, MessageID: m.ID,
			Text: "Order <b>#1</b> confirmed ✅", ParseMode: models.ParseModeHTML,
			ReplyMarkup: &models.InlineKeyboardMarkup{InlineKeyboard: [][]models.InlineKeyboardButton{{{Text: "Track", URL: "https://example.com/track/1"}}}}})
		_, _ = b.AnswerCallbackQuery(ctx, &tg.AnswerCallbackQueryParams{CallbackQueryID: q.ID, Text: "Done"})
		return
	}
	if q := u.PreCheckoutQuery; q != nil { // "/invoice refuse" sends one the bot refuses
		ok := q.InvoicePayload != "invrefuse"
		_, _ = b.AnswerPreCheckoutQuery(ctx, &tg.AnswerPreCheckoutQueryParams{PreCheckoutQueryID: q.ID, OK: ok,
			ErrorMessage: map[bool]string{false: "This invoice is already paid"}[ok]})
		return
	}
	m := u.Message
	if m == nil {
		return
	}
	switch {
	case m.SuccessfulPayment != nil:
		say(ctx, b, m.Chat.ID, "Receipt for "+html.EscapeString(m.SuccessfulPayment.TelegramPaymentChargeID), nil)
	case strings.HasPrefix(m.Text, "/invoice"):
		_, _ = b.SendInvoice(ctx, &tg.SendInvoiceParams{ChatID: m.Chat.ID, Title: "Invoice INV-1", Description: "Order 1: 12.50 USD due",
			Payload: "inv" + strings.TrimSpace(strings.TrimPrefix(m.Text, "/invoice")), ProviderToken: "TEST", Currency: "USD",
			Prices: []models.LabeledPrice{{Label: "Invoice INV-1", Amount: 1250}}})
	case m.Text == "/start":
		say(ctx, b, m.Chat.ID, "Hello, <b>"+html.EscapeString(m.From.FirstName)+"</b>! You have <i>one</i> order.",
			&models.InlineKeyboardMarkup{InlineKeyboard: [][]models.InlineKeyboardButton{{{Text: "Confirm", CallbackData: "confirm:1"}, {Text: "Help", CallbackData: "help"}}}})
		say(ctx, b, m.Chat.ID, "Share your phone to check out",
			&models.ReplyKeyboardMarkup{ResizeKeyboard: true, Keyboard: [][]models.KeyboardButton{{{Text: "Share phone", RequestContact: true}}}})
	case m.Text == "/photo":
		_, _ = b.SendPhoto(ctx, &tg.SendPhotoParams{ChatID: m.Chat.ID, Caption: "<b>Green tea</b> · 3.50",
			ParseMode: models.ParseModeHTML, Photo: &models.InputFileUpload{Filename: "tea.png", Data: bytes.NewReader(teaPNG())}})
	case m.Text == "/temp":
		if sent, err := b.SendMessage(ctx, &tg.SendMessageParams{ChatID: m.Chat.ID, Text: "This disappears"}); err == nil {
			_, _ = b.DeleteMessage(ctx, &tg.DeleteMessageParams{ChatID: m.Chat.ID, MessageID: sent.ID})
		}
	case m.Document != nil:
		_, _ = b.SendDocument(ctx, &tg.SendDocumentParams{ChatID: m.Chat.ID, Caption: "Got <code>" + html.EscapeString(m.Document.FileName) + "</code>",
			ParseMode: models.ParseModeHTML, Document: &models.InputFileUpload{Filename: "report.csv", Data: strings.NewReader(reportCSV)}})
	case m.Contact != nil:
		say(ctx, b, m.Chat.ID, "Thanks, "+html.EscapeString(m.Contact.PhoneNumber), &models.ReplyKeyboardRemove{RemoveKeyboard: true})
	default:
		say(ctx, b, m.Chat.ID, "You said: "+html.EscapeString(m.Text), nil)
	}
}

// teaPNG is a small picture for the bot's photo.
func teaPNG() []byte {
	img := image.NewRGBA(image.Rect(0, 0, 160, 100))
	draw.Draw(img, img.Bounds(), &image.Uniform{color.RGBA{R: 0x7b, G: 0xc8, B: 0x62, A: 0xff}}, image.Point{}, draw.Src)
	draw.Draw(img, image.Rect(50, 25, 110, 75), &image.Uniform{color.RGBA{R: 0x2e, G: 0x7d, B: 0x32, A: 0xff}}, image.Point{}, draw.Src)
	var buf bytes.Buffer
	_ = png.Encode(&buf, img)
	return buf.Bytes()
}

func say(ctx context.Context, b *tg.Bot, chatID int64, text string, markup models.ReplyMarkup) {
	_, _ = b.SendMessage(ctx, &tg.SendMessageParams{ChatID: chatID, Text: text, ParseMode: models.ParseModeHTML, ReplyMarkup: markup})
}

// call sends a JSON request and decodes the JSON answer into out (if not
// nil), returning the status.
func (f *fixture) call(t *testing.T, method, path string, body any, out any) int {
	t.Helper()
	var rd io.Reader
	if body != nil {
		raw, err := json.Marshal(body)
		if err != nil {
			t.Fatal(err)
		}
		rd = bytes.NewReader(raw)
	}
	req, err := http.NewRequest(method, f.http.URL+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	return f.do(t, req, out)
}

func (f *fixture) do(t *testing.T, req *http.Request, out any) int {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", req.Method, req.URL.Path, err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	if out != nil {
		if err := json.Unmarshal(raw, out); err != nil {
			t.Fatalf("%s %s: %d %q is not JSON: %v", req.Method, req.URL.Path, resp.StatusCode, raw, err)
		}
	}
	return resp.StatusCode
}

// uploadRequest builds a multipart POST api/upload.
func (f *fixture) uploadRequest(t *testing.T, user, name string, data []byte) *http.Request {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	if user != "" {
		_ = mw.WriteField("user", user)
	}
	if name != "" {
		fw, err := mw.CreateFormFile("file", name)
		if err != nil {
			t.Fatal(err)
		}
		_, _ = fw.Write(data)
	}
	_ = mw.Close()
	req, err := http.NewRequest(http.MethodPost, f.http.URL+"/api/upload", &buf)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return req
}

// event is one server-sent event as the test reads it.
type event struct {
	name string
	data string
}

// stream is an open /events connection.
type stream struct {
	events chan event
	body   io.Closer
}

// openStream connects to /events for user and reads events in the
// background until the test ends.
func (f *fixture) openStream(t *testing.T, user string) *stream {
	t.Helper()
	resp, err := http.Get(f.http.URL + "/events?user=" + user)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "text/event-stream" {
		t.Fatalf("events: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	s := &stream{events: make(chan event, 100), body: resp.Body}
	go readEvents(resp.Body, s.events)
	t.Cleanup(func() { _ = resp.Body.Close() })
	return s
}

func readEvents(r io.Reader, out chan<- event) {
	defer close(out)
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	var ev event
	for sc.Scan() {
		line := sc.Text()
		switch {
		case line == "" && ev.name != "":
			out <- ev
			ev = event{}
		case strings.HasPrefix(line, "event: "):
			ev.name = strings.TrimPrefix(line, "event: ")
		case strings.HasPrefix(line, "data: "):
			ev.data = strings.TrimPrefix(line, "data: ")
		}
	}
}

// next returns the next event called name whose data satisfies match,
// skipping others; it fails after 10 seconds or when the stream ends.
func (s *stream) next(t *testing.T, name string, match func(data string) bool, into any) {
	t.Helper()
	timeout := time.After(10 * time.Second)
	for {
		select {
		case ev, ok := <-s.events:
			if !ok {
				t.Fatalf("stream ended while waiting for %q", name)
			}
			if ev.name != name || (match != nil && !match(ev.data)) {
				continue
			}
			if into != nil {
				if err := json.Unmarshal([]byte(ev.data), into); err != nil {
					t.Fatalf("%s event %q: %v", name, ev.data, err)
				}
			}
			return
		case <-timeout:
			t.Fatalf("no %q event within 10s", name)
		}
	}
}

func contains(sub string) func(string) bool {
	return func(s string) bool { return strings.Contains(s, sub) }
}
