package postgres_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/orderbot/orderbot/core"
)

// chatInvoice gives a customer an invoice of 3 × 4.50 and returns it with
// the customer as the actor who pays in chat.
func (s *shop) chatInvoice() (*core.Invoice, core.Actor) {
	s.t.Helper()
	p := s.product("TEA", 450, 10)
	c := s.customer("Alice", 0)
	o := s.place(c, true, core.OrderLineInput{ProductID: p.ID, Qty: 3})
	inv, _, err := s.orders.IssueInvoice(ctx(), manager, o.ID, o.Version, core.BillOrdered)
	if err != nil {
		s.t.Fatal(err)
	}
	return inv, core.Actor{Role: core.RoleCustomer, UserID: 5000000001, CustomerID: c.ID, Name: "Alice"}
}

func chatPay(inv *core.Invoice, a core.Actor, charge string, amount core.Money) core.ChatPayment {
	return core.ChatPayment{InvoiceID: inv.ID, Amount: amount, Method: core.PayTelegram, ChargeID: charge,
		ProviderID: "prov-" + charge, UserID: a.UserID, Currency: "USD", Total: int64(amount)}
}

// TestChatPayments_OncePerCharge: the same charge recorded by many at once
// is one payment; the receipt is queued once.
func TestChatPayments_OncePerCharge(t *testing.T) {
	s := newShop(t)
	inv, alice := s.chatInvoice()
	var wg sync.WaitGroup
	var mu sync.Mutex
	firsts, ids := 0, map[int64]bool{}
	for range 8 {
		wg.Go(func() {
			p, repeated, err := s.orders.RecordChatPayment(ctx(), alice, chatPay(inv, alice, "ch-1", 1350))
			if err != nil {
				t.Error(err)
				return
			}
			mu.Lock()
			defer mu.Unlock()
			ids[p.ID] = true
			if !repeated {
				firsts++
			}
		})
	}
	wg.Wait()
	if firsts != 1 || len(ids) != 1 {
		t.Fatalf("first records %d, payment ids %v; want one payment", firsts, ids)
	}
	ps, err := s.db.Payments(ctx(), alice.CustomerID)
	if err != nil || len(ps) != 1 || ps[0].Method != core.PayTelegram || ps[0].Reference != "ch-1" || ps[0].Amount != 1350 {
		t.Fatalf("payments = %+v, %v", ps, err)
	}
	var receipts int
	if err := s.db.Pool().QueryRow(ctx(), `SELECT count(*) FROM outbox WHERE key = $1`, fmt.Sprintf("payment:%d:receipt", ps[0].ID)).Scan(&receipts); err != nil || receipts != 1 {
		t.Fatalf("receipts queued: %d, %v", receipts, err)
	}
	if got, err := s.db.Invoice(ctx(), inv.ID); err != nil || got.Open() != 0 {
		t.Fatalf("invoice after the payment: %+v, %v", got, err)
	}
}

// TestChatPayments_Check: the answer before a charge.
func TestChatPayments_Check(t *testing.T) {
	s := newShop(t)
	inv, alice := s.chatInvoice()
	bob := core.Actor{Role: core.RoleCustomer, UserID: 5000000002, CustomerID: s.customer("Bob", 0).ID}
	for _, c := range []struct {
		name   string
		a      core.Actor
		amount core.Money
		want   error
	}{
		{"all that is due", alice, 1350, nil},
		{"a part", alice, 100, nil},
		{"more than is due", alice, 1351, core.ErrChatPayChanged},
		{"another customer's", bob, 1350, core.ErrNoSuchInvoice},
		{"staff", manager, 1350, core.ErrNoSuchInvoice},
	} {
		if _, err := s.orders.CheckChatPayment(ctx(), c.a, inv.ID, c.amount); !errors.Is(err, c.want) && (c.want != nil || err != nil) {
			t.Errorf("%s: %v, want %v", c.name, err, c.want)
		}
	}
	if _, _, err := s.orders.RecordChatPayment(ctx(), alice, chatPay(inv, alice, "ch-2", 1350)); err != nil {
		t.Fatal(err)
	}
	if _, err := s.orders.CheckChatPayment(ctx(), alice, inv.ID, 1350); !errors.Is(err, core.ErrChatPayPaid) {
		t.Errorf("paid: %v", err)
	}
	if _, err := s.orders.VoidInvoice(ctx(), manager, inv.ID, "wrong"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.orders.CheckChatPayment(ctx(), alice, inv.ID, 1350); !errors.Is(err, core.ErrChatPayVoid) {
		t.Errorf("void: %v", err)
	}
	if _, _, err := s.orders.RecordChatPayment(ctx(), bob, chatPay(inv, bob, "ch-3", 1350)); !errors.Is(err, core.ErrNoSuchInvoice) {
		t.Errorf("another customer records a payment of alice's invoice: %v", err)
	}
	// Charged after the invoice was voided (between the check and the
	// charge): Telegram has the money, so it is recorded, as credit.
	if p, repeated, err := s.orders.RecordChatPayment(ctx(), alice, chatPay(inv, alice, "ch-4", 500)); err != nil || repeated || p.Amount != 500 {
		t.Fatalf("a charge after the void: %+v %v %v", p, repeated, err)
	}
	if led, err := s.orders.Ledger(ctx(), manager, alice.CustomerID); err != nil || led.Balance.Debt != -1850 {
		t.Fatalf("after a void invoice and 18.50 paid the customer should have 18.50 credit: %+v %v", led.Balance, err)
	}
}

// TestChatPayments_StarsRefundOnce: a Stars payment is refunded and
// reversed once; a payment in money is not refunded in Stars.
func TestChatPayments_StarsRefundOnce(t *testing.T) {
	s := newShop(t)
	inv, alice := s.chatInvoice()
	cp := chatPay(inv, alice, "stars-1", 1350)
	cp.Method, cp.Currency, cp.Total, cp.ProviderID = core.PayStars, "XTR", 14, ""
	p, _, err := s.orders.RecordChatPayment(ctx(), alice, cp)
	if err != nil {
		t.Fatal(err)
	}
	calls := 0
	refund := func(_ context.Context, got *core.ChatPayment) error {
		calls++
		if got.ChargeID != "stars-1" || got.UserID != alice.UserID || got.Total != 14 {
			t.Errorf("refund of %+v", got)
		}
		return nil
	}
	if _, err := s.orders.RefundStars(ctx(), alice, p.ID, refund); !errors.Is(err, core.ErrForbidden) {
		t.Fatalf("the customer refunds: %v", err)
	}
	if _, err := s.orders.RefundStars(ctx(), manager, p.ID, refund); err != nil {
		t.Fatal(err)
	}
	if _, err := s.orders.RefundStars(ctx(), manager, p.ID, refund); !errors.Is(err, core.ErrStarsRefunded) {
		t.Fatalf("second refund: %v", err)
	}
	if calls != 1 {
		t.Fatalf("Telegram asked %d times, want once", calls)
	}
	ps, _ := s.db.Payments(ctx(), alice.CustomerID)
	if len(ps) != 1 || !ps[0].Reversed {
		t.Fatalf("payments after the refund: %+v", ps)
	}
	money, _, err := s.orders.RecordChatPayment(ctx(), alice, chatPay(inv, alice, "ch-9", 100))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.orders.RefundStars(ctx(), manager, money.ID, refund); !errors.Is(err, core.ErrNotStarsPayment) {
		t.Fatalf("refund in Stars of a payment in money: %v", err)
	}
}
