package core

import (
	"slices"
	"testing"
	"time"
)

// TestNoticesForEvents: staff get a card of each new order and card updates
// after; the customer hears of others' changes only, never of notes; keys are
// per event and recipient, so replaying an event adds nothing.
func TestNoticesForEvents(t *testing.T) {
	staff := []int64{900, 901, 900, 0}
	mgr := Actor{Role: RoleManager, UserID: 901, Name: "Mia"}
	cust := Actor{Role: RoleCustomer, UserID: 1001, Name: "Alice"}
	ev := func(id int64, act Action, by Actor, tg int64) FeedEvent {
		return FeedEvent{Event: Event{ID: id, OrderID: 7, Action: act, Actor: by, After: StatusInProgress},
			OrderNumber: "2026-000007", CustomerID: 3, CustomerTelegram: tg}
	}
	tests := []struct {
		name string
		ev   FeedEvent
		want []string
	}{
		{"placed by the customer", ev(1, ActPlace, cust, 1001), []string{"ev:1:order_card:900", "ev:1:order_card:901"}},
		{"confirmed by staff", ev(2, ActConfirm, mgr, 1001), []string{"ev:2:order_cards:900", "ev:2:order_cards:901", "ev:2:customer"}},
		{"cancelled by the customer", ev(3, ActCancel, cust, 1001), []string{"ev:3:order_cards:900", "ev:3:order_cards:901"}},
		{"a note", ev(4, ActNote, mgr, 1001), []string{"ev:4:order_cards:900", "ev:4:order_cards:901"}},
		{"customer not on Telegram", ev(5, ActShip, mgr, 0), []string{"ev:5:order_cards:900", "ev:5:order_cards:901"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ns, err := NoticesForEvents([]FeedEvent{tc.ev}, staff, time.Now())
			if err != nil {
				t.Fatal(err)
			}
			var keys []string
			for _, n := range ns {
				keys = append(keys, n.Key)
				var p OrderNotice
				if err := n.Decode(&p); err != nil || p.EventID != tc.ev.ID || p.Order != "2026-000007" {
					t.Errorf("payload %s: %+v %v", n.Payload, p, err)
				}
			}
			if !slices.Equal(keys, tc.want) {
				t.Errorf("keys %v, want %v", keys, tc.want)
			}
		})
	}
}

// TestReminderPolicy_Levels: the step an invoice reaches by days from its due
// date, and policies refused.
func TestReminderPolicy_Levels(t *testing.T) {
	p := DefaultReminderPolicy
	for d, want := range map[int]int{-1: -1, 0: 0, 1: 0, 2: 0, 3: 3, 6: 3, 7: 7, 13: 7, 14: 14, 400: 14} {
		if got, ok := p.level(d); !ok || got != want {
			t.Errorf("day %d: level %d %v, want %d", d, got, ok, want)
		}
	}
	if _, ok := p.level(-2); ok {
		t.Error("two days before the due date has a level")
	}
	if _, ok := (ReminderPolicy{After: []int{3}}).level(-1); ok {
		t.Error("no early reminder configured, yet a level before the due date")
	}
	for _, bad := range []ReminderPolicy{{Before: -1}, {Before: 31}, {After: []int{0}}, {After: []int{7, 3}}, {After: []int{3, 3}}} {
		if bad.Validate() == nil {
			t.Errorf("policy %+v accepted", bad)
		}
	}
}
