package bot

import (
	"errors"
	"strconv"

	"github.com/go-telegram/bot/models"

	"github.com/orderbot/orderbot/core"
)

// Helpers the staff conversations share: dialogs that belong to one order,
// the quit button, what to show after an action, and how a lost race is told.

// Staff dialog flows. Typed messages go to the flow's step while it waits.
const (
	flowReason   = "s.reason"
	flowShipPart = "s.ship"
	flowPay      = "s.pay"
	flowStock    = "s.stock"
	flowNewOrder = "s.new"
	flowStaffAdd = "s.staff"
)

// Button-only states: kept in the dialog with no flow, so typed text still
// reaches the normal handlers.
const (
	stepCSV      = "s.csv"
	stepAddOffer = "s.addoffer"
)

func init() {
	onCallback("sq", 0, true, func(r *req, _ callback) error {
		if err := r.clearDialog(); err != nil {
			return err
		}
		return r.show(r.lang.T("staff.dialog.quit"), nil)
	})
}

// onStaffFlow registers a staff dialog step. Someone who is no longer
// staff (a manager removed mid-dialog) is refused and the dialog dropped;
// the core checks authority again in every step anyway.
func onStaffFlow(name string, step flowStep) {
	onFlow(name, func(r *req, d *dialog, m *models.Message) error {
		if !r.isStaff() {
			if err := r.clearDialog(); err != nil {
				return err
			}
			return r.reply(r.lang.T("err.staff_only"), nil)
		}
		return step(r, d, m)
	})
}

// orderDialog loads the dialog and checks that it is the flow a button
// belongs to, for the same order; a stale button is told so.
func (r *req) orderDialog(flow string, orderID int64) (*dialog, bool, error) {
	d, err := r.loadDialog()
	if err != nil {
		return nil, false, err
	}
	if d.Flow != flow || d.OrderID != orderID {
		r.answer(r.lang.Plain("err.stale"), true)
		return nil, false, nil
	}
	return d, true, nil
}

// quitKB is the one-button keyboard that leaves a staff dialog.
func (l lang) quitKB() *kb { return new(kb).row(btn(l.Plain("staff.btn.quit"), cb("sq"))) }

// onCard reports whether the pressed message is one of the order's staff
// cards, which the notifier keeps up to date by itself.
func (r *req) onCard(orderID int64) bool {
	if r.out.Message == 0 {
		return false
	}
	cards, err := r.b.chats.Cards(r.ctx, orderID)
	if err != nil {
		r.log.Warn("cards of order", "order_id", orderID, "err", err)
		return false
	}
	for _, c := range cards {
		if c[0] == r.chatID && int(c[1]) == r.out.Message {
			return true
		}
	}
	return false
}

// showAfter puts the order in front of the person after an action, unless
// the button was on a new-order card (already edited by the notifier).
func (r *req) showAfter(o *core.Order) error {
	if r.onCard(o.ID) {
		return nil
	}
	return showOrder(r, o.ID)
}

// lostRace explains a conflict on an order someone changed after the person
// saw it. Other errors, and conflicts that are not about a stale version,
// pass through.
func (r *req) lostRace(orderID, seen int64, err error) error {
	if !errors.Is(err, core.ErrConflict) {
		return err
	}
	o, gerr := r.b.svc.Orders.Get(r.ctx, r.actor, orderID)
	if gerr != nil || o.Version == seen {
		return err
	}
	return r.tellRace(o)
}

// tellRace says who changed the order last and what, and brings the cards
// and the pressed screen up to date.
func (r *req) tellRace(o *core.Order) error {
	events, err := r.b.svc.Orders.History(r.ctx, r.actor, o.ID)
	if err != nil {
		return err
	}
	if len(events) > 0 {
		last := events[len(events)-1]
		r.say(r.lang.T("staff.race.lost", o.Number, r.lang.action(last.Action), last.Actor.Name, r.lang.status(o.Status)))
		r.b.refreshCards(r.ctx, o, last.Action, last.Actor)
	}
	return r.showAfter(o)
}

// endFlow closes the dialog if it is the given flow (a button pressed on an
// older screen leaves any other dialog alone).
func (r *req) endFlow(flow string) {
	d, err := r.loadDialog()
	if err != nil || d.Flow != flow {
		return
	}
	if err := r.clearDialog(); err != nil {
		r.log.Warn("clear dialog", "err", err)
	}
}

// dataInt reads a number kept in the dialog's data (0 when absent).
func (d *dialog) dataInt(key string) int64 {
	n, _ := strconv.ParseInt(d.Data[key], 10, 64)
	return n
}

func (d *dialog) set(key, value string) {
	if d.Data == nil {
		d.Data = map[string]string{}
	}
	d.Data[key] = value
}

// methods are the shop's payment methods in the order their buttons show
// (PAYMENT_METHODS); a button carries the index.
func (r *req) methods() []core.PaymentMethod { return r.b.cfg.PaymentMethods }

// method is the payment method a button's index names; ok is false for an
// index no method has (a stale or forged button).
func (r *req) method(i int64) (core.PaymentMethod, bool) {
	ms := r.methods()
	if i < 0 || i >= int64(len(ms)) {
		return "", false
	}
	return ms[i], true
}

func (l lang) method(m core.PaymentMethod) string {
	key := "staff.method." + string(m)
	return l.Plain(key)
}

// customerChat is the Telegram chat and language of an order's customer; 0
// when the customer is not on Telegram.
func (r *req) customerChat(customerID int64) (*core.Customer, int64, lang) {
	cust, err := r.b.svc.Customers.Get(r.ctx, core.System, customerID)
	if err != nil {
		r.log.Warn("customer of order", "customer_id", customerID, "err", err)
		return nil, 0, r.b.def
	}
	return cust, cust.TelegramID, pickLang(cust.Lang, "", r.b.def)
}
