package main

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"strings"
	"testing"
	"time"

	"github.com/go-telegram/bot/models"

	"github.com/orderbot/orderbot/bot/fakeapi"
	"github.com/orderbot/orderbot/storage/postgres/pgtest"
)

// liveShop is `orderbot run` as it ships: runMain with the environment a
// seller sets, the same wiring, settings and defaults; only the Bot API URL
// (the project's fake Telegram) and the database (a fresh one) differ.
type liveShop struct {
	t      testing.TB
	srv    *fakeapi.Server
	obs    *fakeapi.Observer
	env    map[string]string
	errOut *syncBuffer
	stop   func() error
}

// Telegram ids past 2^32 and a supergroup's negative id, as Telegram has them.
const (
	liveOwner   = 7_000_000_001
	liveManager = 7_000_000_002
	liveGroup   = -1001234567890
)

func newLiveShop(t *testing.T, env map[string]string) *liveShop {
	t.Helper()
	_, url := pgtest.NewWithURL(t)
	srv := fakeapi.New(fakeapi.WithBotUsername("shop_bot"))
	if err := srv.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	s := &liveShop{t: t, srv: srv, env: map[string]string{
		"TELEGRAM_TOKEN": "4242:live", "TELEGRAM_API_URL": srv.URL(), "DATABASE_URL": url,
		"HTTP_ADDR": freeAddr(t), "LOG_FORMAT": "text", "REDIS_PREFIX": fmt.Sprintf("obtest:live:%d:", time.Now().UnixNano()),
		"OWNER_IDS": fmt.Sprint(liveOwner), "MANAGER_IDS": fmt.Sprint(liveManager), "STAFF_CHAT_ID": fmt.Sprint(int64(liveGroup)),
	}}
	maps.Copy(s.env, env)
	srv.AddUser(models.User{ID: liveOwner, FirstName: "Olga", LanguageCode: "en"})
	srv.AddUser(models.User{ID: liveManager, FirstName: "Mia", LanguageCode: "en"})
	if err := srv.AddGroup(liveGroup, "Shop staff"); err != nil {
		t.Fatal(err)
	}
	s.obs = srv.Observe()
	t.Cleanup(s.obs.Close)
	return s
}

// cli runs a command of the same binary with the shop's environment.
func (s *liveShop) cli(args ...string) (string, string) {
	s.t.Helper()
	c := &cli{t: s.t.(*testing.T), env: s.env}
	out, errOut, code := c.run(args...)
	if code != 0 {
		s.t.Fatalf("orderbot %s: exit %d\n%s", strings.Join(args, " "), code, errOut)
	}
	return out, errOut
}

// start runs `orderbot run` until the test ends or stop is called.
func (s *liveShop) start() {
	s.t.Helper()
	_, s.errOut, s.stop = start(s.t.(*testing.T), s.env, "run")
	waitHTTP(s.t.(*testing.T), "http://"+s.env["HTTP_ADDR"]+"/readyz", 200)
}

// stockRow is one row of `orderbot stock --json`.
type stockRow struct {
	SKU      string `json:"sku"`
	OnHand   int64  `json:"on_hand"`
	Reserved int64  `json:"reserved"`
	Held     int64  `json:"held"`
	Free     int64  `json:"free"`
}

func (s *liveShop) stock(sku string) stockRow {
	s.t.Helper()
	out, _ := s.cli("stock", "--json")
	var rows []stockRow
	if err := json.Unmarshal([]byte(out), &rows); err != nil {
		s.t.Fatalf("stock --json: %v\n%s", err, out)
	}
	for _, r := range rows {
		if r.SKU == sku {
			return r
		}
	}
	s.t.Fatalf("stock --json has no %s:\n%s", sku, out)
	return stockRow{}
}

// must stops the test at a step that failed, with the bot's last log lines.
func (s *liveShop) must(what string, err error) {
	s.t.Helper()
	if err != nil {
		s.t.Fatalf("%s: %v\n%s", what, err, tail(s.errOut.String(), 30))
	}
}

// person is someone talking to the bot in their private chat.
type person struct {
	s     *liveShop
	id    int64
	mark  int           // what of their chat they have read
	toast time.Duration // how long the last "Place order" took to be answered
}

func (s *liveShop) person(id int64, name, lang string) *person {
	s.srv.AddUser(models.User{ID: id, FirstName: name, LanguageCode: lang})
	return &person{s: s, id: id}
}

// say sends text and waits for the bot's next message or edit that
// contains want.
func (p *person) say(ctx context.Context, text, want string) (fakeapi.Seen, error) {
	if _, err := p.s.srv.SendText(p.id, text); err != nil {
		return fakeapi.Seen{}, err
	}
	return p.await(ctx, want)
}

// await waits for the bot's next message or edit whose text, caption or a
// button's label contains want.
func (p *person) await(ctx context.Context, want string) (fakeapi.Seen, error) {
	seen, mark, err := p.s.obs.Wait(ctx, p.id, p.mark, func(m fakeapi.Message) bool {
		if strings.Contains(m.PlainText+m.PlainCaption, want) {
			return true
		}
		for _, row := range m.InlineKeyboard {
			for _, b := range row {
				if strings.Contains(b.Text, want) {
					return true
				}
			}
		}
		return false
	})
	if err != nil {
		return seen, fmt.Errorf("waiting for %q in chat %d: %w", want, p.id, err)
	}
	p.mark = mark
	return seen, nil
}

// tap presses a button of the bot's latest message that has it and returns
// the answer to the tap (the toast, which may be empty) and when it came.
func (p *person) tap(ctx context.Context, label string) (fakeapi.CallbackAnswer, time.Time, error) {
	id, err := p.s.srv.PressButton(p.id, label)
	for err != nil && ctx.Err() == nil { // the screen with the button may still be on its way
		time.Sleep(20 * time.Millisecond)
		id, err = p.s.srv.PressButton(p.id, label)
	}
	if err != nil {
		return fakeapi.CallbackAnswer{}, time.Time{}, err
	}
	upd, _ := p.s.srv.Update(id)
	return p.s.obs.Answer(ctx, upd.CallbackQuery.ID)
}
