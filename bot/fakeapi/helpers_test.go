package fakeapi

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	tg "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"
)

const testToken = "123456:TEST-token"

var (
	alice = models.User{ID: 1001, FirstName: "Alice", LastName: "Seller", Username: "alice", LanguageCode: "en"}
	bob   = models.User{ID: 1002, FirstName: "Bob", Username: "bob", LanguageCode: "ru"}
)

// newServer starts a server with a fixed token and two users, closed at
// the end of the test.
func newServer(t *testing.T, opts ...Option) *Server {
	t.Helper()
	srv := New(append([]Option{WithToken(testToken), WithBotUsername("order_test_bot")}, opts...)...)
	if err := srv.Start(); err != nil {
		t.Fatalf("start: %v", err)
	}
	t.Cleanup(srv.Close)
	srv.AddUser(alice)
	srv.AddUser(bob)
	return srv
}

// testCtx returns a context that ends with the test or after 10 seconds.
func testCtx(t *testing.T) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// newBot creates a real go-telegram client against srv without starting it.
func newBot(t *testing.T, srv *Server, opts ...tg.Option) *tg.Bot {
	t.Helper()
	base := []tg.Option{tg.WithServerURL(srv.URL()), tg.WithErrorsHandler(func(error) {}),
		tg.WithDefaultHandler(func(context.Context, *tg.Bot, *models.Update) {})}
	b, err := tg.New(testToken, append(base, opts...)...)
	if err != nil {
		t.Fatalf("bot.New: %v", err)
	}
	return b
}

// startBot creates a client and runs its getUpdates loop until the test
// ends.
func startBot(t *testing.T, srv *Server, opts ...tg.Option) *tg.Bot {
	t.Helper()
	b := newBot(t, srv, opts...)
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		b.Start(ctx)
	}()
	t.Cleanup(func() {
		cancel()
		wg.Wait()
	})
	return b
}

// apiResult is a raw Bot API answer.
type apiResult struct {
	OK          bool            `json:"ok"`
	Result      json.RawMessage `json:"result"`
	ErrorCode   int             `json:"error_code"`
	Description string          `json:"description"`
	Parameters  struct {
		RetryAfter int `json:"retry_after"`
	} `json:"parameters"`
}

// callJSON calls a method with a JSON body, as non-Go clients do.
func callJSON(t *testing.T, srv *Server, method string, body any) apiResult {
	t.Helper()
	r, err := postJSON(srv, method, body)
	if err != nil {
		t.Fatalf("%s: %v", method, err)
	}
	return r
}

// postJSON is callJSON for goroutines: it reports instead of failing.
func postJSON(srv *Server, method string, body any) (apiResult, error) {
	var r apiResult
	raw, _ := json.Marshal(body)
	resp, err := http.Post(srv.URL()+"/bot"+testToken+"/"+method, "application/json", strings.NewReader(string(raw)))
	if err != nil {
		return r, err
	}
	defer resp.Body.Close()
	err = json.NewDecoder(resp.Body).Decode(&r)
	return r, err
}

// callForm calls a method with an x-www-form-urlencoded body.
func callForm(t *testing.T, srv *Server, method string, form url.Values) apiResult {
	t.Helper()
	resp, err := http.PostForm(srv.URL()+"/bot"+testToken+"/"+method, form)
	if err != nil {
		t.Fatalf("%s: %v", method, err)
	}
	return decodeResult(t, resp)
}

func decodeResult(t *testing.T, resp *http.Response) apiResult {
	t.Helper()
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	var r apiResult
	if err := json.Unmarshal(body, &r); err != nil {
		t.Fatalf("decode %q: %v", body, err)
	}
	if !r.OK && r.ErrorCode != resp.StatusCode {
		t.Fatalf("error_code %d but HTTP status %d", r.ErrorCode, resp.StatusCode)
	}
	return r
}

// updateIDs extracts update ids from a getUpdates result.
func updateIDs(t *testing.T, r apiResult) []int64 {
	t.Helper()
	if !r.OK {
		t.Fatalf("getUpdates failed: %d %s", r.ErrorCode, r.Description)
	}
	var ups []models.Update
	if err := json.Unmarshal(r.Result, &ups); err != nil {
		t.Fatalf("decode updates: %v", err)
	}
	ids := make([]int64, len(ups))
	for i, u := range ups {
		ids[i] = u.ID
	}
	return ids
}

// need fails the test if a user action failed: need(t)(srv.SendText(...)).
func need(t *testing.T) func(int64, error) int64 {
	t.Helper()
	return func(id int64, err error) int64 {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return id
	}
}

// sendTo is a short sendMessage through the real client.
func sendTo(ctx context.Context, b *tg.Bot, chatID int64, text string, mode models.ParseMode) (*models.Message, error) {
	return b.SendMessage(ctx, &tg.SendMessageParams{ChatID: chatID, Text: text, ParseMode: mode})
}
