package bot

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/orderbot/orderbot/core"
	"github.com/orderbot/orderbot/internal/faulttest"
	"github.com/orderbot/orderbot/storage/postgres"
	"github.com/orderbot/orderbot/storage/postgres/pgtest"
	redisstore "github.com/orderbot/orderbot/storage/redis"
	"github.com/orderbot/orderbot/storage/redis/redistest"
)

// TestFault_RedisGoesAwayAndComesBack: with Redis down the bot says so
// plainly where it needs Redis, still shows the catalog (Postgres), loses
// no order, and works again when Redis is back.
func TestFault_RedisGoesAwayAndComesBack(t *testing.T) {
	srv := faulttest.Redis(t)
	cache, err := redisstore.Open(context.Background(), srv.URL, redisstore.WithTimeouts(200*time.Millisecond, 300*time.Millisecond), redisstore.WithRetries(0))
	if err != nil {
		t.Fatal(err)
	}
	defer cache.Close()
	w := newWorld(t, withStores(pgtest.New(t), cache))
	p := w.product("SALT", "Sea salt", 200, 5)
	u := w.user(1801, "Rita", "en")
	w.toSummary(u, "Sea salt · 2.00 USD", "➕ Put 1 in cart")
	w.press(u, "✅ Place order", "is placed")

	srv.Stop()
	w.say(u, "/cart", "technical pause")
	w.say(u, "/catalog", "Sea salt")
	if os := w.orders(); len(os) != 1 || os[0].Status != core.StatusNew {
		t.Fatalf("orders while Redis is down: %+v", os)
	}
	if st := w.stock(p); st.Reserved != 1 || st.OnHand != 5 {
		t.Fatalf("stock while Redis is down: %+v", st)
	}

	srv.Start()
	w.say(u, "/cart", "Your cart is empty")
	w.say(u, "/orders", w.orders()[0].Number)
}

// TestFault_PostgresGoesAwayAndComesBack: with the database down the bot
// answers that it is pausing instead of failing silently, and serves again
// once it is back; the order placed before is still there.
func TestFault_PostgresGoesAwayAndComesBack(t *testing.T) {
	srv := faulttest.Postgres(t)
	ctx := context.Background()
	db, err := postgres.Open(ctx, srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	w := newWorld(t, withStores(db, redistest.New(t, "bot")))
	w.product("OIL", "Olive oil", 900, 5)
	u := w.user(1802, "Omar", "en")
	w.toSummary(u, "Olive oil · 9.00 USD", "➕ Put 1 in cart")
	w.press(u, "✅ Place order", "is placed")

	srv.Stop()
	m := w.say(u, "/orders", "technical pause")
	if strings.Contains(m.PlainText, "reference") {
		t.Fatalf("an outage answered as an internal error: %q", m.PlainText)
	}

	srv.Start()
	deadline := time.Now().Add(20 * time.Second)
	for db.Ping(ctx) != nil && time.Now().Before(deadline) {
		time.Sleep(100 * time.Millisecond)
	}
	orders := w.orders()
	if len(orders) != 1 {
		t.Fatalf("orders after the database came back: %+v", orders)
	}
	w.say(u, "/orders", orders[0].Number)
}
