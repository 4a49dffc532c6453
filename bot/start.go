package bot

import (
	"github.com/go-telegram/bot/models"

	"github.com/orderbot/orderbot/core"
)

// /start, /help, /language and the contact a customer shares.

func init() {
	onCommand("start", false, false, onStart)
	onCommand("help", false, false, func(r *req, _ string) error { return r.reply(r.helpText(), nil) })
	onCommand("language", false, false, func(r *req, _ string) error {
		k := new(kb).row(btn("English", cb("lg", 0)), btn("Русский", cb("lg", 1)))
		return r.reply(r.lang.T("lang.choose"), k.markup())
	})
	onCallback("lg", 1, false, func(r *req, c callback) error {
		if c.Arg(0) >= int64(len(languages)) {
			r.answer(r.lang.Plain("err.stale"), true)
			return nil
		}
		r.lang = languages[c.Arg(0)]
		if err := r.b.cache.SetLang(r.ctx, r.user.ID, string(r.lang)); err != nil {
			return unavailable(err)
		}
		if r.customer != nil {
			if _, err := r.b.svc.Customers.Update(r.ctx, r.actor, r.customer.ID, func(c *core.Customer) { c.Lang = string(r.lang) }); err != nil {
				r.log.Warn("store language", "err", err)
			}
		}
		r.b.registerCommandsFor(r.ctx, r.user.ID, r.role, r.lang)
		return r.show(r.lang.T("lang.set"), nil)
	})
}

// onStart greets and registers the customer (done in setup); "/start <sku>"
// (a deep link) opens that product. The phone is asked for once, at the
// first checkout, not here.
func onStart(r *req, args string) error {
	l := r.lang
	if r.isStaff() {
		// Registering at start-up fails for staff who never opened the bot;
		// their first /start is when Telegram lets it happen.
		r.b.registerCommandsFor(r.ctx, r.user.ID, r.role, r.lang)
		r.rememberStaffLang()
		role := l.Plain("role." + string(r.role))
		return r.reply(l.T("start.staff", r.actor.Name, role)+"\n\n"+r.helpText(), nil)
	}
	if args != "" {
		// A link to a product (a post, a flash sale): the product is the
		// answer, one message; its card leads to the catalog and the cart.
		if p, err := r.b.svc.Catalog.ProductBySKU(r.ctx, args); err == nil {
			return showProduct(r, p.ID, 1)
		}
	}
	menu := new(kb).row(btn(l.Plain("menu.catalog"), cb("cat", 0)), btn(l.Plain("menu.cart"), cb("cart"))).
		row(btn(l.Plain("menu.orders"), cb("ol", 0)))
	return r.reply(l.T("start.hello", r.actor.Name), menu.markup())
}

// rememberStaffLang keeps a staff member's Telegram language as their
// language, unless they chose one, so that what the bot writes to them
// first (new-order cards, alerts) is in their language too: a Telegram
// language is known only when the person writes.
func (r *req) rememberStaffLang() {
	chosen, err := r.b.cache.Lang(r.ctx, r.user.ID)
	if err != nil || chosen != "" {
		return
	}
	if l := pickLang("", r.user.LanguageCode, ""); l != "" {
		if err := r.b.cache.SetLang(r.ctx, r.user.ID, string(l)); err != nil {
			r.log.Warn("remember staff language", "err", err)
		}
	}
}

func (r *req) helpText() string {
	text := r.lang.T("help.customer")
	if r.isStaff() {
		text += "\n\n" + r.lang.T("help.staff")
	}
	if r.role == core.RoleOwner {
		text += "\n" + r.lang.T("help.owner")
	}
	return text
}

// onContact saves the phone a customer shared; only their own contact is
// accepted.
func onContact(r *req, c *models.Contact) error {
	if r.isStaff() {
		return staffContact(r, c)
	}
	if r.customer == nil || c.UserID != r.user.ID {
		return r.reply(r.lang.T("contact.not_own"), contactKeyboard(r.lang))
	}
	cust, err := r.b.svc.Customers.Update(r.ctx, r.actor, r.customer.ID, func(cu *core.Customer) { cu.Phone = contactPhone(c) })
	if err != nil {
		if core.SafeMessage(err) != "" {
			return r.reply(r.lang.T("checkout.bad_phone"), contactKeyboard(r.lang))
		}
		return err
	}
	return r.reply(r.lang.T("contact.saved", phoneText(cust.Phone)), removeKeyboard{RemoveKeyboard: true})
}

// staffContact and onDocument are the staff side's; customers get a polite
// refusal.
var staffContact = func(r *req, c *models.Contact) error { return r.reply(r.lang.T("text.unknown"), nil) }

var staffDocument func(r *req, d *models.Document) error

func onDocument(r *req, d *models.Document) error {
	if r.isStaff() && staffDocument != nil {
		return staffDocument(r, d)
	}
	return r.reply(r.lang.T("err.no_file"), nil)
}
