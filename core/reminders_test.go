package core

import (
	"testing"
	"time"
)

// TestReminderPolicy_NextRemindOn: the date the store keeps for each open
// invoice is exactly the first day plan finds a new level to send, for every
// policy step, terms, last level sent and day.
func TestReminderPolicy_NextRemindOn(t *testing.T) {
	policies := []ReminderPolicy{DefaultReminderPolicy, {Before: 3, After: []int{1, 5, 30}}, {After: []int{10}}, {Before: 30}}
	issued := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	for _, p := range policies {
		lasts := []*int{nil}
		for _, l := range p.Levels() {
			lasts = append(lasts, &l)
		}
		for _, terms := range []int{0, 1, 2, 7, 30} {
			due := issued.AddDate(0, 0, terms)
			for _, last := range lasts {
				next, ok := p.NextRemindOn(due, issued, last)
				for day := 0; day < 80; day++ {
					today := issued.AddDate(0, 0, day)
					d := int(today.Sub(due).Hours() / 24)
					lvl, reached := p.level(d)
					fresh := reached && (last == nil || *last < lvl) && !(lvl <= 0 && today.Equal(issued))
					if kept := ok && !today.Before(next); kept != fresh {
						t.Fatalf("policy %v, terms %d, last %v, day %d: next %v (%v) says %v, plan says %v",
							p.Levels(), terms, last, day, next, ok, kept, fresh)
					}
				}
			}
		}
	}
}
