package bot

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/go-telegram/bot/models"

	"github.com/orderbot/orderbot/bot/fakeapi"
	"github.com/orderbot/orderbot/core"
	"github.com/orderbot/orderbot/jobs"
	"github.com/orderbot/orderbot/storage/postgres"
	"github.com/orderbot/orderbot/storage/postgres/pgtest"
	redisstore "github.com/orderbot/orderbot/storage/redis"
	"github.com/orderbot/orderbot/storage/redis/redistest"
)

// world is a whole shop for a test: real Postgres (a fresh database), real
// Redis (a private key prefix), the real Telegram client, and the fake Bot
// API server standing in for Telegram.
type world struct {
	t      testing.TB
	srv    *fakeapi.Server
	db     *postgres.DB
	cache  *redisstore.Store
	svc    Services
	bot    *Bot
	stop   context.CancelFunc
	done   chan struct{}
	holdTT time.Duration
}

const (
	ownerID    = 900
	managerID  = 901
	manager2ID = 902
)

type worldOpt func(*worldConfig)

type worldConfig struct {
	methods   []core.PaymentMethod
	holdTTL   time.Duration
	limits    Limits
	noPolling bool
	pricing   core.Pricing
	db        *postgres.DB
	cache     *redisstore.Store
	payments  Payments
	keepStars bool
}

// withStores runs the world on the given stores (private servers of fault
// tests) instead of the shared ones.
func withStores(db *postgres.DB, cache *redisstore.Store) worldOpt {
	return func(c *worldConfig) { c.db, c.cache = db, cache }
}

func withPricing(pr core.Pricing) worldOpt { return func(c *worldConfig) { c.pricing = pr } }

func withoutPolling() worldOpt { return func(c *worldConfig) { c.noPolling = true } }

func withHoldTTL(d time.Duration) worldOpt { return func(c *worldConfig) { c.holdTTL = d } }

// withPaymentMethods sets the shop's payment methods (PAYMENT_METHODS).
func withPaymentMethods(ms ...core.PaymentMethod) worldOpt {
	return func(c *worldConfig) { c.methods = ms }
}

func newWorld(t testing.TB, opts ...worldOpt) *world {
	t.Helper()
	wc := worldConfig{holdTTL: 15 * time.Minute, limits: Limits{Global: 1000, GlobalBurst: 1000, PerChat: 1000, ChatBurst: 1000}}
	for _, o := range opts {
		o(&wc)
	}
	w := &world{t: t, holdTT: wc.holdTTL, srv: fakeapi.New(fakeapi.WithBotUsername("shop_bot"))}
	if err := w.srv.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(w.srv.Close)
	w.db, w.cache = wc.db, wc.cache
	if w.db == nil {
		w.db = pgtest.New(t)
	}
	if w.cache == nil {
		w.cache = redistest.New(t, "bot")
	}
	d := core.Deps{Store: w.db, Holds: w.cache.Carts(), Currency: core.MustCurrency("USD"), Pricing: wc.pricing,
		KeepStarsOnCancel: wc.keepStars}
	orders := core.NewOrders(d)
	w.svc = Services{Orders: orders, Catalog: core.NewCatalog(d), Customers: core.NewCustomers(d),
		Shopping: core.NewShopping(d, w.cache.Carts(), orders, wc.holdTTL),
		Staff:    core.NewStaff(d, w.db, []int64{ownerID}, []int64{managerID, manager2ID}),
		Reports:  core.NewReports(d, w.db, 5), Exports: core.NewExports(d, w.db)}
	for _, u := range []models.User{{ID: ownerID, FirstName: "Olga", LastName: "Owner", LanguageCode: "en"},
		{ID: managerID, FirstName: "Mia", LanguageCode: "en"}, {ID: manager2ID, FirstName: "Max", LanguageCode: "en"}} {
		w.srv.AddUser(u)
	}
	w.start(wc)
	return w
}

func (w *world) start(wc worldConfig) {
	b := w.newBot(wc)
	w.startDelivery(b)
	w.bot = b
	if wc.noPolling {
		return
	}
	ctx, cancel := context.WithCancel(context.Background())
	w.stop, w.done = cancel, make(chan struct{})
	go func() { defer close(w.done); b.Run(ctx) }() //nolint:errcheck
	w.t.Cleanup(w.shutdown)
}

// startDelivery runs the outbox for the bot: notices about orders (staff
// cards, customer notices, invoices, receipts) go out through it, as in
// production.
func (w *world) startDelivery(b *Bot) {
	d := core.Deps{Store: w.db, Currency: core.MustCurrency("USD")}
	cfg := jobs.Config{Poll: 20 * time.Millisecond, Workers: 4, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}
	delivery := jobs.NewDelivery(cfg, w.db, core.NewNotices(d, w.db, w.svc.Staff, 0), b)
	b.UseOutbox(delivery.Wake)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); delivery.Run(ctx) }()
	w.t.Cleanup(func() { cancel(); <-done })
}

// instances names each test bot apart: replicas hold chat leases by name.
var instances int

// newBot makes a Bot on this world's services (a second one is a replica).
func (w *world) newBot(wc worldConfig) *Bot {
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	if testing.Verbose() {
		logger = slog.New(slog.NewTextHandler(testWriter{w.t}, &slog.HandlerOptions{Level: slog.LevelInfo}))
	}
	instances++
	b, err := New(context.Background(), Config{Token: "123:test", APIURL: w.srv.URL(), PollTimeout: 2 * time.Second,
		Limits: wc.limits, Logger: logger, Instance: fmt.Sprintf("test-%d", instances), PaymentMethods: wc.methods, Pricing: wc.pricing, Payments: wc.payments}, w.svc, w.cache, w.db, w.db)
	if err != nil {
		w.t.Fatal(err)
	}
	w.t.Cleanup(b.Close)
	return b
}

func (w *world) shutdown() {
	if w.stop != nil {
		w.stop()
		<-w.done
		w.stop = nil
	}
}

type testWriter struct{ t testing.TB }

func (tw testWriter) Write(p []byte) (int, error) {
	tw.t.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}

// user adds a Telegram user who will talk to the bot.
func (w *world) user(id int64, name, lang string) int64 {
	w.srv.AddUser(models.User{ID: id, FirstName: name, LanguageCode: lang})
	return id
}

func (w *world) ctx() context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	w.t.Cleanup(cancel)
	return ctx
}

// say sends text as the user and waits for the bot's next message (new or
// edited) in their chat that contains want.
func (w *world) say(user int64, text, want string) fakeapi.Message {
	w.t.Helper()
	cur := w.srv.Cursor()
	if _, err := w.srv.SendText(user, text); err != nil {
		w.t.Fatalf("send %q: %v", text, err)
	}
	return w.await(cur, user, want)
}

// press presses an inline button by its label and waits for the bot's
// answer containing want: the callback's toast, or a message sent or edited
// after the press (every callback is answered last, so by the time the
// answer arrives any message is there).
func (w *world) press(user int64, label, want string) fakeapi.Message {
	w.t.Helper()
	cur := w.srv.Cursor()
	id, err := w.srv.PressButton(user, label)
	for deadline := time.Now().Add(5 * time.Second); err != nil && time.Now().Before(deadline); {
		time.Sleep(20 * time.Millisecond) // the screen with the button may still be on its way
		id, err = w.srv.PressButton(user, label)
	}
	if err != nil {
		w.t.Fatalf("press %q: %v\nlast message: %s", label, err, w.last(user))
	}
	upd, _ := w.srv.Update(id)
	ans, err := w.srv.WaitCallbackAnswer(w.ctx(), upd.CallbackQuery.ID)
	if err != nil {
		w.t.Fatalf("press %q: not answered: %v", label, err)
	}
	if want != "" && strings.Contains(ans.Text, want) {
		return fakeapi.Message{PlainText: ans.Text}
	}
	return w.await(cur, user, want)
}

func (w *world) await(cur fakeapi.Cursor, chat int64, want string) fakeapi.Message {
	w.t.Helper()
	m, err := w.srv.WaitBotMessageAfter(w.ctx(), cur, chat, func(m fakeapi.Message) bool {
		return strings.Contains(m.PlainText+m.PlainCaption, want)
	})
	if err != nil {
		w.t.Fatalf("waiting for %q in chat %d: %v\nlast message: %s", want, chat, err, w.last(chat))
	}
	return m
}

func (w *world) last(chat int64) string {
	m, ok := w.srv.LastBotMessage(chat)
	if !ok {
		return "(none)"
	}
	return fmt.Sprintf("%q buttons %v", m.PlainText, m.InlineKeyboard)
}

// product adds a product to the catalog with stock on hand.
func (w *world) product(sku, name string, price core.Money, stock int64) core.Product {
	w.t.Helper()
	rows := []core.CatalogRow{{Line: 2, Product: core.Product{SKU: sku, Name: name, Price: price, Active: true}, Stock: stock}}
	if _, err := w.svc.Catalog.Import(context.Background(), core.System, rows, false); err != nil {
		w.t.Fatal(err)
	}
	p, err := w.db.ProductBySKU(context.Background(), sku)
	if err != nil {
		w.t.Fatal(err)
	}
	return *p
}

func (w *world) stock(p core.Product) core.StockLevel {
	w.t.Helper()
	ls, err := w.svc.Catalog.Stock(context.Background(), core.StockFilter{ProductIDs: []int64{p.ID}})
	if err != nil || len(ls) != 1 {
		w.t.Fatalf("stock: %v %v", ls, err)
	}
	return ls[0]
}

func (w *world) orders() []core.Order {
	w.t.Helper()
	os, err := w.svc.Orders.List(context.Background(), core.System, core.OrderFilter{})
	if err != nil {
		w.t.Fatal(err)
	}
	return os
}

// hasButton reports whether a message has an inline button with the label.
func hasButton(m fakeapi.Message, label string) bool {
	for _, row := range m.InlineKeyboard {
		for _, b := range row {
			if b.Text == label {
				return true
			}
		}
	}
	return false
}

// fakeapiZero is a cursor before everything: wait for any message.
var fakeapiZero fakeapi.Cursor
