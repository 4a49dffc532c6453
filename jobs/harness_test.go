package jobs_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-telegram/bot/models"

	"github.com/orderbot/orderbot/bot"
	"github.com/orderbot/orderbot/bot/fakeapi"
	"github.com/orderbot/orderbot/core"
	"github.com/orderbot/orderbot/jobs"
	"github.com/orderbot/orderbot/storage/postgres"
	"github.com/orderbot/orderbot/storage/postgres/pgtest"
	redisstore "github.com/orderbot/orderbot/storage/redis"
	"github.com/orderbot/orderbot/storage/redis/redistest"
)

// shop is a whole shop for a jobs test: real Postgres (a fresh database),
// real Redis (a private prefix), the real bot and Telegram client against
// the fake Bot API server, the core on a fake clock, and the jobs.
type shop struct {
	t        testing.TB
	clock    *clock
	loc      *time.Location
	srv      *fakeapi.Server
	db       *postgres.DB
	cache    *redisstore.Store
	orders   *core.Orders
	catalog  *core.Catalog
	custs    *core.Customers
	staff    *core.Staff
	bot      *bot.Bot
	cfg      jobs.Config
	runner   *jobs.Runner
	delivery *jobs.Delivery
}

const (
	ownerID   = 900
	managerID = 901
)

var staffActor = core.Actor{Role: core.RoleManager, UserID: managerID, Name: "Mia"}

type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time          { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *clock) Set(t time.Time)         { c.mu.Lock(); c.now = t; c.mu.Unlock() }
func (c *clock) Advance(d time.Duration) { c.mu.Lock(); c.now = c.now.Add(d); c.mu.Unlock() }

type shopOpt func(*shopConfig)

type shopConfig struct {
	loc    *time.Location
	start  time.Time
	limits bot.Limits
	db     *postgres.DB
}

func withLocation(name string, start time.Time) shopOpt {
	return func(c *shopConfig) {
		loc, err := time.LoadLocation(name)
		if err != nil {
			panic(err)
		}
		c.loc, c.start = loc, start
	}
}

func withLimits(l bot.Limits) shopOpt { return func(c *shopConfig) { c.limits = l } }

// withDB makes a second shop (a second replica) on the first one's database.
func withDB(db *postgres.DB) shopOpt { return func(c *shopConfig) { c.db = db } }

func newShop(t testing.TB, opts ...shopOpt) *shop {
	t.Helper()
	sc := shopConfig{loc: time.UTC, start: time.Date(2026, 3, 10, 10, 0, 0, 0, time.UTC),
		limits: bot.Limits{Global: 1000, GlobalBurst: 1000, PerChat: 1000, ChatBurst: 1000}}
	for _, o := range opts {
		o(&sc)
	}
	s := &shop{t: t, clock: &clock{now: sc.start}, loc: sc.loc, srv: fakeapi.New(fakeapi.WithBotUsername("shop_bot"))}
	if err := s.srv.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.srv.Close)
	s.db = sc.db
	if s.db == nil {
		s.db = pgtest.New(t)
	}
	s.cache = redistest.New(t, "jobs")
	d := core.Deps{Store: s.db, Holds: s.cache.Carts(), Currency: core.MustCurrency("USD"), Location: s.loc, Now: s.clock.Now}
	s.orders, s.catalog, s.custs = core.NewOrders(d), core.NewCatalog(d), core.NewCustomers(d)
	s.staff = core.NewStaff(d, s.db, []int64{ownerID}, []int64{managerID})
	s.user(ownerID, "Olga")
	s.user(managerID, "Mia")
	s.startBot(sc.limits)
	s.startJobs(d)
	return s
}

func (s *shop) startBot(lim bot.Limits) {
	svc := bot.Services{Orders: s.orders, Catalog: s.catalog, Customers: s.custs,
		Shopping: core.NewShopping(core.Deps{Store: s.db, Currency: core.MustCurrency("USD")}, s.cache.Carts(), s.orders, time.Minute),
		Staff:    s.staff, Reports: core.NewReports(core.Deps{Store: s.db, Currency: core.MustCurrency("USD"), Location: s.loc, Now: s.clock.Now}, s.db, 2)}
	b, err := bot.New(context.Background(), bot.Config{Token: "123:test", APIURL: s.srv.URL(), PollTimeout: 2 * time.Second,
		Limits: lim, Location: s.loc, LowStock: 2, Logger: testLogger(s.t), Instance: "jobs-test"}, svc, s.cache, s.db, s.db)
	if err != nil {
		s.t.Fatal(err)
	}
	s.t.Cleanup(b.Close)
	s.bot = b
}

func (s *shop) startJobs(d core.Deps) {
	s.cfg = jobs.Config{Location: s.loc, Now: s.clock.Now, Logger: testLogger(s.t), Poll: 20 * time.Millisecond, Workers: 4}
	rem, err := core.NewReminders(d, s.db, s.staff, core.DefaultReminderPolicy)
	if err != nil {
		s.t.Fatal(err)
	}
	sched, err := jobs.New(s.cfg, jobs.Services{Outbox: s.db, Reports: core.NewReports(d, s.db, 2), Reminders: rem, Staff: s.staff})
	if err != nil {
		s.t.Fatal(err)
	}
	if s.runner, err = jobs.NewRunner(s.cfg, s.db, sched.Table()); err != nil {
		s.t.Fatal(err)
	}
	s.delivery = jobs.NewDelivery(s.cfg, s.db, core.NewNotices(d, s.db, s.staff, 0), s.bot)
	s.bot.UseOutbox(s.delivery.Wake)
}

func testLogger(t testing.TB) *slog.Logger {
	if testing.Verbose() {
		return slog.New(slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{Level: slog.LevelInfo}))
	}
	return slog.New(slog.NewTextHandler(io.Discard, nil))
}

type testWriter struct{ t testing.TB }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}

func ctx() context.Context { return context.Background() }

// user adds a Telegram user who has started the bot (so it may write them).
func (s *shop) user(id int64, name string) int64 {
	s.srv.AddUser(models.User{ID: id, FirstName: name, LanguageCode: "en"})
	if _, err := s.srv.SendText(id, "/start"); err != nil {
		s.t.Fatal(err)
	}
	return id
}

// customer adds a customer on payment terms; telegram 0 is a phone customer.
func (s *shop) customer(name string, telegram int64, terms int) *core.Customer {
	s.t.Helper()
	if telegram != 0 {
		s.user(telegram, name)
	}
	c, err := s.custs.Create(ctx(), staffActor, core.Customer{Name: name, TelegramID: telegram, TermsDays: terms, Phone: "+1 555 0100"})
	if err != nil {
		s.t.Fatal(err)
	}
	return c
}

func (s *shop) product(sku, name string, price core.Money, stock int64) core.Product {
	s.t.Helper()
	rows := []core.CatalogRow{{Line: 2, Product: core.Product{SKU: sku, Name: name, Price: price, Active: true}, Stock: stock}}
	if _, err := s.catalog.Import(ctx(), staffActor, rows, false); err != nil {
		s.t.Fatal(err)
	}
	p, err := s.db.ProductBySKU(ctx(), sku)
	if err != nil {
		s.t.Fatal(err)
	}
	return *p
}

// order places a confirmed staff order with a promised date.
func (s *shop) order(c *core.Customer, promised *time.Time, lines ...core.OrderLineInput) *core.Order {
	s.t.Helper()
	o, err := s.orders.Place(ctx(), staffActor, core.PlaceOrder{CustomerID: c.ID, Lines: lines, Confirmed: true, PromisedOn: promised})
	if err != nil {
		s.t.Fatal(err)
	}
	return o
}

// invoiced places, ships and invoices an order of qty units of p.
func (s *shop) invoiced(c *core.Customer, p core.Product, qty int64) *core.Invoice {
	s.t.Helper()
	o := s.order(c, nil, core.OrderLineInput{ProductID: p.ID, Qty: qty})
	_, o, err := s.orders.Ship(ctx(), staffActor, o.ID, o.Version, nil)
	if err != nil {
		s.t.Fatal(err)
	}
	inv, _, err := s.orders.IssueInvoice(ctx(), staffActor, o.ID, o.Version, "")
	if err != nil {
		s.t.Fatal(err)
	}
	return inv
}

func date(y int, m time.Month, d int) *time.Time {
	t := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	return &t
}

// drain fans out and delivers until nothing is due (at the fake clock).
func (s *shop) drain() {
	s.t.Helper()
	c, cancel := context.WithTimeout(ctx(), time.Minute)
	defer cancel()
	for {
		if _, err := s.delivery.FanOut(c); err != nil {
			s.t.Fatal(err)
		}
		claimed, err := s.delivery.DeliverOne(c)
		if err != nil {
			s.t.Fatal(err)
		}
		if !claimed {
			return
		}
	}
}

// transcript is what the bot wrote in a chat, as a person sees it: text,
// buttons (with their data), documents and photos.
func (s *shop) transcript(chat int64) string {
	var b strings.Builder
	for _, m := range s.srv.BotMessages(chat) {
		switch {
		case m.Document != nil:
			fmt.Fprintf(&b, "[document %s] %s\n", m.Document.FileName, m.PlainCaption)
		case m.Photo != nil:
			fmt.Fprintf(&b, "[photo %dx%d] %s\n", m.Photo.Width, m.Photo.Height, m.PlainCaption)
		default:
			b.WriteString(m.PlainText + "\n")
		}
		for _, row := range m.InlineKeyboard {
			var bs []string
			for _, btn := range row {
				bs = append(bs, fmt.Sprintf("[%s | %s]", btn.Text, btn.CallbackData))
			}
			b.WriteString(strings.Join(bs, " ") + "\n")
		}
		b.WriteString("---\n")
	}
	return b.String()
}

func (s *shop) counts() map[core.DeliveryState]int {
	s.t.Helper()
	c, err := s.db.OutboxCounts(ctx())
	if err != nil {
		s.t.Fatal(err)
	}
	return c
}

// restart stands in for a process that died and came back: a new bot and new
// jobs on the same database and the same Telegram.
func (s *shop) restart() {
	s.t.Helper()
	s.startBot(bot.Limits{Global: 1000, GlobalBurst: 1000, PerChat: 1000, ChatBurst: 1000})
	d := core.Deps{Store: s.db, Holds: s.cache.Carts(), Currency: core.MustCurrency("USD"), Location: s.loc, Now: s.clock.Now}
	s.startJobs(d)
}

// runDelivery runs the outbox loops until the test ends.
func (s *shop) runDelivery() {
	c, cancel := context.WithCancel(ctx())
	done := make(chan struct{})
	go func() { defer close(done); s.delivery.Run(c) }()
	s.t.Cleanup(func() { cancel(); <-done })
}

// settle waits until the event queue and the outbox hold nothing pending.
func (s *shop) settle(timeout time.Duration) {
	s.t.Helper()
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		var queued int
		if err := s.db.Pool().QueryRow(ctx(), `SELECT count(*) FROM order_event_queue`).Scan(&queued); err != nil {
			s.t.Fatal(err)
		}
		if queued == 0 && s.counts()[core.Pending] == 0 {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	s.t.Fatalf("outbox not drained after %v: %v", timeout, s.counts())
}

// defaultLimits are the sender's production limits (Telegram's).
func defaultLimits() bot.Limits {
	return bot.Limits{Global: 30, GlobalBurst: 30, PerChat: 1, ChatBurst: 3}
}
