package bot

import (
	"context"
	"testing"
	"time"

	"github.com/orderbot/orderbot/internal/faulttest"
	"github.com/orderbot/orderbot/storage/postgres"
	"github.com/orderbot/orderbot/storage/redis/redistest"
)

// TestFault_PaymentWhilePostgresIsDown: with the database down a payment
// is refused at once ("try again in a minute"), nothing is charged; once
// the database is back the same invoice is paid.
func TestFault_PaymentWhilePostgresIsDown(t *testing.T) {
	srv := faulttest.Postgres(t)
	ctx := context.Background()
	db, err := postgres.Open(ctx, srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	w := newWorld(t, withStores(db, redistest.New(t, "bot")), withPayments(testProvider))
	p := w.product("OIL", "Olive oil", 900, 5)
	alice := w.customer(1731, "Alice", "en")
	_, msg := w.invoiced(alice, p, 1)

	srv.Stop()
	res := w.pay(alice.TelegramID, msg, false)
	if res.Answer.ErrorMessage != "The shop cannot take the payment right now, try again in a minute" {
		t.Fatalf("refusal while the database is down: %q", res.Answer.ErrorMessage)
	}
	if n := len(w.srv.Charges()); n != 0 {
		t.Fatalf("%d charges while the database is down", n)
	}

	srv.Start()
	deadline := time.Now().Add(20 * time.Second)
	for db.Ping(ctx) != nil && time.Now().Before(deadline) {
		time.Sleep(100 * time.Millisecond)
	}
	cur := w.srv.Cursor()
	w.pay(alice.TelegramID, msg, true)
	w.awaitDoc(cur, alice.TelegramID, "9.00")
	if ps := w.chatPayments(alice); len(ps) != 1 {
		t.Fatalf("payments = %+v", ps)
	}
}
