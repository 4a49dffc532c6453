package postgres_test

import (
	"errors"
	"testing"
	"time"

	"github.com/orderbot/orderbot/core"
)

// TestInbox_AcceptKeepsOneOfEach: an update delivered again is one row, and
// only the new ones come back to be handled.
func TestInbox_AcceptKeepsOneOfEach(t *testing.T) {
	s := newShop(t)
	first := []core.Incoming{{ID: 10, ChatID: 7_000_000_001, Payload: []byte(`{"update_id":10}`)},
		{ID: 11, ChatID: -1001234567890, Payload: []byte(`{"update_id":11}`)}}
	if got, err := s.db.Accept(ctx(), first); err != nil || len(got) != 2 {
		t.Fatalf("first delivery: %v %v", got, err)
	}
	again := append(first, core.Incoming{ID: 12, ChatID: 7_000_000_001, Payload: []byte(`{"update_id":12}`)})
	got, err := s.db.Accept(ctx(), again)
	if err != nil || len(got) != 1 || got[0].ID != 12 {
		t.Fatalf("delivered again with one new: %v %v", got, err)
	}
	pending, err := s.db.Pending(ctx(), 7_000_000_001, 10)
	if err != nil || len(pending) != 2 || pending[0].ID != 10 || pending[1].ID != 12 {
		t.Fatalf("pending of the chat, in order: %v %v", pending, err)
	}
}

// TestInbox_ChangeClaimsItsUpdate: the first transaction made for an update
// marks it done in its own commit and writes the answer from its events; the
// same update handled again (a new claim, as after a crash) changes nothing
// and says so; a call not made for a stored update is not held back.
func TestInbox_ChangeClaimsItsUpdate(t *testing.T) {
	s := newShop(t)
	p := s.product("TEA", 450, 10)
	c := s.customer("Pat", 7)
	o := s.place(c, true, line(p, 2))
	if _, err := s.db.Accept(ctx(), []core.Incoming{{ID: 500, ChatID: 100, Payload: []byte(`{"update_id":500}`)}}); err != nil {
		t.Fatal(err)
	}
	pay := func() (*core.Payment, error) {
		claim := &core.UpdateClaim{ID: 500, Reply: core.MessageRef{ChatID: 100, MessageID: 42}}
		return s.orders.RecordPayment(core.WithClaim(ctx(), claim), manager, core.PaymentInput{CustomerID: c.ID, OrderID: o.ID,
			Amount: 300, Method: core.PayCash})
	}
	if _, err := pay(); err != nil {
		t.Fatal(err)
	}
	if _, err := pay(); !errors.Is(err, core.ErrRepeated) {
		t.Fatalf("the same update paid again: %v", err)
	}
	if pays, err := s.db.Payments(ctx(), c.ID); err != nil || len(pays) != 1 {
		t.Fatalf("payments: %d %v", len(pays), err)
	}
	var done bool
	if err := s.db.Pool().QueryRow(ctx(), `SELECT done_at IS NOT NULL FROM inbox WHERE update_id = 500`).Scan(&done); err != nil || !done {
		t.Fatalf("update marked done with its change: %v %v", done, err)
	}
	var kind string
	var chat int64
	err := s.db.Pool().QueryRow(ctx(), `SELECT kind, chat_id FROM outbox WHERE key = $1`, core.ReplyKey(500)).Scan(&kind, &chat)
	if err != nil || kind != string(core.NoticeReply) || chat != 100 {
		t.Fatalf("the answer written with the change: %q %d %v", kind, chat, err)
	}
	direct := core.WithClaim(ctx(), &core.UpdateClaim{ID: 999})
	if _, err := s.orders.RecordPayment(direct, manager, core.PaymentInput{CustomerID: c.ID, OrderID: o.ID, Amount: 100,
		Method: core.PayCash}); err != nil {
		t.Fatalf("a claim for an update the inbox never stored: %v", err)
	}
}

// TestInbox_LanesAcrossReplicas: a chat's lane is one replica's at a time;
// another takes it when the lease runs out; giving it back fails while an
// update of the chat is still pending.
func TestInbox_LanesAcrossReplicas(t *testing.T) {
	s := newShop(t)
	chat := int64(-1001234567890)
	if taken, err := s.db.ClaimChats(ctx(), "a", []int64{chat}, time.Minute); err != nil || len(taken) != 1 {
		t.Fatalf("a claims: %v %v", taken, err)
	}
	if taken, err := s.db.ClaimChats(ctx(), "b", []int64{chat}, time.Minute); err != nil || len(taken) != 0 {
		t.Fatalf("b took a's live lane: %v %v", taken, err)
	}
	if _, err := s.db.Accept(ctx(), []core.Incoming{{ID: 1, ChatID: chat, Payload: []byte(`{"update_id":1}`)}}); err != nil {
		t.Fatal(err)
	}
	if released, err := s.db.ReleaseChat(ctx(), "a", chat, nil); err != nil || released {
		t.Fatalf("released with an update pending: %v %v", released, err)
	}
	if released, err := s.db.ReleaseChat(ctx(), "a", chat, []int64{1}); err != nil || !released {
		t.Fatalf("not released once the update is done: %v %v", released, err)
	}
	if taken, err := s.db.ClaimChats(ctx(), "b", []int64{chat}, 10*time.Millisecond); err != nil || len(taken) != 1 {
		t.Fatalf("b after a let go: %v %v", taken, err)
	}
	time.Sleep(50 * time.Millisecond)
	if taken, err := s.db.ClaimChats(ctx(), "a", []int64{chat}, time.Minute); err != nil || len(taken) != 1 {
		t.Fatalf("a after b's lease ran out: %v %v", taken, err)
	}
}
