package bot

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-telegram/bot/models"

	"github.com/orderbot/orderbot/bot/fakeapi"
	"github.com/orderbot/orderbot/core"
	"github.com/orderbot/orderbot/storage/redis/redistest"
)

func init() {
	// A command that only the test binary has: its handler panics.
	onCommand("boom", false, false, func(r *req, _ string) error { panic("boom") })
}

// TestPlatform_PanicIsAnsweredAndSurvived: a handler panic gets an apology
// with a reference, and the bot keeps serving.
func TestPlatform_PanicIsAnsweredAndSurvived(t *testing.T) {
	w := newWorld(t)
	u := w.user(1101, "Pat", "en")
	m := w.say(u, "/boom", "something went wrong")
	if !strings.Contains(m.PlainText, "reference") {
		t.Fatalf("apology: %q", m.PlainText)
	}
	w.say(u, "/help", "What I can do")
}

// TestPlatform_DuplicateUpdateHandledOnce: Telegram delivering the same
// update twice does one thing.
func TestPlatform_DuplicateUpdateHandledOnce(t *testing.T) {
	w := newWorld(t)
	p := w.product("P-1", "Pen", 100, 10)
	u := w.user(1102, "Dana", "en")
	w.say(u, "/catalog", "Catalog")
	w.press(u, "Pen · 1.00 USD", "SKU: P-1")
	cur := w.srv.Cursor()
	id, err := w.srv.PressButton(u, "➕ Put 1 in cart")
	if err != nil {
		t.Fatal(err)
	}
	w.await(cur, u, "Your cart")
	if _, err := w.srv.Redeliver(id); err != nil {
		t.Fatal(err)
	}
	w.say(u, "/help", "What I can do") // everything before it is handled
	if st := w.stock(p); st.Held != 1 {
		t.Fatalf("the redelivered press was handled again: held %d", st.Held)
	}
	msgs := w.srv.BotMessages(u)
	if len(msgs) != 2 || !strings.Contains(msgs[0].PlainText, "Pen × 1") {
		t.Fatalf("bot messages: %d, first %q", len(msgs), msgs[0].PlainText)
	}
}

// TestPlatform_QuickMessagesAnsweredInOrder: ten quick messages from one
// chat are answered in the order sent.
func TestPlatform_QuickMessagesAnsweredInOrder(t *testing.T) {
	w := newWorld(t)
	w.product("P-1", "Pen", 100, 10)
	u := w.user(1103, "Quinn", "en")
	for i := range 10 {
		if _, err := w.srv.SendText(u, fmt.Sprintf("query%02d", i)); err != nil {
			t.Fatal(err)
		}
	}
	w.await(fakeapiZero, u, "query09")
	var got []string
	for _, m := range w.srv.BotMessages(u) {
		if i := strings.Index(m.PlainText, "query"); i >= 0 {
			got = append(got, m.PlainText[i:i+7])
		}
	}
	want := "query00 query01 query02 query03 query04 query05 query06 query07 query08 query09"
	if strings.Join(got, " ") != want {
		t.Fatalf("answers in order %v", got)
	}
}

// TestPlatform_EveryCallbackAnswered: every press is answered, whether its
// data is good, stale, forged or malformed.
func TestPlatform_EveryCallbackAnswered(t *testing.T) {
	w := newWorld(t)
	u := w.user(1104, "Cal", "en")
	w.say(u, "/start", "Hello")
	msgs := w.srv.BotMessages(u)
	for _, data := range []string{"cat:0", "nonsense", "o:999999", "cq:abc:1", "cat:1:2", strings.Repeat("x", 64)} {
		id, err := w.srv.PressData(u, msgs[0].ID, data)
		if err != nil {
			t.Fatal(err)
		}
		upd, _ := w.srv.Update(id)
		if _, err := w.srv.WaitCallbackAnswer(w.ctx(), upd.CallbackQuery.ID); err != nil {
			t.Fatalf("callback %q not answered: %v", data, err)
		}
	}
	if un := w.srv.UnansweredCallbacks(); len(un) != 0 {
		t.Fatalf("unanswered callbacks: %v", un)
	}
}

// TestCustomer_RaceForTheLastUnit: two customers want the last unit; one
// gets it, the other a clear answer, and free stock is exact.
func TestCustomer_RaceForTheLastUnit(t *testing.T) {
	w := newWorld(t)
	p := w.product("LAST", "Last lamp", 5000, 1)
	alice, bob := w.user(1201, "Alice", "en"), w.user(1202, "Bob", "en")
	for _, u := range []int64{alice, bob} {
		w.say(u, "/catalog", "Catalog")
		w.press(u, "Last lamp · 50.00 USD", "SKU: LAST")
	}
	var wg sync.WaitGroup
	results := map[int64]fakeapi.Message{}
	var mu sync.Mutex
	for _, u := range []int64{alice, bob} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			id, err := w.srv.PressButton(u, "➕ Put 1 in cart")
			if err != nil {
				t.Error(err)
				return
			}
			upd, _ := w.srv.Update(id)
			ans, err := w.srv.WaitCallbackAnswer(w.ctx(), upd.CallbackQuery.ID)
			if err != nil {
				t.Error(err)
				return
			}
			mu.Lock()
			results[u] = fakeapi.Message{PlainText: ans.Text}
			mu.Unlock()
		}()
	}
	wg.Wait()
	won, told := 0, 0
	for _, m := range results {
		switch {
		case strings.Contains(m.PlainText, "In your cart: Last lamp × 1"):
			won++
		case strings.Contains(m.PlainText, "only 0 left"):
			told++
		default:
			t.Errorf("answer %q", m.PlainText)
		}
	}
	if won != 1 || told != 1 {
		t.Fatalf("won %d, told %d: %v", won, told, results)
	}
	if st := w.stock(p); st.Held != 1 || st.Free != 0 || st.Reserved != 0 {
		t.Fatalf("stock: %+v", st)
	}
}

// TestCustomer_HoldExpiryReturnsTheGoods: a cart hold lapses on its own,
// the goods are free again, and the cart says what lapsed.
func TestCustomer_HoldExpiryReturnsTheGoods(t *testing.T) {
	w := newWorld(t, withHoldTTL(time.Second))
	p := w.product("BREAD", "Bread", 300, 5)
	u := w.user(1301, "Hana", "en")
	w.say(u, "/catalog", "Catalog")
	w.press(u, "Bread · 3.00 USD", "SKU: BREAD")
	w.press(u, "+1", "Quantity: 2")
	w.press(u, "➕ Put 2 in cart", "Your cart")
	if st := w.stock(p); st.Held != 2 || st.Free != 3 {
		t.Fatalf("held: %+v", st)
	}
	deadline := time.Now().Add(5 * time.Second)
	for w.stock(p).Held != 0 && time.Now().Before(deadline) {
		time.Sleep(100 * time.Millisecond)
	}
	if st := w.stock(p); st.Held != 0 || st.Free != 5 {
		t.Fatalf("after the hold lapsed: %+v", st)
	}
	m := w.say(u, "/cart", "Your cart")
	if !strings.Contains(m.PlainText, "no longer held") {
		t.Fatalf("cart does not say what lapsed: %q", m.PlainText)
	}
}

// flush deletes keys of this world's Redis prefix matching pattern.
func (w *world) flush(pattern string) int { return redistest.Delete(w.cache.Prefix() + pattern) }

// TestCustomer_RedisFlushedMidCheckout: losing Redis mid-checkout loses the
// half-filled checkout, never an order, and stock stays exact.
func TestCustomer_RedisFlushedMidCheckout(t *testing.T) {
	w := newWorld(t)
	p := w.product("MILK", "Milk", 150, 4)
	u := w.user(1401, "Ivy", "en")
	w.toSummary(u, "Milk · 1.50 USD", "➕ Put 1 in cart")
	if n := w.flush("*"); n == 0 {
		t.Fatal("nothing flushed")
	}
	w.press(u, "✅ Place order", "out of date")
	if len(w.orders()) != 0 {
		t.Fatal("an order appeared from a lost checkout")
	}
	if st := w.stock(p); st.Held != 0 || st.Reserved != 0 || st.Free != 4 {
		t.Fatalf("stock: %+v", st)
	}
}

// TestCustomer_PostgresDisagreesAfterHoldsLost: the holds vanish, someone
// else buys the goods, and checkout names the short line and keeps the cart.
func TestCustomer_PostgresDisagreesAfterHoldsLost(t *testing.T) {
	w := newWorld(t)
	p := w.product("EGGS", "Eggs", 250, 2)
	u := w.user(1501, "Jo", "en")
	w.toSummary(u, "Eggs · 2.50 USD", "➕ Put 1 in cart")
	w.flush("hold:*")
	w.flush("cart:*:holds")
	other := w.seedCustomer("Walk-in")
	if _, err := w.svc.Orders.Place(context.Background(), core.System, core.PlaceOrder{CustomerID: other.ID,
		Lines: []core.OrderLineInput{{ProductID: p.ID, Qty: 2}}}); err != nil {
		t.Fatal(err)
	}
	m := w.press(u, "✅ Place order", "Not enough stock")
	if !strings.Contains(m.PlainText, "Eggs: you asked for 1, only 0 left") {
		t.Fatalf("shortage message: %q", m.PlainText)
	}
	if n := len(w.orders()); n != 1 {
		t.Fatalf("%d orders, want only the walk-in's", n)
	}
	w.say(u, "/cart", "Eggs × 1")
}

func (w *world) toSummary(u int64, productButton, addButton string) {
	w.t.Helper()
	w.say(u, "/catalog", "Catalog")
	w.press(u, productButton, "SKU")
	w.press(u, addButton, "Your cart")
	w.press(u, "✅ Check out", "Where should we deliver?")
	w.say(u, "1 Elm Row", "Your phone number")
	w.say(u, "+44 20 7946 0000", "Please check your order")
}

func (w *world) seedCustomer(name string) *core.Customer {
	w.t.Helper()
	c, err := w.svc.Customers.Create(context.Background(), core.System, core.Customer{Name: name})
	if err != nil {
		w.t.Fatal(err)
	}
	return c
}

// TestCustomer_ForgedCallbackForAnotherCustomersOrder: a customer forging
// buttons for someone else's order learns nothing and changes nothing.
func TestCustomer_ForgedCallbackForAnotherCustomersOrder(t *testing.T) {
	w := newWorld(t)
	p := w.product("CAKE", "Cake", 900, 5)
	alice, mallory := w.user(1601, "Alice", "en"), w.user(1602, "Mallory", "en")
	w.say(alice, "/start", "Hello")
	ac, err := w.db.CustomerByTelegram(context.Background(), alice)
	if err != nil {
		t.Fatal(err)
	}
	o, err := w.svc.Orders.Place(context.Background(), core.Actor{Role: core.RoleCustomer, CustomerID: ac.ID},
		core.PlaceOrder{CustomerID: ac.ID, Lines: []core.OrderLineInput{{ProductID: p.ID, Qty: 1}}, Address: "Secret Lane 7"})
	if err != nil {
		t.Fatal(err)
	}
	w.say(mallory, "/start", "Hello")
	msg := w.srv.BotMessages(mallory)[0]
	for _, data := range []string{fmt.Sprintf("o:%d", o.ID), fmt.Sprintf("oh:%d", o.ID), fmt.Sprintf("ox:%d:%d", o.ID, o.Version),
		fmt.Sprintf("ox:%d:0", o.ID), fmt.Sprintf("sc:%d:%d", o.ID, o.Version), fmt.Sprintf("sr:%d:%d", o.ID, o.Version)} {
		id, err := w.srv.PressData(mallory, msg.ID, data)
		if err != nil {
			t.Fatal(err)
		}
		upd, _ := w.srv.Update(id)
		ans, err := w.srv.WaitCallbackAnswer(w.ctx(), upd.CallbackQuery.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(ans.Text, "no such order") && !strings.Contains(ans.Text, "staff only") {
			t.Errorf("forged %s answered %q", data, ans.Text)
		}
	}
	for _, m := range w.srv.Messages(mallory) {
		if strings.Contains(m.PlainText, "Secret Lane") || strings.Contains(m.PlainText, o.Number) {
			t.Fatalf("Mallory saw Alice's order: %q", m.PlainText)
		}
	}
	got, err := w.svc.Orders.Get(context.Background(), core.System, o.ID)
	if err != nil || got.Version != o.Version || got.Status != core.StatusNew {
		t.Fatalf("the order changed: %+v %v", got, err)
	}
}

// TestPlatform_CommandsPerRoleAndLanguage: customers see their commands in
// their language; staff get their own list once they open the bot.
func TestPlatform_CommandsPerRoleAndLanguage(t *testing.T) {
	w := newWorld(t)
	w.say(ownerID, "/start", "You are the owner")
	names := func(cs []models.BotCommand) string {
		var out []string
		for _, c := range cs {
			out = append(out, c.Command+"="+c.Description)
		}
		return strings.Join(out, " ")
	}
	ru := names(w.srv.Commands(&models.BotCommandScopeDefault{}, "ru"))
	if !strings.Contains(ru, "catalog=каталог товаров") || strings.Contains(ru, "toship") {
		t.Fatalf("customer commands in Russian: %s", ru)
	}
	en := names(w.srv.Commands(&models.BotCommandScopeDefault{}, ""))
	if !strings.Contains(en, "orders=your orders") {
		t.Fatalf("customer commands by default: %s", en)
	}
	owner := names(w.srv.Commands(&models.BotCommandScopeChat{ChatID: ownerID}, ""))
	for _, c := range []string{"summary=", "staff=", "toship=", "neworder="} {
		if !strings.Contains(owner, c) {
			t.Fatalf("owner's commands lack %s: %s", c, owner)
		}
	}
	if got := w.srv.AllowedUpdates(); strings.Join(got, ",") != "message,callback_query,my_chat_member,pre_checkout_query" {
		t.Fatalf("allowed_updates: %v", got)
	}
}

// TestPlatform_BrowsingTapsAnsweredAtOnce: a tap on a screen-only button
// ("+1" on a product card) is answered as soon as it is stored, while the
// chat's earlier update is still being handled; a tap whose answer carries
// something (Put in cart: a toast) waits for its handler. Then both are
// handled in order, the screen ends on the latest state, and neither tap is
// answered twice.
func TestPlatform_BrowsingTapsAnsweredAtOnce(t *testing.T) {
	w := newWorld(t)
	w.product("TEA-1", "Green tea 100g", 450, 20)
	u := w.user(1105, "Tess", "en")
	w.say(u, "/start TEA-1", "Quantity: 1")
	answers := w.srv.Requests("answerCallbackQuery")

	gate := make(chan struct{})
	slowGate.Store(&gate)
	t.Cleanup(func() { slowGate.Store(nil) })
	opened := false
	open := func() {
		if !opened {
			opened = true
			close(gate)
		}
	}
	defer open()
	if _, err := w.srv.SendText(u, "/slow"); err != nil {
		t.Fatal(err)
	}
	press := func(label string) string {
		id, err := w.srv.PressButton(u, label)
		if err != nil {
			t.Fatalf("press %q: %v", label, err)
		}
		upd, _ := w.srv.Update(id)
		return upd.CallbackQuery.ID
	}
	plus, add := press("+1"), press("➕ Put 1 in cart") // the card still shows 1: the +1 is not handled yet
	ctx, cancel := context.WithTimeout(w.ctx(), 5*time.Second)
	defer cancel()
	if ans, err := w.srv.WaitCallbackAnswer(ctx, plus); err != nil || ans.Text != "" {
		t.Fatalf("+1 while the chat is busy: answered %+v, %v; want an empty answer at once", ans, err)
	}
	if _, ok := w.srv.CallbackAnswer(add); ok {
		t.Fatal("Put in cart was answered before its handler ran: its toast would be lost")
	}
	if got := w.last(u); !strings.Contains(got, "Quantity: 1") {
		t.Fatalf("the card changed while the chat was busy: %s", got)
	}
	cur := w.srv.Cursor()
	open()
	w.await(cur, u, "done slowly")
	ans, err := w.srv.WaitCallbackAnswer(w.ctx(), add)
	if err != nil || !strings.Contains(ans.Text, "Green tea 100g") {
		t.Fatalf("Put in cart answered %+v, %v; want its toast", ans, err)
	}
	w.await(cur, u, "Your cart") // the latest state: the +1's edit of the card may have been replaced by it
	if n := w.srv.Requests("answerCallbackQuery") - answers; n != 2 {
		t.Fatalf("%d answerCallbackQuery calls for 2 taps: a tap answered at once was answered again", n)
	}
}
