package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	tg "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"github.com/orderbot/orderbot/bot/pdfdoc"
	"github.com/orderbot/orderbot/core"
)

// Cache holds what may be lost: update de-duplication, dialog state and
// language choices (storage/redis).
type Cache interface {
	FirstSeen(ctx context.Context, updateID int64, ttl time.Duration) (bool, error)
	LoadDialog(ctx context.Context, chatID int64, v any) (bool, error)
	SaveDialog(ctx context.Context, chatID int64, v any, ttl time.Duration) error
	ClearDialog(ctx context.Context, chatID int64) error
	SetLang(ctx context.Context, userID int64, lang string) error
	Lang(ctx context.Context, userID int64) (string, error)
}

// Chats remembers which chats blocked the bot, so nothing more is sent to
// them until they write again (storage/postgres).
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
}

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
	// Workers bounds how many chats are served at once; each chat's updates
	// are handled one at a time, in order.
	Workers     int
	DialogTTL   time.Duration
	DedupTTL    time.Duration
	PollTimeout time.Duration
	Limits      Limits
	HTTPClient  *http.Client
	Logger      *slog.Logger
}

func (c *Config) fill() {
	if c.Workers <= 0 {
		c.Workers = 16
	}
	if c.DialogTTL <= 0 {
		c.DialogTTL = 24 * time.Hour
	}
	if c.DedupTTL <= 0 {
		c.DedupTTL = 48 * time.Hour
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
	if c.HTTPClient == nil {
		c.HTTPClient = &http.Client{Timeout: c.PollTimeout + 10*time.Second}
	}
	c.Limits.fill()
}

// Bot is the running front end.
type Bot struct {
	cfg    Config
	svc    Services
	cache  Cache
	chats  Chats
	api    *tg.Bot
	send   *sender
	queues *chatQueues
	log    *slog.Logger
	def    lang
	// lockChat serializes a chat across replicas in webhook mode; nil in a
	// single process, where the in-process queue is enough.
	lockChat func(ctx context.Context, chatID int64) (func(), error)
	notifier Notifier
	metrics  Metrics
	stopping atomic.Bool
	inflight sync.WaitGroup
}

// allowedUpdates is sent explicitly with every getUpdates and setWebhook.
var allowedUpdates = []string{"message", "callback_query", "my_chat_member"}

// New connects the client to the Bot API (getMe checks the token).
func New(ctx context.Context, cfg Config, svc Services, cache Cache, chats Chats) (*Bot, error) {
	cfg.fill()
	if cfg.Token == "" {
		return nil, errors.New("TELEGRAM_TOKEN is not set: get a token from @BotFather")
	}
	b := &Bot{cfg: cfg, svc: svc, cache: cache, chats: chats, log: cfg.Logger,
		def: pickLang(cfg.DefaultLang, "", langEN)}
	b.queues = newChatQueues(cfg.Workers, b.process)
	opts := []tg.Option{
		tg.WithDefaultHandler(b.intake),
		tg.WithNotAsyncHandlers(), // intake only queues; order per chat is ours to keep
		tg.WithUpdatesChannelCap(0),
		tg.WithAllowedUpdates(allowedUpdates),
		tg.WithHTTPClient(cfg.PollTimeout, cfg.HTTPClient),
		tg.WithErrorsHandler(func(err error) { b.log.Warn("telegram client", "err", err) }),
		tg.WithCheckInitTimeout(15 * time.Second),
	}
	if cfg.APIURL != "" {
		opts = append(opts, tg.WithServerURL(cfg.APIURL))
	}
	api, err := tg.New(cfg.Token, opts...)
	if err != nil {
		return nil, fmt.Errorf("telegram: %w", err)
	}
	b.api = api
	b.send = newSender(api, cfg.Limits, chats, b.log)
	b.notifier = outboxNotifier{wake: func() {}} // UseOutbox sets the wake-up
	return b, nil
}

// SetChatLock makes every chat's updates run under a lock shared by all
// replicas (webhook mode behind a load balancer).
func (b *Bot) SetChatLock(lock func(ctx context.Context, chatID int64) (func(), error)) {
	b.lockChat = lock
}

// Run polls for updates until ctx ends, then finishes what is in flight.
func (b *Bot) Run(ctx context.Context) error {
	if err := b.registerCommands(ctx); err != nil {
		b.log.Warn("register commands", "err", err)
	}
	if _, err := b.api.DeleteWebhook(ctx, &tg.DeleteWebhookParams{}); err != nil {
		b.log.Warn("delete webhook before polling", "err", err)
	}
	b.log.Info("polling for updates")
	b.api.Start(ctx)
	b.Drain(30 * time.Second)
	return nil
}

// Drain waits for the updates already taken to be handled.
func (b *Bot) Drain(timeout time.Duration) {
	if !b.queues.wait(timeout) {
		b.log.Error("shutdown: updates still in flight after timeout", "timeout", timeout)
	}
}

// SetMetrics sets where the front end reports its measurements.
func (b *Bot) SetMetrics(m Metrics) { b.metrics = m }

// SenderStats returns the outgoing counters (messages sent, 429s received).
func (b *Bot) SenderStats() Stats { return b.send.Snapshot() }

// API is the client, for the jobs' notifications and the webhook handler.
func (b *Bot) API() *tg.Bot { return b.api }

// intake takes an update from the client: drops one already seen (by
// update_id, across restarts and replicas) and queues it behind the earlier
// updates of its chat.
func (b *Bot) intake(ctx context.Context, _ *tg.Bot, upd *models.Update) {
	b.Take(ctx, upd)
}

// Take de-duplicates and queues an update; it returns once the update is
// safely taken (webhook mode answers Telegram after it).
func (b *Bot) Take(ctx context.Context, upd *models.Update) {
	if b.firstSeen(ctx, upd) {
		b.queues.push(chatOf(upd), upd)
	}
}

// firstSeen reports whether the update is new (by update_id, across
// restarts and replicas). With Redis away it handles the update anyway:
// losing an update would be worse than the rare repeat.
func (b *Bot) firstSeen(ctx context.Context, upd *models.Update) bool {
	first, err := b.cache.FirstSeen(ctx, upd.ID, b.cfg.DedupTTL)
	if err != nil {
		b.log.Warn("de-duplication unavailable; handling the update anyway", "update_id", upd.ID, "err", err)
		return true
	}
	if !first {
		b.log.Info("duplicate update dropped", "update_id", upd.ID)
	}
	return first
}

func chatOf(upd *models.Update) int64 {
	switch {
	case upd.Message != nil:
		return upd.Message.Chat.ID
	case upd.CallbackQuery != nil:
		if m := upd.CallbackQuery.Message.Message; m != nil {
			return m.Chat.ID
		}
		return upd.CallbackQuery.From.ID
	case upd.MyChatMember != nil:
		return upd.MyChatMember.Chat.ID
	}
	return 0
}
