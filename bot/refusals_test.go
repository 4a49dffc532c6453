package bot

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/orderbot/orderbot/core"
)

// TestCustomer_RefusalsRevealNothing: a customer who forges the buttons of
// another customer's order or invoice reads exactly what they read for an
// order or invoice that does not exist, in their own language.
func TestCustomer_RefusalsRevealNothing(t *testing.T) {
	w := newWorld(t)
	p := w.product("OIL-1", "Olive oil", 1500, 20)
	w.startStaff()
	bob := w.customer(1501, "Bob", "en")
	o, err := w.svc.Orders.Place(context.Background(), core.System, core.PlaceOrder{CustomerID: bob.ID,
		Lines: []core.OrderLineInput{{ProductID: p.ID, Qty: 2}}, Confirmed: true})
	if err != nil {
		t.Fatal(err)
	}
	inv, o, err := w.svc.Orders.IssueInvoice(context.Background(), core.System, o.ID, o.Version, core.BillOrdered)
	if err != nil {
		t.Fatal(err)
	}
	none := int64(987654321)
	for _, c := range []struct {
		id         int64
		name, lang string
		order, inv string
	}{
		{1502, "Mallory", "en", "There is no such order among yours.", "There is no such invoice among yours."},
		{1503, "Малёна", "ru", "Среди ваших заказов такого нет.", "Среди ваших счетов такого нет."},
	} {
		w.customer(c.id, c.name, c.lang)
		msg := w.srv.BotMessages(c.id)[0]
		for _, tc := range []struct{ data, want string }{
			{cb("o", o.ID).String(), c.order}, {cb("o", none).String(), c.order}, {cb("o", 0).String(), c.order},
			{cb("oh", o.ID).String(), c.order}, {cb("oh", none).String(), c.order},
			{cb("ox", o.ID, o.Version).String(), c.order}, {cb("ox", none, 1).String(), c.order},
			{cb("oi", inv.ID).String(), c.inv}, {cb("oi", none).String(), c.inv}, {cb("oi", 0).String(), c.inv},
		} {
			upd, err := w.srv.PressData(c.id, msg.ID, tc.data)
			if err != nil {
				t.Fatal(err)
			}
			if ans := w.answerOf(upd); ans.Text != "⚠️ "+tc.want {
				t.Errorf("%s pressed %s: answered %q, want %q", c.name, tc.data, ans.Text, "⚠️ "+tc.want)
			}
		}
	}
}

// TestRefusal_InTheirLanguage: the bot's own refusals read in each person's
// language, staff included; to everything else they are core ErrInvalid.
func TestRefusal_InTheirLanguage(t *testing.T) {
	err := invalid("staff.new.bad_terms", core.MaxTermsDays)
	if !errors.Is(err, core.ErrInvalid) || core.SafeMessage(err) != "Payment terms are 0 to 365 days." {
		t.Fatalf("as a core error: %v %q", err, core.SafeMessage(err))
	}
	for l, want := range map[lang]string{langEN: "Payment terms are 0 to 365 days.", langRU: "Отсрочка оплаты — от 0 до 365 дн."} {
		r := &req{lang: l, role: core.RoleManager}
		if got := r.refusal(fmt.Errorf("terms: %w", err)); got != want {
			t.Errorf("%s: %q, want %q", l, got, want)
		}
	}
}

// TestRefusal_CustomersReadTheirLanguage: the core refusals a customer can
// meet through the buttons read in Russian for a Russian customer.
func TestRefusal_CustomersReadTheirLanguage(t *testing.T) {
	r := &req{lang: langRU, role: core.RoleCustomer}
	for in, want := range map[error]string{
		core.Errorf(core.ErrInvalid, "your cart is empty"):                           langRU.Plain("cart.empty"),
		core.Errorf(core.ErrInvalid, "%s is not for sale", "Tea"):                    langRU.Plain("product.gone"),
		core.Errorf(core.ErrInvalid, "quantity must be at most %d", core.MaxQty):     "Количество — целое число от 1 до 1000000.",
		core.Errorf(core.ErrConflict, "order 2026-000001 is shipped: cannot cancel"): langRU.Plain("err.conflict"),
		core.ErrNoSuchOrder: langRU.Plain("err.no_order"),
	} {
		if got := r.refusal(fmt.Errorf("x: %w", in)); got != want {
			t.Errorf("%v: %q, want %q", in, got, want)
		}
	}
}
