package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-telegram/bot/models"

	"github.com/orderbot/orderbot/bot/fakeapi"
	"github.com/orderbot/orderbot/core"
	"github.com/orderbot/orderbot/storage/postgres/pgtest"
)

// syncBuffer is a bytes.Buffer safe to read while a command writes it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}
func (s *syncBuffer) String() string { s.mu.Lock(); defer s.mu.Unlock(); return s.b.String() }

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// start runs a long-lived sub-command in the background; stop cancels it
// (as SIGTERM does) and returns its error.
func start(t *testing.T, env map[string]string, args ...string) (out, errOut *syncBuffer, stop func() error) {
	t.Helper()
	out, errOut = &syncBuffer{}, &syncBuffer{}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- runMain(ctx, args, func(k string) string { return env[k] }, strings.NewReader(""), out, errOut)
	}()
	var once sync.Once
	var err error
	stop = func() error {
		once.Do(func() {
			cancel()
			select {
			case err = <-done:
			case <-time.After(45 * time.Second):
				err = fmt.Errorf("did not stop within 45s")
			}
		})
		return err
	}
	t.Cleanup(func() { stop() }) //nolint:errcheck
	return out, errOut, stop
}

func waitHTTP(t *testing.T, url string, want int) string {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		resp, err := http.Get(url)
		if err == nil {
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode == want {
				return string(body)
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s did not answer %d: %v", url, want, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// TestRun_WebhookHealthMetrics runs `orderbot run` in webhook mode against
// the fake Bot API: health, readiness and metrics answer; a webhook request
// without the secret is refused; a user's message arrives through the
// webhook and is answered; cancelling stops it gracefully.
func TestRun_WebhookHealthMetrics(t *testing.T) {
	_, url := pgtest.NewWithURL(t)
	srv := fakeapi.New()
	if err := srv.Start(); err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	addr := freeAddr(t)
	env := map[string]string{"TELEGRAM_TOKEN": "42:test", "TELEGRAM_API_URL": srv.URL(), "DATABASE_URL": url,
		"HTTP_ADDR": addr, "WEBHOOK_URL": "http://" + addr + "/tg/hook", "WEBHOOK_SECRET": "0123456789abcdef0123",
		"OWNER_IDS": "77", "LOG_FORMAT": "text", "REDIS_PREFIX": fmt.Sprintf("obtest:cmd:%d:", time.Now().UnixNano())}
	_, errOut, stop := start(t, env, "run")
	waitHTTP(t, "http://"+addr+"/healthz", 200)
	if body := waitHTTP(t, "http://"+addr+"/readyz", 200); !strings.Contains(body, "postgres: ok") || !strings.Contains(body, "redis: ok") {
		t.Fatalf("readyz: %q", body)
	}
	resp, err := http.Post("http://"+addr+"/tg/hook", "application/json", strings.NewReader(`{"update_id":1}`))
	if err != nil || resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("webhook without secret: %v %v", resp, err)
	}
	srv.AddUser(models.User{ID: 5, FirstName: "Eve"})
	cur := srv.Cursor()
	if _, err := srv.SendText(5, "/start"); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if _, err := srv.WaitBotMessageAfter(ctx, cur, 5, func(m fakeapi.Message) bool { return strings.Contains(m.PlainText, "Hello, Eve") }); err != nil {
		t.Fatalf("no answer through the webhook: %v\n%s", err, errOut)
	}
	// The update is counted once its handler returns, just after the reply.
	counted := regexp.MustCompile(`orderbot_updates_handled_seconds_count [1-9]`)
	metrics := waitHTTP(t, "http://"+addr+"/metrics", 200)
	for deadline := time.Now().Add(10 * time.Second); counted.FindString(metrics) == "" && time.Now().Before(deadline); {
		time.Sleep(20 * time.Millisecond)
		metrics = waitHTTP(t, "http://"+addr+"/metrics", 200)
	}
	if counted.FindString(metrics) == "" {
		t.Errorf("no update counted:\n%s", metrics)
	}
	for _, m := range []string{"orderbot_messages_sent_total", "orderbot_telegram_429_total", "orderbot_reservations_total"} {
		if !strings.Contains(metrics, m) {
			t.Errorf("metrics lack %q", m)
		}
	}
	if err := stop(); err != nil {
		t.Fatalf("graceful stop: %v\n%s", err, errOut)
	}
}

func TestRun_NeedsToken(t *testing.T) {
	c := &cli{t: t, env: map[string]string{}}
	if _, errOut, code := c.run("run"); code != 1 || !strings.Contains(errOut, "TELEGRAM_TOKEN is not set") {
		t.Fatalf("run without token: %d %q", code, errOut)
	}
	c.env = map[string]string{"TELEGRAM_TOKEN": "1:x", "WEBHOOK_URL": "https://example.com/hook", "WEBHOOK_SECRET": "short"}
	if _, errOut, code := c.run("run"); code != 1 || !strings.Contains(errOut, "WEBHOOK_SECRET") {
		t.Fatalf("webhook without a proper secret: %d %q", code, errOut)
	}
}

// TestSandbox_OneCommand starts the sandbox on a fresh database: it loads
// the demo, serves the chat page, and a customer persona can talk to the bot.
func TestSandbox_OneCommand(t *testing.T) {
	_, url := pgtest.NewWithURL(t)
	web, health := freeAddr(t), freeAddr(t)
	env := map[string]string{"DATABASE_URL": url, "SANDBOX_ADDR": web, "HTTP_ADDR": health}
	out, errOut, stop := start(t, env, "sandbox")
	deadline := time.Now().Add(30 * time.Second)
	for !strings.Contains(out.String(), "open http://") && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	if !strings.Contains(out.String(), "open http://"+web) || !strings.Contains(out.String(), "demo data loaded: true") ||
		!strings.Contains(out.String(), "health and metrics at http://"+health) {
		t.Fatalf("sandbox output: %q\n%s", out, errOut)
	}
	quietDemoHistory(t, url)
	var personas struct {
		Personas []struct{ ID int64 } `json:"personas"`
	}
	if err := json.Unmarshal([]byte(waitHTTP(t, "http://"+web+"/api/personas", 200)), &personas); err != nil || len(personas.Personas) != 4 {
		t.Fatalf("personas: %+v %v", personas, err)
	}
	resp, err := http.Post("http://"+web+"/api/send", "application/json", strings.NewReader(`{"user":1001,"text":"/catalog"}`))
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("send: %v %v", resp, err)
	}
	deadline = time.Now().Add(20 * time.Second)
	for !strings.Contains(waitHTTP(t, "http://"+web+"/api/chat?user=1001", 200), "Coffee beans") {
		if time.Now().After(deadline) {
			t.Fatalf("no catalog in the chat\n%s", errOut)
		}
		time.Sleep(100 * time.Millisecond)
	}
	if err := stop(); err != nil {
		t.Fatal(err)
	}
}

// quietDemoHistory: the demo's history leaves no notice for the personas
// (Anna's first /start is not followed by old news), only the staff's cards
// of the order still waiting for confirmation.
func quietDemoHistory(t *testing.T, url string) {
	t.Helper()
	db := openTestDB(t, url)
	var queued, customers, cards, other int
	err := db.Pool().QueryRow(context.Background(), `SELECT (SELECT count(*) FROM order_event_queue),
		count(*) FILTER (WHERE chat_id IN ($1, $2)), count(*) FILTER (WHERE chat_id IN ($3, $4) AND kind = 'order_card'),
		count(*) FILTER (WHERE chat_id NOT IN ($1, $2) AND kind <> 'order_card') FROM outbox`,
		demoAnnaID, demoBorisID, demoOwnerID, demoManagerID).Scan(&queued, &customers, &cards, &other)
	if err != nil {
		t.Fatal(err)
	}
	if queued != 0 || customers != 0 || cards != 2 || other != 0 {
		t.Fatalf("after the demo: %d events queued, %d notices for the customer personas, %d new-order cards, %d other notices",
			queued, customers, cards, other)
	}
}

var printedAddr = regexp.MustCompile(`(open|health and metrics at) http://([0-9.]+:[0-9]+)`)

// TestSandbox_PortsTakenOrChosen: with SANDBOX_ADDR and HTTP_ADDR taken the
// sandbox picks free ports and prints the ones it uses (both answer there);
// --addr and --http choose them; a taken --addr is a clear error.
func TestSandbox_PortsTakenOrChosen(t *testing.T) {
	_, url := pgtest.NewWithURL(t)
	taken := []net.Listener{}
	for range 2 {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		defer ln.Close()
		taken = append(taken, ln)
	}
	env := map[string]string{"DATABASE_URL": url, "SANDBOX_ADDR": taken[0].Addr().String(), "HTTP_ADDR": taken[1].Addr().String()}
	out, errOut, stop := start(t, env, "sandbox")
	addrs := waitPrinted(t, out, errOut)
	if addrs["open"] == taken[0].Addr().String() || addrs["health and metrics at"] == taken[1].Addr().String() ||
		!strings.Contains(out.String(), "SANDBOX_ADDR "+taken[0].Addr().String()+" is taken") {
		t.Fatalf("sandbox output: %q", out)
	}
	waitHTTP(t, "http://"+addrs["open"]+"/api/personas", 200)
	waitHTTP(t, "http://"+addrs["health and metrics at"]+"/healthz", 200)
	if err := stop(); err != nil {
		t.Fatal(err)
	}

	web, health := freeAddr(t), freeAddr(t)
	out, errOut, stop = start(t, env, "sandbox", "--addr", web, "--http", health)
	if addrs := waitPrinted(t, out, errOut); addrs["open"] != web || addrs["health and metrics at"] != health {
		t.Fatalf("chosen %s and %s; printed %q", web, health, out)
	}
	waitHTTP(t, "http://"+web+"/api/personas", 200)
	waitHTTP(t, "http://"+health+"/readyz", 200)
	if err := stop(); err != nil {
		t.Fatal(err)
	}

	c := &cli{t: t, env: env}
	if _, errOut, code := c.run("sandbox", "--addr", taken[0].Addr().String()); code != 1 || !strings.Contains(errOut, "address already in use") ||
		!strings.Contains(errOut, "--addr "+taken[0].Addr().String()) {
		t.Fatalf("a taken --addr: %d %q", code, errOut)
	}
}

func waitPrinted(t *testing.T, out, errOut *syncBuffer) map[string]string {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		if ms := printedAddr.FindAllStringSubmatch(out.String(), -1); len(ms) == 2 {
			return map[string]string{ms[0][1]: ms[0][2], ms[1][1]: ms[1][2]}
		}
		if time.Now().After(deadline) {
			t.Fatalf("no addresses printed: %q\n%s", out, errOut)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func TestSandbox_StopsWhenServicesAreDown(t *testing.T) {
	c := &cli{t: t, env: map[string]string{"DATABASE_URL": "postgres://postgres@127.0.0.1:1/x?sslmode=disable", "REDIS_URL": "redis://127.0.0.1:2/0"}}
	_, errOut, code := c.run("sandbox")
	if code != 1 || !strings.Contains(errOut, "Postgres does not answer at 127.0.0.1:1") || !strings.Contains(errOut, "Redis does not answer at 127.0.0.1:2") ||
		!strings.Contains(errOut, "redis-server") {
		t.Fatalf("services down: %d %q", code, errOut)
	}
}

// TestCLI_Invoice writes an invoice as PDF from the command line.
func TestCLI_Invoice(t *testing.T) {
	c := newCLI(t)
	c.run("catalog", "import", writeFile(t, "sku,name,price,stock\nA-1,Чай зелёный,2.50,10\n"))
	db := openTestDB(t, c.env["DATABASE_URL"])
	d := core.Deps{Store: db, Currency: core.MustCurrency("USD")}
	staff := core.Actor{Role: core.RoleManager, Name: "m"}
	cust, _ := core.NewCustomers(d).Create(context.Background(), staff, core.Customer{Name: "ООО «Ромашка»", TermsDays: 0})
	p, _ := db.ProductBySKU(context.Background(), "A-1")
	orders := core.NewOrders(d)
	o, err := orders.Place(context.Background(), staff, core.PlaceOrder{CustomerID: cust.ID, Confirmed: true, Lines: []core.OrderLineInput{{ProductID: p.ID, Qty: 4}}})
	if err != nil {
		t.Fatal(err)
	}
	inv, _, err := orders.IssueInvoice(context.Background(), staff, o.ID, 0, "")
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "inv.pdf")
	if out, errOut, code := c.run("invoice", inv.Number, "-o", file); code != 0 || !strings.Contains(out, "wrote") {
		t.Fatalf("invoice: %d %q %q", code, out, errOut)
	}
	text, err := exec.Command("pdftotext", "-layout", file, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext (apt-get install poppler-utils): %v", err)
	}
	for _, want := range []string{inv.Number, "ООО «Ромашка»", "Чай зелёный", "10.00"} {
		if !strings.Contains(string(text), want) {
			t.Errorf("invoice PDF lacks %q:\n%s", want, text)
		}
	}
	if _, errOut, code := c.run("invoice", "INV-1999-000001", "-o", file); code != 1 || !strings.Contains(errOut, "no invoice") {
		t.Fatalf("unknown invoice: %d %q", code, errOut)
	}
	if _, _, code := c.run("invoice", inv.Number); code != 2 {
		t.Fatalf("missing -o: %d", code)
	}
	invoiceByOrderNumber(t, c, orders, staff, o, inv)
}

// invoiceByOrderNumber: an order number gives the order's latest invoice
// that is not void, and an order without one a clear error.
func invoiceByOrderNumber(t *testing.T, c *cli, orders *core.Orders, staff core.Actor, o *core.Order, inv *core.Invoice) {
	t.Helper()
	file := filepath.Join(t.TempDir(), "by-order.pdf")
	out, errOut, code := c.run("invoice", o.Number, "-o", file)
	if code != 0 || !strings.Contains(out, "invoice "+inv.Number+" of order "+o.Number) {
		t.Fatalf("invoice by order number: %d %q %q", code, out, errOut)
	}
	if text, err := exec.Command("pdftotext", "-layout", file, "-").Output(); err != nil || !strings.Contains(string(text), inv.Number) {
		t.Fatalf("PDF of %s: %v\n%s", o.Number, err, text)
	}
	if _, err := orders.VoidInvoice(context.Background(), staff, inv.ID, "wrong price"); err != nil {
		t.Fatal(err)
	}
	_, errOut, code = c.run("invoice", o.Number, "-o", file)
	if code != 1 || !strings.Contains(errOut, "order "+o.Number+" has no invoice") {
		t.Fatalf("order with only a void invoice: %d %q", code, errOut)
	}
	if _, errOut, code := c.run("invoice", "1999-000001", "-o", file); code != 1 || !strings.Contains(errOut, "no order") {
		t.Fatalf("unknown order: %d %q", code, errOut)
	}
}
