package main

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/orderbot/orderbot/bot/fakeapi"
)

// TestLive_IdsPast2To32: a customer, a manager and an owner whose Telegram
// ids are past 2^32, and a staff group with a supergroup's negative id, go
// through the flows of `orderbot run`: order, card in the group, confirm in
// the group, ship, invoice, pay, documents, staff management, the summary.
// Text with a NUL is refused where it is typed and changes nothing.
func TestLive_IdsPast2To32(t *testing.T) {
	s := newLiveShop(t, nil)
	s.cli("catalog", "import", writeFile(t, "sku,name,price,stock\nTEA,Green tea,4.50,10\n"))
	s.start()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	step := func(what string, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v\n%s", what, err, tail(s.errOut.String(), 30))
		}
	}
	ann := s.person(7_000_000_004, "Ann", "en")
	mia := &person{s: s, id: liveManager}
	olga := &person{s: s, id: liveOwner}
	_, err := mia.say(ctx, "/start", "You are a manager")
	step("manager /start", err)
	_, err = olga.say(ctx, "/start", "You are the owner")
	step("owner /start", err)

	_, err = ann.say(ctx, "te\x00a", "invisible control character")
	step("a search with a NUL is refused", err)
	_, err = ann.say(ctx, "/start TEA", "Put 1 in cart")
	step("product link", err)
	_, _, err = ann.tap(ctx, "➕ Put 1 in cart")
	step("put in cart", err)
	_, _, err = ann.tap(ctx, "✅ Check out")
	step("check out", err)
	_, err = ann.await(ctx, "Where should we deliver?")
	step("address asked", err)
	_, err = ann.say(ctx, "1 Main\x00 Street", "invisible control character")
	step("an address with a NUL is refused", err)
	_, err = ann.say(ctx, "1 Main Street", "Your phone number")
	step("address", err)
	_, err = ann.say(ctx, "+15550001234", "✅ Place order")
	step("phone", err)
	_, _, err = ann.tap(ctx, "✅ Place order")
	step("place", err)
	placed, err := ann.await(ctx, "is placed")
	step("placed", err)
	number := orderNumber(t, placed.Message.PlainText)

	card, _, err := s.obs.Wait(ctx, liveGroup, 0, func(m fakeapi.Message) bool { return strings.Contains(m.PlainText, number) })
	step("the new-order card in the staff group "+fmt.Sprint(int64(liveGroup)), err)
	if !strings.Contains(card.Message.PlainText, "Ann") || !strings.Contains(card.Message.PlainText, "1 Main Street") {
		t.Fatalf("group card: %q", card.Message.PlainText)
	}
	press, err := s.srv.PressButtonInGroup(liveGroup, liveManager, "✅ Confirm")
	step("confirm in the group", err)
	upd, _ := s.srv.Update(press)
	_, _, err = s.obs.Answer(ctx, upd.CallbackQuery.ID)
	step("the confirm tap answered", err)
	_, err = ann.await(ctx, "is confirmed")
	step("the customer hears it is confirmed", err)

	_, err = mia.say(ctx, "/order "+number, "History of order "+number)
	step("manager opens the order", err)
	_, _, err = mia.tap(ctx, "🚚 Ship all")
	step("ship all", err)
	_, err = ann.await(ctx, "Delivery receipt")
	step("the customer gets the delivery receipt", err)
	_, _, err = mia.tap(ctx, "🧾 Issue invoice")
	step("invoice", err)
	inv, err := ann.await(ctx, "INV-")
	step("the customer gets the invoice", err)
	if inv.Message.Document == nil {
		t.Fatalf("the invoice came without its PDF: %+v", inv.Message)
	}
	_, _, err = mia.tap(ctx, "💳 Paid in full · 4.50 USD")
	step("paid in full", err)
	_, _, err = mia.tap(ctx, "Cash · 4.50 USD")
	step("payment method", err)
	_, err = ann.await(ctx, "Receipt")
	step("the customer gets the payment receipt", err)

	_, err = olga.say(ctx, "/staff", "Add a manager")
	step("/staff", err)
	_, _, err = olga.tap(ctx, "➕ Add a manager")
	step("add a manager", err)
	_, err = olga.say(ctx, "7000000009", "is a manager now")
	step("a manager with an id past 2^32", err)
	_, err = olga.say(ctx, "/summary today", "Summary for")
	step("/summary under run", err)

	if st := s.stock("TEA"); st.OnHand != 9 || st.Reserved != 0 || st.Free != 9 {
		t.Fatalf("stock after shipping one: %+v", st)
	}
}

// orderNumber finds an order number (2026-000123) in text.
func orderNumber(t *testing.T, text string) string {
	t.Helper()
	for _, f := range strings.Fields(text) {
		f = strings.Trim(f, ".,:;")
		if len(f) >= 11 && f[4] == '-' && strings.Trim(f, "0123456789-") == "" {
			return f
		}
	}
	t.Fatalf("no order number in %q", text)
	return ""
}
