package bot

import (
	"strconv"
	"strings"

	"github.com/go-telegram/bot/models"

	"github.com/orderbot/orderbot/core"
)

// Changing an order: a customer while it is new, staff while something is
// not shipped. The screen lists the lines with − and + (a line at 0 is
// removed); typing a product's name offers it to add; typing "address: …"
// or "comment: …" changes those. Save makes the change in the core, all or
// nothing: reservations move, an invoice that no longer matches is voided
// and reissued, and the customer gets the new summary (and invoice).

const flowEdit = "edit"

// maxEditLines bounds the lines one change may have.
const maxEditLines = 40

func init() {
	onCallback("oe", 2, false, func(r *req, c callback) error { return startEdit(r, c.Arg(0), c.Arg(1)) })            // open the change screen
	onCallback("eq", 3, false, func(r *req, c callback) error { return setEditQty(r, c.Arg(0), c.Arg(1), c.Arg(2)) }) // set a line's quantity
	onCallback("es", 1, false, func(r *req, c callback) error { return saveEdit(r, c.Arg(0)) })                       // save the change
	onCallback("ex", 1, false, func(r *req, c callback) error { return quitEdit(r, c.Arg(0)) })                       // leave it unchanged
	onFlow(flowEdit, editInput)
	onFlowPrompt(flowEdit, func(r *req, d *dialog) error {
		o, err := r.b.svc.Orders.Get(r.ctx, r.actor, d.OrderID)
		if err != nil {
			return err
		}
		return r.showEdit(o, d)
	})
	register(langEN, map[string]string{
		"edit.head":      "✏️ <b>Changing order %s</b> · %s",
		"edit.line":      "• %s × %d %s",
		"edit.was":       " (was %d)",
		"edit.removed":   "• <s>%s</s> — removed",
		"edit.shipped":   " · %d shipped",
		"edit.address":   "Delivery: %s",
		"edit.comment":   "Comment: %s",
		"edit.hint":      "<i>− and + change a quantity (0 removes the line). Type part of a product name to add it, or “address: …” / “comment: …” to change those.</i>",
		"edit.found":     "Add to the order:",
		"edit.none":      "Nothing matches “%s”.",
		"edit.same":      "Nothing is changed yet.",
		"edit.saved":     "✅ Order %s changed",
		"btn.edit_save":  "✅ Save changes",
		"btn.edit_quit":  "✖ Leave as it was",
		"btn.edit_add":   "➕ %s · %s",
		"edit.quit_done": "The order stays as it was.",
	})
	register(langRU, map[string]string{
		"edit.head":      "✏️ <b>Изменение заказа %s</b> · %s",
		"edit.line":      "• %s × %d %s",
		"edit.was":       " (было %d)",
		"edit.removed":   "• <s>%s</s> — убрано",
		"edit.shipped":   " · отгружено %d",
		"edit.address":   "Доставка: %s",
		"edit.comment":   "Комментарий: %s",
		"edit.hint":      "<i>− и + меняют количество (0 убирает строку). Напишите часть названия товара, чтобы добавить его, или «адрес: …» / «комментарий: …», чтобы изменить их.</i>",
		"edit.found":     "Добавить в заказ:",
		"edit.none":      "Ничего не найдено по «%s».",
		"edit.same":      "Пока ничего не изменено.",
		"edit.saved":     "✅ Заказ %s изменён",
		"btn.edit_save":  "✅ Сохранить",
		"btn.edit_quit":  "✖ Оставить как было",
		"btn.edit_add":   "➕ %s · %s",
		"edit.quit_done": "Заказ остался как был.",
	})
}

func startEdit(r *req, orderID, version int64) error {
	o, err := r.b.svc.Orders.Get(r.ctx, r.actor, orderID)
	if err != nil {
		return err
	}
	if o.Version != version {
		r.answer(r.lang.Plain("err.stale"), true)
		return showOrder(r, o.ID)
	}
	if !core.Allowed(o.Status, core.ActEdit) || (!r.isStaff() && o.Status != core.StatusNew) {
		r.answer(stripTags(r.lang.T("err.refused", "order "+o.Number+" can no longer be changed here")), true)
		return nil
	}
	d := &dialog{Flow: flowEdit, OrderID: o.ID, Version: o.Version, Address: o.Address, Comment: o.Comment}
	for _, l := range o.Lines {
		d.Lines = append(d.Lines, dialogLine{ProductID: l.ProductID, Qty: l.Qty})
	}
	if err := r.saveDialog(d); err != nil {
		return err
	}
	return r.showEdit(o, d)
}

func setEditQty(r *req, orderID, productID, qty int64) error {
	d, o, ok, err := r.editDialog(orderID)
	if !ok {
		return err
	}
	for i := range d.Lines {
		if d.Lines[i].ProductID == productID {
			d.Lines[i].Qty = min(max(qty, shippedOf(o, productID)), core.MaxQty)
		}
	}
	if err := r.saveDialog(d); err != nil {
		return err
	}
	return r.showEdit(o, d)
}

// editDialog loads the change a button belongs to and the order as it is.
func (r *req) editDialog(orderID int64) (*dialog, *core.Order, bool, error) {
	d, err := r.loadDialog()
	if err != nil {
		return nil, nil, false, err
	}
	if d.Flow != flowEdit || d.OrderID != orderID {
		r.answer(r.lang.Plain("err.stale"), true)
		return nil, nil, false, nil
	}
	o, err := r.b.svc.Orders.Get(r.ctx, r.actor, orderID)
	if err != nil {
		return nil, nil, false, err
	}
	return d, o, true, nil
}

func shippedOf(o *core.Order, productID int64) int64 {
	if l := o.Line(productID); l != nil {
		return l.Shipped
	}
	return 0
}

func quitEdit(r *req, orderID int64) error {
	if _, _, ok, err := r.editDialog(orderID); !ok {
		return err
	}
	if err := r.clearDialog(); err != nil {
		return err
	}
	r.answer(r.lang.Plain("edit.quit_done"), false)
	return showOrder(r, orderID)
}

// saveEdit makes the change: one core call, which marks this update done
// and writes the answer (the order as it is now) in its transaction.
func saveEdit(r *req, orderID int64) error {
	d, o, ok, err := r.editDialog(orderID)
	if !ok {
		return err
	}
	e := core.OrderEdit{}
	if d.Address != o.Address {
		e.Address = &d.Address
	}
	if d.Comment != o.Comment {
		e.Comment = &d.Comment
	}
	if linesChanged(o, d) {
		for _, l := range d.Lines {
			e.Lines = append(e.Lines, core.OrderLineInput{ProductID: l.ProductID, Qty: l.Qty})
		}
	}
	if e.Lines == nil && e.Address == nil && e.Comment == nil {
		r.answer(r.lang.Plain("edit.same"), true)
		return nil
	}
	o, _, err = r.b.svc.Orders.Edit(r.effect(), r.actor, orderID, d.Version, e)
	if err != nil {
		return r.lostRace(orderID, d.Version, err)
	}
	if err := r.clearDialog(); err != nil {
		r.log.Warn("clear dialog", "err", err)
	}
	r.answer(r.lang.Plain("edit.saved", o.Number), false)
	r.b.notifier.OrderChanged(r.ctx, o, core.ActEdit, r.actor)
	r.replied()
	return nil
}

// linesChanged reports whether the change sets any quantity other than the
// order's (a product offered by a search and left at 0 is no change).
func linesChanged(o *core.Order, d *dialog) bool {
	for _, l := range d.Lines {
		ol := o.Line(l.ProductID)
		if (ol == nil && l.Qty > 0) || (ol != nil && ol.Qty != l.Qty) {
			return true
		}
	}
	return false
}

// editInput takes "address: …", "comment: …" or part of a product name.
func editInput(r *req, d *dialog, m *models.Message) error {
	text := strings.TrimSpace(m.Text)
	o, err := r.b.svc.Orders.Get(r.ctx, r.actor, d.OrderID)
	if err != nil {
		return err
	}
	if len([]rune(text)) > core.MaxCommentLen {
		return r.reply(r.lang.T("err.too_long", core.MaxCommentLen), nil)
	}
	if field, value, ok := editField(text); ok {
		if field == "address" {
			d.Address = value
		} else {
			d.Comment = value
		}
		if err := r.saveDialog(d); err != nil {
			return err
		}
		r.out.Message = 0
		return r.showEdit(o, d)
	}
	if text == "" || len([]rune(text)) > 100 {
		return r.showEdit(o, d)
	}
	levels, err := r.b.svc.Catalog.Stock(r.ctx, core.StockFilter{Query: text, ActiveOnly: true, Limit: 8})
	if err != nil {
		return err
	}
	if len(levels) == 0 {
		return r.reply(r.lang.T("edit.none", text), nil)
	}
	k := &kb{}
	for _, p := range levels {
		k.row(btn(r.lang.Plain("btn.edit_add", p.Name, r.lang.money(r.b.cfg.Currency, p.Price)), cb("eq", o.ID, p.ID, 1+qtyIn(d, p.ID))))
	}
	for _, p := range levels {
		if !hasLine(d, p.ID) && len(d.Lines) < maxEditLines {
			d.Lines = append(d.Lines, dialogLine{ProductID: p.ID, Qty: 0})
		}
	}
	if err := r.saveDialog(d); err != nil {
		return err
	}
	return r.reply(r.lang.T("edit.found"), k.markup())
}

// editField reads "address: …" or "comment: …" (in either language).
func editField(text string) (field, value string, ok bool) {
	head, rest, found := strings.Cut(text, ":")
	if !found {
		return "", "", false
	}
	switch strings.ToLower(strings.TrimSpace(head)) {
	case "address", "адрес":
		return "address", strings.TrimSpace(rest), true
	case "comment", "комментарий":
		return "comment", strings.TrimSpace(rest), true
	}
	return "", "", false
}

func hasLine(d *dialog, productID int64) bool {
	for _, l := range d.Lines {
		if l.ProductID == productID {
			return true
		}
	}
	return false
}

func qtyIn(d *dialog, productID int64) int64 {
	for _, l := range d.Lines {
		if l.ProductID == productID {
			return l.Qty
		}
	}
	return 0
}

// showEdit renders the change screen: each line with − and +, address,
// comment, Save and Leave.
func (r *req) showEdit(o *core.Order, d *dialog) error {
	l := r.lang
	var b strings.Builder
	b.WriteString(l.T("edit.head", o.Number, o.CustomerName))
	k := &kb{}
	for _, dl := range d.Lines {
		name, unit, was, shipped := r.editLineInfo(o, dl.ProductID)
		if dl.Qty == 0 && was == 0 {
			continue // offered by a search, not added
		}
		if dl.Qty == 0 {
			b.WriteString("\n" + l.T("edit.removed", name))
		} else {
			b.WriteString("\n" + l.T("edit.line", name, dl.Qty, l.unit(dl.Qty, unit)))
			if was != dl.Qty {
				b.WriteString(l.T("edit.was", was))
			}
		}
		if shipped > 0 {
			b.WriteString(l.T("edit.shipped", shipped))
		}
		k.row(btn("−", cb("eq", o.ID, dl.ProductID, max(dl.Qty-1, 0))), btn(clip(name, 22)+" × "+strconv.FormatInt(dl.Qty, 10), cb("eq", o.ID, dl.ProductID, dl.Qty)),
			btn("+", cb("eq", o.ID, dl.ProductID, dl.Qty+1)))
	}
	b.WriteString("\n\n" + l.T("edit.address", orDash(d.Address, "")))
	if d.Comment != "" {
		b.WriteString("\n" + l.T("edit.comment", d.Comment))
	}
	b.WriteString("\n\n" + l.T("edit.hint"))
	k.row(btn(l.Plain("btn.edit_save"), cb("es", o.ID)), btn(l.Plain("btn.edit_quit"), cb("ex", o.ID)))
	return r.show(b.String(), k)
}

// editLineInfo names a product of the change: from the order, or from the
// catalog when it is being added.
func (r *req) editLineInfo(o *core.Order, productID int64) (name, unit string, was, shipped int64) {
	if l := o.Line(productID); l != nil {
		return l.Name, l.Unit, l.Qty, l.Shipped
	}
	levels, err := r.b.svc.Catalog.Stock(r.ctx, core.StockFilter{ProductIDs: []int64{productID}})
	if err != nil || len(levels) == 0 {
		return "#" + strconv.FormatInt(productID, 10), "", 0, 0
	}
	return levels[0].Name, levels[0].Unit, 0, 0
}
