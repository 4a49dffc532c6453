package core

import (
	"testing"
	"time"
)

// TestAllowed spells out, independently of the table in status.go, which
// action may be taken in which status. A change to the lifecycle must change
// both.
func TestAllowed(t *testing.T) {
	want := map[Status]string{
		StatusNew:        "confirm reject cancel payment edit arrival",
		StatusInProgress: "cancel ship return invoice void_invoice payment close edit arrival",
		StatusShipped:    "return invoice void_invoice payment close",
		StatusPaid:       "ship return invoice void_invoice payment close edit arrival",
		StatusClosed:     "return invoice void_invoice payment",
		StatusCancelled:  "",
	}
	actions := []Action{ActConfirm, ActReject, ActCancel, ActShip, ActReturn, ActInvoice, ActVoid, ActPay, ActClose, ActEdit, ActArrive}
	for _, s := range Statuses {
		ok := map[string]bool{}
		for _, w := range splitWords(want[s]) {
			ok[w] = true
		}
		for _, a := range actions {
			if got := Allowed(s, a); got != ok[string(a)] {
				t.Errorf("Allowed(%s, %s) = %v, want %v", s, a, got, ok[string(a)])
			}
		}
	}
}

func splitWords(s string) []string {
	var out []string
	word := ""
	for _, r := range s + " " {
		if r == ' ' {
			if word != "" {
				out = append(out, word)
			}
			word = ""
			continue
		}
		word += string(r)
	}
	return out
}

func TestDeriveStatus(t *testing.T) {
	tests := []struct {
		confirmed, cancelled, closed bool
		f                            Fulfilment
		p                            PaymentState
		want                         Status
	}{
		{false, false, false, NotShipped, Unpaid, StatusNew},
		{false, false, false, NotShipped, FullyPaid, StatusNew},
		{true, false, false, NotShipped, Unpaid, StatusInProgress},
		{true, false, false, PartlyShipped, PartlyPaid, StatusInProgress},
		{true, false, false, FullyShipped, Unpaid, StatusShipped},
		{true, false, false, FullyShipped, PartlyPaid, StatusShipped},
		{true, false, false, NotShipped, FullyPaid, StatusPaid},
		{true, false, false, PartlyShipped, FullyPaid, StatusPaid},
		{true, false, true, FullyShipped, FullyPaid, StatusClosed},
		{true, false, true, PartlyShipped, Unpaid, StatusClosed},
		{false, true, false, NotShipped, Unpaid, StatusCancelled},
		{true, true, false, NotShipped, Unpaid, StatusCancelled},
	}
	for _, tt := range tests {
		if got := deriveStatus(tt.confirmed, tt.cancelled, tt.closed, tt.f, tt.p); got != tt.want {
			t.Errorf("deriveStatus(%+v) = %s, want %s", tt, got, tt.want)
		}
	}
}

func TestOrder_Refresh(t *testing.T) {
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	o := &Order{ConfirmedAt: &now, Lines: []Line{{ProductID: 1, Qty: 2, Price: 500}}}
	o.refresh(now)
	if o.Status != StatusInProgress || o.Fulfilment != NotShipped || o.Payment != Unpaid {
		t.Fatalf("fresh: %s %s %s", o.Status, o.Fulfilment, o.Payment)
	}
	o.Lines[0].Shipped = 2
	o.Paid = 1000
	o.refresh(now)
	if o.Status != StatusPaid || o.ClosedAt != nil || o.SettledAt == nil || !o.SettledAt.Equal(now) {
		t.Fatalf("shipped and paid is paid, settled, not closed: %s %v %v", o.Status, o.ClosedAt, o.SettledAt)
	}
	later := now.Add(8 * 24 * time.Hour)
	o.ClosedAt, o.CloseReason = &later, AutoCloseReason // the close_settled job
	o.refresh(later)
	if o.Status != StatusClosed || !o.SettledAt.Equal(now) {
		t.Fatalf("closed by the job: %s %v", o.Status, o.SettledAt)
	}
	o.Paid = 400 // a payment reversed
	o.refresh(later)
	if o.Status != StatusShipped || o.ClosedAt != nil || o.SettledAt != nil {
		t.Fatalf("reopened: %s %v %v", o.Status, o.ClosedAt, o.SettledAt)
	}
	o.ClosedAt, o.CloseReason = &now, "customer gave up"
	o.refresh(now)
	if o.Status != StatusClosed {
		t.Fatalf("closed by hand stays closed: %s", o.Status)
	}
}

func TestParseStatus(t *testing.T) {
	for _, s := range Statuses {
		if got, err := ParseStatus(string(s)); err != nil || got != s {
			t.Errorf("ParseStatus(%s) = %s %v", s, got, err)
		}
	}
	if got, _ := ParseStatus("in progress"); got != StatusInProgress {
		t.Errorf("in progress: %s", got)
	}
	if _, err := ParseStatus("done"); err == nil {
		t.Error("done accepted")
	}
}

// TestOrder_PaymentState: nothing paid says unpaid, also when nothing is
// due (a cancelled order says nothing about payment); goods kept that cost
// nothing are paid.
func TestOrder_PaymentState(t *testing.T) {
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	cancelled := &Order{CancelledAt: &now, Lines: []Line{{ProductID: 1, Qty: 2, Price: 500, Released: 2}}}
	cancelled.refresh(now)
	if cancelled.Payment != Unpaid || cancelled.Status != StatusCancelled {
		t.Errorf("cancelled, nothing paid: %s %s", cancelled.Status, cancelled.Payment)
	}
	free := &Order{ConfirmedAt: &now, Lines: []Line{{ProductID: 1, Qty: 2, Price: 0, Shipped: 2}}}
	free.refresh(now)
	if free.Payment != FullyPaid || free.Status != StatusPaid {
		t.Errorf("free goods shipped: %s %s", free.Status, free.Payment)
	}
	paidFirst := &Order{ConfirmedAt: &now, Paid: 1000, Lines: []Line{{ProductID: 1, Qty: 2, Price: 500}}}
	paidFirst.refresh(now)
	if paidFirst.Status != StatusPaid || paidFirst.Fulfilment != NotShipped || paidFirst.SettledAt != nil {
		t.Errorf("paid before shipping says both: %s %s %v", paidFirst.Status, paidFirst.Fulfilment, paidFirst.SettledAt)
	}
}
