package bot

import (
	"context"
	"strings"
	"testing"
)

// TestReplay_DialogStepNotAppliedTwice: an update handled again after a
// crash (its answer died with the process, so it was still pending) shows
// where the dialog stands instead of applying itself a second time: the
// address typed at checkout is not taken for the phone.
func TestReplay_DialogStepNotAppliedTwice(t *testing.T) {
	w := newWorld(t)
	w.product("TEA", "Green tea", 450, 10)
	u := w.user(1901, "Rex", "en")
	w.say(u, "/start TEA", "Green tea")
	w.press(u, "➕ Put 1 in cart", "Your cart")
	w.press(u, "✅ Check out", "Where should we deliver?")
	cur := w.srv.Cursor()
	id, err := w.srv.SendText(u, "5 Replay Road")
	if err != nil {
		t.Fatal(err)
	}
	w.await(cur, u, "Your phone number")
	// The process died before the address's answer was marked sent: the
	// update is pending again, and the next start handles it again.
	w.shutdown()
	if _, err := w.db.Pool().Exec(context.Background(), `UPDATE inbox SET done_at = NULL WHERE update_id = $1`, id); err != nil {
		t.Fatal(err)
	}
	cur = w.srv.Cursor()
	w.start(worldConfig{limits: Limits{Global: 1000, GlobalBurst: 1000, PerChat: 1000, ChatBurst: 1000}})
	again := w.await(cur, u, "Your phone number")
	if strings.Contains(again.PlainText, "does not look like a phone") {
		t.Fatalf("the replayed address was taken for the phone: %q", again.PlainText)
	}
	w.say(u, "+15550001901", "Please check your order")
	m := w.press(u, "✅ Place order", "The goods are reserved")
	if !strings.Contains(m.PlainText, "4.50 USD") {
		t.Fatalf("placed: %q", m.PlainText)
	}
	if os := w.orders(); len(os) != 1 || os[0].Address != "5 Replay Road" {
		t.Fatalf("orders: %+v", os)
	}
}
