package bot

import (
	"bytes"
	"context"
	"fmt"
	"os/exec"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/orderbot/orderbot/bot/fakeapi"
	"github.com/orderbot/orderbot/core"
)

// Helpers for the staff tests, on top of harness_test.go.

// startStaff has the owner and both managers open their chats with the bot,
// as on Telegram: a bot cannot write to someone who never started it.
func (w *world) startStaff() {
	w.t.Helper()
	w.say(ownerID, "/start", "You are the owner")
	w.say(managerID, "/start", "You are a manager")
	w.say(manager2ID, "/start", "You are a manager")
}

// customer registers a Telegram customer by /start and returns their record.
func (w *world) customer(id int64, name, lang string) *core.Customer {
	w.t.Helper()
	w.user(id, name, lang)
	if _, err := w.srv.SendText(id, "/start"); err != nil {
		w.t.Fatal(err)
	}
	w.await(fakeapiZero, id, name)
	c, err := w.db.CustomerByTelegram(context.Background(), id)
	if err != nil {
		w.t.Fatal(err)
	}
	return c
}

// pressOn presses a button on one message and waits for a message with want.
func (w *world) pressOn(user int64, msgID int, label, want string) fakeapi.Message {
	w.t.Helper()
	cur := w.srv.Cursor()
	if _, err := w.srv.PressButtonOn(user, msgID, label); err != nil {
		w.t.Fatalf("press %q on message %d: %v", label, msgID, err)
	}
	return w.await(cur, user, want)
}

// answerOf waits for the bot's answer to the callback query of an update.
func (w *world) answerOf(updateID int64) fakeapi.CallbackAnswer {
	w.t.Helper()
	upd, ok := w.srv.Update(updateID)
	if !ok || upd.CallbackQuery == nil {
		w.t.Fatalf("update %d is not a callback query", updateID)
	}
	ans, err := w.srv.WaitCallbackAnswer(w.ctx(), upd.CallbackQuery.ID)
	if err != nil {
		w.t.Fatalf("callback %q not answered: %v", upd.CallbackQuery.Data, err)
	}
	return ans
}

// awaitDoc waits for a document from the bot in a chat after cur.
func (w *world) awaitDoc(cur fakeapi.Cursor, chat int64, want string) fakeapi.Message {
	w.t.Helper()
	m, err := w.srv.WaitBotMessageAfter(w.ctx(), cur, chat, func(m fakeapi.Message) bool {
		return m.Document != nil && strings.Contains(m.PlainCaption, want)
	})
	if err != nil {
		w.t.Fatalf("waiting for a document with %q in chat %d: %v\nlast message: %s", want, chat, err, w.last(chat))
	}
	return m
}

// pdfText extracts a PDF's text with pdftotext (poppler-utils). A missing
// tool fails the test: the check must run.
func pdfText(t *testing.T, pdf []byte) string {
	t.Helper()
	if !bytes.HasPrefix(pdf, []byte("%PDF")) {
		t.Fatalf("not a PDF: %q", pdf[:min(len(pdf), 16)])
	}
	path, err := exec.LookPath("pdftotext")
	if err != nil {
		t.Fatalf("pdftotext is needed to check PDF text (apt-get install poppler-utils): %v", err)
	}
	cmd := exec.Command(path, "-layout", "-", "-")
	cmd.Stdin = bytes.NewReader(pdf)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return string(out)
}

// recorder keeps, in the order they happened, the messages of some chats
// (new and edited, from people and from the bot) and the bot's toasts: a
// transcript of a conversation as people saw it.
type recorder struct {
	mu    sync.Mutex
	lines []string
	seen  time.Time
}

func (w *world) record(chats ...int64) *recorder {
	events, stop := w.srv.Subscribe()
	w.t.Cleanup(stop)
	rec := &recorder{}
	go func() {
		for e := range events {
			rec.add(e, chats)
		}
	}()
	return rec
}

func (rec *recorder) add(e fakeapi.Event, chats []int64) {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	rec.seen = time.Now()
	if e.Kind == fakeapi.EventCallbackAnswer {
		if e.Callback.Text != "" {
			rec.lines = append(rec.lines, "  (toast) "+e.Callback.Text)
		}
		return
	}
	if !slices.Contains(chats, e.ChatID) || (e.Kind != fakeapi.EventMessage && e.Kind != fakeapi.EventEdit) {
		return
	}
	m := e.Message
	who := fmt.Sprint(m.ChatID)
	if !m.FromBot {
		text := m.PlainText
		switch {
		case m.Document != nil:
			text = "[file " + m.Document.FileName + "]"
		case m.Contact != nil:
			text = "[contact " + m.Contact.PhoneNumber + "]"
		}
		rec.lines = append(rec.lines, fmt.Sprintf("\n%s » %s", who, text))
		return
	}
	var b strings.Builder
	mark := "«"
	if e.Kind == fakeapi.EventEdit {
		mark = "« (edits its message)"
	}
	text := m.PlainText
	if m.Document != nil {
		text = "[file " + m.Document.FileName + "] " + m.PlainCaption
	}
	fmt.Fprintf(&b, "%s %s %s", who, mark, strings.ReplaceAll(text, "\n", "\n    "))
	for _, row := range m.InlineKeyboard {
		var labels []string
		for _, btn := range row {
			labels = append(labels, "["+btn.Text+"]")
		}
		fmt.Fprintf(&b, "\n    %s", strings.Join(labels, " "))
	}
	rec.lines = append(rec.lines, b.String())
}

// String waits until the events have settled and returns the transcript.
func (rec *recorder) String() string {
	for {
		time.Sleep(50 * time.Millisecond)
		rec.mu.Lock()
		quiet := time.Since(rec.seen) > 150*time.Millisecond
		rec.mu.Unlock()
		if quiet {
			break
		}
	}
	rec.mu.Lock()
	defer rec.mu.Unlock()
	return strings.Join(rec.lines, "\n")
}

// dbState is a fingerprint of everything staff actions can change.
func (w *world) dbState() string {
	w.t.Helper()
	var out string
	err := w.db.Pool().QueryRow(context.Background(), `SELECT concat_ws(' ',
		(SELECT count(*) FROM order_events), (SELECT coalesce(sum(version), 0) FROM orders),
		(SELECT string_agg(status, ',' ORDER BY id) FROM orders),
		(SELECT count(*) FROM invoices), (SELECT count(*) FROM invoice_voids), (SELECT count(*) FROM payments),
		(SELECT count(*) FROM shipments), (SELECT count(*) FROM stock_moves),
		(SELECT string_agg(on_hand || '/' || reserved, ',' ORDER BY product_id) FROM stock),
		(SELECT string_agg(sku || '=' || price || ':' || name, ',' ORDER BY id) FROM products),
		(SELECT count(*) FROM customers), (SELECT coalesce(sum(terms_days), 0) FROM customers),
		(SELECT count(*) FROM staff))`).Scan(&out)
	if err != nil {
		w.t.Fatal(err)
	}
	return out
}

// lastInvoice is the newest invoice of an order.
func (w *world) lastInvoice(orderID int64) core.Invoice {
	w.t.Helper()
	invs, err := w.svc.Orders.Invoices(context.Background(), core.System, core.InvoiceFilter{OrderID: orderID})
	if err != nil || len(invs) == 0 {
		w.t.Fatalf("invoices of order %d: %v %v", orderID, invs, err)
	}
	return invs[len(invs)-1]
}

func (w *world) order(id int64) *core.Order {
	w.t.Helper()
	o, err := w.svc.Orders.Get(context.Background(), core.System, id)
	if err != nil {
		w.t.Fatal(err)
	}
	return o
}
