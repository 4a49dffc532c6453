package bot

import (
	"context"
	"strings"
	"sync"
	"testing"

	"github.com/orderbot/orderbot/bot/fakeapi"
	"github.com/orderbot/orderbot/core"
)

// placeNew places a new order as the customer would and sends the staff
// their new-order cards, as checkout does.
func (w *world) placeNew(c *core.Customer, p core.Product, qty int64) *core.Order {
	w.t.Helper()
	o, err := w.svc.Orders.Place(context.Background(), core.Actor{Role: core.RoleCustomer, CustomerID: c.ID, Name: c.Name},
		core.PlaceOrder{CustomerID: c.ID, Lines: []core.OrderLineInput{{ProductID: p.ID, Qty: qty}}, Address: "1 Elm Row"})
	if err != nil {
		w.t.Fatal(err)
	}
	w.bot.notifier.NewOrder(context.Background(), o)
	return o
}

// TestStaff_TwoManagersConfirmAtOnce: both managers tap Confirm on their
// cards at the same moment. Exactly one confirmation is recorded, the other
// manager is told who was first, and every card ends up saying who did it.
func TestStaff_TwoManagersConfirmAtOnce(t *testing.T) {
	w := newWorld(t)
	p := w.product("JAM-1", "Plum jam", 600, 10)
	w.startStaff()
	bob := w.customer(1301, "Bob", "en")
	o := w.placeNew(bob, p, 2)
	cards := map[int64]fakeapi.Message{}
	for _, id := range []int64{ownerID, managerID, manager2ID} {
		cards[id] = w.await(fakeapiZero, id, "Order "+o.Number)
	}

	var wg sync.WaitGroup
	answers := map[int64]string{}
	var mu sync.Mutex
	for _, id := range []int64{managerID, manager2ID} {
		upd, err := w.srv.PressButtonOn(id, cards[id].ID, "✅ Confirm")
		if err != nil {
			t.Fatal(err)
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			ans := w.answerOf(upd)
			mu.Lock()
			answers[id] = ans.Text
			mu.Unlock()
		}()
	}
	wg.Wait()

	events, err := w.svc.Orders.History(context.Background(), core.System, o.ID)
	if err != nil {
		t.Fatal(err)
	}
	var winner string
	for _, e := range events {
		if e.Action == core.ActConfirm {
			if winner != "" {
				t.Fatalf("confirmed twice: %+v", events)
			}
			winner = e.Actor.Name
		}
	}
	loser := map[string]int64{"Mia": manager2ID, "Max": managerID}[winner]
	if loser == 0 || !strings.Contains(answers[loser], "Too late: order "+o.Number+" was just changed — confirmed by "+winner) {
		t.Fatalf("winner %q, answers %v", winner, answers)
	}
	if st := w.order(o.ID).Status; st != core.StatusInProgress {
		t.Fatalf("status %s", st)
	}
	for chat, card := range cards {
		w.awaitCard(chat, card.ID, "confirmed by "+winner)
	}
	w.await(fakeapiZero, 1301, "is confirmed")
	w.say(managerID, "/toship", o.Number) // the handlers of both presses are done
	if n := countMessages(w.srv.BotMessages(1301), "is confirmed"); n != 1 {
		t.Fatalf("the customer was told %d times", n)
	}
}

// awaitCard waits until a card says want and carries no Confirm button.
func (w *world) awaitCard(chat int64, msgID int, want string) {
	w.t.Helper()
	_, err := w.srv.WaitBotMessage(w.ctx(), chat, func(m fakeapi.Message) bool {
		return m.ID == msgID && strings.Contains(m.PlainText, want) && !hasButton(m, "✅ Confirm")
	})
	if err != nil {
		w.t.Fatalf("card %d in chat %d never said %q: %v", msgID, chat, want, err)
	}
}

func countMessages(ms []fakeapi.Message, want string) int {
	n := 0
	for _, m := range ms {
		if strings.Contains(m.PlainText, want) {
			n++
		}
	}
	return n
}

// TestStaff_RejectWithReason: Reject asks a reason in the manager's chat,
// releases the goods, tells the customer why and updates every card. A
// second manager's stale Reject is refused.
func TestStaff_RejectWithReason(t *testing.T) {
	w := newWorld(t)
	p := w.product("JAM-1", "Plum jam", 600, 10)
	w.startStaff()
	bob := w.customer(1302, "Bob", "en")
	o := w.placeNew(bob, p, 3)
	card := w.await(fakeapiZero, manager2ID, "Order "+o.Number)
	other := w.await(fakeapiZero, managerID, "Order "+o.Number)

	w.pressOn(manager2ID, card.ID, "✖ Reject", "Why reject order "+o.Number)
	w.say(manager2ID, "/toship", "Nothing is waiting") // a command leaves the dialog
	w.pressOn(manager2ID, card.ID, "✖ Reject", "Why reject order "+o.Number)
	w.say(manager2ID, "The plums ran out", "rejected: The plums ran out")
	w.await(fakeapiZero, 1302, "Reason: The plums ran out")
	if st := w.stock(p); st.Reserved != 0 || st.Free != 10 {
		t.Fatalf("goods not released: %+v", st)
	}
	w.awaitCard(managerID, other.ID, "rejected by Max")
	w.awaitCard(manager2ID, card.ID, "rejected by Max")

	upd, err := w.srv.PressData(managerID, other.ID, "sr:"+itoa(o.ID)+":"+itoa(o.Version))
	if err != nil {
		t.Fatal(err)
	}
	if ans := w.answerOf(upd); !strings.Contains(ans.Text, "just changed — rejected by Max") {
		t.Fatalf("stale reject answered %q", ans.Text)
	}
}
