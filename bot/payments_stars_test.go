package bot

import (
	"fmt"
	"strings"
	"testing"

	"github.com/orderbot/orderbot/core"
)

func TestPayments_Validate(t *testing.T) {
	if err := (Payments{Stars: true}).Validate(); err == nil || !strings.Contains(err.Error(), "PAYMENT_STARS_RATE") {
		t.Fatalf("Stars without a rate: %v", err)
	}
	for _, p := range []Payments{{}, {ProviderToken: "x"}, {Stars: true, StarsRate: 1}} {
		if err := p.Validate(); err != nil {
			t.Errorf("%+v: %v", p, err)
		}
	}
}

func TestPayments_Charge(t *testing.T) {
	usd := core.MustCurrency("USD")
	for _, c := range []struct {
		p         Payments
		amount    core.Money
		cur       string
		wantTotal int64
	}{
		{Payments{ProviderToken: "x"}, 1350, "USD", 1350},
		{Payments{Stars: true, StarsRate: 100}, 1350, "XTR", 14}, // a part of a Star is a whole Star
		{Payments{Stars: true, StarsRate: 100}, 1300, "XTR", 13},
		{Payments{Stars: true, StarsRate: 2}, 1, "XTR", 1},
	} {
		cur, total := c.p.charge(usd, c.amount)
		if cur != c.cur || total != c.wantTotal {
			t.Errorf("%+v of %d = %s %d, want %s %d", c.p, c.amount, cur, total, c.cur, c.wantTotal)
		}
	}
}

func TestPayments_Payload(t *testing.T) {
	if id, amount, ok := parsePayPayload(payPayload(42, 1350)); !ok || id != 42 || amount != 1350 {
		t.Fatalf("round trip = %d %d %v", id, amount, ok)
	}
	for _, bad := range []string{"", "inv:1", "inv:1:2:3", "inv:x:2", "inv:1:-2", "inv:0:5", "order:1:2", "inv:1:99999999999999999999"} {
		if _, _, ok := parsePayPayload(bad); ok {
			t.Errorf("%q accepted", bad)
		}
	}
}

func TestPayInChat_StarsPaidAndRefundedOnce(t *testing.T) {
	w := newWorld(t, withPayments(Payments{Stars: true, StarsRate: 100}))
	w.startStaff()
	p := w.product("TEA-1", "Green tea 100g", 450, 20)
	alice := w.customer(1711, "Alice", "en")
	inv, msg := w.invoiced(alice, p, 3)
	if msg.Invoice.Currency != "XTR" || msg.Invoice.Total != 14 || msg.Invoice.ProviderToken != "" {
		t.Fatalf("Stars invoice = %+v, want 14 XTR without a provider", msg.Invoice)
	}
	cur := w.srv.Cursor()
	res := w.pay(alice.TelegramID, msg, true)
	w.awaitDoc(cur, alice.TelegramID, "13.50")
	ps := w.chatPayments(alice)
	if len(ps) != 1 || ps[0].Method != core.PayStars || ps[0].Amount != 1350 {
		t.Fatalf("payments = %+v", ps)
	}

	card, _ := w.srv.LastBotMessage(managerID)
	refund := func(want string) {
		t.Helper()
		id, err := w.srv.PressData(managerID, card.ID, fmt.Sprintf("%s:%d", verbStarRefund, ps[0].ID))
		if err != nil {
			t.Fatal(err)
		}
		if ans := w.answerOf(id); !strings.Contains(ans.Text, want) {
			t.Fatalf("refund answered %q, want %q", ans.Text, want)
		}
	}
	cur = w.srv.Cursor()
	refund("refunded: 14 ⭐")
	w.await(cur, alice.TelegramID, "14 ⭐ of payment P-")
	refund("already refunded")
	if n := w.srv.StarRefunds(); n != 1 || !w.srv.Charges()[0].Refunded || w.srv.Charges()[0].ChargeID != res.Charge.ChargeID {
		t.Fatalf("refunds = %d, charges %+v", n, w.srv.Charges())
	}
	if ps := w.chatPayments(alice); len(ps) != 1 || !ps[0].Reversed {
		t.Fatalf("payment after the refund = %+v, want reversed", ps)
	}
	if got := w.lastInvoice(inv.OrderID); got.Open() != 1350 {
		t.Fatalf("invoice open %d after the refund, want 1350", got.Open())
	}

	w.settle(alice.TelegramID) // a customer forging the staff button
	last, _ := w.srv.LastBotMessage(alice.TelegramID)
	forged, err := w.srv.PressData(alice.TelegramID, last.ID, fmt.Sprintf("%s:%d", verbStarRefund, ps[0].ID))
	if err != nil {
		t.Fatal(err)
	}
	w.answerOf(forged)
	if n := w.srv.StarRefunds(); n != 1 {
		t.Fatalf("refunds = %d after a customer's forged press", n)
	}
}

func TestPayInChat_OrderCardPayButton(t *testing.T) {
	w := newWorld(t, withPayments(testProvider))
	p := w.product("TEA-1", "Green tea 100g", 450, 20)
	alice := w.customer(1712, "Alice", "en")
	inv, _ := w.invoiced(alice, p, 2)
	w.say(alice.TelegramID, "/orders", inv.OrderNumber)
	w.press(alice.TelegramID, inv.OrderNumber+" · in progress", inv.Number)
	cur := w.srv.Cursor()
	w.press(alice.TelegramID, "💳 Pay 9.00 USD", "")
	w.awaitPayInvoice(cur, alice.TelegramID, inv)
}
