package bot

import (
	"context"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/orderbot/orderbot/bot/platform"
	"github.com/orderbot/orderbot/core"
)

// staffVerbs are the staff buttons of this side, each of which must be
// registered as staff-only (the router refuses customers before it runs).
var staffVerbs = []string{"sc", "sr", "sx", "sz", "sq", "ss", "sy", "syq", "syg", "si", "sp", "spf", "spm",
	"stl", "sul", "sdl", "sdc", "skl", "skp", "skr", "skc", "sfa", "sfr", "sfk", "sca",
	"snc", "snn", "sna", "snr", "sng", "snd", "snu", "snw", "sns", "snt", "snk", "sno",
	"sdi", "sdv", "spl", "spls", "spa"}

// TestStaff_CustomerForgesEveryStaffCallback: a customer sends the data of
// every staff button there is, with real ids, plus every staff command and a
// catalog file. Each is refused, and nothing in the database changes.
func TestStaff_CustomerForgesEveryStaffCallback(t *testing.T) {
	w := newWorld(t)
	p := w.product("OIL-1", "Olive oil", 1500, 20)
	w.startStaff()
	alice := w.customer(1401, "Alice", "en")
	fresh := w.placeNew(alice, p, 1)
	busy, err := w.svc.Orders.Place(context.Background(), core.System, core.PlaceOrder{CustomerID: alice.ID,
		Lines: []core.OrderLineInput{{ProductID: p.ID, Qty: 4}}, Confirmed: true})
	if err != nil {
		t.Fatal(err)
	}
	if _, busy, err = w.svc.Orders.Ship(context.Background(), core.System, busy.ID, busy.Version, []core.QtyLine{{ProductID: p.ID, Qty: 1}}); err != nil {
		t.Fatal(err)
	}
	if _, busy, err = w.svc.Orders.IssueInvoice(context.Background(), core.System, busy.ID, busy.Version, ""); err != nil {
		t.Fatal(err)
	}
	mallory := int64(1402)
	w.customer(mallory, "Mallory", "en")
	before := w.dbState()

	verbs := slices.Clone(staffVerbs)
	for _, verb := range routes.Verbs() {
		if route, _ := routes.ButtonRoute(verb); route.Access != platform.Anyone && !slices.Contains(verbs, verb) {
			verbs = append(verbs, verb)
		}
	}
	sort.Strings(verbs)
	for _, verb := range staffVerbs {
		if route, ok := routes.ButtonRoute(verb); !ok || route.Access != platform.Staff {
			t.Errorf("%s is not registered as a staff button", verb)
		}
	}
	msg := w.srv.BotMessages(mallory)[0]
	for _, verb := range verbs {
		for _, o := range []*core.Order{fresh, busy} {
			route, _ := routes.ButtonRoute(verb)
			args := []int64{o.ID, o.Version, 0}[:route.Arity]
			if verb == "syq" || verb == "spf" {
				args = []int64{o.ID, p.ID, 1}
			}
			data := cb(verb, args...).String()
			upd, err := w.srv.PressData(mallory, msg.ID, data)
			if err != nil {
				t.Fatal(err)
			}
			if ans := w.answerOf(upd); !strings.Contains(ans.Text, "staff only") {
				t.Errorf("forged %s answered %q", data, ans.Text)
			}
		}
	}
	for _, cmd := range []string{"/toship", "/unpaid", "/debts", "/stock", "/neworder", "/order " + busy.Number, "/staff"} {
		w.say(mallory, cmd, "I did not understand")
	}
	cur := w.srv.Cursor()
	if _, err := w.srv.SendDocument(mallory, "cat.csv", []byte("sku,name,price,stock\nOIL-1,Oil,0.01,999\n"), ""); err != nil {
		t.Fatal(err)
	}
	w.await(cur, mallory, "only from staff")
	w.say(mallory, busy.Number, "Nothing matches") // a customer's text is a catalog search

	if after := w.dbState(); after != before {
		t.Fatalf("the database changed:\nbefore %s\nafter  %s", before, after)
	}
	for _, m := range w.srv.Messages(mallory) {
		if strings.Contains(m.PlainText, busy.Number+" ·") || strings.Contains(m.PlainText, "Alice") {
			t.Fatalf("Mallory saw staff data: %q", m.PlainText)
		}
	}
}
