package sandbox

import (
	"bytes"
	"crypto/sha256"
	_ "embed"
	"encoding/base64"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"sync"

	"github.com/orderbot/orderbot/bot/fakeapi"
)

//go:embed page.html
var pageHTML []byte

// Defaults for the options.
const (
	defaultMaxUpload       = 10 << 20 // bytes; Telegram lets bots download up to 20 MB
	defaultFirstCustomerID = 5000001
)

// Page is the sandbox chat page for one fake Bot API server. Create it with
// New, register personas with AddPersona, serve Handler, and Close it
// before shutting the HTTP server down (open event streams end then).
type Page struct {
	srv       *fakeapi.Server
	people    people
	hub       *hub
	cancel    func()
	closeOnce sync.Once
	log       *slog.Logger
	title     string
	maxUpload int64
	handler   http.Handler
}

// Option configures a Page created by New.
type Option func(*Page)

// WithLogger sets where the page logs failed requests (5xx answers); the
// default discards them.
func WithLogger(l *slog.Logger) Option { return func(p *Page) { p.log = l } }

// WithTitle sets the page's title (default "orderbot sandbox").
func WithTitle(title string) Option { return func(p *Page) { p.title = title } }

// WithMaxUpload sets the largest file a person may upload, in bytes
// (default 10 MiB).
func WithMaxUpload(n int64) Option { return func(p *Page) { p.maxUpload = n } }

// WithFirstCustomerID sets the lowest user id given to customers added
// from the page (default 5000001); ids also stay above every persona's id,
// so they never collide with users the caller registered.
func WithFirstCustomerID(id int64) Option { return func(p *Page) { p.people.first = id } }

// New creates the page for srv and starts following its events (until
// Close, or until srv is closed).
func New(srv *fakeapi.Server, opts ...Option) *Page {
	p := &Page{srv: srv, hub: newHub(), log: slog.New(slog.NewTextHandler(io.Discard, nil)),
		title: "orderbot sandbox", maxUpload: defaultMaxUpload}
	p.people.first = defaultFirstCustomerID
	for _, o := range opts {
		o(p)
	}
	events, cancel := srv.Subscribe()
	p.cancel = cancel
	go p.hub.run(events)
	p.handler = http.NewCrossOriginProtection().Handler(p.recoverer(p.routes()))
	return p
}

// Handler serves the page at "/" and its endpoints (see the package
// documentation). Links inside the page are relative, so it can be mounted
// under a prefix with http.StripPrefix. Cross-origin writes are refused.
func (p *Page) Handler() http.Handler { return p.handler }

// Close stops following the server's events and ends every open event
// stream, so that http.Server.Shutdown does not wait for them. The
// endpoints keep answering; pages that reconnect get their history and no
// live updates. Close is idempotent.
func (p *Page) Close() {
	p.closeOnce.Do(func() {
		p.cancel()
		p.hub.close()
	})
}

// AddPersona lets visitors act as a user of the fake server: it registers
// the user (updating the profile if srv knows the id) and the phone that
// "share phone" sends. role is a label such as "customer", "manager" or
// "owner" (default "customer"), lang a language code (default "en"), phone
// digits with an optional "+" (default the fake server's "+1555..."
// number). Adding an id again replaces that persona.
func (p *Page) AddPersona(id int64, name, role, lang, phone string) error {
	per, err := normalize(Persona{ID: id, Name: name, Role: role, Lang: lang, Phone: phone})
	if err != nil {
		return err
	}
	if err := register(p.srv, per); err != nil {
		return err
	}
	p.people.put(per)
	p.hub.broadcast(sseEvent{name: "personas", data: p.people.all()})
	return nil
}

// Personas returns the personas in the order they were added.
func (p *Page) Personas() []Persona { return p.people.all() }

// routes maps each path to its handlers by method; unknown paths and
// methods get JSON errors.
func (p *Page) routes() *http.ServeMux {
	mux := http.NewServeMux()
	for path, m := range map[string]methods{
		"/{$}":          {http.MethodGet: p.serveIndex},
		"/events":       {http.MethodGet: p.serveEvents},
		"/api/personas": {http.MethodGet: p.listPersonas, http.MethodPost: p.addCustomer},
		"/api/chat":     {http.MethodGet: p.chat},
		"/api/send":     {http.MethodPost: p.send},
		"/api/press":    {http.MethodPost: p.press},
		"/api/pay":      {http.MethodPost: p.pay},
		"/api/contact":  {http.MethodPost: p.contact},
		"/api/upload":   {http.MethodPost: p.upload},
		"/api/file":     {http.MethodGet: p.file},
		"/":             {},
	} {
		mux.Handle(path, endpoint{page: p, m: m})
	}
	return mux
}

// recoverer turns a panic in a handler into a logged 500, so that a bug
// triggered by odd input answers like any other failure.
func (p *Page) recoverer(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				p.writeError(w, r, fmt.Errorf("panic: %v", v))
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// pageCSP allows only the page's own inline script (by hash), its inline
// styles, and requests to the page's own origin.
var pageCSP = sync.OnceValue(func() string {
	script := pageHTML
	if _, after, ok := bytes.Cut(script, []byte("<script>")); ok {
		script, _, _ = bytes.Cut(after, []byte("</script>"))
	}
	sum := sha256.Sum256(script)
	return "default-src 'none'; script-src 'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'; " +
		"style-src 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; " +
		"base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
})

func (p *Page) serveIndex(w http.ResponseWriter, r *http.Request) error {
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Security-Policy", pageCSP())
	h.Set("Cache-Control", "no-store")
	_, _ = w.Write(pageHTML)
	return nil
}
