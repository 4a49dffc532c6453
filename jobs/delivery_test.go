package jobs_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/orderbot/orderbot/core"
)

// busyShop gives n customers on Telegram an order each, shipped, invoiced and
// paid: three notices per customer, in that order, plus staff cards.
func busyShop(s *shop, n int) []int64 {
	s.t.Helper()
	tea := s.product("TEA", "Green tea", 450, 10_000)
	var chats []int64
	for i := range n {
		chat := int64(3000 + i)
		c := s.customer(fmt.Sprintf("Customer %d", i), chat, 7)
		inv := s.invoiced(c, tea, 2)
		if _, err := s.orders.RecordPayment(ctx(), staffActor, core.PaymentInput{CustomerID: c.ID, Amount: inv.Amount, Method: core.PayBank}); err != nil {
			s.t.Fatal(err)
		}
		chats = append(chats, chat)
	}
	return chats
}

// checkCustomerNotices: each customer got each notice once, in event order.
func checkCustomerNotices(t *testing.T, s *shop, chats []int64) {
	t.Helper()
	want := []string{"placed order", "Shipped for your order", "Delivery receipt S-", "invoice for your order", "Invoice INV-",
		"Payment received", "Receipt P-"}
	for _, chat := range chats {
		msgs := s.srv.BotMessages(chat)
		if len(msgs) != len(want) {
			t.Fatalf("chat %d got %d messages, want %d:\n%s", chat, len(msgs), len(want), s.transcript(chat))
		}
		for i, m := range msgs {
			if !strings.Contains(m.PlainText+m.PlainCaption, want[i]) {
				t.Fatalf("chat %d message %d: %q, want %q (order kept per chat)", chat, i, m.PlainText, want[i])
			}
		}
	}
}

// TestDelivery_TooManyRequestsStorm: Telegram answers 429 to a run of sends;
// the sender waits retry_after, and in the end every notice is delivered
// once, in order per chat, and every staff card says the order is paid
// (shipped and paid: closed only days later).
func TestDelivery_TooManyRequestsStorm(t *testing.T) {
	s := newShop(t)
	chats := busyShop(s, 6)
	s.srv.FailNext("sendMessage", 12, http.StatusTooManyRequests, "", 1)
	s.srv.FailNext("editMessageText", 6, http.StatusTooManyRequests, "", 1)
	s.srv.FailNext("sendMessage", 3, http.StatusBadGateway, "", 0)
	s.runDelivery()
	s.settle(time.Minute)
	checkCustomerNotices(t, s, chats)
	if s.srv.TooManyRequestsSent() < 18 {
		t.Fatalf("only %d 429s were sent: the storm did not happen", s.srv.TooManyRequestsSent())
	}
	for _, staff := range []int64{ownerID, managerID} {
		cards := s.srv.BotMessages(staff)
		if len(cards) != len(chats) {
			t.Fatalf("staff %d got %d cards, want %d", staff, len(cards), len(chats))
		}
		for _, c := range cards {
			if !strings.Contains(c.PlainText, "now paid") {
				t.Errorf("card not brought up to date: %q", c.PlainText)
			}
		}
	}
	if c := s.counts(); c[core.Sent] == 0 || c[core.Failed] != 0 || c[core.Dropped] != 0 {
		t.Fatalf("outbox: %v", c)
	}
}

// TestDelivery_EnforcedLimits: against Telegram's own limits (1/s per chat,
// 30/s overall), a burst to many chats and several to one all arrive, in
// order, once.
func TestDelivery_EnforcedLimits(t *testing.T) {
	s := newShop(t, withLimits(defaultLimits()))
	s.srv.EnforceLimits(1, 30, 3)
	chats := busyShop(s, 3)
	start := time.Now()
	s.runDelivery()
	s.settle(2 * time.Minute)
	checkCustomerNotices(t, s, chats)
	t.Logf("%d messages in %v, %d answered 429", s.srv.Sent(), time.Since(start).Round(time.Millisecond), s.srv.TooManyRequestsSent())
}

// TestDelivery_CrashBetweenCommitAndSend: changes committed while no sender
// ran, and a notice claimed by a sender that died before sending, are all
// delivered after a restart, once.
func TestDelivery_CrashBetweenCommitAndSend(t *testing.T) {
	s := newShop(t)
	alice := s.customer("Alice", 1001, 7)
	tea := s.product("TEA", "Green tea", 450, 100)
	o := s.order(alice, nil, core.OrderLineInput{ProductID: tea.ID, Qty: 1})
	if _, err := s.delivery.FanOut(ctx()); err != nil {
		t.Fatal(err)
	}
	dead, err := s.db.ClaimLane(ctx(), s.clock.Now(), 30*time.Second, "dead-sender")
	if err != nil || dead == nil {
		t.Fatalf("claim: %+v %v", dead, err)
	}
	deadNotices, err := s.db.LaneNotices(ctx(), dead, s.clock.Now(), 10)
	if err != nil || len(deadNotices) != 1 || deadNotices[0].Kind != core.NoticeOrderCard {
		t.Fatalf("the dead sender's lane: %+v %v", deadNotices, err)
	}
	if _, _, err := s.orders.Ship(ctx(), staffActor, o.ID, o.Version, nil); err != nil {
		t.Fatal(err)
	}
	// the process dies here: the shipment is committed, nothing was sent

	s.restart()
	s.drain()
	got := s.srv.BotMessages(alice.TelegramID)
	if len(got) != 3 || !strings.Contains(got[0].PlainText, "placed order "+o.Number) || !strings.Contains(got[1].PlainText, "Shipped for your order") ||
		!strings.Contains(got[2].PlainCaption, "Delivery receipt") {
		t.Fatalf("after restart Alice got %q", s.transcript(alice.TelegramID))
	}
	if n := len(s.srv.BotMessages(dead.ChatID)); n != 0 {
		t.Fatalf("a notice held by a live claim was sent by someone else (%d messages)", n)
	}
	s.clock.Advance(30*time.Second + time.Second) // the dead claim's lease runs out
	s.drain()
	s.drain()
	for _, staff := range []int64{ownerID, managerID} {
		if cards := s.srv.BotMessages(staff); len(cards) != 1 {
			t.Fatalf("staff %d: %d cards after the dead claim expired:\n%s", staff, len(cards), s.transcript(staff))
		}
	}
	if c := s.counts(); c[core.Pending] != 0 {
		t.Fatalf("outbox: %v", c)
	}
	if ok, err := s.db.Finish(ctx(), dead, deadNotices[0].ID, core.Outcome{State: core.Sent}, s.clock.Now()); ok || err != nil {
		t.Fatalf("the dead sender's late report was taken: %v %v", ok, err)
	}
}

// TestDelivery_BlockedChat: a customer who blocked the bot gets nothing; the
// chat is marked and later notices are dropped without calling Telegram.
func TestDelivery_BlockedChat(t *testing.T) {
	s := newShop(t)
	alice := s.customer("Alice", 1001, 7)
	tea := s.product("TEA", "Green tea", 450, 100)
	o := s.order(alice, nil, core.OrderLineInput{ProductID: tea.ID, Qty: 2})
	s.drain()
	if _, err := s.srv.BlockBot(alice.TelegramID); err != nil {
		t.Fatal(err)
	}
	_, o, err := s.orders.Ship(ctx(), staffActor, o.ID, o.Version, []core.QtyLine{{ProductID: tea.ID, Qty: 1}})
	if err != nil {
		t.Fatal(err)
	}
	s.drain()
	calls := s.srv.Requests("sendMessage")
	if _, _, err := s.orders.Ship(ctx(), staffActor, o.ID, o.Version, nil); err != nil {
		t.Fatal(err)
	}
	s.drain()
	if got := s.srv.Requests("sendMessage"); got != calls {
		t.Fatalf("%d more sendMessage calls to a blocked chat", got-calls)
	}
	if c := s.counts(); c[core.Dropped] != 4 || c[core.Pending] != 0 { // two shipments: a notice and a receipt each
		t.Fatalf("outbox: %v", c)
	}
}
