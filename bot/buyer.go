package bot

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/go-telegram/bot/models"

	"github.com/orderbot/orderbot/core"
)

// Company details: a customer who buys for a business gives the company's
// name and tax number (🏢 on their /orders screen), and every document
// then names the company as the buyer. Staff set them from a customer's
// card (/debts, or 👤 on an order card). A refused tax number changes
// nothing and is asked for again.

// flowBuyer is the company details dialog: step buyerCompany, then
// buyerTax; CustomerID is whose details they are.
const (
	flowBuyer    = "buyer"
	buyerCompany = "company"
	buyerTax     = "tax"
)

// Callback verbs of company details.
const (
	cbBuyer       = "bd"  // show a customer's company details (customer id)
	cbBuyerEdit   = "bde" // start the dialog (customer id)
	cbBuyerRemove = "bdx" // remove them (customer id)
	cbBuyerQuit   = "bdq" // leave the dialog, nothing changed
)

func init() {
	onCallback(cbBuyer, 1, false, func(r *req, c callback) error { return showBuyer(r, c.Arg(0)) })
	onCallback(cbBuyerEdit, 1, false, func(r *req, c callback) error { return editBuyer(r, c.Arg(0)) })
	onCallback(cbBuyerRemove, 1, false, func(r *req, c callback) error { return removeBuyer(r, c.Arg(0)) })
	onCallback(cbBuyerQuit, 0, false, func(r *req, _ callback) error {
		r.endFlow(flowBuyer)
		return r.show(r.lang.T("buyer.unchanged"), nil)
	})
	onFlow(flowBuyer, buyerInput)
	onFlowPrompt(flowBuyer, func(r *req, d *dialog) error { return r.reply(r.buyerPrompt(d), r.buyerQuitKB().markup()) })
}

// buyerOf reads the customer whose details a button names: the core refuses
// a customer asking for anyone's but their own.
func buyerOf(r *req, id int64) (*core.Customer, error) {
	return r.b.svc.Customers.Get(r.ctx, r.actor, id)
}

func showBuyer(r *req, id int64) error {
	c, err := buyerOf(r, id)
	if err != nil {
		return err
	}
	l := r.lang
	text := l.T("buyer.none", c.Name)
	k := new(kb).row(btn(l.Plain("btn.buyer_set"), cb(cbBuyerEdit, c.ID)))
	if c.Company != "" || c.TaxID != "" {
		text = l.T("buyer.show", orDash(c.Company, "—"), orDash(c.TaxID, "—"))
		k = new(kb).row(btn(l.Plain("btn.buyer_change"), cb(cbBuyerEdit, c.ID)), btn(l.Plain("btn.buyer_remove"), cb(cbBuyerRemove, c.ID)))
	}
	if r.isStaff() {
		k.row(btn(l.Plain("staff.btn.customer_card"), cb("sdc", c.ID)))
	} else {
		k.row(btn(l.Plain("btn.orders"), cb("ol", 0)))
	}
	return r.show(text, k)
}

func editBuyer(r *req, id int64) error {
	c, err := buyerOf(r, id)
	if err != nil {
		return err
	}
	d := &dialog{Flow: flowBuyer, Step: buyerCompany, CustomerID: c.ID}
	if err := r.saveDialog(d); err != nil {
		return err
	}
	return r.show(r.buyerPrompt(d), r.buyerQuitKB())
}

func removeBuyer(r *req, id int64) error {
	c, err := r.b.svc.Customers.SetBuyerDetails(r.ctx, r.actor, id, "", "")
	if err != nil {
		return err
	}
	r.endFlow(flowBuyer)
	return r.show(r.lang.T("buyer.removed", c.Name), nil)
}

func (r *req) buyerQuitKB() *kb {
	return new(kb).row(btn(r.lang.Plain("btn.buyer_quit"), cb(cbBuyerQuit)))
}

func (r *req) buyerPrompt(d *dialog) string {
	if d.Step == buyerTax {
		hint := "buyer.tax_hint"
		if r.b.cfg.Currency.Code == "RUB" {
			hint = "buyer.tax_hint_inn"
		}
		return r.lang.T("buyer.ask_tax", d.Data["company"], safeHTML(r.lang.T(hint)))
	}
	return r.lang.T("buyer.ask_company")
}

// buyerInput takes the company's name, then its tax number, and saves both
// at once; "-" for the tax number saves the company without one.
func buyerInput(r *req, d *dialog, m *models.Message) error {
	if d.CustomerID != r.actor.CustomerID && !r.isStaff() {
		if err := r.clearDialog(); err != nil {
			return err
		}
		return r.reply(r.lang.T("err.staff_only"), nil)
	}
	text := strings.TrimSpace(m.Text)
	if d.Step != buyerTax {
		if text == "" || utf8.RuneCountInString(text) > core.MaxNameLen {
			return r.reply(r.lang.T("buyer.bad_company", core.MaxNameLen), r.buyerQuitKB().markup())
		}
		d.Step = buyerTax
		d.set("company", text)
		if err := r.saveDialog(d); err != nil {
			return err
		}
		return r.reply(r.buyerPrompt(d), r.buyerQuitKB().markup())
	}
	if text == "-" || text == "—" {
		text = ""
	}
	c, err := r.b.svc.Customers.SetBuyerDetails(r.ctx, r.actor, d.CustomerID, d.Data["company"], text)
	if err != nil {
		if core.SafeMessage(err) == "" || !strings.HasPrefix(core.SafeMessage(err), "tax number") {
			return err
		}
		return r.reply(r.lang.T("buyer.bad_tax", r.taxRefusal(err, text)), r.buyerQuitKB().markup())
	}
	if err := r.clearDialog(); err != nil {
		return err
	}
	k := new(kb)
	if r.isStaff() {
		k.row(btn(r.lang.Plain("staff.btn.customer_card"), cb("sdc", c.ID)))
	} else {
		k.row(btn(r.lang.Plain("btn.orders"), cb("ol", 0)))
	}
	return r.reply(r.lang.T("buyer.saved", c.Company, orDash(c.TaxID, "—")), k.markup())
}

// taxRefusal says why a tax number was refused, in the person's language.
func (r *req) taxRefusal(err error, input string) string {
	msg := core.SafeMessage(err)
	if r.lang == langEN {
		return msg
	}
	n := 0
	for _, c := range input {
		if c != ' ' {
			n++
		}
	}
	switch {
	case strings.Contains(msg, "digits only"):
		return r.lang.Plain("buyer.inn_letters", input)
	case strings.Contains(msg, "10 digits"):
		return r.lang.Plain("buyer.inn_length", input, strconv.Itoa(n))
	case strings.Contains(msg, "only letters"):
		return r.lang.Plain("buyer.tax_chars", input)
	}
	return r.lang.Plain("buyer.tax_length", input)
}

func init() {
	register(langEN, map[string]string{
		"buyer.none": "🏢 <b>Company details</b>\nNone yet: documents name %s as the buyer.\n\n" +
			"Buying for a business? Give its name and tax number, and invoices, receipts and statements will name the company.",
		"buyer.show":         "🏢 <b>Company details</b>\nCompany: %s\nTax number: %s\n\nDocuments name the company as the buyer.",
		"buyer.ask_company":  "🏢 Send the company's name as it should read on documents (for example: Romashka LLC).",
		"buyer.bad_company":  "⚠️ The company's name is one line of at most %d characters. Send it again.",
		"buyer.ask_tax":      "🏢 %s. Now send its tax number (%s), or “-” if it has none.",
		"buyer.tax_hint":     "4 to 20 letters and digits, such as a VAT number",
		"buyer.tax_hint_inn": "INN: 10 digits for a company, 12 for a sole trader",
		"buyer.bad_tax":      "⚠️ %s\nNothing was changed. Send the tax number again, or leave.",
		"buyer.saved":        "✅ Saved. Documents now name %s (tax number %s) as the buyer.",
		"buyer.removed":      "✅ Company details removed: documents name %s as the buyer.",
		"buyer.unchanged":    "Company details left as they were.",
		"btn.buyer":          "🏢 Company details",
		"buyer.line":         "🏢 %s · tax number %s",
		"btn.buyer_set":      "✏️ Give company details",
		"btn.buyer_change":   "✏️ Change",
		"btn.buyer_remove":   "🗑 Remove",
		"btn.buyer_quit":     "✖ Leave unchanged",
		"buyer.inn_letters":  "An INN has digits only; “%s” has letters or signs.",
		"buyer.inn_length":   "An INN has 10 digits (a company) or 12 (a sole trader); “%s” has %s.",
		"buyer.tax_chars":    "A tax number has only letters A-Z and digits; “%s” has other signs.",
		"buyer.tax_length":   "A tax number has 4 to 20 letters and digits; “%s” does not.",
	})
	register(langRU, map[string]string{
		"buyer.none": "🏢 <b>Реквизиты компании</b>\nНе указаны: в документах покупатель — %s.\n\n" +
			"Покупаете для компании? Укажите её название и ИНН, и счета, накладные и акты сверки будут выписаны на компанию.",
		"buyer.show":         "🏢 <b>Реквизиты компании</b>\nКомпания: %s\nИНН: %s\n\nВ документах покупатель — эта компания.",
		"buyer.ask_company":  "🏢 Пришлите название компании так, как его писать в документах (например: ООО «Ромашка»).",
		"buyer.bad_company":  "⚠️ Название компании — одна строка, не длиннее %d символов. Пришлите его ещё раз.",
		"buyer.ask_tax":      "🏢 %s. Теперь пришлите ИНН (%s) или «-», если его нет.",
		"buyer.tax_hint":     "от 4 до 20 латинских букв и цифр, например номер плательщика НДС",
		"buyer.tax_hint_inn": "10 цифр у организации, 12 у ИП",
		"buyer.bad_tax":      "⚠️ %s\nНичего не изменилось. Пришлите ИНН ещё раз или выйдите.",
		"buyer.saved":        "✅ Сохранено. В документах покупатель — %s (ИНН %s).",
		"buyer.removed":      "✅ Реквизиты компании удалены: в документах покупатель — %s.",
		"buyer.unchanged":    "Реквизиты компании не изменились.",
		"btn.buyer":          "🏢 Реквизиты компании",
		"buyer.line":         "🏢 %s · ИНН %s",
		"btn.buyer_set":      "✏️ Указать реквизиты",
		"btn.buyer_change":   "✏️ Изменить",
		"btn.buyer_remove":   "🗑 Удалить",
		"btn.buyer_quit":     "✖ Оставить как было",
		"buyer.inn_letters":  "ИНН состоит только из цифр, а в «%s» есть буквы или знаки.",
		"buyer.inn_length":   "В ИНН 10 цифр (организация) или 12 (ИП), а в «%s» их %s.",
		"buyer.tax_chars":    "Номер — только латинские буквы и цифры, а в «%s» есть другие знаки.",
		"buyer.tax_length":   "Номер — от 4 до 20 латинских букв и цифр; «%s» не подходит.",
	})
}
