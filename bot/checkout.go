package bot

import (
	"strings"

	"github.com/go-telegram/bot/models"

	"github.com/orderbot/orderbot/core"
)

// Checkout: delivery address (typed, or the last one used), phone (shared or
// typed), an optional comment, a summary, and confirm. The dialog lives in
// Redis; the order exists only once placed, in one Postgres transaction.

const flowCheckout = "checkout"

func init() {
	onCallback("co", 0, false, func(r *req, _ callback) error { return startCheckout(r) })
	onCallback("coa", 0, false, func(r *req, _ callback) error {
		return checkoutStep(r, func(d *dialog) { d.Address = r.customer.Address; d.Step = "phone" })
	})
	onCallback("cop", 0, false, func(r *req, _ callback) error {
		return checkoutStep(r, func(d *dialog) { d.Phone = r.customer.Phone; d.Step = "comment" })
	})
	onCallback("cos", 0, false, func(r *req, _ callback) error {
		return checkoutStep(r, func(d *dialog) { d.Comment = ""; d.Step = "confirm" })
	})
	onCallback("cok", 0, false, func(r *req, _ callback) error { return placeOrder(r) })
	onCallback("cox", 0, false, func(r *req, _ callback) error {
		if err := r.clearDialog(); err != nil {
			return err
		}
		return r.show(r.lang.T("checkout.cancelled"), new(kb).row(btn(r.lang.Plain("btn.cart"), cb("cart"))))
	})
	onFlow(flowCheckout, checkoutInput)
}

func startCheckout(r *req) error {
	if r.customer == nil {
		return r.reply(r.lang.T("cart.empty"), nil)
	}
	cart, err := r.b.svc.Shopping.View(r.ctx, r.actor)
	if err != nil {
		return err
	}
	if len(cart.Lines) == 0 {
		return r.show(r.lang.T("cart.empty"), new(kb).row(btn(r.lang.Plain("btn.catalog"), cb("cat", 0))))
	}
	d := &dialog{Flow: flowCheckout, Step: "address"}
	if err := r.saveDialog(d); err != nil {
		return err
	}
	return r.checkoutPrompt(d)
}

// checkoutStep applies a button's answer to the dialog and moves on.
func checkoutStep(r *req, apply func(d *dialog)) error {
	d, err := r.loadDialog()
	if err != nil {
		return err
	}
	if d.Flow != flowCheckout || r.customer == nil {
		r.answer(r.lang.Plain("err.stale"), true)
		return nil
	}
	apply(d)
	if err := r.saveDialog(d); err != nil {
		return err
	}
	return r.checkoutPrompt(d)
}

// checkoutInput takes what the customer typed (or the contact they shared)
// at the current step.
func checkoutInput(r *req, d *dialog, m *models.Message) error {
	text := strings.TrimSpace(m.Text)
	switch {
	case d.Step == "phone" && m.Contact != nil:
		if m.Contact.UserID != r.user.ID {
			return r.reply(r.lang.T("contact.not_own"), contactKeyboard(r.lang))
		}
		text = m.Contact.PhoneNumber
		fallthrough
	case d.Step == "phone":
		if _, err := r.b.svc.Customers.Update(r.ctx, r.actor, r.customer.ID, func(c *core.Customer) { c.Phone = text }); err != nil {
			if core.SafeMessage(err) != "" {
				return r.reply(r.lang.T("checkout.bad_phone"), contactKeyboard(r.lang))
			}
			return err
		}
		d.Phone, d.Step = text, "comment"
		if err := r.reply(r.lang.T("contact.saved", text), removeKeyboard{RemoveKeyboard: true}); err != nil {
			return err
		}
	case text == "":
		return r.checkoutPrompt(d)
	case d.Step == "address":
		if len([]rune(text)) > core.MaxAddressLen {
			return r.reply(r.lang.T("err.too_long", core.MaxAddressLen), nil)
		}
		d.Address, d.Step = text, "phone"
	case d.Step == "comment":
		if len([]rune(text)) > core.MaxCommentLen {
			return r.reply(r.lang.T("err.too_long", core.MaxCommentLen), nil)
		}
		d.Comment, d.Step = text, "confirm"
	default:
		return r.checkoutPrompt(d)
	}
	if err := r.saveDialog(d); err != nil {
		return err
	}
	return r.checkoutPrompt(d)
}

func (r *req) checkoutPrompt(d *dialog) error {
	l := r.lang
	switch d.Step {
	case "address":
		k := &kb{}
		if r.customer.Address != "" {
			k.row(btn(l.Plain("btn.use", r.customer.Address), cb("coa")))
		}
		k.row(btn(l.Plain("btn.cancel"), cb("cox")))
		return r.reply(l.T("checkout.address"), k.markup())
	case "phone":
		if r.customer.Phone != "" {
			k := new(kb).row(btn(l.Plain("btn.use_phone", r.customer.Phone), cb("cop"))).row(btn(l.Plain("btn.cancel"), cb("cox")))
			return r.reply(l.T("checkout.phone"), k.markup())
		}
		return r.reply(l.T("checkout.phone"), contactKeyboard(l))
	case "comment":
		k := new(kb).row(btn(l.Plain("btn.skip"), cb("cos"))).row(btn(l.Plain("btn.cancel"), cb("cox")))
		return r.reply(l.T("checkout.comment"), k.markup())
	}
	return r.checkoutSummary(d)
}

func (r *req) checkoutSummary(d *dialog) error {
	cart, err := r.b.svc.Shopping.View(r.ctx, r.actor)
	if err != nil {
		return err
	}
	l, cur := r.lang, r.b.cfg.Currency
	var lines []string
	for _, line := range cart.Lines {
		lines = append(lines, l.T("cart.line", line.Product.Name, line.Qty, line.Product.Unit, money(cur, line.Amount)))
	}
	comment := d.Comment
	if comment == "" {
		comment = l.Plain("checkout.no_comment")
	}
	text := l.T("checkout.summary", safeHTML(strings.Join(lines, "\n")), d.Address, d.Phone, comment, money(cur, cart.Total))
	k := new(kb).row(btn(l.Plain("btn.place"), cb("cok"))).row(btn(l.Plain("btn.cancel"), cb("cox")))
	return r.reply(text, k.markup())
}

func contactKeyboard(l lang) any {
	return replyKeyboard{Keyboard: [][]replyButton{{{Text: l.Plain("btn.share_phone"), RequestContact: true}}},
		ResizeKeyboard: true, OneTimeKeyboard: true}
}

// placeOrder turns the cart into an order. The order's placing marks this
// update done and writes the answer ("order placed", on the summary the
// button was on) in the same transaction: a crash after it leaves the
// outbox to deliver it, and a repeat of the update changes nothing. If
// Postgres finds a line short (a hold lapsed, or Redis lost it), the
// customer is told which; the cart lets go of those lines.
func placeOrder(r *req) error {
	d, err := r.loadDialog()
	if err != nil {
		return err
	}
	if d.Flow != flowCheckout || d.Step != "confirm" {
		r.answer(r.lang.Plain("err.stale"), true)
		return nil
	}
	placed, err := r.b.svc.Shopping.Checkout(r.effect(), r.actor, core.PlaceOrder{Address: d.Address, Phone: d.Phone, Comment: d.Comment})
	if err != nil {
		return err
	}
	if err := r.clearDialog(); err != nil {
		r.log.Warn("clear dialog after order", "err", err)
	}
	o := placed.Order
	if placed.Repeat {
		return r.showPlaced(o)
	}
	if d.Address != "" && d.Address != r.customer.Address {
		if _, err := r.b.svc.Customers.Update(r.ctx, r.actor, r.customer.ID, func(c *core.Customer) { c.Address = d.Address }); err != nil {
			r.log.Warn("remember address", "err", err)
		}
	}
	r.log.Info("order placed", "order", o.Number)
	r.answer(r.lang.Plain("checkout.placed_toast", o.Number), false)
	r.b.notifier.NewOrder(r.ctx, o)
	r.replied()
	return nil
}

// showPlaced is the answer to a placed order, on the checkout summary.
func (r *req) showPlaced(o *core.Order) error {
	k := new(kb).row(btn(r.lang.Plain("btn.orders"), cb("o", o.ID)))
	return r.show(r.lang.T("checkout.placed", o.Number, money(r.b.cfg.Currency, o.Total())), k)
}
