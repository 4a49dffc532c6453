package postgres_test

import (
	"context"
	"encoding/json"
	"errors"
	"testing"

	"github.com/orderbot/orderbot/core"
	"github.com/orderbot/orderbot/storage/postgres"
)

// starsPaid pays inv in full in Stars as a and returns the payment.
func (s *shop) starsPaid(inv *core.Invoice, a core.Actor, charge string) *core.Payment {
	s.t.Helper()
	cp := chatPay(inv, a, charge, inv.Amount)
	cp.Method, cp.Currency, cp.Total, cp.ProviderID = core.PayStars, "XTR", 14, ""
	p, _, err := s.orders.RecordChatPayment(ctx(), a, cp)
	if err != nil {
		s.t.Fatal(err)
	}
	return p
}

// grown adds a line to the order of inv after it was paid: the order is
// in progress again (partly paid), so that it may be cancelled.
func (s *shop) grown(inv *core.Invoice) {
	s.t.Helper()
	o := must[*core.Order](s.t)(s.db.Order(ctx(), inv.OrderID))
	lines := []core.OrderLineInput{{ProductID: o.Lines[0].ProductID, Qty: o.Lines[0].Qty}, line(s.product("JAR", 300, 5), 1)}
	o, _, err := s.orders.Edit(ctx(), manager, o.ID, o.Version, core.OrderEdit{Lines: lines})
	if err != nil {
		s.t.Fatal(err)
	}
	if o.Status != core.StatusInProgress {
		s.t.Fatalf("order grown after payment is %s", o.Status)
	}
}

// queuedRefunds lists the Stars refunds in the outbox.
func (s *shop) queuedRefunds() []core.Notice {
	s.t.Helper()
	rows, err := s.db.Pool().Query(ctx(), `SELECT key, chat_id, payload FROM outbox WHERE kind = $1 ORDER BY id`, string(core.NoticeStarsRefund))
	if err != nil {
		s.t.Fatal(err)
	}
	defer rows.Close()
	var out []core.Notice
	for rows.Next() {
		var n core.Notice
		if err := rows.Scan(&n.Key, &n.ChatID, &n.Payload); err != nil {
			s.t.Fatal(err)
		}
		out = append(out, n)
	}
	if err := rows.Err(); err != nil {
		s.t.Fatal(err)
	}
	return out
}

// failingStore is the database whose transactions fail right after they
// queue a Stars refund: whatever the transaction did must be undone with it.
type failingStore struct{ *postgres.DB }

type failingTx struct{ core.Tx }

var errInjected = errors.New("injected failure")

func (f failingStore) InTx(ctx context.Context, fn func(ctx context.Context, tx core.Tx) error) error {
	return f.DB.InTx(ctx, func(ctx context.Context, tx core.Tx) error { return fn(ctx, failingTx{tx}) })
}

func (f failingTx) EnqueueNotices(ctx context.Context, ns []core.Notice) error {
	if err := f.Tx.EnqueueNotices(ctx, ns); err != nil {
		return err
	}
	for _, n := range ns {
		if n.Kind == core.NoticeStarsRefund {
			return errInjected
		}
	}
	return nil
}

// TestStarsRefundOnCancel_QueuedWithTheCancellation: the refund of a Stars
// payment is queued in the cancellation's transaction: when that
// transaction fails, neither the cancellation nor the refund is there;
// when it commits, both are, once.
func TestStarsRefundOnCancel_QueuedWithTheCancellation(t *testing.T) {
	s := newShop(t)
	inv, alice := s.chatInvoice()
	p := s.starsPaid(inv, alice, "stars-1")
	s.grown(inv)

	failing := core.NewOrders(core.Deps{Store: failingStore{s.db}, Currency: core.MustCurrency("USD"), Now: s.clock.Now})
	if _, err := failing.Cancel(ctx(), manager, inv.OrderID, 0, "out of stock"); !errors.Is(err, errInjected) {
		t.Fatalf("cancel with a failing transaction: %v", err)
	}
	if o := must[*core.Order](t)(s.db.Order(ctx(), inv.OrderID)); o.Status == core.StatusCancelled {
		t.Fatal("the order is cancelled although its transaction failed")
	}
	if got := must[*core.Invoice](t)(s.db.Invoice(ctx(), inv.ID)); got.Voided || got.Open() != 0 {
		t.Fatalf("invoice after the failed cancellation: %+v", got)
	}
	if ns := s.queuedRefunds(); len(ns) != 0 {
		t.Fatalf("refunds queued by a failed cancellation: %+v", ns)
	}

	if _, err := s.orders.Cancel(ctx(), manager, inv.OrderID, 0, "out of stock"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.orders.Cancel(ctx(), manager, inv.OrderID, 0, "out of stock"); err == nil {
		t.Fatal("an order cancelled twice")
	}
	ns := s.queuedRefunds()
	if len(ns) != 1 || ns[0].Key != core.StarsRefundKey(p.ID) || ns[0].ChatID != alice.UserID {
		t.Fatalf("refunds queued: %+v, want one for payment %d to %d", ns, p.ID, alice.UserID)
	}
	var payload core.StarsRefundNotice
	if err := json.Unmarshal(ns[0].Payload, &payload); err != nil || payload.PaymentID != p.ID || payload.OrderID != inv.OrderID ||
		payload.CustomerID != alice.CustomerID || payload.Order != inv.OrderNumber {
		t.Fatalf("refund payload %+v, %v", payload, err)
	}
}

// TestStarsRefundOnCancel_Worked: the queued refund asks Telegram once,
// records the refund and reverses the payment; worked again, it asks
// nothing and changes nothing.
func TestStarsRefundOnCancel_Worked(t *testing.T) {
	s := newShop(t)
	inv, alice := s.chatInvoice()
	p := s.starsPaid(inv, alice, "stars-1")
	s.grown(inv)
	if _, err := s.orders.Cancel(ctx(), manager, inv.OrderID, 0, "out of stock"); err != nil {
		t.Fatal(err)
	}
	calls := 0
	refund := func(_ context.Context, cp *core.ChatPayment) error {
		calls++
		if cp.ChargeID != "stars-1" || cp.UserID != alice.UserID || cp.Total != 14 {
			t.Errorf("refund of %+v", cp)
		}
		return nil
	}
	cp, before, err := s.orders.RefundCancelledStars(ctx(), p.ID, refund)
	if err != nil || before || !cp.Refunded || cp.Total != 14 {
		t.Fatalf("refund: %+v, before %v, %v", cp, before, err)
	}
	if _, before, err := s.orders.RefundCancelledStars(ctx(), p.ID, refund); err != nil || !before {
		t.Fatalf("refund worked again: before %v, %v", before, err)
	}
	if calls != 1 {
		t.Fatalf("Telegram asked %d times, want once", calls)
	}
	ps := must[[]core.Payment](t)(s.db.Payments(ctx(), alice.CustomerID))
	if len(ps) != 1 || !ps[0].Reversed {
		t.Fatalf("payments after the refund: %+v", ps)
	}
	if b := s.balance(&core.Customer{ID: alice.CustomerID}); b.Debt != 0 || b.Paid != 0 {
		t.Fatalf("balance after the refund: %+v", b)
	}
}

// TestStarsRefundOnCancel_ClosedUnshipped: a paid order is not cancelled
// but closed early; a Stars payment the close leaves unused is refunded
// the same way, and a close of an order shipped and paid refunds nothing.
func TestStarsRefundOnCancel_ClosedUnshipped(t *testing.T) {
	s := newShop(t)
	inv, alice := s.chatInvoice()
	p := s.starsPaid(inv, alice, "stars-1")
	if _, err := s.orders.Cancel(ctx(), manager, inv.OrderID, 0, "changed their mind"); !errors.Is(err, core.ErrConflict) {
		t.Fatalf("cancel of a paid order: %v", err)
	}
	if _, err := s.orders.Close(ctx(), manager, inv.OrderID, 0, "changed their mind"); err != nil {
		t.Fatal(err)
	}
	if ns := s.queuedRefunds(); len(ns) != 1 || ns[0].Key != core.StarsRefundKey(p.ID) {
		t.Fatalf("refunds queued: %+v", ns)
	}

	shipped, bob := s.chatInvoice()
	s.starsPaid(shipped, bob, "stars-2")
	if _, _, err := s.orders.Ship(ctx(), manager, shipped.OrderID, 0, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := s.orders.Close(ctx(), manager, shipped.OrderID, 0, "done"); err != nil {
		t.Fatal(err)
	}
	if ns := s.queuedRefunds(); len(ns) != 1 {
		t.Fatalf("refunds queued after closing an order shipped and paid: %+v", ns)
	}
	for _, e := range must[[]core.Event](t)(s.db.Events(ctx(), shipped.OrderID)) {
		if e.Action == core.ActNote {
			t.Fatalf("a note on an order shipped and paid: %+v", e)
		}
	}
}

// TestStarsRefundOnCancel_NotQueued: a Stars payment partly used by another
// invoice, a payment through a provider, and any payment when the shop
// keeps Stars as credit, are not refunded.
func TestStarsRefundOnCancel_NotQueued(t *testing.T) {
	t.Run("partly used", func(t *testing.T) {
		s := newShop(t)
		inv, alice := s.chatInvoice()
		p := s.starsPaid(inv, alice, "stars-1")
		s.grown(inv)
		other := s.place(&core.Customer{ID: alice.CustomerID}, true, core.OrderLineInput{ProductID: s.product("MUG", 200, 5).ID, Qty: 1})
		if _, _, err := s.orders.IssueInvoice(ctx(), manager, other.ID, other.Version, core.BillOrdered); err != nil {
			t.Fatal(err)
		}
		if _, err := s.orders.Cancel(ctx(), manager, inv.OrderID, 0, "out of stock"); err != nil {
			t.Fatal(err)
		}
		if ns := s.queuedRefunds(); len(ns) != 0 {
			t.Fatalf("refunds queued: %+v", ns)
		}
		noted := false
		for _, e := range must[[]core.Event](t)(s.db.Events(ctx(), inv.OrderID)) {
			noted = noted || e.Action == core.ActNote && e.Ref == core.StarsKeptRef(p.ID)
		}
		if !noted {
			t.Fatal("the order's trail does not say the Stars payment was kept")
		}
		if _, _, err := s.orders.RefundCancelledStars(ctx(), p.ID, func(context.Context, *core.ChatPayment) error {
			t.Error("Telegram asked to refund a payment in use")
			return nil
		}); !errors.Is(err, core.ErrStarsInUse) {
			t.Fatalf("refund of a payment in use: %v", err)
		}
	})
	t.Run("provider", func(t *testing.T) {
		s := newShop(t)
		inv, alice := s.chatInvoice()
		if _, _, err := s.orders.RecordChatPayment(ctx(), alice, chatPay(inv, alice, "ch-1", inv.Amount)); err != nil {
			t.Fatal(err)
		}
		s.grown(inv)
		if _, err := s.orders.Cancel(ctx(), manager, inv.OrderID, 0, "out of stock"); err != nil {
			t.Fatal(err)
		}
		if ns := s.queuedRefunds(); len(ns) != 0 {
			t.Fatalf("refunds queued: %+v", ns)
		}
	})
	t.Run("setting off", func(t *testing.T) {
		s := newShop(t)
		s.orders = core.NewOrders(core.Deps{Store: s.db, Currency: core.MustCurrency("USD"), Now: s.clock.Now, KeepStarsOnCancel: true})
		inv, alice := s.chatInvoice()
		s.starsPaid(inv, alice, "stars-1")
		s.grown(inv)
		if _, err := s.orders.Cancel(ctx(), manager, inv.OrderID, 0, "out of stock"); err != nil {
			t.Fatal(err)
		}
		if ns := s.queuedRefunds(); len(ns) != 0 {
			t.Fatalf("refunds queued: %+v", ns)
		}
	})
}
