package bot

import (
	"context"
	"strings"
	"testing"

	"github.com/orderbot/orderbot/core"
)

// TestShipmentReceipt_SaysWhatIsOwed: goods shipped before any invoice or
// payment are owed all the same; the delivery receipt says how much is left
// to pay for the order and that the invoice is still to come, never
// "Balance due: 0.00".
func TestShipmentReceipt_SaysWhatIsOwed(t *testing.T) {
	w := newWorld(t)
	p := w.product("TEA-1", "Green tea 100g", 450, 20)
	alice := w.customer(1601, "Alice", "en")
	o, err := w.svc.Orders.Place(context.Background(), core.System, core.PlaceOrder{CustomerID: alice.ID,
		Lines: []core.OrderLineInput{{ProductID: p.ID, Qty: 4}}, Confirmed: true})
	if err != nil {
		t.Fatal(err)
	}
	cur := w.srv.Cursor()
	if _, _, err := w.svc.Orders.Ship(context.Background(), core.System, o.ID, o.Version, []core.QtyLine{{ProductID: p.ID, Qty: 1}}); err != nil {
		t.Fatal(err)
	}
	doc := w.awaitDoc(cur, alice.TelegramID, "Delivery receipt")
	text := pdfText(t, doc.Document.Data)
	for _, want := range []string{"Left to pay for the order:", "18.00 USD", "Invoice:", "not issued yet"} {
		if !strings.Contains(text, want) {
			t.Errorf("receipt lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "Balance due") {
		t.Errorf("receipt says a balance due of the account:\n%s", text)
	}
}
