package bot

import (
	"errors"
	"strconv"
	"strings"

	"github.com/go-telegram/bot/models"

	"github.com/orderbot/orderbot/core"
)

// Corrections from the order card, for staff: change the order, take goods
// back (a credit note for what was invoiced), void an invoice, reverse a
// payment. Each asks for a reason, is one core call that writes the order's
// event (the customer hears of it, with the PDF where a document changed)
// and is refused with the core's words when it does not apply.

const (
	flowReturn = "s.return"
	flowCorr   = "s.corr"
	// how many payments the reversal screen offers (newest first)
	reversalChoices = 6
)

func init() {
	onCallback("rt", 2, true, func(r *req, c callback) error { return startReturn(r, c.Arg(0), c.Arg(1)) })             // return goods: pick quantities
	onCallback("rtq", 3, true, func(r *req, c callback) error { return setReturnQty(r, c.Arg(0), c.Arg(1), c.Arg(2)) }) // a line's quantity to return
	onCallback("rtg", 1, true, func(r *req, c callback) error { return askReturnReason(r, c.Arg(0)) })                  // chosen: ask why
	onCallback("scr", 1, true, func(r *req, c callback) error { return showCorrections(r, c.Arg(0)) })                  // corrections screen
	onCallback("siv", 1, true, func(r *req, c callback) error { return askVoid(r, c.Arg(0)) })                          // void an invoice: ask why
	onCallback("spr", 2, true, func(r *req, c callback) error { return askReverse(r, c.Arg(0), c.Arg(1)) })             // reverse a payment: ask why
	onStaffFlow(flowReturn, returnInput)
	onStaffFlow(flowCorr, correctionInput)
	onFlowPrompt(flowReturn, func(r *req, d *dialog) error {
		return r.reply(r.lang.T("staff.reason.need2"), r.lang.quitKB().markup())
	})
	onFlowPrompt(flowCorr, func(r *req, d *dialog) error {
		return r.reply(r.lang.T("staff.reason.need2"), r.lang.quitKB().markup())
	})
	register(langEN, map[string]string{
		"staff.btn.change":       "✏️ Change",
		"staff.btn.return":       "↩ Return goods",
		"staff.btn.corrections":  "🛠 Void / reverse",
		"staff.btn.void":         "🧾✖ Void %s · %s",
		"staff.btn.reverse":      "💸↩ P-%d · %s · %s · %s",
		"staff.btn.return_go":    "↩ Return chosen (%d)",
		"staff.return.head":      "↩ <b>Return goods of order %s</b> · %s\nHow many of each come back?",
		"staff.return.line":      "%d. %s: <b>%d</b> of %d shipped and kept",
		"staff.return.none":      "Choose how many come back first.",
		"staff.return.nothing":   "Nothing of order %s is shipped and kept: nothing to return.",
		"staff.return.reason":    "↩ Returning from order <b>%s</b>:\n%s\n\nWhy are the goods coming back? Type the reason.",
		"staff.return.done":      "↩ Return recorded for order <b>%s</b>: %s back on hand. %s",
		"staff.return.credit":    "Credit note %s: −%s on %s.",
		"staff.return.no_credit": "Nothing of it was invoiced: no credit note.",
		"staff.corr.head":        "🛠 <b>Corrections of order %s</b> · %s\nVoid an invoice (its amount comes off the debt; issue a new one if needed) or reverse a payment that did not happen (a bounced transfer, a mistake).",
		"staff.corr.none":        "Order %s has no invoice to void and its customer no payment to reverse.",
		"staff.void.ask":         "🧾✖ Void invoice <b>%s</b> (%s, order %s)? Type the reason.",
		"staff.void.done":        "🧾✖ Invoice <b>%s</b> is void: %s. The customer is told.",
		"staff.reverse.ask":      "💸↩ Reverse payment <b>P-%d</b> (%s, %s, %s)? Type the reason.",
		"staff.reverse.done":     "💸↩ Payment <b>P-%d</b> of %s is reversed: %s. %s",
		"staff.reason.need2":     "Type the reason, please (or Cancel).",
	})
	register(langRU, map[string]string{
		"staff.btn.change":       "✏️ Изменить",
		"staff.btn.return":       "↩ Возврат товара",
		"staff.btn.corrections":  "🛠 Аннулировать / сторно",
		"staff.btn.void":         "🧾✖ Аннулировать %s · %s",
		"staff.btn.reverse":      "💸↩ P-%d · %s · %s · %s",
		"staff.btn.return_go":    "↩ Вернуть выбранное (%d)",
		"staff.return.head":      "↩ <b>Возврат по заказу %s</b> · %s\nСколько возвращается?",
		"staff.return.line":      "%d. %s: <b>%d</b> из %d отгруженных",
		"staff.return.none":      "Сначала выберите, сколько возвращается.",
		"staff.return.nothing":   "По заказу %s нет отгруженного товара: возвращать нечего.",
		"staff.return.reason":    "↩ Возврат по заказу <b>%s</b>:\n%s\n\nПочему товар возвращается? Напишите причину.",
		"staff.return.done":      "↩ Возврат по заказу <b>%s</b> оформлен: %s снова на складе. %s",
		"staff.return.credit":    "Кредит-нота %s: −%s к %s.",
		"staff.return.no_credit": "Счетов на этот товар не было: кредит-нота не нужна.",
		"staff.corr.head":        "🛠 <b>Исправления по заказу %s</b> · %s\nАннулировать счёт (его сумма уйдёт из долга; при нужде выставьте новый) или сторнировать оплату, которой не было (вернулся перевод, ошибка).",
		"staff.corr.none":        "У заказа %s нет счёта для аннулирования, а у клиента нет оплат для сторно.",
		"staff.void.ask":         "🧾✖ Аннулировать счёт <b>%s</b> (%s, заказ %s)? Напишите причину.",
		"staff.void.done":        "🧾✖ Счёт <b>%s</b> аннулирован: %s. Клиенту сообщено.",
		"staff.reverse.ask":      "💸↩ Сторнировать оплату <b>P-%d</b> (%s, %s, %s)? Напишите причину.",
		"staff.reverse.done":     "💸↩ Оплата <b>P-%d</b> на %s сторнирована: %s. %s",
		"staff.reason.need2":     "Напишите причину, пожалуйста (или Отмена).",
	})
}

// cycleButtons adds the order cycle's staff actions to an order card.
func (r *req) cycleButtons(k *kb, o *core.Order, invs []core.Invoice) {
	l := r.lang
	var row []button
	if core.Allowed(o.Status, core.ActEdit) {
		row = append(row, btn(l.Plain("staff.btn.change"), cb("oe", o.ID, o.Version)))
	}
	if core.Allowed(o.Status, core.ActReturn) && keptShipped(o) > 0 {
		row = append(row, btn(l.Plain("staff.btn.return"), cb("rt", o.ID, o.Version)))
	}
	if o.Status != core.StatusNew && o.Status != core.StatusCancelled {
		row = append(row, btn(l.Plain("staff.btn.corrections"), cb("scr", o.ID)))
	}
	k.row(row...)
}

func keptShipped(o *core.Order) int64 {
	var n int64
	for _, l := range o.Lines {
		n += l.Shipped - l.Returned
	}
	return n
}

func startReturn(r *req, orderID, version int64) error {
	o, err := r.b.svc.Orders.Get(r.ctx, r.actor, orderID)
	if err != nil {
		return err
	}
	if o.Version != version {
		return r.tellRace(o)
	}
	if keptShipped(o) == 0 {
		r.answer(stripTags(r.lang.T("staff.return.nothing", o.Number)), true)
		return nil
	}
	d := &dialog{Flow: flowReturn, OrderID: o.ID, Version: o.Version}
	for _, l := range o.Lines {
		if l.Shipped-l.Returned > 0 {
			d.Lines = append(d.Lines, dialogLine{ProductID: l.ProductID})
		}
	}
	if err := r.saveDialog(d); err != nil {
		return err
	}
	return r.show(r.renderReturn(o, d))
}

func setReturnQty(r *req, orderID, productID, qty int64) error {
	d, ok, err := r.orderDialog(flowReturn, orderID)
	if !ok {
		return err
	}
	o, err := r.b.svc.Orders.Get(r.ctx, r.actor, orderID)
	if err != nil {
		return err
	}
	for i := range d.Lines {
		if d.Lines[i].ProductID == productID {
			line := orderLine(o, productID)
			d.Lines[i].Qty = min(max(qty, 0), line.Shipped-line.Returned)
		}
	}
	if err := r.saveDialog(d); err != nil {
		return err
	}
	return r.show(r.renderReturn(o, d))
}

func (r *req) renderReturn(o *core.Order, d *dialog) (string, *kb) {
	l := r.lang
	var b strings.Builder
	b.WriteString(l.T("staff.return.head", o.Number, o.CustomerName))
	k := &kb{}
	var total int64
	for i, dl := range d.Lines {
		line := orderLine(o, dl.ProductID)
		kept := line.Shipped - line.Returned
		total += dl.Qty
		b.WriteString("\n" + l.T("staff.return.line", i+1, line.Name, dl.Qty, kept))
		k.row(btn("−", cb("rtq", o.ID, dl.ProductID, max(dl.Qty-1, 0))),
			btn(clip(line.Name, 20)+" "+itoa(dl.Qty)+"/"+itoa(kept), cb("rtq", o.ID, dl.ProductID, kept)),
			btn("+", cb("rtq", o.ID, dl.ProductID, min(dl.Qty+1, kept))))
	}
	k.row(btn(l.Plain("staff.btn.return_go", total), cb("rtg", o.ID)))
	k.row(btn(l.Plain("staff.btn.quit"), cb("sq")))
	return b.String(), k
}

func askReturnReason(r *req, orderID int64) error {
	d, ok, err := r.orderDialog(flowReturn, orderID)
	if !ok {
		return err
	}
	o, err := r.b.svc.Orders.Get(r.ctx, r.actor, orderID)
	if err != nil {
		return err
	}
	var lines []string
	for _, dl := range d.Lines {
		if dl.Qty > 0 {
			line := orderLine(o, dl.ProductID)
			lines = append(lines, r.lang.T("staff.ship.notice_line", line.Name, dl.Qty, r.lang.unit(dl.Qty, line.Unit)))
		}
	}
	if len(lines) == 0 {
		r.answer(r.lang.Plain("staff.return.none"), true)
		return nil
	}
	d.Step = "reason"
	if err := r.saveDialog(d); err != nil {
		return err
	}
	return r.show(r.lang.T("staff.return.reason", o.Number, safeHTML(strings.Join(lines, "\n"))), r.lang.quitKB())
}

// returnInput takes the reason of a return and records it.
func returnInput(r *req, d *dialog, m *models.Message) error {
	reason := strings.TrimSpace(m.Text)
	if d.Step != "reason" || reason == "" {
		return r.reply(r.lang.T("staff.reason.need2"), r.lang.quitKB().markup())
	}
	var lines []core.QtyLine
	for _, dl := range d.Lines {
		if dl.Qty > 0 {
			lines = append(lines, core.QtyLine{ProductID: dl.ProductID, Qty: dl.Qty})
		}
	}
	_, notes, o, err := r.b.svc.Orders.ReturnGoods(r.effect(), r.actor, d.OrderID, d.Version, lines, reason)
	if err != nil {
		if errorsIsInvalid(err) {
			return err // a better reason can be typed; the dialog stays
		}
		r.endFlow(flowReturn)
		return r.lostRace(d.OrderID, d.Version, err)
	}
	r.endFlow(flowReturn)
	r.b.notifier.OrderChanged(r.ctx, o, core.ActReturn, r.actor)
	cur := r.b.cfg.Currency
	credit := r.lang.T("staff.return.no_credit")
	if len(notes) > 0 {
		var parts []string
		for _, n := range notes {
			parts = append(parts, r.lang.T("staff.return.credit", n.Number, r.lang.money(cur, n.Amount), n.InvoiceNumber))
		}
		credit = strings.Join(parts, " ")
	}
	var n int64
	for _, l := range lines {
		n += l.Qty
	}
	if err := r.reply(r.lang.T("staff.return.done", o.Number, strconv.FormatInt(n, 10), safeHTML(credit)), nil); err != nil {
		return err
	}
	r.sendCreditsIfOffline(o, notes)
	r.replied()
	return nil
}

// sendCreditsIfOffline gives staff the credit notes of a customer who is not
// on Telegram, to pass on; the others get them from the outbox.
func (r *req) sendCreditsIfOffline(o *core.Order, notes []core.CreditNote) {
	if _, chat, _ := r.customerChat(o.CustomerID); chat != 0 {
		return
	}
	for i := range notes {
		pdf, caption, err := r.b.creditPDF(r.ctx, &notes[i], r.lang)
		if err != nil {
			r.log.Warn("credit note for staff", "err", err)
			return
		}
		r.deliver(0, notes[i].Number+".pdf", pdf, caption)
	}
}

func showCorrections(r *req, orderID int64) error {
	o, err := r.b.svc.Orders.Get(r.ctx, r.actor, orderID)
	if err != nil {
		return err
	}
	invs, err := r.b.svc.Orders.Invoices(r.ctx, r.actor, core.InvoiceFilter{OrderID: o.ID})
	if err != nil {
		return err
	}
	led, err := r.b.svc.Orders.Ledger(r.ctx, r.actor, o.CustomerID)
	if err != nil {
		return err
	}
	l, cur := r.lang, r.b.cfg.Currency
	k := &kb{}
	for _, inv := range invs {
		if !inv.Voided {
			k.row(btn(l.Plain("staff.btn.void", inv.Number, l.money(cur, inv.Net())), cb("siv", inv.ID)))
		}
	}
	shown := 0
	for i := len(led.Payments) - 1; i >= 0 && shown < reversalChoices; i-- {
		p := led.Payments[i]
		if p.Reversed {
			continue
		}
		shown++
		k.row(btn(l.Plain("staff.btn.reverse", p.ID, l.money(cur, p.Amount), l.method(p.Method), l.day(p.ReceivedOn)), cb("spr", p.ID, o.CustomerID)))
		k.row(starRefundButton(l, &p))
	}
	if len(k.rows) == 0 {
		r.answer(stripTags(l.T("staff.corr.none", o.Number)), true)
		return nil
	}
	k.row(btn(l.Plain("btn.back"), cb("o", o.ID)))
	return r.show(l.T("staff.corr.head", o.Number, o.CustomerName), k)
}

func askVoid(r *req, invoiceID int64) error {
	inv, err := r.b.svc.Orders.InvoiceByID(r.ctx, r.actor, invoiceID)
	if err != nil {
		return err
	}
	if inv.Voided {
		r.answer(stripTags(r.lang.T("err.refused", "invoice "+inv.Number+" is already void")), true)
		return nil
	}
	d := &dialog{Flow: flowCorr, Step: "void", InvoiceID: inv.ID, OrderID: inv.OrderID}
	if err := r.saveDialog(d); err != nil {
		return err
	}
	return r.show(r.lang.T("staff.void.ask", inv.Number, r.lang.money(r.b.cfg.Currency, inv.Net()), inv.OrderNumber), r.lang.quitKB())
}

func askReverse(r *req, paymentID, customerID int64) error {
	p, err := r.findPayment(customerID, paymentID)
	if err != nil {
		return err
	}
	d := &dialog{Flow: flowCorr, Step: "reverse", CustomerID: customerID}
	d.set("payment", strconv.FormatInt(paymentID, 10))
	if err := r.saveDialog(d); err != nil {
		return err
	}
	l, cur := r.lang, r.b.cfg.Currency
	return r.show(l.T("staff.reverse.ask", p.ID, l.money(cur, p.Amount), l.method(p.Method), l.day(p.ReceivedOn)), l.quitKB())
}

// findPayment finds one of a customer's payments (a stale or forged button
// finds none).
func (r *req) findPayment(customerID, paymentID int64) (*core.Payment, error) {
	led, err := r.b.svc.Orders.Ledger(r.ctx, r.actor, customerID)
	if err != nil {
		return nil, err
	}
	for i := range led.Payments {
		if led.Payments[i].ID == paymentID {
			return &led.Payments[i], nil
		}
	}
	return nil, core.Errorf(core.ErrNotFound, "%s", r.lang.Plain("err.stale"))
}

// correctionInput takes the reason of a void or a reversal and makes it.
func correctionInput(r *req, d *dialog, m *models.Message) error {
	reason := strings.TrimSpace(m.Text)
	if reason == "" {
		return r.reply(r.lang.T("staff.reason.need2"), r.lang.quitKB().markup())
	}
	l, cur := r.lang, r.b.cfg.Currency
	switch d.Step {
	case "void":
		o, err := r.b.svc.Orders.VoidInvoice(r.effect(), r.actor, d.InvoiceID, reason)
		if err != nil {
			return r.endCorrection(err)
		}
		inv, err := r.b.svc.Orders.InvoiceByID(r.ctx, r.actor, d.InvoiceID)
		if err != nil {
			return err
		}
		r.endFlow(flowCorr)
		r.b.notifier.OrderChanged(r.ctx, o, core.ActVoid, r.actor)
		if err := r.reply(l.T("staff.void.done", inv.Number, reason), nil); err != nil {
			return err
		}
	case "reverse":
		id := d.dataInt("payment")
		if err := r.b.svc.Orders.ReversePayment(r.effect(), r.actor, id, reason); err != nil {
			return r.endCorrection(err)
		}
		r.endFlow(flowCorr)
		r.b.notifier.OrderChanged(r.ctx, nil, core.ActReverse, r.actor)
		debt := r.debtOf(d.CustomerID)
		p, _ := r.findPayment(d.CustomerID, id)
		amount := ""
		if p != nil {
			amount = l.money(cur, p.Amount)
		}
		if err := r.reply(l.T("staff.reverse.done", id, amount, reason, safeHTML(l.balance(cur, debt.Debt))), nil); err != nil {
			return err
		}
	default:
		r.endFlow(flowCorr)
		return nil
	}
	r.replied()
	return nil
}

// endCorrection keeps the dialog for a better reason, or ends it and says
// why the correction does not apply.
func (r *req) endCorrection(err error) error {
	if !errorsIsInvalid(err) {
		r.endFlow(flowCorr)
	}
	return err
}

func errorsIsInvalid(err error) bool { return errors.Is(err, core.ErrInvalid) }
