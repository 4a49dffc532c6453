package fakeapi

import (
	"errors"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/go-telegram/bot/models"
)

// DefaultBotID is the bot's user id when the token given with WithToken does
// not start with a number (or no token was fixed).
const DefaultBotID int64 = 7000000001

// ErrClosed is returned by waits when the server is closed.
var ErrClosed = errors.New("fakeapi: server closed")

// Option configures a Server created by New.
type Option func(*Server)

// WithToken makes the server accept only this bot token; any other token is
// answered with 401 Unauthorized. The numeric part before ':' becomes the
// bot's user id. Without it every token is accepted.
func WithToken(token string) Option {
	return func(s *Server) {
		s.token = token
		if id, err := strconv.ParseInt(strings.SplitN(token, ":", 2)[0], 10, 64); err == nil && id > 0 {
			s.bot.ID = id
		}
	}
}

// WithBotUsername sets the username getMe reports (without '@').
func WithBotUsername(username string) Option {
	return func(s *Server) { s.bot.Username = strings.TrimPrefix(username, "@") }
}

// WithBotName sets the bot's first name reported by getMe.
func WithBotName(firstName string) Option {
	return func(s *Server) { s.bot.FirstName = firstName }
}

// WithClock sets the clock used for message dates (date, edit_date,
// forward dates). Rate limits, latency and webhook backoff use real time.
func WithClock(now func() time.Time) Option {
	return func(s *Server) { s.now = now }
}

// WithPrivacyMode sets the bot's group privacy mode (on by default, as on
// Telegram): in groups where the bot is not an administrator it only receives
// commands, messages mentioning it and replies. Turn it off to receive all
// group messages.
func WithPrivacyMode(enabled bool) Option {
	return func(s *Server) { s.privacy = enabled }
}

// WithWebhookBackoff sets the delay before the first webhook retry and its
// upper bound (defaults 50ms and 2s); the delay doubles after each failure.
func WithWebhookBackoff(first, max time.Duration) Option {
	return func(s *Server) { s.backoffMin, s.backoffMax = first, max }
}

// WithIdleQuiet sets how long nothing must happen before WaitIdle reports
// the server idle (default 30ms).
func WithIdleQuiet(d time.Duration) Option {
	return func(s *Server) { s.idleQuiet = d }
}

// Server is a fake Telegram Bot API server. Create it with New, then either
// Start it on a random local port and give URL() to the client, or mount
// Handler() yourself. All methods are safe for concurrent use.
type Server struct {
	mu      sync.Mutex
	changed chan struct{} // closed and replaced on every state change
	closed  chan struct{}
	once    sync.Once

	token      string
	bot        models.User
	now        func() time.Time
	privacy    bool
	backoffMin time.Duration
	backoffMax time.Duration
	idleQuiet  time.Duration

	users    map[int64]*user
	chats    map[int64]*chat
	files    map[string]*storedFile
	fileSeq  int
	seq      uint64 // bumped on every message change, see Cursor
	commands map[string][]models.BotCommand

	upd updateState
	cb  callbackState
	wh  webhookState
	lim limitState
	sub subState
	pay payState

	httpSrv *http.Server
	url     string
}

// New creates a server that is not listening yet; see Start and Handler.
func New(opts ...Option) *Server {
	s := &Server{
		changed:    make(chan struct{}),
		closed:     make(chan struct{}),
		bot:        models.User{ID: DefaultBotID, IsBot: true, FirstName: "Fake Bot", Username: "fake_orderbot", CanJoinGroups: true},
		now:        time.Now,
		privacy:    true,
		backoffMin: 50 * time.Millisecond,
		backoffMax: 2 * time.Second,
		idleQuiet:  30 * time.Millisecond,
		users:      map[int64]*user{},
		chats:      map[int64]*chat{},
		files:      map[string]*storedFile{},
		commands:   map[string][]models.BotCommand{},
	}
	s.upd.init()
	s.cb.init()
	s.lim.init()
	s.sub.init()
	s.pay.init()
	for _, o := range opts {
		o(s)
	}
	return s
}

// Start listens on 127.0.0.1 with a random port and serves the API until
// Close. It returns an error if it cannot listen or was already started.
func (s *Server) Start() error {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	s.mu.Lock()
	if s.httpSrv != nil {
		s.mu.Unlock()
		_ = ln.Close()
		return errors.New("fakeapi: already started")
	}
	s.httpSrv = &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second}
	s.url = "http://" + ln.Addr().String()
	srv := s.httpSrv
	s.mu.Unlock()
	go func() { _ = srv.Serve(ln) }()
	return nil
}

// URL returns the base URL to pass to bot.WithServerURL, e.g.
// "http://127.0.0.1:41234". It is empty until Start.
func (s *Server) URL() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.url
}

// Handler returns the HTTP handler serving /bot<token>/<method> and
// /file/bot<token>/<path>, for mounting on another server.
func (s *Server) Handler() http.Handler { return s }

// Close stops webhook delivery, ends pending long polls and waits, closes
// subscriptions and, if Start was called, the listener. It is idempotent.
func (s *Server) Close() {
	s.once.Do(func() {
		s.mu.Lock()
		close(s.closed)
		s.stopWebhookLocked()
		s.sub.closeAll()
		srv := s.httpSrv
		s.notifyLocked()
		s.mu.Unlock()
		if srv != nil {
			_ = srv.Close()
		}
	})
}

// BotUser returns the bot's own user, as getMe reports it.
func (s *Server) BotUser() models.User {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.bot
}

// notifyLocked wakes every waiter (long polls, webhook loop, Wait*).
func (s *Server) notifyLocked() {
	close(s.changed)
	s.changed = make(chan struct{})
	s.lim.lastActivity = time.Now()
}

// nowUnix returns the message clock as Unix seconds.
func (s *Server) nowUnix() int { return int(s.now().Unix()) }
