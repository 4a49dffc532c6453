package main

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/go-telegram/bot/models"

	"github.com/orderbot/orderbot/bot/fakeapi"
)

// TestLive_EveryCommandAndButton: through `orderbot run` as it ships, a
// customer, a manager and the owner each send every command the bot
// registered for them and then press every button the bot shows them, the
// screens those lead to included (up to a bound). No answer may be an
// internal error or a "technical pause": every screen must work.
func TestLive_EveryCommandAndButton(t *testing.T) {
	s := newLiveShop(t, nil)
	s.cli("catalog", "import", writeFile(t, "sku,name,price,stock,unit\nTEA,Green tea,4.50,20,pack\nCUP,Cup,3.00,5,pcs\n"))
	s.start()
	ctx, cancel := context.WithTimeout(context.Background(), 8*time.Minute)
	defer cancel()
	ann := s.person(7_000_000_020, "Ann", "en")
	boris := s.person(7_000_000_021, "Борис", "ru")
	placeOrderAs(t, ctx, ann)
	placeOrderAs(t, ctx, boris)
	mia := &person{s: s, id: liveManager}
	olga := &person{s: s, id: liveOwner}
	for _, c := range []struct {
		who   string
		p     *person
		scope models.BotCommandScope
	}{
		{"customer", ann, &models.BotCommandScopeDefault{}},
		{"manager", mia, &models.BotCommandScopeChat{ChatID: liveManager}},
		{"owner", olga, &models.BotCommandScopeChat{ChatID: liveOwner}},
		{"customer (ru)", boris, &models.BotCommandScopeDefault{}},
	} {
		t.Run(c.who, func(t *testing.T) {
			if _, err := c.p.say(ctx, "/start", ""); err != nil {
				t.Fatal(err)
			}
			lang := "en" // customers' lists are per language; a staff member's is their chat's own
			if c.p == boris {
				lang = "ru"
			}
			if _, staff := c.scope.(*models.BotCommandScopeChat); staff {
				lang = ""
			}
			cmds := s.srv.Commands(c.scope, lang)
			if len(cmds) == 0 {
				t.Fatalf("no commands registered for the %s", c.who)
			}
			var names []string
			for _, cmd := range cmds {
				names = append(names, cmd.Command)
			}
			presses := crawl(t, ctx, c.p, names, 120)
			t.Logf("%s: %d commands %v, %d buttons pressed, no error", c.who, len(names), names, presses)
		})
	}
}

// placeOrderAs has a customer order one pack of tea through the chat.
func placeOrderAs(t *testing.T, ctx context.Context, p *person) {
	t.Helper()
	steps := []func() error{
		func() error { _, err := p.say(ctx, "/start TEA", "TEA"); return err },
		func() error { _, _, err := p.tap(ctx, addLabel(p)); return err },
		func() error { _, err := p.await(ctx, checkoutLabel(p)); return err },
	}
	for _, st := range steps {
		if err := st(); err != nil {
			t.Fatalf("%d: %v\n%s", p.id, err, lastSeen(p))
		}
	}
	if _, _, err := p.tap(ctx, checkoutLabel(p)); err != nil {
		t.Fatal(err)
	}
	for _, st := range []struct{ say, want string }{{"1 Crawl Street", "+"}, {"+15550007777", "✅"}} {
		if _, err := p.say(ctx, st.say, st.want); err != nil {
			t.Fatalf("%d: %v\n%s", p.id, err, lastSeen(p))
		}
	}
	if _, _, err := p.tap(ctx, placeLabel(p)); err != nil {
		t.Fatal(err)
	}
	if _, err := p.await(ctx, "2026-"); err != nil {
		t.Fatalf("%d: %v\n%s", p.id, err, lastSeen(p))
	}
}

func addLabel(p *person) string {
	if p.id == 7_000_000_021 {
		return "➕ В корзину 1"
	}
	return "➕ Put 1 in cart"
}

func checkoutLabel(p *person) string {
	if p.id == 7_000_000_021 {
		return "✅ Оформить"
	}
	return "✅ Check out"
}

func placeLabel(p *person) string {
	if p.id == 7_000_000_021 {
		return "✅ Оформить заказ"
	}
	return "✅ Place order"
}

// crawl sends each command and presses every button it meets once, up to
// limit presses; it fails the test on an answer that is an error.
func crawl(t *testing.T, ctx context.Context, p *person, commands []string, limit int) int {
	t.Helper()
	type key struct {
		msg   int
		label string
	}
	pressed := map[key]bool{}
	check := func(what string, from int) {
		t.Helper()
		time.Sleep(150 * time.Millisecond) // the screen it leads to
		for _, e := range p.s.obs.Events(p.id)[from:] {
			if bad(e.Message.PlainText + e.Message.PlainCaption) {
				t.Fatalf("%s was answered with an error: %q", what, e.Message.PlainText)
			}
		}
	}
	for _, c := range commands {
		from := len(p.s.obs.Events(p.id))
		arg := ""
		if c == "order" {
			arg = " 2026-000001"
		}
		if _, err := p.s.srv.SendText(p.id, "/"+c+arg); err != nil {
			t.Fatal(err)
		}
		if _, _, err := p.s.obs.Wait(ctx, p.id, from, func(fakeapi.Message) bool { return true }); err != nil {
			t.Fatalf("/%s: no answer: %v", c, err)
		}
		check("/"+c, from)
	}
	presses := 0
	for presses < limit {
		var next *key
		for _, m := range p.s.srv.BotMessages(p.id) {
			for _, row := range m.InlineKeyboard {
				for _, b := range row {
					k := key{m.ID, b.Text}
					if b.CallbackData != "" && !pressed[k] && next == nil {
						next = &k
					}
				}
			}
		}
		if next == nil {
			break
		}
		pressed[*next] = true
		from := len(p.s.obs.Events(p.id))
		id, err := p.s.srv.PressButtonOn(p.id, next.msg, next.label)
		if err != nil {
			continue // the message changed meanwhile
		}
		presses++
		upd, _ := p.s.srv.Update(id)
		ans, _, err := p.s.obs.Answer(ctx, upd.CallbackQuery.ID)
		if err != nil {
			t.Fatalf("button %q not answered: %v", next.label, err)
		}
		if bad(ans.Text) {
			t.Fatalf("button %q answered with an error: %q", next.label, ans.Text)
		}
		check(fmt.Sprintf("button %q", next.label), from)
	}
	return presses
}

// bad reports an answer that is an internal error or a pause.
func bad(text string) bool {
	for _, mark := range []string{"went wrong on our side", "technical pause", "что-то пошло не так", "технической паузе", "reference"} {
		if strings.Contains(text, mark) {
			return true
		}
	}
	return false
}
