package sandbox

import (
	"net/http"
	"strings"
	"testing"
)

func TestPage_PayAnInvoice(t *testing.T) {
	f := newFixture(t)
	s := f.openStream(t, "1001")
	s.next(t, "history", nil, nil)
	f.call(t, "POST", "/api/send", map[string]any{"user": alice, "text": "/invoice"}, nil)
	var inv messageView
	s.next(t, "message", contains("Invoice INV-1"), &inv)
	if inv.Invoice == nil || inv.Invoice.Total != "12.50 USD" || len(inv.Buttons) != 1 || !inv.Buttons[0][0].Pay {
		t.Fatalf("invoice message = %+v", inv)
	}
	var paid payBody
	if code := f.call(t, "POST", "/api/pay", map[string]any{"user": alice, "message_id": inv.ID}, &paid); code != http.StatusOK || !paid.OK || paid.ChargeID == "" {
		t.Fatalf("pay: %d %+v", code, paid)
	}
	var report, receipt messageView
	s.next(t, "message", contains("Paid 12.50 USD"), &report)
	s.next(t, "message", contains("Receipt for "+paid.ChargeID), &receipt)
	if report.FromBot || !receipt.FromBot {
		t.Fatalf("from_bot: report %v, receipt %v", report.FromBot, receipt.FromBot)
	}
}

func TestPage_PayRefused(t *testing.T) {
	f := newFixture(t)
	s := f.openStream(t, "1001")
	s.next(t, "history", nil, nil)
	f.call(t, "POST", "/api/send", map[string]any{"user": alice, "text": "/invoice refuse"}, nil)
	var inv messageView
	s.next(t, "message", contains("Invoice INV-1"), &inv)
	var paid payBody
	if code := f.call(t, "POST", "/api/pay", map[string]any{"user": alice, "message_id": inv.ID}, &paid); code != http.StatusOK || paid.OK ||
		paid.Error != "This invoice is already paid" || paid.ChargeID != "" {
		t.Fatalf("pay: %d %+v", code, paid)
	}
	if n := len(f.srv.Charges()); n != 0 {
		t.Fatalf("%d charges after a refusal", n)
	}
	var body map[string]string
	if code := f.call(t, "POST", "/api/pay", map[string]any{"user": alice, "message_id": 1}, &body); code != http.StatusConflict ||
		!strings.Contains(body["error"], "not an invoice") {
		t.Fatalf("pay a message that is not an invoice: %d %v", code, body)
	}
}
