package bot

import (
	"strings"
	"testing"

	"github.com/orderbot/orderbot/core"
)

// TestCustomer_StartToPlacedOrder walks a customer from /start to a placed
// order through buttons (the phone asked once, at checkout), and checks that
// staff got the new-order card.
func TestCustomer_StartToPlacedOrder(t *testing.T) {
	w := newWorld(t)
	tea := w.product("TEA-1", "Green tea 100g", 450, 10)
	w.product("CUP-2", "Cup", 1200, 3)
	alice := w.user(1001, "Alice", "en")
	w.say(managerID, "/start", "You are a manager")

	m := w.say(alice, "/start", "Hello, Alice")
	if len(m.ReplyKeyboard) != 0 {
		t.Fatalf("/start asks for the phone before anyone needs it: %+v", m.ReplyKeyboard)
	}

	w.say(alice, "/catalog", "Catalog")
	w.press(alice, "Green tea 100g · 4.50 USD", "SKU: TEA-1")
	w.press(alice, "+1", "Quantity: 2")
	w.press(alice, "➕ Put 2 in cart", "Your cart")
	if st := w.stock(tea); st.Held != 2 || st.Free != 8 {
		t.Fatalf("after adding to cart: %+v", st)
	}
	w.press(alice, "✅ Check out", "Where should we deliver?")
	m = w.say(alice, "12 Baker Street, London", "Your phone number")
	if len(m.ReplyKeyboard) == 0 || !m.ReplyKeyboard[0][0].RequestContact {
		t.Fatalf("no contact button: %+v", m.ReplyKeyboard)
	}
	cur := w.srv.Cursor()
	if _, err := w.srv.ShareContact(alice, "15550101", alice); err != nil { // Telegram often leaves out the +
		t.Fatal(err)
	}
	if sum := w.await(cur, alice, "Please check your order"); !strings.Contains(sum.PlainText, "Phone: +1 555 0101") {
		t.Fatalf("the summary does not show the phone as saved: %q", sum.PlainText)
	}
	m = w.press(alice, "✅ Place order", "The goods are reserved")
	if !strings.Contains(m.PlainText, "9.00 USD") {
		t.Fatalf("placed message: %q", m.PlainText)
	}
	orders := w.orders()
	if len(orders) != 1 || orders[0].Status != core.StatusNew || orders[0].Address != "12 Baker Street, London" || orders[0].Phone != "+15550101" {
		t.Fatalf("orders: %+v", orders)
	}
	if st := w.stock(tea); st.Reserved != 2 || st.Held != 0 || st.Free != 8 {
		t.Fatalf("after placing: %+v", st)
	}
	card := w.await(fakeapiZero, managerID, "Order "+orders[0].Number)
	if !hasButton(card, "✅ Confirm") || !strings.Contains(card.PlainText, "Alice") {
		t.Fatalf("staff card: %q %v", card.PlainText, card.InlineKeyboard)
	}
	w.say(alice, "/orders", orders[0].Number)
}
