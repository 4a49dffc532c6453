package bot

import (
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/go-telegram/bot/models"

	"github.com/orderbot/orderbot/core"
)

// /neworder: a phone order. Find or create the customer (by name or phone),
// add goods by typing part of a name or sku and a quantity ("tea 3"), the
// address, a promised date, payment terms; then place it confirmed, with
// the goods reserved at once. A credit limit refusal offers an override.

// New-order steps, in order.
const (
	nsCustomer = "customer"
	nsLines    = "lines"
	nsAddress  = "address"
	nsDate     = "date"
	nsTerms    = "terms"
	nsConfirm  = "confirm"
)

func init() {
	onCommand("neworder", true, false, func(r *req, _ string) error {
		d := &dialog{Flow: flowNewOrder, Step: nsCustomer}
		if err := r.saveDialog(d); err != nil {
			return err
		}
		return r.reply(r.lang.T("staff.new.ask_customer"), r.lang.quitKB().markup())
	})
	onCallback("snc", 1, true, func(r *req, c callback) error {
		return newOrderStep(r, func(d *dialog) error { return r.pickCustomer(d, c.Arg(0)) })
	})
	onCallback("snn", 0, true, func(r *req, _ callback) error { return newOrderStep(r, r.createCustomer) })
	onCallback("sna", 2, true, func(r *req, c callback) error {
		return newOrderStep(r, func(d *dialog) error { return addLine(d, c.Arg(0), c.Arg(1)) })
	})
	onCallback("snr", 1, true, func(r *req, c callback) error {
		return newOrderStep(r, func(d *dialog) error { removeLine(d, c.Arg(0)); return nil })
	})
	onCallback("sng", 0, true, func(r *req, _ callback) error { return newOrderStep(r, goTo(nsLines)) })
	onCallback("snd", 0, true, func(r *req, _ callback) error {
		return newOrderStep(r, func(d *dialog) error {
			if len(d.Lines) == 0 {
				return invalid("staff.new.no_lines")
			}
			d.Step = nsAddress
			return nil
		})
	})
	onCallback("snu", 0, true, func(r *req, _ callback) error { return newOrderStep(r, r.useSavedAddress) })
	onCallback("snw", 1, true, func(r *req, c callback) error {
		return newOrderStep(r, func(d *dialog) error {
			d.set("promised", r.b.svc.Orders.Today().AddDate(0, 0, int(min(c.Arg(0), 365))).Format(time.DateOnly))
			d.Step = nsTerms
			return nil
		})
	})
	onCallback("sns", 0, true, func(r *req, _ callback) error {
		return newOrderStep(r, func(d *dialog) error { delete(d.Data, "promised"); d.Step = nsTerms; return nil })
	})
	onCallback("snt", 1, true, func(r *req, c callback) error {
		return newOrderStep(r, func(d *dialog) error { return setTerms(d, c.Arg(0)) })
	})
	onCallback("snk", 0, true, func(r *req, _ callback) error { return placePhoneOrder(r, false) })
	onCallback("sno", 0, true, func(r *req, _ callback) error { return placePhoneOrder(r, true) })
	onStaffFlow(flowNewOrder, newOrderInput)
	onFlowPrompt(flowNewOrder, func(r *req, d *dialog) error { return r.newOrderScreen(d) })
}

// newOrderStep applies a button to the dialog and shows the step it leads to.
func newOrderStep(r *req, apply func(d *dialog) error) error {
	d, err := r.loadDialog()
	if err != nil {
		return err
	}
	if d.Flow != flowNewOrder {
		r.answer(r.lang.Plain("err.stale"), true)
		return nil
	}
	if err := apply(d); err != nil {
		return err
	}
	if err := r.saveDialog(d); err != nil {
		return err
	}
	return r.newOrderScreen(d)
}

func goTo(step string) func(d *dialog) error {
	return func(d *dialog) error { d.Step = step; return nil }
}

// newOrderInput takes what is typed at each step.
func newOrderInput(r *req, d *dialog, m *models.Message) error {
	text := strings.TrimSpace(m.Text)
	if m.Contact != nil {
		text = contactPhone(m.Contact)
	}
	if text == "" {
		return r.newOrderScreen(d)
	}
	var err error
	switch d.Step {
	case nsCustomer:
		return r.findCustomers(d, text)
	case nsLines:
		return r.searchProducts(d, text)
	case nsAddress:
		d.Address, d.Step = text, nsDate
		err = checkLen(text, core.MaxAddressLen)
	case nsDate:
		err = r.setPromised(d, text)
	case nsTerms:
		n, perr := strconv.ParseInt(text, 10, 64)
		err = perr
		if perr == nil {
			err = setTerms(d, n)
		}
	case nsConfirm: // an amount typed here is the delivery charge
		var fee core.Money
		if fee, err = r.b.cfg.Currency.Parse(text); err == nil {
			d.set("delivery", r.b.cfg.Currency.Format(fee))
		}
	}
	if err != nil {
		return r.reply(r.lang.T("staff.new.bad_input", r.refusal(err)), r.lang.quitKB().markup())
	}
	if err := r.saveDialog(d); err != nil {
		return err
	}
	return r.newOrderScreen(d)
}

func checkLen(s string, n int) error {
	if len([]rune(s)) > n {
		return invalid("err.too_long", n)
	}
	return nil
}

func (r *req) findCustomers(d *dialog, query string) error {
	if err := checkLen(query, core.MaxNameLen); err != nil {
		return err
	}
	found, err := r.b.svc.Customers.Find(r.ctx, r.actor, query, 8)
	if err != nil {
		return err
	}
	d.Query = query
	if err := r.saveDialog(d); err != nil {
		return err
	}
	text, k := r.renderCustomerChoice(query, found)
	return r.reply(text, k.markup())
}

func (r *req) pickCustomer(d *dialog, id int64) error {
	c, err := r.b.svc.Customers.Get(r.ctx, r.actor, id)
	if err != nil {
		return err
	}
	d.CustomerID, d.Step = c.ID, nsLines
	d.set("terms", strconv.Itoa(c.TermsDays))
	return nil
}

// createCustomer adds the customer typed as "name, phone" (either part may
// be missing; a lone phone number becomes the name too).
func (r *req) createCustomer(d *dialog) error {
	name, phone, _ := strings.Cut(d.Query, ",")
	name, phone = strings.TrimSpace(name), strings.TrimSpace(phone)
	if phone == "" && strings.Trim(name, "+0123456789 -()") == "" {
		phone = name
	}
	c, err := r.b.svc.Customers.Create(r.ctx, r.actor, core.Customer{Name: name, Phone: phone})
	if err != nil {
		return err
	}
	return r.pickCustomer(d, c.ID)
}

// searchProducts reads "part-of-name-or-sku [qty]": one match (or an exact
// sku) is added at once, several are offered as buttons.
func (r *req) searchProducts(d *dialog, text string) error {
	query, qty := splitQty(text)
	if err := checkLen(query, 100); err != nil {
		return err
	}
	found, err := r.b.svc.Catalog.Stock(r.ctx, core.StockFilter{Query: query, ActiveOnly: true, Limit: 9})
	if err != nil {
		return err
	}
	for _, p := range found {
		if strings.EqualFold(p.SKU, query) {
			found = []core.StockLevel{p}
			break
		}
	}
	if len(found) != 1 {
		if err := r.priceFor(d.CustomerID, qty, found); err != nil {
			return err
		}
		text, k := r.renderProductChoice(query, qty, found)
		return r.reply(text, k.markup())
	}
	if err := addLine(d, found[0].ID, qty); err != nil {
		return err
	}
	if err := r.saveDialog(d); err != nil {
		return err
	}
	return r.newOrderScreen(d)
}

// priceFor puts on each product what the customer pays a unit at qty: their
// price list's price at the break qty reaches, as the order will fix it.
func (r *req) priceFor(customerID, qty int64, found []core.StockLevel) error {
	ids := make([]int64, len(found))
	for i := range found {
		ids[i] = found[i].ID
	}
	cp, err := r.b.svc.Catalog.CustomerPrices(r.ctx, customerID, ids)
	if err != nil {
		return err
	}
	for i := range found {
		found[i].Price = cp.Price(&found[i].Product, qty)
	}
	return nil
}

// splitQty takes a trailing whole number off text as a quantity (1 if none).
func splitQty(text string) (string, int64) {
	fields := strings.Fields(text)
	if len(fields) > 1 {
		if n, err := strconv.ParseInt(fields[len(fields)-1], 10, 64); err == nil {
			return strings.Join(fields[:len(fields)-1], " "), n
		}
	}
	return text, 1
}

func addLine(d *dialog, productID, qty int64) error {
	if qty <= 0 || qty > core.MaxQty {
		return invalid("staff.new.bad_qty", core.MaxQty)
	}
	for i := range d.Lines {
		if d.Lines[i].ProductID == productID {
			d.Lines[i].Qty = min(d.Lines[i].Qty+qty, core.MaxQty)
			return nil
		}
	}
	if len(d.Lines) >= core.MaxLines {
		return invalid("staff.new.too_many_lines", core.MaxLines)
	}
	d.Lines = append(d.Lines, dialogLine{ProductID: productID, Qty: qty})
	d.Step = nsLines
	return nil
}

func removeLine(d *dialog, productID int64) {
	var keep []dialogLine
	for _, l := range d.Lines {
		if l.ProductID != productID {
			keep = append(keep, l)
		}
	}
	d.Lines = keep
}

func (r *req) useSavedAddress(d *dialog) error {
	c, err := r.b.svc.Customers.Get(r.ctx, r.actor, d.CustomerID)
	if err != nil {
		return err
	}
	d.Address, d.Step = c.Address, nsDate
	return nil
}

// setPromised reads a date as 2026-03-10, 10.03.2026 or 10.03 (this year).
func (r *req) setPromised(d *dialog, text string) error {
	today := r.b.svc.Orders.Today()
	var t time.Time
	var err error
	for _, layout := range []string{time.DateOnly, "2.1.2006", "2.1"} {
		if t, err = time.Parse(layout, text); err == nil {
			if layout == "2.1" {
				t = t.AddDate(today.Year(), 0, 0)
			}
			break
		}
	}
	if err != nil || t.Before(today) {
		return invalid("staff.new.bad_date", text)
	}
	d.set("promised", t.Format(time.DateOnly))
	d.Step = nsTerms
	return nil
}

func setTerms(d *dialog, days int64) error {
	if days < 0 || days > core.MaxTermsDays {
		return invalid("staff.new.bad_terms", core.MaxTermsDays)
	}
	d.set("terms", strconv.FormatInt(days, 10))
	d.Step = nsConfirm
	return nil
}

// placePhoneOrder sets the customer's terms if they changed and places the
// order confirmed.
func placePhoneOrder(r *req, override bool) error {
	d, err := r.loadDialog()
	if err != nil {
		return err
	}
	if d.Flow != flowNewOrder || d.Step != nsConfirm {
		r.answer(r.lang.Plain("err.stale"), true)
		return nil
	}
	if err := r.applyTerms(d); err != nil {
		return err
	}
	in := core.PlaceOrder{CustomerID: d.CustomerID, Address: d.Address, Confirmed: true, OverrideCreditLimit: override}
	for _, l := range d.Lines {
		in.Lines = append(in.Lines, core.OrderLineInput{ProductID: l.ProductID, Qty: l.Qty})
	}
	if p, err := time.Parse(time.DateOnly, d.Data["promised"]); err == nil {
		in.PromisedOn = &p
	}
	if fee, err := r.b.cfg.Currency.Parse(d.Data["delivery"]); err == nil {
		in.Delivery = &fee
	}
	o, err := r.b.svc.Orders.Place(r.effectQuiet(), r.actor, in)
	if errors.Is(err, core.ErrForbidden) && !override {
		k := new(kb).row(btn(r.lang.Plain("staff.btn.override"), cb("sno"))).row(btn(r.lang.Plain("staff.btn.quit"), cb("sq")))
		return r.show(r.lang.T("staff.new.over_limit", core.SafeMessage(err)), k)
	}
	if err != nil {
		return err
	}
	if err := r.clearDialog(); err != nil {
		r.log.Warn("clear dialog", "err", err)
	}
	r.b.notifier.OrderChanged(r.ctx, o, core.ActPlace, r.actor)
	if err := r.show(r.lang.T("staff.new.placed", o.Number, o.CustomerName, r.lang.money(r.b.cfg.Currency, o.Total())), nil); err != nil {
		return err
	}
	r.out.Message = 0
	return showOrder(r, o.ID)
}

func (r *req) applyTerms(d *dialog) error {
	terms := int(d.dataInt("terms"))
	c, err := r.b.svc.Customers.Get(r.ctx, r.actor, d.CustomerID)
	if err != nil || c.TermsDays == terms {
		return err
	}
	_, err = r.b.svc.Customers.Update(r.ctx, r.actor, d.CustomerID, func(c *core.Customer) { c.TermsDays = terms })
	return err
}
