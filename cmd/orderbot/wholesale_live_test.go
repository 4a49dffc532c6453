package main

import (
	"bytes"
	"context"
	"fmt"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/orderbot/orderbot/bot/fakeapi"
)

// TestLive_WholesaleAndRetail: under `orderbot run` with VAT charged on
// top of prices, a delivery fee and payments in chat, a wholesale customer
// (Russian, on a price list with a quantity break) and a retail customer
// (English, catalog prices) order the same tea. Each is charged their own
// price, pays the Telegram invoice in chat and gets the receipt; the
// invoices they were sent are read back with pdftotext.
//
// Hand-computed, VAT 20 % on top, delivery 10.00 + VAT:
//
//	wholesale 11 × 3.50 = 38.50 + delivery 10.00 = 48.50, VAT 9.70, total 58.20
//	retail     1 × 4.50 =  4.50 + delivery 10.00 = 14.50, VAT 2.90, total 17.40
func TestLive_WholesaleAndRetail(t *testing.T) {
	s := newLiveShop(t, map[string]string{
		"CURRENCY": "RUB", "VAT_RATE": "20", "VAT_PAYER": "true", "PRICES_INCLUDE_TAX": "false",
		"DELIVERY_FEE": "10.00", "DELIVERY_FREE_FROM": "100.00", "PAYMENT_PROVIDER_TOKEN": "284685063:TEST:live",
		"SELLER_NAME": "Tea Wholesale LLC", "SELLER_TAX_ID": "7701234567", "SELLER_ADDRESS": "1 Tea Street, Moscow",
		"SELLER_BANK": "Good Bank", "SELLER_BANK_ACCOUNT": "40702810900000000001", "SELLER_BANK_CODE": "044525225",
		"SELLER_SIGNATORY": "I. Ivanov",
	})
	s.cli("catalog", "import", writeFile(t, "sku,name,price,stock\nTEA,Green tea,4.50,100\n"))
	if out, errOut := s.cli("prices", "import", writeFile(t, "list,sku,price,min_qty\nwholesale,TEA,4.00,\nwholesale,TEA,3.50,10\n")); errOut != "" {
		t.Fatalf("prices import: %s %s", out, errOut)
	}
	s.start()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	step := s.must
	boris := s.person(7_000_000_021, "Boris", "ru") // wholesale
	ann := s.person(7_000_000_022, "Ann", "en")     // retail
	mia := &person{s: s, id: liveManager}
	_, err := mia.say(ctx, "/start", "You are a manager")
	step("manager /start", err)
	_, err = boris.say(ctx, "/start", "")
	step("wholesale customer /start", err)
	db := openTestDB(t, s.env["DATABASE_URL"])
	var borisID int64
	step("wholesale customer's id", db.Pool().QueryRow(ctx, `SELECT id FROM customers WHERE telegram_id = $1`, boris.id).Scan(&borisID))
	if out, errOut := s.cli("prices", "assign", fmt.Sprint(borisID), "wholesale"); errOut != "" {
		t.Fatalf("prices assign: %s %s", out, errOut)
	}

	// Each sees their own price on the product card.
	card, err := boris.say(ctx, "/start TEA", "В корзину 1")
	step("wholesale product card", err)
	if !strings.Contains(card.Message.PlainText, "4,00") || !strings.Contains(card.Message.PlainText, "3,50") {
		t.Errorf("wholesale card shows no list price or break:\n%s", card.Message.PlainText)
	}
	_, _, err = boris.tap(ctx, "+10")
	step("+10", err)
	_, err = boris.await(ctx, "В корзину 11")
	step("quantity 11", err)
	_, _, err = boris.tap(ctx, "➕ В корзину 11")
	step("wholesale puts 11 in cart", err)
	borisOrder := checkoutLive(t, ctx, s, boris, step, checkoutRU)

	card, err = ann.say(ctx, "/start TEA", "Put 1 in cart")
	step("retail product card", err)
	if !strings.Contains(card.Message.PlainText, "4.50") {
		t.Errorf("retail card shows no catalog price:\n%s", card.Message.PlainText)
	}
	_, _, err = ann.tap(ctx, "➕ Put 1 in cart")
	step("retail puts 1 in cart", err)
	annOrder := checkoutLive(t, ctx, s, ann, step, checkoutEN)

	for _, c := range []struct {
		who     *person
		number  string
		total   int // kopecks
		want    []string
		receipt string
		lang    string
	}{
		{boris, borisOrder, 5820, []string{"3,50", "38,50", "48,50", "9,70", "58,20", "НДС 20", "Доставка", "Пятьдесят восемь рублей 20 копеек",
			"Tea Wholesale LLC", "7701234567", "40702810900000000001", "044525225", "I. Ivanov"}, "Квитанция", "ru"},
		{ann, annOrder, 1740, []string{"4.50", "14.50", "2.90", "17.40", "VAT 20", "Delivery", "Seventeen", "Tea Wholesale LLC"}, "Receipt", "en"},
	} {
		_, err = mia.say(ctx, "/order "+c.number, "History of order "+c.number)
		step("manager opens "+c.number, err)
		mark := s.obs.Mark(c.who.id)
		_, _, err = mia.tap(ctx, "🧾 Issue invoice")
		step("invoice "+c.number, err)
		doc, _, err := s.obs.Wait(ctx, c.who.id, mark, func(m fakeapi.Message) bool { return m.Document != nil })
		step("the invoice PDF reaches the customer", err)
		text := pdfToText(t, doc.Message.Document.Data)
		for _, w := range c.want {
			if !strings.Contains(strings.ReplaceAll(text, "\u202f", " "), strings.ReplaceAll(w, "\u202f", " ")) {
				t.Errorf("%s's invoice (%s) lacks %q:\n%s", c.lang, c.lang, w, text)
			}
		}
		payTelegramInvoice(t, ctx, s, c.who, mark, c.total, "RUB", c.receipt)
	}
	var paid, owed int64
	step("payments", db.Pool().QueryRow(ctx, `SELECT coalesce(sum(amount), 0) FROM payments WHERE method = 'telegram'`).Scan(&paid))
	if paid != 5820+1740 {
		t.Errorf("paid in chat: %d kopecks, want %d", paid, 5820+1740)
	}
	step("debts", db.Pool().QueryRow(ctx, `SELECT coalesce(sum(invoiced - paid), 0) FROM customer_balances`).Scan(&owed))
	if owed != 0 {
		t.Errorf("customers still owe %d kopecks after paying their invoices", owed)
	}
}

// checkoutTexts are what a customer taps and reads on the way from a
// filled cart to a placed order, in their language.
type checkoutTexts struct{ checkout, askAddress, askPhone, place, placed string }

var (
	checkoutEN = checkoutTexts{"✅ Check out", "Where should we deliver?", "Your phone number", "✅ Place order", "is placed"}
	checkoutRU = checkoutTexts{"✅ Оформить", "Куда доставить?", "Ваш телефон", "✅ Оформить заказ", "оформлен"}
)

// checkoutLive takes a customer from a filled cart to a placed order and
// has a manager confirm it in the staff group; it returns the number.
func checkoutLive(t *testing.T, ctx context.Context, s *liveShop, p *person, step func(string, error), tx checkoutTexts) string {
	t.Helper()
	_, _, err := p.tap(ctx, tx.checkout)
	step("check out", err)
	_, err = p.await(ctx, tx.askAddress)
	step("address asked", err)
	_, err = p.say(ctx, "1 Main Street", tx.askPhone)
	step("address", err)
	_, err = p.say(ctx, "+15550001234", tx.place)
	step("phone", err)
	_, _, err = p.tap(ctx, tx.place)
	step("place", err)
	m, err := p.await(ctx, tx.placed)
	step("placed", err)
	number := orderNumber(t, m.Message.PlainText)
	_, _, err = s.obs.Wait(ctx, liveGroup, 0, func(m fakeapi.Message) bool { return strings.Contains(m.PlainText, number) })
	step("the new-order card", err)
	press, err := s.srv.PressButtonInGroup(liveGroup, liveManager, "✅ Confirm")
	step("confirm in the group", err)
	upd, _ := s.srv.Update(press)
	_, _, err = s.obs.Answer(ctx, upd.CallbackQuery.ID)
	step("the confirm tap answered", err)
	return number
}

// pdfToText is a PDF's text as pdftotext lays it out.
func pdfToText(t *testing.T, pdf []byte) string {
	t.Helper()
	cmd := exec.Command("pdftotext", "-layout", "-", "-")
	cmd.Stdin = bytes.NewReader(pdf)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("pdftotext (apt-get install poppler-utils): %v", err)
	}
	return string(out)
}
