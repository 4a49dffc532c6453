package redis

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"github.com/orderbot/orderbot/core"
)

// DefaultURL is the local Redis used when REDIS_URL is not set.
const DefaultURL = "redis://127.0.0.1:6379/0"

// DefaultPrefix starts every key unless WithPrefix says otherwise.
const DefaultPrefix = "ob:"

const (
	defaultCartTTL = 7 * 24 * time.Hour
	defaultLangTTL = 365 * 24 * time.Hour
	pingTimeout    = 3 * time.Second
)

// Store is orderbot's Redis store. It is safe for concurrent use; one Store
// per process is enough, as go-redis pools connections and reconnects on its
// own after an outage.
type Store struct {
	rdb     *goredis.Client
	prefix  string
	cartTTL time.Duration
	langTTL time.Duration
}

var _ core.Holds = (*Store)(nil)

// config is what Options change before the client is built.
type config struct {
	prefix      string
	cartTTL     time.Duration
	langTTL     time.Duration
	dialTimeout time.Duration
	ioTimeout   time.Duration
	retries     *int
}

// Option changes how Open builds the Store.
type Option func(*config)

// WithPrefix puts every key under prefix instead of DefaultPrefix, so shops
// and tests can share a server. Add a hash tag ("{shop}:") under Cluster.
func WithPrefix(prefix string) Option {
	return func(c *config) { c.prefix = prefix }
}

// WithCartTTL sets how long cart lines outlive the last activity on the cart
// (default 7 days); holds themselves live only for the ttl given to Hold.
func WithCartTTL(d time.Duration) Option {
	return func(c *config) { c.cartTTL = d }
}

// WithLangTTL sets how long a language override is kept (default 365 days).
func WithLangTTL(d time.Duration) Option {
	return func(c *config) { c.langTTL = d }
}

// WithTimeouts bounds dialing and each read or write, so a dead server turns
// into core.ErrUnavailable quickly instead of hanging a handler. Zero keeps
// go-redis' default (or the URL's dial_timeout, read_timeout, write_timeout).
func WithTimeouts(dial, io time.Duration) Option {
	return func(c *config) { c.dialTimeout, c.ioTimeout = dial, io }
}

// WithRetries sets how often a failed command, and a failed dial within it,
// is tried again (0: never). Fewer retries fail faster when Redis is down;
// without it go-redis retries a command 3 times and a dial 4 times.
func WithRetries(n int) Option {
	return func(c *config) { c.retries = &n }
}

// Open connects to the Redis at rawURL (redis://, rediss:// or unix://, with
// go-redis' query options) and checks that it answers, so a wrong REDIS_URL
// fails at start with the URL in the message, password redacted.
func Open(ctx context.Context, rawURL string, opts ...Option) (*Store, error) {
	cfg := config{prefix: DefaultPrefix, cartTTL: defaultCartTTL, langTTL: defaultLangTTL}
	for _, o := range opts {
		o(&cfg)
	}
	if cfg.cartTTL <= 0 || cfg.langTTL <= 0 {
		return nil, core.Errorf(core.ErrInvalid, "redis: cart and language TTLs must be positive")
	}
	ropts, err := goredis.ParseURL(rawURL)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err // url.Error repeats the URL, password included
		}
		return nil, fmt.Errorf("%w: redis URL %s: %v", core.ErrInvalid, redact(rawURL), err)
	}
	cfg.apply(ropts)
	s := &Store{rdb: goredis.NewClient(ropts), prefix: cfg.prefix, cartTTL: cfg.cartTTL, langTTL: cfg.langTTL}
	pctx, cancel := context.WithTimeout(ctx, pingTimeout)
	defer cancel()
	if err := s.Ping(pctx); err != nil {
		if ctx.Err() == nil && errors.Is(err, context.DeadlineExceeded) {
			err = fmt.Errorf("%w: no answer within %v", core.ErrUnavailable, pingTimeout)
		}
		_ = s.rdb.Close()
		return nil, fmt.Errorf("redis at %s does not answer: %w", redact(rawURL), err)
	}
	return s, nil
}

// apply copies the connection settings that were given onto go-redis' options.
func (c config) apply(o *goredis.Options) {
	if c.dialTimeout > 0 {
		o.DialTimeout = c.dialTimeout
	}
	if c.ioTimeout > 0 {
		o.ReadTimeout, o.WriteTimeout = c.ioTimeout, c.ioTimeout
	}
	if c.retries != nil {
		n := max(*c.retries, 0)
		o.MaxRetries, o.DialerRetries = n, n+1
		if n == 0 {
			o.MaxRetries = -1 // go-redis' "never"; 0 means its default
		}
	}
}

// redact returns rawURL with its password replaced, fit for errors and logs.
func redact(rawURL string) string {
	u, err := url.Parse(rawURL)
	if err != nil {
		return "(unparsable URL)"
	}
	return u.Redacted()
}

// Close releases every connection.
func (s *Store) Close() error { return s.rdb.Close() }

// Ping checks that Redis answers (readiness).
func (s *Store) Ping(ctx context.Context) error {
	return interpretError(s.rdb.Ping(ctx).Err())
}

// key builds a key under the store's prefix from its parts, joined by ':'.
func (s *Store) key(parts ...string) string {
	return s.prefix + strings.Join(parts, ":")
}

// holdKeys names a product's hold keys: holder->expiry and
// holder->"quantity|cart generation".
func (s *Store) holdKeys(productID int64) (exp, qty string) {
	id := strconv.FormatInt(productID, 10)
	return s.key("hold", id, "exp"), s.key("hold", id, "qty")
}

// cartKeys names a holder's keys: product->hold expiry, product->wanted,
// and the cart's generation.
func (s *Store) cartKeys(holder string) (holds, lines, gen string) {
	return s.key("cart", holder, "holds"), s.key("cart", holder, "lines"), s.key("cart", holder, "gen")
}

// ttlArg turns a TTL into the milliseconds the scripts and PX expect,
// refusing what would leave a key without expiry.
func ttlArg(what string, d time.Duration) (int64, error) {
	if d < time.Millisecond {
		return 0, core.Errorf(core.ErrInvalid, "%s TTL must be at least 1ms, got %s", what, d)
	}
	return d.Milliseconds(), nil
}

// Prefix is the prefix of every key this store writes.
func (s *Store) Prefix() string { return s.prefix }
