package bot

import (
	"context"
	"strings"
	"testing"

	"github.com/go-telegram/bot/models"

	"github.com/orderbot/orderbot/core"
)

// TestStaff_CardsInEachOnesLanguage: a manager whose Telegram is in Russian
// gets new-order cards in Russian (not the shop's default English), with
// units and plurals by each language's rules and the phone stored in E.164
// and shown grouped.
func TestStaff_CardsInEachOnesLanguage(t *testing.T) {
	w := newWorld(t)
	w.srv.AddUser(models.User{ID: manager2ID, FirstName: "Макс", LanguageCode: "ru"})
	rows := []core.CatalogRow{{Line: 2, Product: core.Product{SKU: "TEA-1", Name: "Green tea", Unit: "pack", Price: 450, Active: true}, Stock: 20}}
	if _, err := w.svc.Catalog.Import(context.Background(), core.System, rows, false); err != nil {
		t.Fatal(err)
	}
	p, err := w.db.ProductBySKU(context.Background(), "TEA-1")
	if err != nil {
		t.Fatal(err)
	}
	w.say(managerID, "/start", "You are a manager")
	w.say(manager2ID, "/start", "Вы — менеджер")
	alice := w.customer(1701, "Alice", "en")
	if _, err := w.svc.Customers.Update(context.Background(), core.System, alice.ID, func(c *core.Customer) { c.Phone = "+1 (555) 000-2001" }); err != nil {
		t.Fatal(err)
	}
	if c, _ := w.svc.Customers.Get(context.Background(), core.System, alice.ID); c.Phone != "+15550002001" {
		t.Fatalf("phone stored as %q, want E.164", c.Phone)
	}
	o := w.placeNew(alice, *p, 2)

	ru := w.await(fakeapiZero, manager2ID, "Заказ "+o.Number)
	for _, want := range []string{"Green tea × 2 упаковки", "+1 555 000 2001", "Сумма: 9,00\u00a0$"} {
		if !strings.Contains(ru.PlainText, want) {
			t.Errorf("Russian card lacks %q:\n%s", want, ru.PlainText)
		}
	}
	if !hasButton(ru, "✅ Подтвердить") {
		t.Errorf("Russian card buttons: %v", ru.InlineKeyboard)
	}
	en := w.await(fakeapiZero, managerID, "Order "+o.Number)
	if !strings.Contains(en.PlainText, "Green tea × 2 packs") || !strings.Contains(en.PlainText, "+1 555 000 2001") || !hasButton(en, "✅ Confirm") {
		t.Errorf("English card: %s %v", en.PlainText, en.InlineKeyboard)
	}

	w.pressOn(manager2ID, ru.ID, "✅ Подтвердить", "подтверждён: Макс")
	boris := w.customer(1702, "Борис", "ru")
	w.say(boris.TelegramID, "tea", "за упаковку")
	m := w.press(boris.TelegramID, "➕ В корзину 1", "Ваша корзина")
	if !strings.Contains(m.PlainText, "Green tea × 1 упаковка") {
		t.Errorf("Russian cart: %s", m.PlainText)
	}
}
