package bot

import (
	"strings"

	"github.com/orderbot/orderbot/core"
)

// Orders by stage for staff: /orders lists how many orders are at each
// stage (new, in progress with goods ready, awaiting goods, shipped and not
// paid, paid and not closed, closed, cancelled), each a button to its list;
// /toship puts the orders with goods ready first and those awaiting goods
// after them.

// stages are the staff's lists, in lifecycle order: a status, or the
// orders awaiting goods.
var stages = []string{"new", "in_progress", "awaiting", "shipped", "paid", "closed", "cancelled"}

func init() {
	onCallback("stg", 2, true, func(r *req, c callback) error { return showStage(r, int(c.Arg(0)), int(c.Arg(1))) }) // a stage's list, page
	register(langEN, map[string]string{
		"staff.toship.ready":      "<b>Ready to ship</b>",
		"staff.toship.awaiting":   "<b>Awaiting goods</b> (nothing of them is ready yet)",
		"staff.toship.awaited":    " · ⏳ %d awaited",
		"staff.toship.awaited_on": " · ⏳ %d awaited, expected %s",
		"staff.stages.title":      "<b>Orders by stage</b>",
		"staff.stages.item":       "%s: %d",
		"staff.stage.new":         "🆕 New, to confirm",
		"staff.stage.in_progress": "🛠 In progress",
		"staff.stage.awaiting":    "⏳ Awaiting goods",
		"staff.stage.shipped":     "🚚 Shipped, not paid",
		"staff.stage.paid":        "💳 Paid, not closed",
		"staff.stage.closed":      "🔒 Closed",
		"staff.stage.cancelled":   "✖ Cancelled",
		"staff.stage.head":        "<b>%s</b>: %d · page %d of %d",
		"staff.stage.line":        "• <b>%s</b> · %s · %s · %s",
		"staff.stage.empty":       "No orders at this stage.",
		"staff.btn.stages":        "⬅ Stages",
	})
	register(langRU, map[string]string{
		"staff.toship.ready":      "<b>Готово к отгрузке</b>",
		"staff.toship.awaiting":   "<b>Ждут товар</b> (готового пока нет)",
		"staff.toship.awaited":    " · ⏳ ждём %d",
		"staff.toship.awaited_on": " · ⏳ ждём %d, ожидается %s",
		"staff.stages.title":      "<b>Заказы по этапам</b>",
		"staff.stages.item":       "%s: %d",
		"staff.stage.new":         "🆕 Новые, подтвердить",
		"staff.stage.in_progress": "🛠 В работе",
		"staff.stage.awaiting":    "⏳ Ждут товар",
		"staff.stage.shipped":     "🚚 Отгружены, не оплачены",
		"staff.stage.paid":        "💳 Оплачены, не закрыты",
		"staff.stage.closed":      "🔒 Закрыты",
		"staff.stage.cancelled":   "✖ Отменены",
		"staff.stage.head":        "<b>%s</b>: %d · стр. %d из %d",
		"staff.stage.line":        "• <b>%s</b> · %s · %s · %s",
		"staff.stage.empty":       "Заказов на этом этапе нет.",
		"staff.btn.stages":        "⬅ Этапы",
	})
}

// readyFirst puts the orders with goods ready to ship before those that
// only await goods, each group oldest first as it came.
func readyFirst(orders []core.Order) []core.Order {
	out := make([]core.Order, 0, len(orders))
	for _, o := range orders {
		if o.Ready() > 0 {
			out = append(out, o)
		}
	}
	for _, o := range orders {
		if o.Ready() == 0 {
			out = append(out, o)
		}
	}
	return out
}

func toShipSection(o *core.Order) string {
	if o.Ready() > 0 {
		return "staff.toship.ready"
	}
	return "staff.toship.awaiting"
}

func (l lang) awaitedMark(o *core.Order) string {
	if d := o.ExpectedOn(); d != nil {
		return l.T("staff.toship.awaited_on", o.Awaited(), l.day(*d))
	}
	return l.T("staff.toship.awaited", o.Awaited())
}

// stageFilter is the list of a stage.
func stageFilter(stage string) core.OrderFilter {
	if stage == "awaiting" {
		return core.OrderFilter{AwaitingGoods: true}
	}
	return core.OrderFilter{Statuses: []core.Status{core.Status(stage)}, NewestFirst: true}
}

// showStages is the staff's /orders: a count and a button per stage.
func showStages(r *req) error {
	l := r.lang
	var b strings.Builder
	b.WriteString(l.T("staff.stages.title"))
	k := &kb{}
	for i, st := range stages {
		orders, err := r.b.svc.Orders.List(r.ctx, r.actor, stageFilter(st))
		if err != nil {
			return err
		}
		label := l.Plain(stageKey(st))
		b.WriteString("\n" + l.T("staff.stages.item", label, len(orders)))
		k.row(btn(l.Plain("staff.stages.item", label, len(orders)), cb("stg", int64(i), 0)))
	}
	return r.show(b.String(), k)
}

func showStage(r *req, stage, page int) error {
	if stage == len(stages) {
		return showStages(r)
	}
	if stage < 0 || stage > len(stages) {
		r.answer(r.lang.Plain("err.stale"), true)
		return nil
	}
	orders, err := r.b.svc.Orders.List(r.ctx, r.actor, stageFilter(stages[stage]))
	if err != nil {
		return err
	}
	l, cur := r.lang, r.b.cfg.Currency
	back := new(kb).row(btn(l.Plain("staff.btn.stages"), cb("stg", int64(len(stages)), 0)))
	if len(orders) == 0 {
		return r.show(l.T("staff.stage.empty"), back)
	}
	total := pages(len(orders), staffPage)
	page = min(max(page, 0), total-1)
	var b strings.Builder
	b.WriteString(l.T("staff.stage.head", l.Plain(stageKey(stages[stage])), len(orders), page+1, total))
	k := &kb{}
	for _, o := range orders[page*staffPage : min(len(orders), (page+1)*staffPage)] {
		b.WriteString("\n" + l.T("staff.stage.line", o.Number, o.CustomerName, safeHTML(l.statusLine(&o)), l.money(cur, o.Total())))
		if o.Open() && o.Awaited() > 0 {
			b.WriteString(l.awaitedMark(&o))
		}
		k.row(btn(l.Plain("staff.btn.order_item", o.Number, o.CustomerName), cb("o", o.ID)))
	}
	k.pager(l, page, total, func(p int) callback { return cb("stg", int64(stage), int64(p)) })
	k.rows = append(k.rows, back.rows...)
	return r.show(b.String(), k)
}

func stageKey(stage string) string { return "staff.stage." + stage }
