package bot

import (
	"strconv"
	"strings"

	"github.com/go-telegram/bot/models"

	"github.com/orderbot/orderbot/core"
)

// /stock: on hand, reserved, held and free per product, low stock first;
// a product's card records goods received (+N) or a correction with a
// reason. Staff free text lands here too: an order number opens the order,
// anything else searches products.

func init() {
	onCommand("stock", true, false, func(r *req, _ string) error { return showStock(r, "", 0) })
	onCallback("skl", 1, true, func(r *req, c callback) error { return showStock(r, "", int(c.Arg(0))) })
	onCallback("skp", 1, true, func(r *req, c callback) error { return showStockItem(r, c.Arg(0), "") })
	onCallback("skr", 1, true, func(r *req, c callback) error { return askStock(r, "receive", c.Arg(0)) })
	onCallback("skc", 1, true, func(r *req, c callback) error { return askStock(r, "correct", c.Arg(0)) })
	onStaffFlow(flowStock, stockInput)
	staffText = onStaffText
}

// onStaffText opens an order by its number, offers to add the sender of a
// forwarded message as a manager (owners), or searches products.
func onStaffText(r *req, text string) error {
	if m := r.upd.Message; m != nil && m.ForwardOrigin != nil && r.role == core.RoleOwner {
		return offerManager(r, m.ForwardOrigin)
	}
	if orderNumberRE.MatchString(text) {
		o, err := r.findOrder(text)
		if err != nil {
			return err
		}
		return showOrder(r, o.ID)
	}
	if len([]rune(text)) > 100 {
		return r.reply(r.lang.T("err.too_long", 100), nil)
	}
	return showStock(r, text, 0)
}

func showStock(r *req, query string, page int) error {
	page = max(page, 0)
	levels, err := r.b.svc.Catalog.Stock(r.ctx, core.StockFilter{Query: query, LowFirst: true, Limit: staffPage + 1, Offset: page * staffPage, Exact: true})
	if err != nil {
		return err
	}
	if len(levels) == 0 {
		if query != "" {
			return r.show(r.lang.T("staff.stock.none", query), nil)
		}
		return r.show(r.lang.T("staff.stock.empty"), nil)
	}
	more := len(levels) > staffPage
	text, k := r.renderStock(levels[:min(len(levels), staffPage)], query, page)
	if query == "" {
		total := page + 1
		if more {
			total++
		}
		k.pager(r.lang, page, total, func(p int) callback { return cb("skl", int64(p)) })
	}
	return r.show(text, k)
}

func (r *req) renderStock(levels []core.StockLevel, query string, page int) (string, *kb) {
	l := r.lang
	var b strings.Builder
	if query != "" {
		b.WriteString(l.T("staff.stock.search", query))
	} else {
		b.WriteString(l.T("staff.stock.title", r.b.cfg.LowStock, page+1))
	}
	k := &kb{}
	for _, s := range levels {
		b.WriteString("\n" + r.stockLine(s))
		k.row(btn(l.Plain("staff.btn.stock_item", s.Name, s.Free), cb("skp", s.ID)))
	}
	return b.String(), k
}

func (r *req) stockLine(s core.StockLevel) string {
	l := r.lang
	mark := l.T("staff.stock.ok")
	if s.Free <= r.b.cfg.LowStock {
		mark = l.T("staff.stock.low")
	}
	line := mark + l.T("staff.stock.item", s.Name, s.SKU, s.OnHand, s.Reserved, s.Held, s.Free)
	if !s.Active {
		line += l.T("staff.stock.inactive")
	}
	return line
}

// showStockItem is a product's stock card, after a note on what just
// changed, if anything.
func showStockItem(r *req, productID int64, note string) error {
	levels, err := r.b.svc.Catalog.Stock(r.ctx, core.StockFilter{ProductIDs: []int64{productID}, Exact: true})
	if err != nil {
		return err
	}
	if len(levels) == 0 {
		return core.Errorf(core.ErrNotFound, "%s", r.lang.Plain("product.gone"))
	}
	s, l := levels[0], r.lang
	text := l.T("staff.stock.card", s.Name, s.SKU, l.money(r.b.cfg.Currency, s.Price), l.perUnit(s.Unit)) + "\n" + r.stockLine(s)
	if note != "" {
		text = note + "\n\n" + text
	}
	text += "\n" + l.supplyText(s.Product)
	k := new(kb).row(btn(l.Plain("staff.btn.receive"), cb("skr", s.ID)), btn(l.Plain("staff.btn.correct"), cb("skc", s.ID)))
	supplyButtons(l, k, s.Product)
	k.row(btn(l.Plain("staff.btn.stock"), cb("skl", 0)))
	return r.show(text, k)
}

func askStock(r *req, step string, productID int64) error {
	p, err := r.b.svc.Catalog.Stock(r.ctx, core.StockFilter{ProductIDs: []int64{productID}})
	if err != nil {
		return err
	}
	if len(p) == 0 {
		return core.Errorf(core.ErrNotFound, "%s", r.lang.Plain("product.gone"))
	}
	if err := r.saveDialog(&dialog{Flow: flowStock, Step: step, ProductID: productID}); err != nil {
		return err
	}
	key := "staff.stock.ask_" + step
	return r.show(r.lang.T(key, p[0].Name, p[0].OnHand, p[0].Reserved), r.lang.quitKB())
}

// stockInput takes "24 [note]" for goods received or "-2 reason" for a
// correction.
func stockInput(r *req, d *dialog, m *models.Message) error {
	head, rest, _ := strings.Cut(strings.TrimSpace(m.Text), " ")
	n, err := strconv.ParseInt(strings.TrimPrefix(head, "+"), 10, 64)
	if err != nil {
		key := "staff.stock.bad_" + d.Step
		return r.reply(r.lang.T(key, head), r.lang.quitKB().markup())
	}
	if d.Step == "lead" {
		return setLeadDays(r, d, n)
	}
	var st *core.StockLevel
	var arrivals []core.Arrival
	if d.Step == "receive" {
		var rc *core.Receipt
		if rc, err = r.b.svc.Catalog.ReceiveGoods(r.effectQuiet(), r.actor, d.ProductID, n, rest); err == nil {
			st, arrivals = &rc.Stock, rc.Arrivals
		}
	} else {
		st, err = r.b.svc.Catalog.Correct(r.effectQuiet(), r.actor, d.ProductID, n, rest)
	}
	if err != nil {
		return err // the dialog stays open for a corrected answer
	}
	if err := r.clearDialog(); err != nil {
		r.log.Warn("clear dialog", "err", err)
	}
	if len(arrivals) > 0 {
		r.b.notifier.OrderChanged(r.ctx, nil, core.ActArrive, r.actor)
	}
	return showStockItem(r, d.ProductID, r.lang.T("staff.stock.moved", st.Name, st.OnHand, st.Reserved)+r.lang.arrivalsText(arrivals))
}
