package bot

import (
	"strconv"
	"strings"

	"github.com/go-telegram/bot/models"

	"github.com/orderbot/orderbot/core"
)

// Invoices and payments from the order card. An invoice goes to the
// customer as a PDF at once. "Paid in full" records what is left to pay: at
// once when the shop has one payment method, else after one tap on the
// method; a typed amount records part of it. The customer gets a receipt
// with their balance after it.

func init() {
	onCallback("si", 2, true, func(r *req, c callback) error { return issueInvoice(r, c.Arg(0), c.Arg(1)) })
	onCallback("sp", 1, true, func(r *req, c callback) error { return startPayment(r, c.Arg(0)) })
	onCallback("spf", 3, true, func(r *req, c callback) error { return payFull(r, c.Arg(0), c.Arg(1), c.Arg(2)) })
	onCallback("spm", 2, true, func(r *req, c callback) error {
		d, ok, err := r.orderDialog(flowPay, c.Arg(0))
		if !ok {
			return err
		}
		amount := core.Money(d.dataInt("amount"))
		m, ok := r.method(c.Arg(1))
		if amount <= 0 || !ok {
			r.answer(r.lang.Plain("err.stale"), true)
			return nil
		}
		return recordPayment(r, d.OrderID, 0, amount, m)
	})
	onStaffFlow(flowPay, paymentInput)
}

func issueInvoice(r *req, orderID, version int64) error {
	inv, o, err := r.b.svc.Orders.IssueInvoice(r.effect(), r.actor, orderID, version, "")
	if err != nil {
		return r.lostRace(orderID, version, err)
	}
	r.b.notifier.OrderChanged(r.ctx, o, core.ActInvoice, r.actor)
	pdf, err := r.b.InvoicePDF(r.ctx, inv, "")
	if err != nil {
		return err
	}
	_, chat, _ := r.customerChat(o.CustomerID)
	r.deliver(chat, inv.Number+".pdf", pdf,
		r.lang.T("staff.invoice.sent", inv.Number, r.lang.money(r.b.cfg.Currency, inv.Amount), r.lang.day(inv.DueOn)))
	r.replied()
	return nil
}

// deliver tells staff a document is on its way to the customer: the outbox
// sends it, from the change's event, so a crash loses none. A customer not
// on Telegram cannot get it, so staff get the file to pass on.
func (r *req) deliver(chat int64, name string, data []byte, done string) {
	if chat != 0 {
		r.answer(stripTags(done), false)
		return
	}
	if _, err := r.b.send.DocumentWait(r.ctx, r.chatID, prio(r.ctx), name, data, done+"\n"+r.lang.T("staff.doc.pass_on"), nil); err != nil {
		r.log.Warn("document to staff", "err", err)
	}
}

func startPayment(r *req, orderID int64) error {
	o, err := r.b.svc.Orders.Get(r.ctx, r.actor, orderID)
	if err != nil {
		return err
	}
	due := o.Due() - o.Paid
	if due <= 0 || !core.Allowed(o.Status, core.ActPay) {
		r.answer(r.lang.Plain("staff.pay.nothing", o.Number), true)
		return nil
	}
	if err := r.saveDialog(&dialog{Flow: flowPay, OrderID: o.ID, Version: o.Version}); err != nil {
		return err
	}
	if r.onCard(o.ID) {
		r.out.Message = 0 // the card stays a card: ask below it
	}
	l, cur := r.lang, r.b.cfg.Currency
	key := "staff.pay.head"
	if len(r.methods()) == 1 {
		key = "staff.pay.head_one"
	}
	text := l.T(key, o.Number, o.CustomerName, l.money(cur, due))
	return r.show(text, r.methodButtons(func(i int64, m core.PaymentMethod) button {
		return btn(l.Plain("staff.btn.pay_full", l.method(m), l.money(cur, due)), cb("spf", o.ID, i, o.Version))
	}))
}

// methodButtons is a button per payment method, two to a row, and Cancel.
func (r *req) methodButtons(mk func(i int64, m core.PaymentMethod) button) *kb {
	k := &kb{}
	ms := r.methods()
	for i := 0; i < len(ms); i += 2 {
		row := []button{mk(int64(i), ms[i])}
		if i+1 < len(ms) {
			row = append(row, mk(int64(i+1), ms[i+1]))
		}
		k.row(row...)
	}
	return k.row(btn(r.lang.Plain("staff.btn.quit"), cb("sq")))
}

// payFullButton is "💳 Paid in full · 16.50" for an order with something
// left to pay: with one payment method it records the payment at once,
// else it asks how it was paid (or for another amount).
func (b *Bot) payFullButton(l lang, o *core.Order) button {
	due := o.Due() - o.Paid
	if due <= 0 || !core.Allowed(o.Status, core.ActPay) {
		return button{}
	}
	label := l.Plain("staff.btn.paid_full", l.money(b.cfg.Currency, due))
	if len(b.cfg.PaymentMethods) == 1 {
		return btn(label, cb("spf", o.ID, 0, o.Version))
	}
	return btn(label, cb("sp", o.ID))
}

// shipAllButton is "🚚 Ship all" for a confirmed order with goods to ship.
func shipAllButton(l lang, o *core.Order) button {
	if !core.Allowed(o.Status, core.ActShip) || o.ConfirmedAt == nil || o.Ready() <= 0 {
		return button{}
	}
	return btn(l.Plain("staff.btn.ship_all"), cb("ss", o.ID, o.Version))
}

// payFull records what is left to pay on the order, if the order is still
// as the person saw it (a second tap finds it changed).
func payFull(r *req, orderID, method, version int64) error {
	m, ok := r.method(method)
	if !ok {
		r.answer(r.lang.Plain("err.stale"), true)
		return nil
	}
	o, err := r.b.svc.Orders.Get(r.ctx, r.actor, orderID)
	if err != nil {
		return err
	}
	if o.Version != version {
		return r.tellRace(o)
	}
	return recordPayment(r, o.ID, version, o.Due()-o.Paid, m)
}

// paymentInput takes a typed amount, then asks how it was paid.
func paymentInput(r *req, d *dialog, m *models.Message) error {
	l, cur := r.lang, r.b.cfg.Currency
	amount, err := cur.Parse(strings.TrimSpace(m.Text))
	if err != nil || amount <= 0 {
		return r.reply(l.T("staff.pay.bad_amount", strings.TrimSpace(m.Text)), l.quitKB().markup())
	}
	if ms := r.methods(); len(ms) == 1 {
		return recordPayment(r, d.OrderID, 0, amount, ms[0])
	}
	d.set("amount", strconv.FormatInt(int64(amount), 10))
	if err := r.saveDialog(d); err != nil {
		return err
	}
	return r.reply(l.T("staff.pay.method", l.money(cur, amount)), r.methodButtons(func(i int64, m core.PaymentMethod) button {
		return btn(l.method(m), cb("spm", d.OrderID, i))
	}).markup())
}

func recordPayment(r *req, orderID, version int64, amount core.Money, method core.PaymentMethod) error {
	o, err := r.b.svc.Orders.Get(r.ctx, r.actor, orderID)
	if err != nil {
		return err
	}
	p, err := r.b.svc.Orders.RecordPayment(r.effect(), r.actor, core.PaymentInput{CustomerID: o.CustomerID, OrderID: o.ID, Version: version, Amount: amount, Method: method})
	if err != nil {
		return err
	}
	r.endFlow(flowPay)
	if o, err = r.b.svc.Orders.Get(r.ctx, r.actor, orderID); err != nil {
		return err
	}
	r.b.notifier.OrderChanged(r.ctx, o, core.ActPay, r.actor)
	debt := r.debtOf(o.CustomerID)
	if err := r.sendReceipt(o, p, debt); err != nil {
		return err
	}
	r.replied()
	cur := r.b.cfg.Currency
	return r.reply(r.lang.T("staff.pay.done", r.lang.money(cur, p.Amount), r.lang.method(p.Method), o.Number, o.CustomerName,
		safeHTML(r.lang.balance(cur, debt.Debt)), r.lang.money(cur, debt.Overdue())), nil)
}

func (r *req) debtOf(customerID int64) core.Balance {
	bs, err := r.b.svc.Orders.Balances(r.ctx, r.actor, customerID)
	if err != nil || len(bs) != 1 {
		return core.Balance{CustomerID: customerID}
	}
	return bs[0]
}

// balance says a debt in words: owes, has credit, or settled.
func (l lang) balance(cur core.Currency, debt core.Money) string {
	switch {
	case debt > 0:
		return l.T("staff.balance.owes", l.money(cur, debt))
	case debt < 0:
		return l.T("staff.balance.credit", l.money(cur, -debt))
	}
	return l.T("staff.balance.settled")
}

// yourBalance says a debt to the customer themselves.
func (l lang) yourBalance(cur core.Currency, debt core.Money) string {
	switch {
	case debt > 0:
		return l.T("staff.balance.you_owe", l.money(cur, debt))
	case debt < 0:
		return l.T("staff.balance.your_credit", l.money(cur, -debt))
	}
	return l.T("staff.balance.you_settled")
}

// sendReceipt tells staff the receipt is on its way: the outbox sends it
// from the payment's event; staff get the file only to pass on to a customer
// not on Telegram.
func (r *req) sendReceipt(o *core.Order, p *core.Payment, _ core.Balance) error {
	_, chat, _ := r.customerChat(o.CustomerID)
	done := r.lang.T("staff.receipt.sent", receiptNumber(p))
	if chat != 0 {
		r.answer(stripTags(done), false)
		return nil
	}
	led, err := r.b.svc.Orders.Ledger(r.ctx, core.System, o.CustomerID)
	if err != nil {
		return err
	}
	name, pdf, _, err := r.b.paymentReceipt(r.ctx, led, o, p)
	if err != nil {
		return err
	}
	r.deliver(0, name, pdf, done)
	return nil
}
