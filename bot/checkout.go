package bot

import (
	"strings"
	"time"

	"github.com/go-telegram/bot/models"

	"github.com/orderbot/orderbot/core"
)

// Checkout: the delivery address (typed, or the last one used), the phone
// only when the shop does not have it yet (shared or typed), then a summary
// where typing adds a comment, and Place order. The dialog lives in Redis;
// the order exists only once placed, in one Postgres transaction.
//
// Every checkout button carries the checkout's id (when it started, in
// milliseconds): a button of a checkout that is over (placed, cancelled,
// replaced by a newer one) changes nothing and says what happened instead.

const flowCheckout = "checkout"

// Checkout steps.
const (
	coAddress = "address"
	coPhone   = "phone"
	coConfirm = "confirm"
)

func init() {
	onCallback("co", 0, false, func(r *req, _ callback) error { return startCheckout(r) })
	onCallback("coa", 1, false, func(r *req, c callback) error {
		return checkoutStep(r, c.Arg(0), func(d *dialog) { d.Address = r.customer.Address; r.afterAddress(d) })
	})
	onCallback("cok", 1, false, func(r *req, c callback) error { return placeOrder(r, c.Arg(0)) })
	onCallback("cox", 1, false, func(r *req, c callback) error { return cancelCheckout(r, c.Arg(0)) })
	onFlow(flowCheckout, checkoutInput)
	onFlowPrompt(flowCheckout, func(r *req, d *dialog) error { return r.checkoutPrompt(d) })
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
	d := &dialog{Flow: flowCheckout, Step: coAddress, Started: time.Now().UnixMilli()}
	if err := r.saveDialog(d); err != nil {
		return err
	}
	return r.checkoutPrompt(d)
}

// checkoutDialog loads the dialog of the checkout a button belongs to; when
// that checkout is over, the person is told so and ok is false.
func (r *req) checkoutDialog(id int64) (d *dialog, ok bool, err error) {
	if d, err = r.loadDialog(); err != nil {
		return nil, false, err
	}
	if r.customer == nil || d.Flow != flowCheckout || d.Started != id || id == 0 {
		return nil, false, r.checkoutOver(id)
	}
	return d, true, nil
}

// checkoutOver answers a button of a checkout that is over: its order is
// placed (a second tap of Place order, or Cancel tapped after it), or the
// checkout was cancelled, lost or replaced, and the button is stale.
func (r *req) checkoutOver(id int64) error {
	if r.customer != nil && id > 0 {
		orders, err := r.b.svc.Orders.List(r.ctx, r.actor, core.OrderFilter{NewestFirst: true, Limit: 1})
		if err != nil {
			return err
		}
		if len(orders) == 1 && !orders[0].CreatedAt.Before(time.UnixMilli(id)) {
			o := orders[0]
			r.answer(r.lang.Plain("checkout.already_placed", o.Number, r.lang.status(o.Status)), true)
			return nil
		}
	}
	r.answer(r.lang.Plain("err.stale"), true)
	return nil
}

// checkoutStep applies a button's answer to the dialog and moves on.
func checkoutStep(r *req, id int64, apply func(d *dialog)) error {
	d, ok, err := r.checkoutDialog(id)
	if !ok {
		return err
	}
	apply(d)
	if err := r.saveDialog(d); err != nil {
		return err
	}
	return r.checkoutPrompt(d)
}

// afterAddress moves on from the address: to the phone if the shop has
// none, else straight to the summary with the phone it has.
func (r *req) afterAddress(d *dialog) {
	d.Step = coPhone
	if r.customer.Phone != "" {
		d.Phone, d.Step = r.customer.Phone, coConfirm
	}
}

func cancelCheckout(r *req, id int64) error {
	if _, ok, err := r.checkoutDialog(id); !ok {
		return err
	}
	if err := r.clearDialog(); err != nil {
		return err
	}
	return r.show(r.lang.T("checkout.cancelled"), new(kb).row(btn(r.lang.Plain("btn.cart"), cb("cart"))))
}

// checkoutInput takes what the customer typed (or the contact they shared)
// at the current step: the address, the phone, or at the summary a comment
// (or a new phone, shared).
func checkoutInput(r *req, d *dialog, m *models.Message) error {
	text := strings.TrimSpace(m.Text)
	switch {
	case m.Contact != nil && (d.Step == coPhone || d.Step == coConfirm):
		if m.Contact.UserID != r.user.ID {
			return r.reply(r.lang.T("contact.not_own"), contactKeyboard(r.lang))
		}
		return r.checkoutPhone(d, contactPhone(m.Contact))
	case text == "":
		return r.checkoutPrompt(d)
	case d.Step == coAddress:
		if len([]rune(text)) > core.MaxAddressLen {
			return r.reply(r.lang.T("err.too_long", core.MaxAddressLen), nil)
		}
		d.Address = text
		r.afterAddress(d)
	case d.Step == coPhone:
		return r.checkoutPhone(d, text)
	case d.Step == coConfirm:
		if len([]rune(text)) > core.MaxCommentLen {
			return r.reply(r.lang.T("err.too_long", core.MaxCommentLen), nil)
		}
		d.Comment = text
	}
	if err := r.saveDialog(d); err != nil {
		return err
	}
	return r.checkoutPrompt(d)
}

// checkoutPhone saves the phone on the customer (in E.164) and goes on to
// the summary; a phone that cannot be one is refused with how to write it.
func (r *req) checkoutPhone(d *dialog, phone string) error {
	cust, err := r.b.svc.Customers.Update(r.ctx, r.actor, r.customer.ID, func(c *core.Customer) { c.Phone = phone })
	if err != nil {
		if core.SafeMessage(err) != "" {
			return r.reply(r.lang.T("checkout.bad_phone"), contactKeyboard(r.lang))
		}
		return err
	}
	r.customer = cust
	d.Phone, d.Step = cust.Phone, coConfirm
	if err := r.saveDialog(d); err != nil {
		return err
	}
	// The summary shows the phone; no message of its own for it (one
	// message an interaction), and the contact keyboard is one-time.
	return r.checkoutPrompt(d)
}

func (r *req) checkoutPrompt(d *dialog) error {
	l := r.lang
	cancel := btn(l.Plain("btn.cancel"), cb("cox", d.Started))
	switch d.Step {
	case coAddress: // on the cart's message when "Check out" was tapped there
		if r.customer.Address == "" {
			return r.show(l.T("checkout.address"), new(kb).row(cancel))
		}
		k := new(kb).row(btn(l.Plain("btn.use", r.customer.Address), cb("coa", d.Started))).row(cancel)
		return r.show(l.T("checkout.address_last"), k)
	case coPhone:
		return r.reply(l.T("checkout.phone"), contactKeyboard(l))
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
		lines = append(lines, l.T("cart.line", line.Product.Name, line.Qty, l.unit(line.Qty, line.Product.Unit), l.money(cur, line.Amount)))
	}
	if more := l.totalsText(cur, cart.Quote, r.b.cfg.Pricing); more != "" {
		lines = append(lines, more)
	}
	comment := d.Comment
	if comment == "" {
		comment = l.Plain("checkout.no_comment")
	}
	text := l.T("checkout.summary", safeHTML(strings.Join(lines, "\n")), d.Address, phoneText(d.Phone), comment, l.money(cur, cart.Total))
	if note := d.Data["note"]; note != "" { // a reorder says what became of each line
		text = note + "\n\n" + text
	}
	k := new(kb).row(btn(l.Plain("btn.place"), cb("cok", d.Started))).row(btn(l.Plain("btn.cancel"), cb("cox", d.Started)))
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
func placeOrder(r *req, id int64) error {
	d, ok, err := r.checkoutDialog(id)
	if !ok {
		return err
	}
	if d.Step != coConfirm {
		r.answer(r.lang.Plain("err.stale"), true)
		return nil
	}
	placed, err := r.b.svc.Shopping.Checkout(r.effect(), r.actor, core.PlaceOrder{Address: d.Address, Phone: d.Phone, Comment: d.Comment})
	if err != nil {
		return err
	}
	o := placed.Order
	if !placed.Repeat {
		// The tap's answer first: the update was marked done with the order,
		// so a crash from here on leaves the tap unanswered (the outbox still
		// tells the customer the order is placed).
		r.answer(r.lang.Plain("checkout.placed_toast", o.Number), false)
	}
	if err := r.clearDialog(); err != nil {
		r.log.Warn("clear dialog after order", "err", err)
	}
	if placed.Repeat {
		return r.showPlaced(o)
	}
	if d.Address != "" && d.Address != r.customer.Address {
		if _, err := r.b.svc.Customers.Update(r.ctx, r.actor, r.customer.ID, func(c *core.Customer) { c.Address = d.Address }); err != nil {
			r.log.Warn("remember address", "err", err)
		}
	}
	r.log.Info("order placed", "order", o.Number)
	r.b.notifier.NewOrder(r.ctx, o)
	r.replied()
	return nil
}

// showPlaced is the answer to a placed order, on the checkout summary.
func (r *req) showPlaced(o *core.Order) error {
	k := new(kb).row(btn(r.lang.Plain("btn.orders"), cb("o", o.ID)))
	return r.show(r.lang.T("checkout.placed", o.Number, r.lang.money(r.b.cfg.Currency, o.Total())), k)
}
