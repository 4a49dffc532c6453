package bot

import (
	"errors"
	"strings"

	"github.com/go-telegram/bot/models"

	"github.com/orderbot/orderbot/core"
)

// Deciding on orders: Confirm and Reject from the new-order card or the
// order card, Cancel and Close with a reason. The first manager to act wins;
// the core refuses a stale version and the loser is told who was first.

func init() {
	onCallback("sc", 2, true, func(r *req, c callback) error { return confirmOrder(r, c.Arg(0), c.Arg(1)) })
	onCallback("sr", 2, true, func(r *req, c callback) error { return askReason(r, core.ActReject, c.Arg(0), c.Arg(1)) })
	onCallback("sx", 2, true, func(r *req, c callback) error { return askReason(r, core.ActCancel, c.Arg(0), c.Arg(1)) })
	onCallback("sz", 2, true, func(r *req, c callback) error { return askReason(r, core.ActClose, c.Arg(0), c.Arg(1)) })
	onStaffFlow(flowReason, reasonInput)
	staffOrderButtonsFn = staffButtons
}

func confirmOrder(r *req, orderID, version int64) error {
	o, err := r.b.svc.Orders.Confirm(r.effect(), r.actor, orderID, version)
	if err != nil {
		return r.lostRace(orderID, version, err)
	}
	r.answer(r.lang.Plain("staff.confirmed", o.Number), false)
	r.b.notifier.OrderChanged(r.ctx, o, core.ActConfirm, r.actor)
	r.replied()
	return nil
}

// askReason opens the reason dialog in the person's private chat (a card
// in the staff group cannot take typed answers).
func askReason(r *req, act core.Action, orderID, version int64) error {
	o, err := r.b.svc.Orders.Get(r.ctx, r.actor, orderID)
	if err != nil {
		return err
	}
	if o.Version != version {
		return r.tellRace(o)
	}
	d := &dialog{Flow: flowReason, Step: string(act), OrderID: o.ID, Version: o.Version}
	if err := r.b.cache.SaveDialog(r.ctx, r.user.ID, d, r.b.cfg.DialogTTL); err != nil {
		return unavailable(err)
	}
	key := "staff.reason.ask_" + string(act)
	prompt := r.lang.T(key, o.Number, o.CustomerName)
	if _, err := r.b.send.SendWait(r.ctx, r.user.ID, prio(r.ctx), prompt, r.lang.quitKB().markup()); err != nil {
		r.say(r.lang.T("staff.reason.private"))
		return nil
	}
	r.answer("", false)
	return nil
}

func reasonInput(r *req, d *dialog, m *models.Message) error {
	reason := strings.TrimSpace(m.Text)
	if reason == "" {
		return r.reply(r.lang.T("staff.reason.need"), r.lang.quitKB().markup())
	}
	act := core.Action(d.Step)
	o, err := r.endOrder(act, d.OrderID, d.Version, reason)
	if err != nil {
		if errors.Is(err, core.ErrInvalid) {
			return err // the dialog stays: a better reason can be typed
		}
		if cerr := r.clearDialog(); cerr != nil {
			r.log.Warn("clear dialog", "err", cerr)
		}
		return r.lostRace(d.OrderID, d.Version, err)
	}
	if err := r.clearDialog(); err != nil {
		r.log.Warn("clear dialog", "err", err)
	}
	r.b.notifier.OrderChanged(r.ctx, o, act, r.actor)
	key := "staff.ended_" + string(act)
	if err := r.reply(r.lang.T(key, o.Number, reason), nil); err != nil {
		return err
	}
	r.replied()
	return nil
}

func (r *req) endOrder(act core.Action, orderID, version int64, reason string) (*core.Order, error) {
	ctx := r.effect()
	switch act {
	case core.ActReject:
		return r.b.svc.Orders.Reject(ctx, r.actor, orderID, version, reason)
	case core.ActCancel:
		return r.b.svc.Orders.Cancel(ctx, r.actor, orderID, version, reason)
	case core.ActClose:
		return r.b.svc.Orders.Close(ctx, r.actor, orderID, version, reason)
	}
	return nil, core.Errorf(core.ErrInvalid, "unknown action %q", act)
}

// staffButtons adds what staff may do to an order card, by the rules of the
// core's transition table; the core checks again when a button is pressed.
func staffButtons(r *req, k *kb, o *core.Order, _ []core.Invoice) {
	l := r.lang
	if o.Status == core.StatusNew {
		k.row(btn(l.Plain("staff.btn.confirm"), cb("sc", o.ID, o.Version)), btn(l.Plain("staff.btn.reject"), cb("sr", o.ID, o.Version)))
	}
	if ship := shipAllButton(l, o); ship.Text != "" {
		k.row(ship, btn(l.Plain("staff.btn.ship_part"), cb("sy", o.ID, o.Version)))
	}
	var bill []button
	if core.Allowed(o.Status, core.ActInvoice) && o.Unbilled() {
		bill = append(bill, btn(l.Plain("staff.btn.invoice"), cb("si", o.ID, o.Version)))
	}
	bill = append(bill, r.b.payFullButton(l, o))
	k.row(bill...)
	var end []button
	if o.Status != core.StatusNew && core.Allowed(o.Status, core.ActCancel) && o.Fulfilment == core.NotShipped {
		end = append(end, btn(l.Plain("staff.btn.cancel"), cb("sx", o.ID, o.Version)))
	}
	if core.Allowed(o.Status, core.ActClose) {
		end = append(end, btn(l.Plain("staff.btn.close"), cb("sz", o.ID, o.Version)))
	}
	k.row(end...)
	priceButtons(l, k, o)
	r.cycleButtons(k, o, nil)
	k.row(btn(l.Plain("staff.btn.customer_card"), cb("sdc", o.CustomerID)))
}
