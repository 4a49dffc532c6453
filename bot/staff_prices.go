package bot

import (
	"errors"
	"sort"
	"strings"

	"github.com/go-telegram/bot/models"

	"github.com/orderbot/orderbot/core"
)

// Prices by staff: a discount on an order or a line and the delivery
// charge, typed with a reason in one message from the order card; the
// price list a customer buys at, chosen on the customer's card. The core
// checks authority and writes the reason on the order's trail.

const flowPrice = "s.price"

// Steps of flowPrice.
const (
	stepDiscount = "discount"
	stepDelivery = "delivery"
)

func init() {
	onCallback("sdi", 2, true, func(r *req, c callback) error { return askPrice(r, stepDiscount, c.Arg(0), c.Arg(1)) })
	onCallback("sdv", 2, true, func(r *req, c callback) error { return askPrice(r, stepDelivery, c.Arg(0), c.Arg(1)) })
	onCallback("spl", 1, true, func(r *req, c callback) error { return choosePriceList(r, c.Arg(0)) })
	onCallback("spls", 2, true, func(r *req, c callback) error { return setPriceList(r, c.Arg(0), c.Arg(1)) })
	onStaffFlow(flowPrice, priceInput)
}

// priceButtons adds Discount and Delivery to a staff order card while its
// prices may change, and the customer's price list.
func priceButtons(l lang, k *kb, o *core.Order) {
	var row []button
	if core.Allowed(o.Status, core.ActPrice) {
		row = append(row, btn(l.Plain("staff.btn.discount"), cb("sdi", o.ID, o.Version)), btn(l.Plain("staff.btn.delivery"), cb("sdv", o.ID, o.Version)))
	}
	k.row(append(row, btn(l.Plain("staff.btn.price_list"), cb("spl", o.CustomerID)))...)
}

func askPrice(r *req, step string, orderID, version int64) error {
	o, err := r.b.svc.Orders.Get(r.ctx, r.actor, orderID)
	if err != nil {
		return err
	}
	if o.Version != version {
		return r.tellRace(o)
	}
	d := &dialog{Flow: flowPrice, Step: step, OrderID: o.ID, Version: o.Version}
	if err := r.b.cache.SaveDialog(r.ctx, r.user.ID, d, r.b.cfg.DialogTTL); err != nil {
		return unavailable(err)
	}
	key := "staff.price.ask_discount"
	if step == stepDelivery {
		key = "staff.price.ask_delivery"
	}
	prompt := r.lang.T(key, o.Number, o.CustomerName, r.lang.money(r.b.cfg.Currency, o.Delivery))
	if _, err := r.b.send.SendWait(r.ctx, r.user.ID, prio(r.ctx), prompt, r.lang.quitKB().markup()); err != nil {
		r.say(r.lang.T("staff.reason.private"))
		return nil
	}
	r.answer("", false)
	return nil
}

func priceInput(r *req, d *dialog, m *models.Message) error {
	o, err := r.b.svc.Orders.Get(r.ctx, r.actor, d.OrderID)
	if err != nil {
		return err
	}
	var inv *core.Invoice
	if d.Step == stepDelivery {
		var amount core.Money
		var reason string
		if amount, reason, err = parseDelivery(m.Text, r.b.cfg.Currency); err == nil {
			o, inv, err = r.b.svc.Orders.SetDelivery(r.effect(), r.actor, d.OrderID, d.Version, amount, reason)
		}
	} else {
		var in core.DiscountInput
		if in, err = parseDiscount(m.Text, o, r.b.cfg.Currency); err == nil {
			o, inv, err = r.b.svc.Orders.Discount(r.effect(), r.actor, d.OrderID, d.Version, in)
		}
	}
	if errors.Is(err, core.ErrInvalid) || errors.Is(err, core.ErrNotFound) {
		return r.reply(r.lang.T("staff.price.bad", core.SafeMessage(err)), r.lang.quitKB().markup())
	}
	if cerr := r.clearDialog(); cerr != nil {
		r.log.Warn("clear dialog", "err", cerr)
	}
	if err != nil {
		return r.lostRace(d.OrderID, d.Version, err)
	}
	r.b.notifier.OrderChanged(r.ctx, o, core.ActPrice, r.actor)
	text := r.lang.T("staff.price.done", o.Number, r.lang.money(r.b.cfg.Currency, o.Total()))
	if inv != nil {
		text += "\n" + r.lang.T("staff.price.reissued", inv.Number)
	}
	if err := r.reply(text, new(kb).row(btn(r.lang.Plain("btn.open"), cb("o", o.ID))).markup()); err != nil {
		return err
	}
	r.replied()
	return nil
}

// parseDiscount reads "10% reason" or "5.00 reason" (the whole order) and
// "SKU 10% reason" (one line): a percent or an amount, then the reason.
func parseDiscount(text string, o *core.Order, cur core.Currency) (core.DiscountInput, error) {
	f := strings.Fields(text)
	var in core.DiscountInput
	if len(f) > 0 {
		for _, l := range o.Lines {
			if strings.EqualFold(l.SKU, f[0]) {
				in.ProductID, f = l.ProductID, f[1:]
				break
			}
		}
	}
	if len(f) < 2 {
		return in, core.Errorf(core.ErrInvalid, "write the discount and then the reason, such as: 10%% regular customer")
	}
	if p, ok := strings.CutSuffix(f[0], "%"); ok {
		rate, err := core.ParseTaxRate(p)
		if err != nil {
			return in, core.Errorf(core.ErrInvalid, "discount %q: write a percent from 0 to 100, such as 10%%", f[0])
		}
		in.Percent, in.IsPercent = rate, true
	} else {
		amount, err := cur.Parse(f[0])
		if err != nil {
			return in, err
		}
		in.Amount = amount
	}
	in.Reason = strings.Join(f[1:], " ")
	return in, nil
}

// parseDelivery reads "15.00 reason".
func parseDelivery(text string, cur core.Currency) (core.Money, string, error) {
	f := strings.Fields(text)
	if len(f) < 2 {
		return 0, "", core.Errorf(core.ErrInvalid, "write the delivery charge and then the reason, such as: 15.00 far address")
	}
	amount, err := cur.Parse(f[0])
	return amount, strings.Join(f[1:], " "), err
}

// choosePriceList shows the price lists to put a customer on.
func choosePriceList(r *req, customerID int64) error {
	lists, err := r.b.svc.Catalog.PriceLists(r.ctx, r.actor)
	if err != nil {
		return err
	}
	cust, err := r.b.svc.Customers.Get(r.ctx, r.actor, customerID)
	if err != nil {
		return err
	}
	k := new(kb).row(btn(r.lang.Plain("staff.pl.catalog"), cb("spls", customerID, 0)))
	for _, pl := range lists {
		k.row(btn(pl.Name, cb("spls", customerID, pl.ID)))
	}
	k.row(btn(r.lang.Plain("staff.btn.quit"), cb("sdc", customerID)))
	return r.show(r.lang.T("staff.pl.choose", cust.Name, orDash(cust.PriceList, r.lang.Plain("staff.pl.catalog")), len(lists)), k)
}

func setPriceList(r *req, customerID, listID int64) error {
	name := ""
	if listID != 0 {
		lists, err := r.b.svc.Catalog.PriceLists(r.ctx, r.actor)
		if err != nil {
			return err
		}
		for _, pl := range lists {
			if pl.ID == listID {
				name = pl.Name
			}
		}
		if name == "" {
			r.answer(r.lang.Plain("err.stale"), true)
			return nil
		}
	}
	if _, err := r.b.svc.Customers.SetPriceList(r.effect(), r.actor, customerID, name); err != nil {
		return err
	}
	r.answer(r.lang.Plain("staff.pl.set"), false)
	return showLedger(r, customerID)
}

func init() {
	onCallback("spa", 0, true, func(r *req, _ callback) error {
		d, err := r.loadDialog()
		if err != nil {
			return err
		}
		if d.Step != stepCSV || d.Data["prices"] == "" {
			r.answer(r.lang.Plain("err.stale"), true)
			return nil
		}
		data, err := r.b.download(r.ctx, d.Data["prices"])
		if err != nil {
			return err
		}
		return importPriceFile(r, d.Data["prices"], data, false)
	})
}

// importPriceFile checks (preview) or applies a price list file, all or
// nothing, with the same validation as `orderbot prices import`.
func importPriceFile(r *req, fileID string, data []byte, preview bool) error {
	rows, err := core.ParsePriceList(strings.NewReader(string(data)), r.b.cfg.Currency)
	var res *core.PriceImport
	if err == nil {
		res, err = r.b.svc.Catalog.ImportPrices(r.effectQuiet(), r.actor, rows, preview)
	}
	var fe *core.CatalogFileError
	if errors.As(err, &fe) {
		if cerr := r.clearDialog(); cerr != nil {
			r.log.Warn("clear dialog", "err", cerr)
		}
		return r.show(r.renderFileErrors(fe), nil)
	}
	if err != nil {
		return err
	}
	var lists strings.Builder
	for _, name := range sortedKeys(res.Lists) {
		lists.WriteString(r.lang.T("staff.pl.list", name, res.Lists[name]))
	}
	if !preview {
		if err := r.clearDialog(); err != nil {
			r.log.Warn("clear dialog", "err", err)
		}
		return r.show(r.lang.T("staff.pl.applied", res.Rows, len(res.Lists), lists.String()), nil)
	}
	d := &dialog{Step: stepCSV}
	d.set("prices", fileID)
	if err := r.saveDialog(d); err != nil {
		return err
	}
	k := new(kb).row(btn(r.lang.Plain("staff.btn.apply"), cb("spa")), btn(r.lang.Plain("staff.btn.quit"), cb("sq")))
	return r.show(r.lang.T("staff.pl.preview", res.Rows, len(res.Lists), lists.String()), k)
}

func sortedKeys(m map[string]int) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
