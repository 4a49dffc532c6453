package sandbox

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/orderbot/orderbot/bot/fakeapi"
)

func TestPage_BadInput(t *testing.T) {
	f := newFixture(t, WithMaxUpload(64))
	f.call(t, "POST", "/api/send", map[string]any{"user": alice, "text": "/start"}, nil)
	greeting, err := f.srv.WaitBotMessage(testContext(t), alice, func(m fakeapi.Message) bool { return len(m.InlineKeyboard) > 0 })
	if err != nil {
		t.Fatal(err)
	}
	long := strings.Repeat("я", fakeapi.MaxTextLength+1)
	cases := []struct {
		name, method, path string
		body               any
		status             int
		msg                string
	}{
		{"unknown path", "GET", "/nope", nil, 404, "no such page"},
		{"wrong method", "GET", "/api/send", nil, 405, "GET is not allowed here; use POST"},
		{"unknown user", "POST", "/api/send", map[string]any{"user": 999, "text": "hi"}, 404, "unknown user 999"},
		{"no user", "POST", "/api/send", map[string]any{"text": "hi"}, 400, "user must be a positive persona id"},
		{"empty text", "POST", "/api/send", map[string]any{"user": alice, "text": "  "}, 400, "text is empty"},
		{"long text", "POST", "/api/send", map[string]any{"user": alice, "text": long}, 400, "Telegram allows 4096"},
		{"unknown field", "POST", "/api/send", map[string]any{"user": alice, "txt": "hi"}, 400, `unknown field "txt"`},
		{"user as string", "POST", "/api/contact", map[string]any{"user": "1001"}, 400, "invalid JSON body"},
		{"press unknown message", "POST", "/api/press", map[string]any{"user": alice, "message_id": 99, "data": "x"}, 404, "no message 99"},
		{"press forged data", "POST", "/api/press", map[string]any{"user": alice, "message_id": greeting.ID, "data": "admin:1"}, 409, "has no button with that data"},
		{"press no data", "POST", "/api/press", map[string]any{"user": alice, "message_id": greeting.ID}, 400, "callback data"},
		{"press long data", "POST", "/api/press", map[string]any{"user": alice, "message_id": greeting.ID, "data": strings.Repeat("x", 65)}, 400, "callback data"},
		{"press in another chat", "POST", "/api/press", map[string]any{"user": manager, "message_id": greeting.ID, "data": "confirm:1"}, 404, "no message"},
		{"chat without user", "GET", "/api/chat", nil, 400, "query parameter user is required"},
		{"chat bad user", "GET", "/api/chat?user=abc", nil, 400, "must be a positive integer"},
		{"events unknown user", "GET", "/events?user=5", nil, 404, "unknown user 5"},
		{"file without file", "GET", "/api/file?user=1001&message_id=1", nil, 404, "has no document or photo"},
		{"file bad id", "GET", "/api/file?user=1001&message_id=-1", nil, 400, "message_id must be a positive integer"},
		{"persona bad lang", "POST", "/api/personas", map[string]any{"lang": "english!"}, 400, "not a language code"},
		{"persona long name", "POST", "/api/personas", map[string]any{"name": strings.Repeat("n", 65)}, 400, "longer than 64"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var got errorBody
			if code := f.call(t, c.method, c.path, c.body, &got); code != c.status || !strings.Contains(got.Error, c.msg) {
				t.Fatalf("%d %q, want %d and %q", code, got.Error, c.status, c.msg)
			}
		})
	}
}

func TestPage_BadBodies(t *testing.T) {
	f := newFixture(t, WithMaxUpload(64))
	raw := func(path, ctype, body string) *http.Request {
		req, _ := http.NewRequest(http.MethodPost, f.http.URL+path, strings.NewReader(body))
		req.Header.Set("Content-Type", ctype)
		return req
	}
	big := f.uploadRequest(t, "1001", "big.csv", make([]byte, 65))
	cases := []struct {
		name   string
		req    *http.Request
		status int
		msg    string
	}{
		{"not JSON", raw("/api/send", "application/json", "{"), 400, "invalid JSON body"},
		{"trailing data", raw("/api/send", "application/json", `{"user":1001,"text":"a"} {}`), 400, "unexpected data after the object"},
		{"form body", raw("/api/send", "application/x-www-form-urlencoded", "user=1001&text=a"), 415, "Content-Type: application/json"},
		{"huge body", raw("/api/send", "application/json", `{"text":"`+strings.Repeat("a", maxJSONBody)+`"}`), 413, "larger than"},
		{"upload too big", big, 413, "larger than 64 bytes"},
		{"upload no file", f.uploadRequest(t, "1001", "", nil), 400, "form field file is missing"},
		{"upload empty file", f.uploadRequest(t, "1001", "a.csv", nil), 400, "the file is empty"},
		{"upload no user", f.uploadRequest(t, "", "a.csv", []byte("x")), 400, "form field user"},
		{"upload not multipart", raw("/api/upload", "application/json", "{}"), 400, "send multipart/form-data"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var got errorBody
			if code := f.do(t, c.req, &got); code != c.status || !strings.Contains(got.Error, c.msg) {
				t.Fatalf("%d %q, want %d and %q", code, got.Error, c.status, c.msg)
			}
		})
	}
}

func TestPage_RefusesCrossOriginWrites(t *testing.T) {
	f := newFixture(t)
	req, _ := http.NewRequest(http.MethodPost, f.http.URL+"/api/send", strings.NewReader(`{"user":1001,"text":"hi"}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Origin", "https://evil.example")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	if code := f.do(t, req, nil); code != http.StatusForbidden {
		t.Fatalf("cross-site POST: %d, want 403", code)
	}
	if n := len(f.srv.Messages(alice)); n != 0 {
		t.Fatalf("cross-site POST sent %d messages", n)
	}
}

func TestPage_ServesPageWithCSP(t *testing.T) {
	f := newFixture(t)
	resp, err := http.Get(f.http.URL + "/")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	csp := resp.Header.Get("Content-Security-Policy")
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") || !strings.Contains(csp, "script-src 'sha256-") {
		t.Fatalf("GET /: %d %q, CSP %q", resp.StatusCode, resp.Header.Get("Content-Type"), csp)
	}
}

// testContext ends with the test or after 10 seconds.
func testContext(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func TestPage_PanicBecomesJSON500(t *testing.T) {
	p := &Page{log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	h := p.recoverer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { panic("boom") }))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/api/chat", nil))
	if rec.Code != http.StatusInternalServerError || !strings.Contains(rec.Body.String(), `"error":"internal error`) {
		t.Fatalf("panic answered %d %q", rec.Code, rec.Body.String())
	}
}
