package main

import (
	"errors"
	"fmt"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/orderbot/orderbot/bot"
	"github.com/orderbot/orderbot/core"
	"github.com/orderbot/orderbot/jobs"
	"github.com/orderbot/orderbot/storage/postgres"
)

// Config is everything orderbot reads from the environment. Every variable
// has a default where a sensible one exists and a clear error where not.
type Config struct {
	TelegramToken  string
	TelegramAPIURL string
	DatabaseURL    string
	RedisURL       string
	OwnerIDs       []int64
	ManagerIDs     []int64
	StaffChatID    int64
	WebhookURL     string
	WebhookSecret  string
	HTTPAddr       string
	SandboxAddr    string
	HoldTTL        time.Duration
	Location       *time.Location
	BusinessHours  [2]time.Duration // opening and closing, as offsets from midnight
	Currency       core.Currency
	Lang           string
	LowStock       int64
	PaymentMethods []core.PaymentMethod
	Payments       bot.Payments
	// StarsRefundOnCancel refunds in Stars the Stars payments a cancelled
	// order no longer uses.
	StarsRefundOnCancel bool
	LogFormat           string
	Seller              Seller
	Pricing             core.Pricing
	Jobs                jobs.Config
	Limits              bot.Limits
	Instance            string
	// databaseSet says DATABASE_URL was given (the sandbox otherwise uses a
	// database of its own, so it never mixes demo data with real data).
	databaseSet bool
	// redisPrefix puts every Redis key under a prefix: REDIS_PREFIX and the
	// bot's id from its token.
	redisPrefix string
	// paymentsSet says a PAYMENT_ variable was given (the sandbox otherwise
	// turns payments in chat on).
	paymentsSet bool
}

// Seller is the seller's details printed on documents.
type Seller struct {
	Name, Address, TaxID, Bank, Phone, Email string
	BankAccount, BankCode, Signatory         string
}

// variables documents every environment variable with its default; the
// README's table is generated from the same facts by hand, keep them in step.
var variables = []struct{ name, def, about string }{
	{"TELEGRAM_TOKEN", "", "bot token from @BotFather (required by run)"},
	{"TELEGRAM_API_URL", "https://api.telegram.org", "Bot API server"},
	{"DATABASE_URL", postgres.DefaultURL, "Postgres; the database is created if missing"},
	{"REDIS_URL", "redis://127.0.0.1:6379/0", "Redis for dialogs, cart holds, de-duplication"},
	{"REDIS_PREFIX", "ob:", "prefix of every Redis key (the bot's id is added), to share one Redis between shops"},
	{"OWNER_IDS", "", "Telegram user ids of owners, comma-separated"},
	{"MANAGER_IDS", "", "Telegram user ids of managers, comma-separated"},
	{"STAFF_CHAT_ID", "", "optional staff group chat id for new-order cards"},
	{"WEBHOOK_URL", "", "public HTTPS URL for webhook mode; long polling when unset"},
	{"WEBHOOK_SECRET", "", "secret token Telegram sends with webhook requests (required with WEBHOOK_URL)"},
	{"HTTP_ADDR", ":8081", "health, metrics and webhook listener"},
	{"SANDBOX_ADDR", "127.0.0.1:8080", "chat page of the sandbox"},
	{"HOLD_TTL", "15m", "how long a cart holds goods"},
	{"TIMEZONE", "UTC", "business time zone (IANA name, e.g. Europe/Berlin)"},
	{"BUSINESS_HOURS", "09:00-18:00", "when customers may be reminded, in the business time zone"},
	{"CURRENCY", "USD", "ISO 4217 code of the shop's currency"},
	{"DEFAULT_LANG", "en", "language for users whose Telegram language is not supported (en, ru)"},
	{"LOW_STOCK", "5", "free quantity at or below which a product counts as low"},
	{"PAYMENT_METHODS", "cash,bank,card,other", "how the shop is paid, in the order staff see them; with one, a full payment is one tap"},
	{"PAYMENT_PROVIDER_TOKEN", "", "payment provider token from @BotFather: customers pay invoices in chat (Pay button); empty: off unless PAYMENT_STARS"},
	{"PAYMENT_STARS", "false", "true: invoices are paid in chat in Telegram Stars (XTR, no provider token)"},
	{"PAYMENT_STARS_RATE", "", "minor units of CURRENCY one Star is worth, a whole number (required with PAYMENT_STARS=true; 150 = 1.50 per Star)"},
	{"PAYMENT_STARS_REFUND_ON_CANCEL", "true", "true: a Stars payment that an order cancelled (or closed early) no longer uses at all is refunded in Stars; false: it stays the customer's credit"},
	{"JOBS_OVERDUE_SCHEDULE", jobs.DefaultOverdueSchedule, "when staff hear of overdue shipments (cron, in TIMEZONE)"},
	{"JOBS_REMINDER_SCHEDULE", jobs.DefaultReminderSchedule, "when payment reminders are looked for (sent only within BUSINESS_HOURS)"},
	{"JOBS_SUMMARY_SCHEDULE", jobs.DefaultSummarySchedule, "when owners get the daily summary of yesterday"},
	{"JOBS_CLOSE_SCHEDULE", jobs.DefaultCloseSchedule, "when orders shipped and paid CLOSE_AFTER_DAYS ago are closed"},
	{"CLOSE_AFTER_DAYS", "7", "days an order stays shipped and paid (\"paid\") before it is closed; 0 never closes by itself"},
	{"JOBS_TIMEOUT", "10m", "longest one job run may take"},
	{"REMIND_BEFORE_DAYS", "1", "days before the due date for the early reminder (0: none)"},
	{"REMIND_AFTER_DAYS", "3,7,14", "days after the due date for escalating reminders"},
	{"SEND_RATE", "30", "messages per second over all chats (Telegram allows about 30)"},
	{"SEND_RATE_CHAT", "1", "messages per second in one chat (Telegram allows about 1, with short bursts)"},
	{"SEND_BURST_CHAT", "3", "messages one chat may get at once before SEND_RATE_CHAT applies"},
	{"SEND_PAID_BROADCAST", "false", "true: notices go with allow_paid_broadcast (up to 1,000/s, paid in Stars); raise SEND_RATE with it"},
	{"INSTANCE_ID", "(host name)", "names this replica; a restarted replica with the same name resumes its chats at once"},
	{"OUTBOX_WORKERS", "256", "chats whose notices are delivered at once (each waits for its own chat's slot, holding up no other)"},
	{"OUTBOX_POLL", "500ms", "how often to look for notices queued by other replicas"},
	{"OUTBOX_MAX_ATTEMPTS", "12", "tries before a notice is given up"},
	{"VAT_RATE", "0", "shop-wide VAT rate in percent (20, 7.5); a product's vat column in the catalog overrides it"},
	{"VAT_PAYER", "false", "true: the seller charges VAT; false: no tax is charged and documents say \"without VAT\""},
	{"PRICES_INCLUDE_TAX", "true", "true: catalog and price list prices include VAT; false: VAT is added on top"},
	{"DELIVERY_FEE", "0", "flat delivery charge of an order, in CURRENCY (0: none)"},
	{"DELIVERY_FREE_FROM", "0", "goods total from which delivery is free (0: never free)"},
	{"LOG_FORMAT", "json", "json or text"},
	{"SELLER_NAME", "My Shop", "seller's name on documents"},
	{"SELLER_ADDRESS", "", "seller's address on documents"},
	{"SELLER_TAX_ID", "", "seller's tax id on documents"},
	{"SELLER_BANK", "", "seller's bank (its name; alone, it may hold all the bank details in one line)"},
	{"SELLER_BANK_ACCOUNT", "", "seller's bank account number or IBAN on documents"},
	{"SELLER_BANK_CODE", "", "seller's bank code on documents: BIC, SWIFT or routing number"},
	{"SELLER_SIGNATORY", "", "who signs documents for the seller, such as the director (printed by the signature line)"},
	{"SELLER_PHONE", "", "seller's phone on documents"},
	{"SELLER_EMAIL", "", "seller's e-mail on documents"},
}

// loadConfig reads the environment through getenv and reports every bad
// variable at once.
func loadConfig(getenv func(string) string) (Config, error) {
	get := func(name string) string {
		if v := strings.TrimSpace(getenv(name)); v != "" {
			return v
		}
		for _, v := range variables {
			if v.name == name {
				return v.def
			}
		}
		return ""
	}
	var errs []error
	check := func(err error) {
		if err != nil {
			errs = append(errs, err)
		}
	}
	c := Config{
		TelegramToken: get("TELEGRAM_TOKEN"), TelegramAPIURL: strings.TrimRight(get("TELEGRAM_API_URL"), "/"),
		DatabaseURL: get("DATABASE_URL"), RedisURL: get("REDIS_URL"),
		WebhookURL: get("WEBHOOK_URL"), WebhookSecret: get("WEBHOOK_SECRET"),
		HTTPAddr: get("HTTP_ADDR"), SandboxAddr: get("SANDBOX_ADDR"), Lang: get("DEFAULT_LANG"),
		LogFormat: get("LOG_FORMAT"),
		Seller: Seller{Name: get("SELLER_NAME"), Address: get("SELLER_ADDRESS"), TaxID: get("SELLER_TAX_ID"),
			Bank: get("SELLER_BANK"), Phone: get("SELLER_PHONE"), Email: get("SELLER_EMAIL"),
			BankAccount: get("SELLER_BANK_ACCOUNT"), BankCode: get("SELLER_BANK_CODE"), Signatory: get("SELLER_SIGNATORY")},
	}
	c.databaseSet = strings.TrimSpace(getenv("DATABASE_URL")) != ""
	c.redisPrefix = get("REDIS_PREFIX")
	if id, _, ok := strings.Cut(c.TelegramToken, ":"); ok && id != "" {
		c.redisPrefix += id + ":" // update ids are unique per bot, not per Redis
	}
	var err error
	c.OwnerIDs, err = parseIDs("OWNER_IDS", get("OWNER_IDS"))
	check(err)
	c.ManagerIDs, err = parseIDs("MANAGER_IDS", get("MANAGER_IDS"))
	check(err)
	if s := get("STAFF_CHAT_ID"); s != "" {
		c.StaffChatID, err = strconv.ParseInt(s, 10, 64)
		if err != nil || c.StaffChatID == 0 {
			check(fmt.Errorf("STAFF_CHAT_ID=%q: want a chat id such as -1001234567890", s))
		}
	}
	c.HoldTTL, err = time.ParseDuration(get("HOLD_TTL"))
	if err != nil || c.HoldTTL < 10*time.Second || c.HoldTTL > 24*time.Hour {
		check(fmt.Errorf("HOLD_TTL=%q: want a duration from 10s to 24h, such as 15m", get("HOLD_TTL")))
	}
	c.Location, err = time.LoadLocation(get("TIMEZONE"))
	if err != nil {
		check(fmt.Errorf("TIMEZONE=%q: want an IANA time zone such as Europe/Berlin", get("TIMEZONE")))
	}
	c.BusinessHours, err = parseHours(get("BUSINESS_HOURS"))
	check(err)
	c.Currency, err = core.ParseCurrency(get("CURRENCY"))
	if err != nil {
		check(fmt.Errorf("CURRENCY: %s", core.SafeMessage(err)))
	}
	if c.Lang != "en" && c.Lang != "ru" {
		check(fmt.Errorf("DEFAULT_LANG=%q: want en or ru", c.Lang))
	}
	c.LowStock, err = strconv.ParseInt(get("LOW_STOCK"), 10, 64)
	if err != nil || c.LowStock < 0 {
		check(fmt.Errorf("LOW_STOCK=%q: want a whole number, 0 or more", get("LOW_STOCK")))
	}
	c.PaymentMethods, err = parseMethods(get("PAYMENT_METHODS"))
	check(err)
	check(c.loadPayments(get, func(name string) string { return strings.TrimSpace(getenv(name)) }))
	check(c.loadJobs(get))
	check(c.loadSending(get))
	check(c.loadPricing(get))
	if c.Instance = get("INSTANCE_ID"); c.Instance == "(host name)" {
		c.Instance, _ = os.Hostname()
	}
	if c.LogFormat != "json" && c.LogFormat != "text" {
		check(fmt.Errorf("LOG_FORMAT=%q: want json or text", c.LogFormat))
	}
	check(checkURL("TELEGRAM_API_URL", c.TelegramAPIURL))
	if c.WebhookURL != "" {
		check(checkURL("WEBHOOK_URL", c.WebhookURL))
		if len(c.WebhookSecret) < 16 {
			check(errors.New("WEBHOOK_SECRET: set a random secret of at least 16 characters (A-Z, a-z, 0-9, _ and -) with WEBHOOK_URL"))
		}
	}
	return c, errors.Join(errs...)
}

func parseIDs(name, s string) ([]int64, error) {
	var ids []int64
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' || r == ';' }) {
		id, err := strconv.ParseInt(f, 10, 64)
		if err != nil || id <= 0 {
			return nil, fmt.Errorf("%s: %q is not a Telegram user id (a positive number)", name, f)
		}
		ids = append(ids, id)
	}
	return ids, nil
}

func parseMethods(s string) ([]core.PaymentMethod, error) {
	var ms []core.PaymentMethod
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' || r == ';' }) {
		m, err := core.ParsePaymentMethod(strings.ToLower(f))
		if err != nil {
			return nil, fmt.Errorf("PAYMENT_METHODS: %s", core.SafeMessage(err))
		}
		if !slices.Contains(ms, m) {
			ms = append(ms, m)
		}
	}
	if len(ms) == 0 {
		return nil, errors.New("PAYMENT_METHODS: name at least one of cash, bank, card, other")
	}
	return ms, nil
}

func parseHours(s string) ([2]time.Duration, error) {
	bad := fmt.Errorf("BUSINESS_HOURS=%q: want HH:MM-HH:MM, such as 09:00-18:00", s)
	from, to, ok := strings.Cut(s, "-")
	if !ok {
		return [2]time.Duration{}, bad
	}
	a, err1 := time.Parse("15:04", strings.TrimSpace(from))
	b, err2 := time.Parse("15:04", strings.TrimSpace(to))
	if err1 != nil || err2 != nil || !b.After(a) {
		return [2]time.Duration{}, bad
	}
	day := time.Date(0, 1, 1, 0, 0, 0, 0, time.UTC)
	return [2]time.Duration{a.Sub(day), b.Sub(day)}, nil
}

func checkURL(name, s string) error {
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("%s=%q: want an http(s) URL", name, s)
	}
	return nil
}

// loadJobs reads the schedules, reminder steps and outbox settings; the
// schedules themselves are checked by jobs.New with the business time zone.
func (c *Config) loadJobs(get func(string) string) error {
	j := jobs.Config{Location: c.Location, BusinessHours: c.BusinessHours,
		OverdueSchedule: get("JOBS_OVERDUE_SCHEDULE"), ReminderSchedule: get("JOBS_REMINDER_SCHEDULE"),
		SummarySchedule: get("JOBS_SUMMARY_SCHEDULE"), CloseSchedule: get("JOBS_CLOSE_SCHEDULE")}
	var errs []error
	var err error
	closeDays, err := strconv.Atoi(get("CLOSE_AFTER_DAYS"))
	switch {
	case err != nil || closeDays < 0 || closeDays > 365:
		errs = append(errs, fmt.Errorf("CLOSE_AFTER_DAYS=%q: want 0 to 365", get("CLOSE_AFTER_DAYS")))
	case closeDays == 0:
		j.CloseAfter = -1 // never closed by the job
	default:
		j.CloseAfter = time.Duration(closeDays) * 24 * time.Hour
	}
	if j.Timeout, err = time.ParseDuration(get("JOBS_TIMEOUT")); err != nil || j.Timeout < time.Second {
		errs = append(errs, fmt.Errorf("JOBS_TIMEOUT=%q: want a duration such as 10m", get("JOBS_TIMEOUT")))
	}
	before, err := strconv.Atoi(get("REMIND_BEFORE_DAYS"))
	if err != nil || before < 0 || before > 30 {
		errs = append(errs, fmt.Errorf("REMIND_BEFORE_DAYS=%q: want 0 to 30", get("REMIND_BEFORE_DAYS")))
	}
	after, err := jobs.ParseDays(get("REMIND_AFTER_DAYS"))
	if err != nil {
		errs = append(errs, fmt.Errorf("REMIND_AFTER_DAYS: %w", err))
	}
	j.Reminders = core.ReminderPolicy{Before: before, After: after}
	if j.Workers, err = strconv.Atoi(get("OUTBOX_WORKERS")); err != nil || j.Workers < 1 || j.Workers > 10_000 {
		errs = append(errs, fmt.Errorf("OUTBOX_WORKERS=%q: want 1 to 10000", get("OUTBOX_WORKERS")))
	}
	if j.Poll, err = time.ParseDuration(get("OUTBOX_POLL")); err != nil || j.Poll < 10*time.Millisecond {
		errs = append(errs, fmt.Errorf("OUTBOX_POLL=%q: want a duration of at least 10ms", get("OUTBOX_POLL")))
	}
	if j.MaxAttempts, err = strconv.Atoi(get("OUTBOX_MAX_ATTEMPTS")); err != nil || j.MaxAttempts < 1 {
		errs = append(errs, fmt.Errorf("OUTBOX_MAX_ATTEMPTS=%q: want a whole number above 0", get("OUTBOX_MAX_ATTEMPTS")))
	}
	c.Jobs = j
	return errors.Join(errs...)
}

// loadSending reads the outgoing rates.
func (c *Config) loadSending(get func(string) string) error {
	var errs []error
	rate := func(name string, max float64) float64 {
		v, err := strconv.ParseFloat(get(name), 64)
		if err != nil || v <= 0 || v > max {
			errs = append(errs, fmt.Errorf("%s=%q: want a number of messages per second above 0, at most %g", name, get(name), max))
		}
		return v
	}
	c.Limits.Global = rate("SEND_RATE", 1000)
	c.Limits.PerChat = rate("SEND_RATE_CHAT", 1000)
	burst, err := strconv.Atoi(get("SEND_BURST_CHAT"))
	if err != nil || burst < 1 || burst > 1000 {
		errs = append(errs, fmt.Errorf("SEND_BURST_CHAT=%q: want 1 to 1000", get("SEND_BURST_CHAT")))
	}
	c.Limits.ChatBurst = burst
	if c.Limits.PaidBroadcast, err = strconv.ParseBool(get("SEND_PAID_BROADCAST")); err != nil {
		errs = append(errs, fmt.Errorf("SEND_PAID_BROADCAST=%q: want true or false", get("SEND_PAID_BROADCAST")))
	}
	return errors.Join(errs...)
}
