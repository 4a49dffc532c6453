package bot

import (
	"sync/atomic"
	"testing"
)

// slowGate, when set, holds the test-only /slow command until it closes.
var slowGate atomic.Pointer[chan struct{}]

func init() {
	// A command that only the test binary has: it keeps its chat busy.
	onCommand("slow", false, false, func(r *req, _ string) error {
		if g := slowGate.Load(); g != nil {
			<-*g
		}
		return r.reply("done slowly", nil)
	})
}

// TestPayInChat_PreCheckoutDoesNotWait: the answer to a pre-checkout query
// does not wait behind the chat's other updates (Telegram gives it
// seconds): it is answered while the customer's earlier message is still
// being handled, and the payment then goes through.
func TestPayInChat_PreCheckoutDoesNotWait(t *testing.T) {
	w := newWorld(t, withPayments(testProvider))
	p := w.product("TEA-1", "Green tea 100g", 450, 20)
	alice := w.customer(1721, "Alice", "en")
	_, msg := w.invoiced(alice, p, 1)

	gate := make(chan struct{})
	slowGate.Store(&gate)
	t.Cleanup(func() { slowGate.Store(nil) })
	if _, err := w.srv.SendText(alice.TelegramID, "/slow"); err != nil {
		t.Fatal(err)
	}
	res, err := w.srv.PayInvoice(w.ctx(), alice.TelegramID, msg.ID)
	if err != nil || !res.Answer.OK {
		close(gate)
		t.Fatalf("pay while the chat is busy: %+v, %v", res, err)
	}
	if n := len(w.chatPayments(alice)); n != 0 {
		t.Fatalf("%d payments recorded before the busy update was done: the chat's order was not kept", n)
	}
	cur := w.srv.Cursor()
	close(gate)
	w.await(cur, alice.TelegramID, "done slowly")
	w.awaitDoc(cur, alice.TelegramID, "4.50")
	if n := len(w.chatPayments(alice)); n != 1 {
		t.Fatalf("%d payments, want 1", n)
	}
}
