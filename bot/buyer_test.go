package bot

import (
	"context"
	"strings"
	"testing"

	"github.com/orderbot/orderbot/core"
)

// TestBuyer_CustomerGivesCompanyDetails: from /orders a customer gives the
// company's name and tax number; a tax number with signs is refused with
// the reason and changes nothing; the saved details are the buyer on the
// invoice, and the statement of account comes as a PDF.
func TestBuyer_CustomerGivesCompanyDetails(t *testing.T) {
	w := newWorld(t)
	p := w.product("RICE-5", "Rice 5kg", 900, 100)
	w.startStaff()
	alice := w.customer(1101, "Alice", "en")
	c := w.stored(1101)
	inv := w.billedAgo(c, p, 2, 3)

	w.say(alice.TelegramID, "/orders", "Your orders")
	w.press(alice.TelegramID, "🏢 Company details", "None yet: documents name Alice as the buyer")
	w.press(alice.TelegramID, "✏️ Give company details", "Send the company's name")
	w.say(alice.TelegramID, "Romashka LLC", "Now send its tax number (4 to 20 letters and digits")
	m := w.say(alice.TelegramID, "GB-123 456", "Nothing was changed")
	if !strings.Contains(m.PlainText, "only letters A-Z and digits") {
		t.Fatalf("refusal without its reason: %q", m.PlainText)
	}
	if got := w.stored(1101); got.Company != "" || got.TaxID != "" {
		t.Fatalf("a refused tax number changed the customer: %+v", got)
	}
	w.say(alice.TelegramID, "gb 123 456", "Saved. Documents now name Romashka LLC (tax number GB123456)")
	if got := w.stored(1101); got.Company != "Romashka LLC" || got.TaxID != "GB123456" || got.Name != "Alice" {
		t.Fatalf("saved details: %+v", got)
	}

	pdf, err := w.bot.InvoicePDF(context.Background(), inv, langEN)
	if err != nil {
		t.Fatal(err)
	}
	text := pdfText(t, pdf)
	for _, want := range []string{"BILL TO", "Romashka LLC", "Tax ID: GB123456", "Contact: Alice", "Without VAT",
		"Amount in words: Eighteen dollars and 00 cents"} {
		if !strings.Contains(text, want) {
			t.Errorf("invoice lacks %q:\n%s", want, text)
		}
	}

	w.say(alice.TelegramID, "/orders", "Your orders")
	w.press(alice.TelegramID, "📄 Statement", "for which period?")
	cur := w.srv.Cursor()
	w.press(alice.TelegramID, "All time", "")
	doc := w.awaitDoc(cur, alice.TelegramID, "Statement of account")
	if !strings.Contains(doc.PlainCaption, "18.00 USD") {
		t.Errorf("caption: %q", doc.PlainCaption)
	}
	text = pdfText(t, doc.Document.Data)
	for _, want := range []string{"Statement of account", "Romashka LLC", inv.Number, "Closing balance", "18.00",
		"the buyer owes the seller 18.00 USD"} {
		if !strings.Contains(text, want) {
			t.Errorf("statement lacks %q:\n%s", want, text)
		}
	}
}

// TestBuyer_StaffSetsDetailsInRussian: a manager sets a customer's details
// from the customer's card; a bad number is refused in Russian with the
// reason; another customer's details cannot be reached by a forged button.
func TestBuyer_StaffSetsDetailsInRussian(t *testing.T) {
	w := newWorld(t)
	p := w.product("RICE-5", "Rice 5kg", 900, 100)
	w.startStaff()
	boris := w.customer(1201, "Борис", "ru")
	w.billedAgo(w.stored(1201), p, 1, 0)
	w.customer(1202, "Eve", "ru")

	mia := int64(managerID)
	w.say(mia, "/language", "")
	w.press(mia, "Русский", "")
	w.say(mia, "/debts", "")
	w.press(mia, "Борис · 9,00\u00a0$", "Борис")
	w.press(mia, "🏢 Реквизиты компании", "Не указаны")
	w.press(mia, "✏️ Указать реквизиты", "Пришлите название компании")
	w.say(mia, "ООО «Ромашка»", "Теперь пришлите ИНН")
	m := w.say(mia, "77 01-23", "Ничего не изменилось")
	if !strings.Contains(m.PlainText, "только латинские буквы и цифры") {
		t.Fatalf("refusal in Russian with its reason: %q", m.PlainText)
	}
	if got := w.stored(1201); got.Company != "" || got.TaxID != "" {
		t.Fatalf("a refused tax number changed the customer: %+v", got)
	}
	w.say(mia, "DE 811 907 980", "Сохранено")
	if got := w.stored(1201); got.Company != "ООО «Ромашка»" || got.TaxID != "DE811907980" {
		t.Fatalf("saved details: %+v", got)
	}
	w.press(mia, "👤 Покупатель", "Борис")

	// Eve forges Boris's buttons: refused as if he did not exist, nothing changes.
	eve := int64(1202)
	for _, data := range []string{cb(cbBuyerRemove, boris.ID).String(), cb(cbBuyerEdit, boris.ID).String(), cb(cbStatementPeriod, boris.ID, periodAll).String()} {
		last, _ := w.srv.LastBotMessage(eve)
		id, err := w.srv.PressData(eve, last.ID, data)
		if err != nil {
			t.Fatal(err)
		}
		if ans := w.answerOf(id); ans.Text == "" || strings.Contains(ans.Text, "Ромашка") {
			t.Errorf("forged %s answered %q", data, ans.Text)
		}
	}
	if got := w.stored(1201); got.Company != "ООО «Ромашка»" || got.TaxID != "DE811907980" {
		t.Fatalf("a forged button changed another customer: %+v", got)
	}
	if strings.Contains(w.last(eve), "Сохранено") || strings.Contains(w.last(eve), "Ромашка") {
		t.Fatalf("Eve saw Boris's details: %q", w.last(eve))
	}
}

// stored reads a Telegram customer as the database has them.
func (w *world) stored(telegramID int64) *core.Customer {
	w.t.Helper()
	c, err := w.db.CustomerByTelegram(context.Background(), telegramID)
	if err != nil {
		w.t.Fatal(err)
	}
	return c
}
