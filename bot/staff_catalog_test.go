package bot

import (
	"context"
	"strings"
	"testing"

	"github.com/orderbot/orderbot/bot/fakeapi"
)

// TestStaff_CatalogFile: a CSV with bad rows gets a preview of every
// problem with its line number and changes nothing; a good one gets a
// preview (new, changed) that changes nothing until Apply.
func TestStaff_CatalogFile(t *testing.T) {
	w := newWorld(t)
	w.product("TEA-1", "Green tea 100g", 450, 10)
	w.startStaff()
	mia := int64(managerID)
	before := w.dbState()

	bad := "sku,name,price,stock\nTEA-1,Green tea 100g,4.80,12\nBAD-1,,1.00,3\nCUP-2,Cup,abc,4\nMUG-3,Mug,7.00,-1\n"
	m := w.sendFile(mia, "catalog.csv", bad, "3 problems")
	for _, want := range []string{"The file has 3 problems:", "line 3: name is empty", "line 4: price", "line 5: stock", "Nothing was applied"} {
		if !strings.Contains(m.PlainText, want) {
			t.Errorf("bad file answer lacks %q: %q", want, m.PlainText)
		}
	}
	if hasButton(m, "✅ Apply") {
		t.Fatal("a bad file can be applied")
	}
	w.sendFile(mia, "junk.csv", "\xff\xfe not text", "not UTF-8")
	if after := w.dbState(); after != before {
		t.Fatalf("a bad file changed the database:\n%s\n%s", before, after)
	}

	good := "sku,name,price,stock,unit\nTEA-1,Green tea 100g,4.80,12,pcs\nMUG-9,Mug,7.00,6,pcs\n"
	m = w.sendFile(mia, "catalog.csv", good, "preview")
	for _, want := range []string{"1 new, 1 changed", "line 2 · TEA-1 Green tea 100g: price 4.50 USD → 4.80 USD, stock 10 → 12",
		"line 3 · new MUG-9 Mug: 7.00 USD, stock 6"} {
		if !strings.Contains(m.PlainText, want) {
			t.Errorf("preview lacks %q: %q", want, m.PlainText)
		}
	}
	if after := w.dbState(); after != before {
		t.Fatalf("a preview changed the database:\n%s\n%s", before, after)
	}
	w.pressOn(mia, m.ID, "✅ Apply", "Catalog updated: 1 new, 1 changed")
	tea, err := w.db.ProductBySKU(context.Background(), "TEA-1")
	if err != nil || tea.Price != 480 {
		t.Fatalf("TEA-1 after apply: %+v %v", tea, err)
	}
	mug, err := w.db.ProductBySKU(context.Background(), "MUG-9")
	if err != nil {
		t.Fatal(err)
	}
	if st := w.stock(*mug); st.OnHand != 6 {
		t.Fatalf("MUG-9 stock: %+v", st)
	}
}

func (w *world) sendFile(user int64, name, data, want string) fakeapi.Message {
	w.t.Helper()
	cur := w.srv.Cursor()
	if _, err := w.srv.SendDocument(user, name, []byte(data), ""); err != nil {
		w.t.Fatal(err)
	}
	return w.await(cur, user, want)
}

// TestStaff_Stock: /stock lists low stock first; goods received and a
// correction with a reason move on hand; a correction below what is
// reserved is refused and changes nothing.
func TestStaff_Stock(t *testing.T) {
	w := newWorld(t)
	w.product("TEA-1", "Green tea 100g", 450, 50)
	salt := w.product("SALT-1", "Sea salt", 300, 3)
	w.startStaff()
	bob := w.customer(1501, "Bob", "en")
	w.placeNew(bob, salt, 3)
	mia := int64(managerID)

	m := w.say(mia, "/stock", "Stock")
	if i, j := strings.Index(m.PlainText, "Sea salt"), strings.Index(m.PlainText, "Green tea"); i < 0 || j < 0 || i > j {
		t.Fatalf("low stock not first: %q", m.PlainText)
	}
	if !strings.Contains(m.PlainText, "⚠️ Sea salt (SALT-1): on hand 3 · reserved 3 · in carts 0 · free 0") {
		t.Fatalf("salt line: %q", m.PlainText)
	}
	w.press(mia, "Sea salt · free 0", "SKU: SALT-1")
	w.press(mia, "➕ Goods received", "How many arrived?")
	w.say(mia, "lots", "is not a quantity")
	w.say(mia, "10 supplier delivery", "Sea salt: on hand now 13, reserved 3")
	w.press(mia, "✏️ Correct", "Type the difference and the reason")
	w.say(mia, "-11 flood", "below the 3 reserved")
	w.say(mia, "-1", "give a reason")
	w.say(mia, "-1 broken jar", "on hand now 12")
	if st := w.stock(salt); st.OnHand != 12 || st.Reserved != 3 {
		t.Fatalf("salt: %+v", st)
	}
	w.say(mia, "salt", "search: salt")
	w.say(mia, "2026-999999", "There is no order 2026-999999")
}
