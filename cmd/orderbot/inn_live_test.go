package main

import (
	"context"
	"strings"
	"testing"
	"time"
)

// TestLive_INNInARoubleShop: in a rouble shop (CURRENCY=RUB) under
// `orderbot run` a buyer's tax number is an INN: one with letters, or of
// the wrong length, is refused with the reason and changes nothing; ten
// digits (spaces ignored) are saved.
func TestLive_INNInARoubleShop(t *testing.T) {
	s := newLiveShop(t, map[string]string{"CURRENCY": "RUB"})
	s.start()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	step := s.must
	ann := s.person(7_000_000_031, "Ann", "en")
	_, err := ann.say(ctx, "/orders", "Company details")
	step("/orders", err)
	_, _, err = ann.tap(ctx, "🏢 Company details")
	step("company details", err)
	_, _, err = ann.tap(ctx, "✏️ Give company details")
	step("give company details", err)
	_, err = ann.await(ctx, "Send the company's name")
	step("asked for the name", err)
	_, err = ann.say(ctx, "Romashka LLC", "tax number")
	step("company name", err)
	db := openTestDB(t, s.env["DATABASE_URL"])
	stored := func() (company, taxID string) {
		t.Helper()
		step("read the customer", db.Pool().QueryRow(ctx, `SELECT company, tax_id FROM customers WHERE telegram_id = $1`, ann.id).Scan(&company, &taxID))
		return company, taxID
	}
	for bad, reason := range map[string]string{"77AB123456": "digits only", "770123456": "10 digits"} {
		m, err := ann.say(ctx, bad, "Nothing was changed")
		step("tax number "+bad, err)
		if !strings.Contains(m.Message.PlainText, reason) {
			t.Errorf("%s refused without its reason (%q): %q", bad, reason, m.Message.PlainText)
		}
		if company, taxID := stored(); company != "" || taxID != "" {
			t.Fatalf("a refused tax number changed the customer: %q %q", company, taxID)
		}
	}
	_, err = ann.say(ctx, "7701 234 567", "Saved")
	step("a good INN", err)
	if company, taxID := stored(); company != "Romashka LLC" || taxID != "7701234567" {
		t.Fatalf("saved details: %q %q", company, taxID)
	}
}
