package bot

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/orderbot/orderbot/core"
)

// withStarsKept keeps the Stars payments of cancelled orders as credit
// (PAYMENT_STARS_REFUND_ON_CANCEL=false).
func withStarsKept() worldOpt { return func(c *worldConfig) { c.keepStars = true } }

var testStars = Payments{Stars: true, StarsRate: 100}

// paidThenGrown has the customer pay 3 × 4.50 in chat, then staff add a jar
// of honey to the order: it is in progress again (partly paid), so staff
// may cancel it. It returns the invoice paid and the payment.
func (w *world) paidThenGrown(c *core.Customer) (*core.Invoice, core.Payment) {
	w.t.Helper()
	tea := w.product("TEA-1", "Green tea 100g", 450, 20)
	jar := w.product("JAR-1", "Honey jar", 300, 5)
	inv, msg := w.invoiced(c, tea, 3)
	cur := w.srv.Cursor()
	w.pay(c.TelegramID, msg, true)
	w.awaitDoc(cur, c.TelegramID, "13.50")
	ps := w.chatPayments(c)
	if len(ps) != 1 || ps[0].Amount != 1350 {
		w.t.Fatalf("payments = %+v", ps)
	}
	o := w.order(inv.OrderID)
	o, _, err := w.svc.Orders.Edit(context.Background(), core.System, o.ID, o.Version, core.OrderEdit{
		Lines: []core.OrderLineInput{{ProductID: tea.ID, Qty: 3}, {ProductID: jar.ID, Qty: 1}}})
	if err != nil {
		w.t.Fatal(err)
	}
	if o.Status != core.StatusInProgress {
		w.t.Fatalf("order grown after its payment is %s", o.Status)
	}
	return inv, ps[0]
}

// staffEnd cancels (or closes) an order from its card as a manager.
func (w *world) staffEnd(orderNumber, button, verb, reason string) {
	w.t.Helper()
	w.say(managerID, "/order "+orderNumber, "History of order "+orderNumber)
	w.press(managerID, button, "Why "+verb+" order "+orderNumber)
	w.say(managerID, reason, reason)
}

// refundDelivered delivers the refund of a payment as the outbox does.
func (w *world) refundDelivered(chat int64, p core.StarsRefundNotice) error {
	w.t.Helper()
	b, err := json.Marshal(p)
	if err != nil {
		w.t.Fatal(err)
	}
	return w.bot.Deliver(w.ctx(), core.Notice{Key: core.StarsRefundKey(p.PaymentID), ChatID: chat,
		Kind: core.NoticeStarsRefund, Prio: core.PrioNotice, Payload: b})
}

func (w *world) balanceOf(c *core.Customer) core.Balance {
	w.t.Helper()
	bs, err := w.svc.Orders.Balances(context.Background(), core.System, c.ID)
	if err != nil || len(bs) != 1 {
		w.t.Fatalf("balance of %s: %+v, %v", c.Name, bs, err)
	}
	return bs[0]
}

// refundsOf counts the star refunds recorded for a payment.
func (w *world) refundsOf(paymentID int64) int {
	w.t.Helper()
	var n int
	if err := w.db.Pool().QueryRow(context.Background(), `SELECT count(*) FROM star_refunds WHERE payment_id = $1`, paymentID).Scan(&n); err != nil {
		w.t.Fatal(err)
	}
	return n
}

// TestStarsRefundOnCancel_StaffCancel: staff cancel an order paid in
// Stars; Telegram refunds the charge once, the payment is reversed, the
// customer owes and holds nothing and is told; the refund delivered again
// refunds nothing more.
func TestStarsRefundOnCancel_StaffCancel(t *testing.T) {
	w := newWorld(t, withPayments(testStars))
	w.startStaff()
	alice := w.customer(1721, "Alice", "en")
	inv, pay := w.paidThenGrown(alice)

	cur := w.srv.Cursor()
	w.staffEnd(inv.OrderNumber, "✖ Cancel order", "cancel", "Out of stock for good")
	told := w.await(cur, alice.TelegramID, "14 ⭐ for order "+inv.OrderNumber+" were refunded")
	w.await(cur, alice.TelegramID, "is cancelled")
	if n := w.srv.StarRefunds(); n != 1 || !w.srv.Charges()[0].Refunded {
		t.Fatalf("refunds = %d, charges %+v", n, w.srv.Charges())
	}
	if ps := w.chatPayments(alice); len(ps) != 1 || !ps[0].Reversed {
		t.Fatalf("payments after the refund = %+v, want reversed", ps)
	}
	if b := w.balanceOf(alice); b.Debt != 0 || b.Paid != 0 {
		t.Fatalf("balance after the refund: debt %d, paid %d; want 0", b.Debt, b.Paid)
	}

	again := core.StarsRefundNotice{PaymentID: pay.ID, OrderID: inv.OrderID, Order: inv.OrderNumber, CustomerID: alice.ID}
	for range 2 {
		if err := w.refundDelivered(alice.TelegramID, again); err != nil {
			t.Fatalf("refund delivered again: %v", err)
		}
	}
	if n := w.srv.StarRefunds(); n != 1 {
		t.Fatalf("refunds = %d after the refund was delivered again", n)
	}
	if n := w.refundsOf(pay.ID); n != 1 {
		t.Fatalf("refunds recorded = %d", n)
	}
	if ps := w.chatPayments(alice); len(ps) != 1 || !ps[0].Reversed {
		t.Fatalf("payments = %+v", ps)
	}
	if !strings.HasPrefix(told.PlainText, "⭐ 14 ⭐") {
		t.Fatalf("the customer was told %q", told.PlainText)
	}
}

// TestStarsRefundOnCancel_AfterTelegramRefunded: Telegram refunded the
// charge but the refund was never recorded (the process died between the
// two); the worker finds the charge refunded, records it once and refunds
// nothing twice.
func TestStarsRefundOnCancel_AfterTelegramRefunded(t *testing.T) {
	w := newWorld(t, withPayments(testStars))
	w.startStaff()
	alice := w.customer(1722, "Alice", "en")
	inv, pay := w.paidThenGrown(alice)
	cp, err := w.svc.Orders.ChatPayment(context.Background(), core.System, pay.ID)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.bot.refundStars(w.ctx(), cp); err != nil {
		t.Fatal(err)
	}

	cur := w.srv.Cursor()
	if _, err := w.svc.Orders.Cancel(context.Background(), core.Actor{Role: core.RoleManager, UserID: managerID, Name: "Mia"},
		inv.OrderID, 0, "Out of stock for good"); err != nil {
		t.Fatal(err)
	}
	w.bot.wake()
	w.await(cur, alice.TelegramID, "14 ⭐ for order "+inv.OrderNumber+" were refunded")
	if n := w.srv.StarRefunds(); n != 1 {
		t.Fatalf("refunds = %d", n)
	}
	if ps := w.chatPayments(alice); len(ps) != 1 || !ps[0].Reversed || w.refundsOf(pay.ID) != 1 {
		t.Fatalf("payments = %+v, refunds recorded %d", ps, w.refundsOf(pay.ID))
	}
}

// TestStarsRefundOnCancel_ClosedPaidOrder: a paid order is closed early,
// not cancelled; the Stars it no longer uses go back the same way, and the
// customer is told in their language.
func TestStarsRefundOnCancel_ClosedPaidOrder(t *testing.T) {
	w := newWorld(t, withPayments(testStars))
	w.startStaff()
	p := w.product("TEA-1", "Green tea 100g", 450, 20)
	ivan := w.customer(1723, "Ivan", "ru")
	inv, msg := w.invoiced(ivan, p, 3)
	cur := w.srv.Cursor()
	w.pay(ivan.TelegramID, msg, true)
	w.awaitDoc(cur, ivan.TelegramID, "13,50")

	cur = w.srv.Cursor()
	w.staffEnd(inv.OrderNumber, "🔒 Close", "close", "Customer changed their mind")
	w.await(cur, ivan.TelegramID, "14 ⭐ за заказ "+inv.OrderNumber+" возвращены вам")
	if n := w.srv.StarRefunds(); n != 1 {
		t.Fatalf("refunds = %d", n)
	}
	if b := w.balanceOf(ivan); b.Debt != 0 || b.Paid != 0 {
		t.Fatalf("balance after the refund: debt %d, paid %d; want 0", b.Debt, b.Paid)
	}
}

// TestStarsRefundOnCancel_NotRefunded: a Stars payment partly used by
// another invoice, a payment through a provider, and any payment when the
// shop keeps Stars as credit stay credit. The customer's cancellation
// notice comes after any refund queued with the cancellation (one chat's
// notices go in order), so once it is there nothing more is coming.
func TestStarsRefundOnCancel_NotRefunded(t *testing.T) {
	cancel := func(w *world, c *core.Customer, inv *core.Invoice) {
		t.Helper()
		cur := w.srv.Cursor()
		w.staffEnd(inv.OrderNumber, "✖ Cancel order", "cancel", "Out of stock for good")
		w.await(cur, c.TelegramID, "is cancelled")
	}
	kept := func(w *world, c *core.Customer, credit core.Money) {
		t.Helper()
		if n := w.srv.StarRefunds(); n != 0 {
			t.Fatalf("refunds = %d, want none", n)
		}
		ps := w.chatPayments(c)
		if len(ps) != 1 || ps[0].Reversed {
			t.Fatalf("payments = %+v, want one standing", ps)
		}
		if b := w.balanceOf(c); b.Debt != -credit {
			t.Fatalf("debt %d, want a credit of %d", b.Debt, credit)
		}
	}
	t.Run("partly used by another invoice", func(t *testing.T) {
		w := newWorld(t, withPayments(testStars))
		w.startStaff()
		alice := w.customer(1724, "Alice", "en")
		inv, pay := w.paidThenGrown(alice)
		other, _ := w.invoiced(alice, w.product("MUG-1", "Mug", 200, 5), 1)
		cancel(w, alice, inv)
		kept(w, alice, 1350-200)
		if got := w.lastInvoice(other.OrderID); got.Open() != 0 {
			t.Fatalf("the other invoice is open for %d, want paid by the Stars payment", got.Open())
		}
		told := w.await(fakeapiZero, managerID, fmt.Sprintf("payment P-%d in Stars (14 ⭐) was not refunded: 2.00", pay.ID))
		refund := fmt.Sprintf("⭐↩ Refund P-%d in Stars", pay.ID)
		if !hasButton(told, refund) {
			t.Fatalf("staff told %q without the refund button", told.PlainText)
		}
		cur := w.srv.Cursor()
		id, err := w.srv.PressButtonOn(managerID, told.ID, refund) // staff may refund it all the same
		if err != nil {
			t.Fatal(err)
		}
		if ans := w.answerOf(id); !strings.Contains(ans.Text, "refunded: 14 ⭐") {
			t.Fatalf("refund answered %q", ans.Text)
		}
		w.await(cur, alice.TelegramID, "14 ⭐ of payment P-")
		if n := w.srv.StarRefunds(); n != 1 {
			t.Fatalf("refunds = %d after staff refunded the payment kept", n)
		}
	})
	t.Run("provider", func(t *testing.T) {
		w := newWorld(t, withPayments(testProvider))
		w.startStaff()
		alice := w.customer(1725, "Alice", "en")
		inv, _ := w.paidThenGrown(alice)
		cancel(w, alice, inv)
		kept(w, alice, 1350)
	})
	t.Run("setting off", func(t *testing.T) {
		w := newWorld(t, withPayments(testStars), withStarsKept())
		w.startStaff()
		alice := w.customer(1726, "Alice", "en")
		inv, _ := w.paidThenGrown(alice)
		cancel(w, alice, inv)
		kept(w, alice, 1350)
	})
}

// TestStarsRefundOnCancel_CustomerBlockedTheBot: the customer paid in
// Stars, then blocked the bot; staff cancel the order. Messages to the chat
// are dropped, but the refund is not a message: Telegram refunds the charge
// once and the payment is reversed all the same.
func TestStarsRefundOnCancel_CustomerBlockedTheBot(t *testing.T) {
	w := newWorld(t, withPayments(testStars))
	w.startStaff()
	alice := w.customer(1725, "Alice", "en")
	inv, pay := w.paidThenGrown(alice)
	if _, err := w.srv.BlockBot(alice.TelegramID); err != nil {
		t.Fatal(err)
	}
	w.eventually("the block is noticed", func() bool {
		var n int
		err := w.db.Pool().QueryRow(context.Background(), `SELECT count(*) FROM blocked_chats WHERE chat_id = $1`, alice.TelegramID).Scan(&n)
		return err == nil && n == 1
	})
	w.staffEnd(inv.OrderNumber, "✖ Cancel order", "cancel", "Out of stock for good")
	w.eventually("the refund", func() bool { return w.refundsOf(pay.ID) == 1 })
	if n := w.srv.StarRefunds(); n != 1 {
		t.Fatalf("refunds = %d, want 1", n)
	}
	if ps := w.chatPayments(alice); len(ps) != 1 || !ps[0].Reversed {
		t.Fatalf("payments after the refund = %+v, want reversed", ps)
	}
	if b := w.balanceOf(alice); b.Debt != 0 || b.Paid != 0 {
		t.Fatalf("balance after the refund: debt %d, paid %d; want 0", b.Debt, b.Paid)
	}
}

// eventually waits up to 20 s for cond, failing the test with what.
func (w *world) eventually(what string, cond func() bool) {
	w.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			w.t.Fatalf("waiting for %s: timed out", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
