package bot

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"time"

	tg "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"github.com/orderbot/orderbot/bot/pdfdoc"
	"github.com/orderbot/orderbot/bot/platform"
	"github.com/orderbot/orderbot/core"
)

// Cache holds what may be lost: dialog state and language choices
// (storage/redis).
type Cache interface {
	LoadDialog(ctx context.Context, chatID int64, v any) (bool, error)
	SaveDialog(ctx context.Context, chatID int64, v any, ttl time.Duration) error
	ClearDialog(ctx context.Context, chatID int64) error
	SetLang(ctx context.Context, userID int64, lang string) error
	Lang(ctx context.Context, userID int64) (string, error)
}

// Chats remembers which chats blocked the bot, so nothing more is sent to
// them until they write again, and where staff cards of an order went
// (storage/postgres).
type Chats interface {
	MarkBlocked(ctx context.Context, chatID int64, at time.Time) error
	Unblock(ctx context.Context, chatID int64) error
	Blocked(ctx context.Context, chatID int64) (bool, error)
	// AddCard and Cards remember where staff cards of an order were sent.
	AddCard(ctx context.Context, orderID, chatID int64, messageID int) error
	Cards(ctx context.Context, orderID int64) ([][2]int64, error)
}

// Services are the core use cases the conversations call.
type Services struct {
	Orders    *core.Orders
	Catalog   *core.Catalog
	Customers *core.Customers
	Shopping  *core.Shopping
	Staff     *core.Staff
	Reports   *core.Reports
	Exports   *core.Exports
}

// Limits are the outgoing rates (see platform.Limits).
type Limits = platform.Limits

// Stats are the sender's counters (see platform.Stats).
type Stats = platform.Stats

// Config tunes the front end. Zero values take the defaults in fill.
type Config struct {
	Token       string
	APIURL      string // Bot API server; "" is Telegram's
	StaffChatID int64
	DefaultLang string
	Currency    core.Currency
	Location    *time.Location
	LowStock    int64
	Seller      pdfdoc.Seller
	// Instance names this process among replicas (its chat leases); a
	// restarted process with the same name takes its chats back at once.
	Instance string
	// Workers bounds how many updates are handled at once; each chat's
	// updates are handled one at a time, in order.
	Workers     int
	DialogTTL   time.Duration
	PollTimeout time.Duration
	Limits      Limits
	HTTPClient  *http.Client
	Logger      *slog.Logger
	// PaymentMethods are the ways the shop is paid, in the order staff see
	// them; with one, a full payment is recorded in one tap (default all).
	PaymentMethods []core.PaymentMethod
	// Pricing is the shop's VAT and delivery settings (documents say
	// whether the seller charges VAT).
	Pricing core.Pricing
	// Payments turns on invoices paid in chat (Telegram Payments).
	Payments Payments
}

func (c *Config) fill() {
	if c.Workers <= 0 {
		c.Workers = 32
	}
	if c.DialogTTL <= 0 {
		c.DialogTTL = 24 * time.Hour
	}
	if c.PollTimeout <= 0 {
		c.PollTimeout = 50 * time.Second
	}
	if c.Location == nil {
		c.Location = time.UTC
	}
	if c.Currency.Code == "" {
		c.Currency = core.MustCurrency("USD")
	}
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
	if c.Instance == "" {
		c.Instance, _ = os.Hostname()
	}
	if c.APIURL == "" {
		c.APIURL = "https://api.telegram.org"
	}
	if c.HTTPClient == nil {
		c.HTTPClient = &http.Client{Timeout: c.PollTimeout + 15*time.Second, Transport: &http.Transport{
			Proxy: http.ProxyFromEnvironment, MaxIdleConns: 256, MaxIdleConnsPerHost: 128, IdleConnTimeout: 90 * time.Second,
			ForceAttemptHTTP2: true, TLSHandshakeTimeout: 10 * time.Second}}
	}
	c.Limits.Fill()
	if len(c.PaymentMethods) == 0 {
		c.PaymentMethods = []core.PaymentMethod{core.PayCash, core.PayBank, core.PayCard, core.PayOther}
	}
}

// Bot is the running front end.
type Bot struct {
	cfg      Config
	svc      Services
	cache    Cache
	chats    Chats
	api      *tg.Bot
	send     *platform.Sender
	intake   *platform.Intake
	log      *slog.Logger
	def      lang
	notifier Notifier
	wake     func() // the outbox looks for work at once
	metrics  Metrics
}

// allowedUpdates is sent explicitly with every getUpdates and setWebhook.
var allowedUpdates = []string{"message", "callback_query", "my_chat_member", "pre_checkout_query"}

// New connects the client to the Bot API (getMe checks the token). inbox
// keeps the updates until they are handled.
func New(ctx context.Context, cfg Config, svc Services, cache Cache, chats Chats, inbox core.Inbox) (*Bot, error) {
	cfg.fill()
	if err := cfg.Payments.Validate(); err != nil {
		return nil, err
	}
	if cfg.Token == "" {
		return nil, errors.New("TELEGRAM_TOKEN is not set: get a token from @BotFather")
	}
	b := &Bot{cfg: cfg, svc: svc, cache: cache, chats: chats, log: cfg.Logger,
		def: pickLang(cfg.DefaultLang, "", langEN)}
	opts := []tg.Option{
		tg.WithHTTPClient(cfg.PollTimeout, cfg.HTTPClient),
		tg.WithErrorsHandler(func(err error) { b.log.Warn("telegram client", "err", err) }),
		tg.WithCheckInitTimeout(15 * time.Second),
		tg.WithServerURL(cfg.APIURL),
	}
	api, err := tg.New(cfg.Token, opts...)
	if err != nil {
		return nil, fmt.Errorf("telegram: %w", err)
	}
	b.api = api
	b.send = platform.NewSender(api, cfg.Limits, chats, b.log)
	b.intake = platform.NewIntake(platform.IntakeConfig{Owner: cfg.Instance, Workers: cfg.Workers, Logger: b.log,
		Unstored: b.unstored, AtOnce: routes.AnswersAtOnce, Sender: b.send}, inbox, b.process)
	b.wake = func() {} // UseOutbox sets the wake-up
	b.notifier = outboxNotifier{wake: b.wake}
	return b, nil
}

// start runs the intake (leases, sweeps, the lanes) until ctx ends; the
// function it returns waits for the updates taken and the messages queued.
// Run and RunWebhook call it.
func (b *Bot) start(ctx context.Context) (wait func()) {
	in := make(chan struct{})
	go func() { defer close(in); b.intake.Run(ctx, 30*time.Second) }()
	return func() {
		<-in // no update handled any more
		if !b.send.Drain(15 * time.Second) {
			b.log.Error("shutdown: messages still queued after 15s", "queued", b.send.Queued())
		}
	}
}

// Close stops the sender; call it after Run returned, when nothing else
// (the outbox) sends any more.
func (b *Bot) Close() { b.send.Stop() }

// Run polls for updates until ctx ends, then finishes what is in flight.
func (b *Bot) Run(ctx context.Context) error {
	wait := b.start(ctx)
	if err := b.registerCommands(ctx); err != nil {
		b.log.Warn("register commands", "err", err)
	}
	if _, err := b.api.DeleteWebhook(ctx, &tg.DeleteWebhookParams{}); err != nil {
		b.log.Warn("delete webhook before polling", "err", err)
	}
	b.log.Info("polling for updates")
	p := &platform.Poller{APIURL: b.cfg.APIURL, Token: b.cfg.Token, Client: b.cfg.HTTPClient, Timeout: b.cfg.PollTimeout,
		AllowedUpdates: allowedUpdates, Intake: b.intake, Log: b.log.Warn}
	p.Run(ctx)
	wait()
	return nil
}

// SetMetrics sets where the front end reports its measurements.
func (b *Bot) SetMetrics(m Metrics) { b.metrics = m }

// SenderStats returns the outgoing counters (messages sent, 429s received).
func (b *Bot) SenderStats() Stats { return b.send.Snapshot() }

// API is the client, for the jobs' notifications.
func (b *Bot) API() *tg.Bot { return b.api }

// unstored tells a person whose update could not be stored (the database is
// away) that the shop is pausing; the update comes again and is handled
// once the database is back.
func (b *Bot) unstored(u platform.Incoming) {
	var upd models.Update
	if json.Unmarshal(u.Payload, &upd) != nil {
		return
	}
	switch {
	case upd.CallbackQuery != nil:
		l := pickLang("", upd.CallbackQuery.From.LanguageCode, b.def)
		b.send.Answer(context.Background(), nil, upd.CallbackQuery.ID, l.Plain("err.unstored"), true)
	case upd.Message != nil && upd.Message.Chat.Type == models.ChatTypePrivate && upd.Message.From != nil:
		l := pickLang("", upd.Message.From.LanguageCode, b.def)
		b.send.Send(nil, upd.Message.Chat.ID, platform.Direct, l.T("err.unstored"), nil)
	case upd.PreCheckoutQuery != nil && upd.PreCheckoutQuery.From != nil: // nothing is charged
		l := pickLang("", upd.PreCheckoutQuery.From.LanguageCode, b.def)
		b.send.AnswerPreCheckout(context.Background(), upd.PreCheckoutQuery.ID, false, l.Plain("pay.err.later")) //nolint:errcheck
	}
}
