package bot

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

const testSecret = "s3cret-s3cret-s3cret"

// replicas serves the webhook from several Bot instances sharing Postgres
// and Redis, alternating like a round-robin load balancer.
func (w *world) replicas(n int) *httptest.Server {
	var handlers []http.Handler
	for range n {
		b := w.newBot(worldConfig{limits: Limits{Global: 1000, GlobalBurst: 1000, PerChat: 1000, ChatBurst: 1000}})
		handlers = append(handlers, b.WebhookHandler(testSecret))
		if w.bot == nil {
			w.bot = b
		}
	}
	var next atomic.Int64
	lb := httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		handlers[int(next.Add(1))%len(handlers)].ServeHTTP(rw, r)
	}))
	w.t.Cleanup(lb.Close)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); w.bot.RunWebhook(ctx, lb.URL+"/hook", testSecret) }() //nolint:errcheck
	w.t.Cleanup(func() { cancel(); <-done })
	deadline := time.Now().Add(5 * time.Second)
	for w.srv.Requests("setWebhook") == 0 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	return lb
}

func post(t *testing.T, url, secret, body string) int {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, url, strings.NewReader(body))
	if secret != "" {
		req.Header.Set("X-Telegram-Bot-Api-Secret-Token", secret)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// TestWebhook_Secret: requests without the right secret get 401 and are not
// processed; malformed bodies get 400; a right one is handled before 200.
func TestWebhook_Secret(t *testing.T) {
	w := newWorld(t, withoutPolling())
	lb := w.replicas(1)
	u := w.user(1701, "Wes", "en")
	update := func(id int) string {
		return fmt.Sprintf(`{"update_id":%d,"message":{"message_id":1,"date":1,"chat":{"id":%d,"type":"private"},`+
			`"from":{"id":%d,"first_name":"Wes"},"text":"/help","entities":[{"type":"bot_command","offset":0,"length":5}]}}`, id, u, u)
	}
	cases := []struct {
		secret, body string
		want         int
	}{
		{"", update(9001), http.StatusUnauthorized},
		{"wrong-secret-wrong", update(9002), http.StatusUnauthorized},
		{testSecret, "{not json", http.StatusBadRequest},
		{testSecret, `{"update_id":0}`, http.StatusBadRequest},
		{testSecret, `{"update_id":5,"poll":{}}`, http.StatusBadRequest},
		{testSecret, strings.Repeat("[", 2<<20), http.StatusBadRequest},
	}
	for _, c := range cases {
		if got := post(t, lb.URL+"/hook", c.secret, c.body); got != c.want {
			t.Errorf("secret %q body %.30q: %d, want %d", c.secret, c.body, got, c.want)
		}
	}
	if n := len(w.srv.BotMessages(u)); n != 0 {
		t.Fatalf("refused requests were processed: %d messages", n)
	}
	// The user must have started the bot for it to write to them.
	w.srv.SendText(u, "/start") //nolint:errcheck
	w.await(fakeapiZero, u, "Hello")
	cur := w.srv.Cursor()
	if got := post(t, lb.URL+"/hook", testSecret, update(9003)); got != http.StatusOK {
		t.Fatalf("right secret: %d", got)
	}
	w.await(cur, u, "What I can do") // stored before the 200, handled right after
}

// TestWebhook_Replicas: two replicas behind a round-robin balancer keep one
// chat's updates in order, and an update delivered to both is handled once.
func TestWebhook_Replicas(t *testing.T) {
	w := newWorld(t, withoutPolling())
	w.product("P-1", "Pen", 100, 10)
	lb := w.replicas(2)
	u := w.user(1702, "Rae", "en")
	w.say(u, "/start", "Hello")
	for i := range 8 {
		if _, err := w.srv.SendText(u, fmt.Sprintf("query%02d", i)); err != nil {
			t.Fatal(err)
		}
	}
	w.await(fakeapiZero, u, "query07")
	var got []string
	for _, m := range w.srv.BotMessages(u) {
		if i := strings.Index(m.PlainText, "query"); i >= 0 {
			got = append(got, m.PlainText[i:i+7])
		}
	}
	if strings.Join(got, " ") != "query00 query01 query02 query03 query04 query05 query06 query07" {
		t.Fatalf("order across replicas: %v", got)
	}
	before := len(w.srv.BotMessages(u))
	body := fmt.Sprintf(`{"update_id":777001,"message":{"message_id":99,"date":1,"chat":{"id":%d,"type":"private"},`+
		`"from":{"id":%d,"first_name":"Rae"},"text":"/help","entities":[{"type":"bot_command","offset":0,"length":5}]}}`, u, u)
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() { defer wg.Done(); post(t, lb.URL+"/hook", testSecret, body) }()
	}
	wg.Wait()
	w.await(fakeapiZero, u, "What I can do")
	time.Sleep(300 * time.Millisecond) // time for a second answer, should there be one
	if n := len(w.srv.BotMessages(u)) - before; n != 1 {
		t.Fatalf("the same update delivered 4 times produced %d replies", n)
	}
}
