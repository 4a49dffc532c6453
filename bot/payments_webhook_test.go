package bot

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"
)

// paidReplicas is replicas with payments in chat on.
func (w *world) paidReplicas(n int) {
	var handlers []http.Handler
	for range n {
		b := w.newBot(worldConfig{limits: Limits{Global: 1000, GlobalBurst: 1000, PerChat: 1000, ChatBurst: 1000}, payments: testProvider})
		handlers = append(handlers, b.WebhookHandler(testSecret))
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
}

// TestPayInChat_Webhook: behind a load balancer, replicas answer the
// pre-checkout query and record the payment once, even when its report
// reaches another replica again.
func TestPayInChat_Webhook(t *testing.T) {
	w := newWorld(t, withoutPolling(), withPayments(testProvider))
	w.paidReplicas(3)
	p := w.product("TEA-1", "Green tea 100g", 450, 20)
	alice := w.customer(1741, "Alice", "en")
	_, msg := w.invoiced(alice, p, 2)
	cur := w.srv.Cursor()
	res := w.pay(alice.TelegramID, msg, true)
	w.awaitDoc(cur, alice.TelegramID, "9.00")
	for range 3 {
		if _, err := w.srv.RedeliverPayment(res.Charge.ChargeID); err != nil {
			t.Fatal(err)
		}
	}
	w.settle(alice.TelegramID)
	if ps := w.chatPayments(alice); len(ps) != 1 {
		t.Fatalf("payments = %+v, want one", ps)
	}
	if again := w.pay(alice.TelegramID, msg, false); again.Answer.ErrorMessage != "This invoice is already paid" {
		t.Fatalf("paid twice: %+v", again)
	}
}
