package bot

import (
	"strconv"
	"strings"

	"github.com/go-telegram/bot/models"

	"github.com/orderbot/orderbot/core"
)

// Shipping from the order card: Ship all in one tap, or Ship part with a
// quantity per line (+/- buttons, or typed as one number per line). The
// customer is told what left and what is still to come.

func init() {
	onCallback("ss", 2, true, func(r *req, c callback) error { return ship(r, c.Arg(0), c.Arg(1), nil) })
	onCallback("sy", 2, true, func(r *req, c callback) error { return startShipPart(r, c.Arg(0), c.Arg(1)) })
	onCallback("syq", 3, true, func(r *req, c callback) error { return setShipQty(r, c.Arg(0), c.Arg(1), c.Arg(2)) })
	onCallback("syg", 1, true, func(r *req, c callback) error {
		d, ok, err := r.orderDialog(flowShipPart, c.Arg(0))
		if !ok {
			return err
		}
		var lines []core.QtyLine
		for _, l := range d.Lines {
			if l.Qty > 0 {
				lines = append(lines, core.QtyLine{ProductID: l.ProductID, Qty: l.Qty})
			}
		}
		if len(lines) == 0 {
			r.answer(r.lang.Plain("staff.ship.none"), true)
			return nil
		}
		return ship(r, d.OrderID, d.Version, lines)
	})
	onStaffFlow(flowShipPart, shipPartInput)
}

func ship(r *req, orderID, version int64, lines []core.QtyLine) error {
	_, o, err := r.b.svc.Orders.Ship(r.effect(), r.actor, orderID, version, lines)
	if err != nil {
		return r.lostRace(orderID, version, err)
	}
	r.endFlow(flowShipPart)
	r.answer(r.lang.Plain("staff.ship.done", o.Number), false)
	r.b.notifier.OrderChanged(r.ctx, o, core.ActShip, r.actor)
	r.replied()
	return nil
}

func startShipPart(r *req, orderID, version int64) error {
	o, err := r.b.svc.Orders.Get(r.ctx, r.actor, orderID)
	if err != nil {
		return err
	}
	if o.Version != version {
		return r.tellRace(o)
	}
	d := &dialog{Flow: flowShipPart, OrderID: o.ID, Version: o.Version}
	for _, l := range o.Lines {
		if l.Ready() > 0 {
			d.Lines = append(d.Lines, dialogLine{ProductID: l.ProductID})
		}
	}
	if err := r.saveDialog(d); err != nil {
		return err
	}
	return r.show(r.renderShipPart(o, d))
}

func setShipQty(r *req, orderID, productID, qty int64) error {
	d, ok, err := r.orderDialog(flowShipPart, orderID)
	if !ok {
		return err
	}
	o, err := r.b.svc.Orders.Get(r.ctx, r.actor, orderID)
	if err != nil {
		return err
	}
	for i := range d.Lines {
		if d.Lines[i].ProductID == productID {
			d.Lines[i].Qty = min(qty, outstanding(o, productID))
		}
	}
	if err := r.saveDialog(d); err != nil {
		return err
	}
	return r.show(r.renderShipPart(o, d))
}

// shipPartInput takes typed quantities, one number per line in the order
// the screen lists them ("2 0 5").
func shipPartInput(r *req, d *dialog, m *models.Message) error {
	fields := strings.Fields(m.Text)
	if len(fields) != len(d.Lines) {
		return r.reply(r.lang.T("staff.ship.typed_count", len(d.Lines)), r.lang.quitKB().markup())
	}
	o, err := r.b.svc.Orders.Get(r.ctx, r.actor, d.OrderID)
	if err != nil {
		return err
	}
	for i, f := range fields {
		q, err := strconv.ParseInt(f, 10, 64)
		if err != nil || q < 0 {
			return r.reply(r.lang.T("staff.ship.typed_bad", f), r.lang.quitKB().markup())
		}
		d.Lines[i].Qty = min(q, outstanding(o, d.Lines[i].ProductID))
	}
	if err := r.saveDialog(d); err != nil {
		return err
	}
	return r.show(r.renderShipPart(o, d))
}

func outstanding(o *core.Order, productID int64) int64 {
	for _, l := range o.Lines {
		if l.ProductID == productID {
			return l.Ready()
		}
	}
	return 0
}

// renderShipPart lists each line still to ship with the chosen quantity and
// buttons to change it; the line's name sets all of it.
func (r *req) renderShipPart(o *core.Order, d *dialog) (string, *kb) {
	l := r.lang
	var b strings.Builder
	b.WriteString(l.T("staff.ship.part_head", o.Number, o.CustomerName))
	k := &kb{}
	var total int64
	for i, dl := range d.Lines {
		line := orderLine(o, dl.ProductID)
		out := line.Ready()
		total += dl.Qty
		b.WriteString("\n" + l.T("staff.ship.part_line", i+1, line.Name, dl.Qty, out, l.unit(out, line.Unit)))
		k.row(btn("−", cb("syq", o.ID, dl.ProductID, max(dl.Qty-1, 0))),
			btn(clip(line.Name, 20)+" "+itoa(dl.Qty)+"/"+itoa(out), cb("syq", o.ID, dl.ProductID, out)),
			btn("+", cb("syq", o.ID, dl.ProductID, min(dl.Qty+1, out))),
			btn("0", cb("syq", o.ID, dl.ProductID, 0)))
	}
	b.WriteString("\n\n" + l.T("staff.ship.part_hint"))
	k.row(btn(l.Plain("staff.btn.ship_chosen", total), cb("syg", o.ID)))
	k.row(btn(l.Plain("staff.btn.quit"), cb("sq")))
	return b.String(), k
}

func orderLine(o *core.Order, productID int64) core.Line {
	for _, l := range o.Lines {
		if l.ProductID == productID {
			return l
		}
	}
	return core.Line{}
}

// renderShipment is the customer's account of a shipment.
func renderShipment(l lang, o *core.Order, sh *core.Shipment) string {
	var b strings.Builder
	b.WriteString(l.T("staff.ship.notice_head", o.Number))
	for _, dl := range sh.Lines {
		b.WriteString("\n" + l.T("staff.ship.notice_line", dl.Name, dl.Qty, l.unit(dl.Qty, dl.Unit)))
	}
	if o.Outstanding() == 0 {
		b.WriteString("\n\n" + l.T("staff.ship.notice_all"))
		return b.String()
	}
	b.WriteString("\n\n" + l.T("staff.ship.notice_rest"))
	for _, line := range o.Lines {
		if n := line.Outstanding(); n > 0 {
			b.WriteString("\n" + l.T("staff.ship.notice_line", line.Name, n, l.unit(n, line.Unit)))
		}
	}
	return b.String()
}
