package bot

import (
	"context"
	"strings"
	"testing"

	"github.com/orderbot/orderbot/bot/fakeapi"
	"github.com/orderbot/orderbot/core"
)

// person counts what someone does in the bot: every message they send,
// contact they share and button they press is one interaction.
type person struct {
	w  *world
	id int64
	n  int
}

func (w *world) person(id int64) *person { return &person{w: w, id: id} }

func (p *person) say(text, want string) fakeapi.Message {
	p.w.t.Helper()
	p.n++
	return p.w.say(p.id, text, want)
}

func (p *person) press(label, want string) fakeapi.Message {
	p.w.t.Helper()
	p.n++
	return p.w.press(p.id, label, want)
}

func (p *person) pressOn(m fakeapi.Message, label, want string) fakeapi.Message {
	p.w.t.Helper()
	p.n++
	return p.w.pressOn(p.id, m.ID, label, want)
}

// pressBeside presses the button labelled label in the row of m whose first
// button starts with row (the ➕ beside a product in the catalog).
func (p *person) pressBeside(m fakeapi.Message, row, label, want string) fakeapi.Message {
	p.w.t.Helper()
	for _, r := range m.InlineKeyboard {
		if len(r) == 0 || !strings.HasPrefix(r[0].Text, row) {
			continue
		}
		for _, b := range r {
			if b.Text == label {
				p.n++
				cur := p.w.srv.Cursor()
				upd, err := p.w.srv.PressData(p.id, m.ID, b.CallbackData)
				if err != nil {
					p.w.t.Fatal(err)
				}
				if ans := p.w.answerOf(upd); want != "" && strings.Contains(ans.Text, want) {
					return fakeapi.Message{PlainText: ans.Text}
				}
				return p.w.await(cur, p.id, want)
			}
		}
	}
	p.w.t.Fatalf("no %q beside %q in %v", label, row, m.InlineKeyboard)
	return fakeapi.Message{}
}

func (p *person) share(phone, want string) fakeapi.Message {
	p.w.t.Helper()
	p.n++
	cur := p.w.srv.Cursor()
	if _, err := p.w.srv.ShareContact(p.id, phone, p.id); err != nil {
		p.w.t.Fatal(err)
	}
	return p.w.await(cur, p.id, want)
}

// within fails when doing took more interactions than most.
func (p *person) within(t *testing.T, what string, most int, do func()) {
	t.Helper()
	before := p.n
	do()
	if n := p.n - before; n > most {
		t.Errorf("%s took %d interactions, want at most %d", what, n, most)
	} else {
		t.Logf("%s: %d interactions (at most %d)", what, n, most)
	}
}

// TestErgonomics_InteractionCounts counts what people do through the bot
// for the everyday paths: a customer's first order of two products from
// /start (at most 8: no phone asked twice, no list of one, no "last
// address" to someone who has none), a repeat order, a manager confirming
// (1 tap on the card), shipping everything (at most 2) and recording a full
// payment (at most 2), and the owner opening every list from the summary
// (1 tap each).
func TestErgonomics_InteractionCounts(t *testing.T) {
	w := newWorld(t)
	w.product("TEA-1", "Green tea 100g", 450, 20)
	w.product("CUP-2", "Cup", 1200, 5)
	w.startStaff()
	ann := w.person(w.user(1901, "Ann", "en"))
	var placed fakeapi.Message
	ann.within(t, "first order of 2 products from /start", 8, func() {
		ann.say("/start", "Hello, Ann")
		list := ann.press("🛍 Catalog", "Catalog")
		list = ann.pressBeside(list, "Green tea 100g", "➕", "🛒 1 in your cart")
		ann.pressBeside(list, "Cup", "➕", "🛒 1 in your cart")
		m := ann.press("✅ Check out", "Where should we deliver? Type the address.")
		if strings.Contains(m.PlainText, "last one") || len(m.InlineKeyboard) != 1 {
			t.Errorf("address step for a first order: %q %v", m.PlainText, m.InlineKeyboard)
		}
		ann.say("12 Baker Street", "Your phone number")
		ann.share("+15550002001", "Please check your order")
		placed = ann.press("✅ Place order", "The goods are reserved")
	})
	if !strings.Contains(placed.PlainText, "16.50 USD") {
		t.Fatalf("placed: %q", placed.PlainText)
	}
	o := w.orders()[0]
	if o.Phone != "+15550002001" || o.Address != "12 Baker Street" || len(o.Lines) != 2 {
		t.Fatalf("order: %+v", o)
	}

	mia := w.person(managerID)
	card := w.await(fakeapiZero, managerID, "Order "+o.Number)
	mia.within(t, "confirm", 1, func() { mia.pressOn(card, "✅ Confirm", "confirmed by Mia") })
	mia.within(t, "ship all", 2, func() { mia.pressOn(card, "🚚 Ship all", "shipped by Mia") })
	mia.within(t, "full payment", 2, func() {
		mia.pressOn(card, "💳 Paid in full · 16.50 USD", "To pay: 16.50 USD")
		mia.press("Card · 16.50 USD", "16.50 USD (Card) recorded for order "+o.Number)
	})
	if got := w.order(o.ID); got.Status != core.StatusPaid || got.Paid != 1650 {
		t.Fatalf("after shipping and paying: %s, paid %d", got.Status, got.Paid)
	}
	w.awaitCard(managerID, card.ID, "Customer has a credit of 16.50 USD") // paid before any invoice: not "owes -16.50"

	ann.within(t, "a repeat order by search", 6, func() {
		ann.say("cup", "SKU: CUP-2") // one hit: the product itself
		ann.press("➕ Put 1 in cart", "Your cart")
		ann.press("✅ Check out", "or tap your last one")
		m := ann.press("📍 12 Baker Street", "Please check your order") // the phone is not asked again
		if !strings.Contains(m.PlainText, "+1 555 000 2001") {
			t.Errorf("summary: %q", m.PlainText)
		}
		ann.say("Ring twice", "Comment: Ring twice")
		ann.press("✅ Place order", "is placed")
	})

	olga := w.person(ownerID)
	summary := w.say(ownerID, "/summary today", "Summary for")
	for label, want := range map[string]string{"📦 To ship": "ship", "🧾 Unpaid": "npaid invoices", "💰 Debts": "owe", "📉 Low stock": "Stock"} {
		olga.within(t, "the summary's "+label, 1, func() {
			cur := w.srv.Cursor()
			for _, row := range summary.InlineKeyboard {
				for _, b := range row {
					if strings.HasPrefix(b.Text, label) {
						olga.n++
						if _, err := w.srv.PressData(ownerID, summary.ID, b.CallbackData); err != nil {
							t.Fatal(err)
						}
						w.await(cur, ownerID, want)
						return
					}
				}
			}
			t.Errorf("the summary has no %q button: %v", label, summary.InlineKeyboard)
		})
	}
}

// TestCheckout_CancelAfterPlacing: Cancel on a step of a checkout whose
// order is placed says the order stands, and cancels nothing; a second tap
// on Place order says the same; a garbage phone is refused plainly.
func TestCheckout_CancelAfterPlacing(t *testing.T) {
	w := newWorld(t)
	w.product("TEA-1", "Green tea 100g", 450, 20)
	u := w.user(1902, "Bea", "en")
	w.say(u, "tea", "SKU: TEA-1")
	w.press(u, "➕ Put 1 in cart", "Your cart")
	address := w.press(u, "✅ Check out", "Where should we deliver?")
	w.say(u, "1 Elm Row", "Your phone number")
	w.say(u, "call me maybe", "does not look like a phone number")
	w.say(u, "8 900 123 45 67", "with the country code")
	summary := w.say(u, "+44 20 7946 0000", "Please check your order")
	w.pressOn(u, summary.ID, "✅ Place order", "is placed")
	o := w.orders()[0]

	for _, m := range []fakeapi.Message{address, summary} {
		label := "✖ Cancel"
		upd, err := w.srv.PressButtonOn(u, m.ID, label)
		if err != nil { // the summary's buttons were replaced by the placed order
			continue
		}
		if ans := w.answerOf(upd); !strings.Contains(ans.Text, "Order "+o.Number+" is already placed") {
			t.Errorf("Cancel after placing answered %q", ans.Text)
		}
	}
	if got := w.order(o.ID); got.Status != core.StatusNew {
		t.Fatalf("the order is %s", got.Status)
	}
	for _, m := range w.srv.BotMessages(u) {
		if strings.Contains(m.PlainText, "Checkout cancelled") {
			t.Fatalf("told %q while the order stands", m.PlainText)
		}
	}
	if c, _ := w.db.CustomerByTelegram(context.Background(), u); c.Phone != "+442079460000" {
		t.Fatalf("phone stored as %q", c.Phone)
	}
}

// TestErgonomics_OneMethodPaysInOneTap: a shop paid one way records a full
// payment with one tap on the card, without asking how it was paid.
func TestErgonomics_OneMethodPaysInOneTap(t *testing.T) {
	w := newWorld(t, withPaymentMethods(core.PayBank))
	p := w.product("TEA-1", "Green tea 100g", 450, 20)
	w.startStaff()
	c := w.customer(1903, "Cy", "en")
	o := w.placeNew(c, p, 2)
	card := w.await(fakeapiZero, managerID, "Order "+o.Number)
	mia := w.person(managerID)
	mia.pressOn(card, "✅ Confirm", "confirmed by Mia")
	mia.within(t, "full payment with one method", 1, func() {
		mia.pressOn(card, "💳 Paid in full · 9.00 USD", "9.00 USD (Bank transfer) recorded for order "+o.Number)
	})
	if got := w.order(o.ID); got.Paid != 900 {
		t.Fatalf("paid %d", got.Paid)
	}
}
