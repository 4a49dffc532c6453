package bot

import (
	"strings"

	"github.com/orderbot/orderbot/core"
)

// The customer's catalog: pages of products with price and free quantity,
// a ➕ beside each that puts one in the cart without leaving the page, a
// product card with a quantity picker, and search by typing (a search with
// one hit opens the product).

const catalogPage = 8

func init() {
	onCommand("catalog", false, false, func(r *req, _ string) error { return showCatalog(r, "", 0) })
	onCallback("cat", 1, false, func(r *req, c callback) error { return showCatalog(r, "", int(c.Arg(0))) })
	onCallback("cs", 1, false, func(r *req, c callback) error {
		d, err := r.loadDialog()
		if err != nil {
			return err
		}
		return showCatalog(r, d.Query, int(c.Arg(0)))
	})
	onCallback("p", 2, false, func(r *req, c callback) error { return showProduct(r, c.Arg(0), c.Arg(1)) })
	onCallback("pa", 2, false, func(r *req, c callback) error { return addToCart(r, c.Arg(0), c.Arg(1)) })
	onCallback("pq", 3, false, func(r *req, c callback) error { return quickAdd(r, c.Arg(0), int(c.Arg(1)), c.Arg(2) == 1) })
	routes.Quiet("cat", "cs", "p") // browsing only shows screens: taps answered at once
}

// onText is typed text outside any dialog: a search of the catalog.
func onText(r *req, text string) error {
	if r.isStaff() {
		return staffText(r, text)
	}
	if len([]rune(text)) > 100 {
		return r.reply(r.lang.T("err.too_long", 100), nil)
	}
	d, err := r.loadDialog()
	if err != nil {
		return err
	}
	d.Query = text
	if err := r.saveDialog(d); err != nil {
		return err
	}
	return showCatalog(r, text, 0)
}

// staffText is where staff free text goes; the staff side replaces it.
var staffText = func(r *req, text string) error { return showCatalog(r, text, 0) }

func showCatalog(r *req, query string, page int) error { return showCatalogWith(r, query, page, nil) }

// showCatalogWith shows a page of the catalog with the cart's quantities
// (nil: read them).
func showCatalogWith(r *req, query string, page int, cart map[int64]int64) error {
	levels, err := r.b.svc.Catalog.Stock(r.ctx, core.StockFilter{Query: query, ActiveOnly: true, Limit: 1000})
	if err != nil {
		return err
	}
	if len(levels) == 0 {
		if query != "" {
			return r.show(r.lang.T("catalog.none", query), new(kb).row(btn(r.lang.Plain("btn.catalog"), cb("cat", 0))))
		}
		return r.show(r.lang.T("catalog.empty"), nil)
	}
	if query != "" && len(levels) == 1 {
		return showProduct(r, levels[0].ID, 1)
	}
	total := pages(len(levels), catalogPage)
	page = min(max(page, 0), total-1)
	items := levels[page*catalogPage : min(len(levels), (page+1)*catalogPage)]
	r.ownPrices(items)
	if cart == nil {
		if cart, err = r.cartQty(); err != nil { // the catalog is Postgres's: it shows without the cart
			r.log.Warn("cart for the catalog", "err", err)
		}
	}
	text, k := r.renderCatalog(items, cart, query, page, total)
	return r.show(text, k)
}

// cartQty is what the customer has in the cart, per product (nothing for
// staff, who have no cart).
func (r *req) cartQty() (map[int64]int64, error) {
	qty := map[int64]int64{}
	if r.customer == nil {
		return qty, nil
	}
	return r.b.svc.Shopping.Quantities(r.ctx, r.actor)
}

func (r *req) renderCatalog(items []core.StockLevel, cart map[int64]int64, query string, page, total int) (string, *kb) {
	l, cur := r.lang, r.b.cfg.Currency
	var b strings.Builder
	if query != "" {
		b.WriteString(l.T("catalog.search", query, page+1, total))
	} else {
		b.WriteString(l.T("catalog.title", page+1, total))
	}
	search := int64(0)
	if query != "" {
		search = 1
	}
	k := &kb{}
	for _, it := range items {
		avail := l.availability(it.Free, it.Product)
		b.WriteString("\n" + l.T("catalog.item", it.Name, l.money(cur, it.Price), l.unitAbbr(it.Unit), safeHTML(avail)))
		if n := cart[it.ID]; n > 0 {
			b.WriteString(l.T("catalog.in_cart", n))
		}
		var add button
		if r.customer != nil && orderable(it.Free, it.Product) {
			add = btn("➕", cb("pq", it.ID, int64(page), search))
		}
		k.row(btn(it.Name+" · "+l.money(cur, it.Price), cb("p", it.ID, 1)), add)
	}
	pageCB := func(p int) callback { return cb("cat", int64(p)) }
	if query != "" {
		pageCB = func(p int) callback { return cb("cs", int64(p)) }
	}
	k.pager(l, page, total, pageCB)
	r.cartRow(k, cart)
	return b.String(), k
}

// cartRow is the way on from the catalog: the cart with how many lines it
// has, and Check out when there is something to check out.
func (r *req) cartRow(k *kb, cart map[int64]int64) {
	l := r.lang
	if len(cart) == 0 {
		k.row(btn(l.Plain("btn.cart"), cb("cart")))
		return
	}
	k.row(btn(l.Plain("btn.cart_n", len(cart)), cb("cart")), btn(l.Plain("btn.checkout"), cb("co")))
}

// quickAdd puts one more of a product in the cart from the catalog page and
// shows the page again, with the cart's count on it.
func quickAdd(r *req, productID int64, page int, search bool) error {
	if r.customer == nil {
		return r.reply(r.lang.T("err.staff_only"), nil)
	}
	c, err := r.b.svc.Shopping.Add(r.ctx, r.actor, productID, 1)
	if err != nil {
		return err
	}
	cart := map[int64]int64{}
	for _, line := range c.Lines {
		cart[line.ProductID] = line.Qty
		if line.ProductID == productID {
			r.answer(r.lang.Plain("cart.added", line.Product.Name, line.Qty), false)
		}
	}
	query := ""
	if search {
		d, err := r.loadDialog()
		if err != nil {
			return err
		}
		query = d.Query
	}
	return showCatalogWith(r, query, page, cart)
}

func showProduct(r *req, productID, qty int64) error {
	levels, err := r.b.svc.Catalog.Stock(r.ctx, core.StockFilter{ProductIDs: []int64{productID}})
	if err != nil {
		return err
	}
	if len(levels) == 0 || !levels[0].Active {
		return r.show(r.lang.T("product.gone"), new(kb).row(btn(r.lang.Plain("btn.catalog"), cb("cat", 0))))
	}
	cart, err := r.cartQty()
	if err != nil { // the card is Postgres's: it shows without the cart
		r.log.Warn("cart for the product card", "err", err)
	}
	qty = min(max(qty, 1), core.MaxQty)
	text, k := r.renderProduct(levels[0], qty, cart[productID])
	return r.show(text, k)
}

func (r *req) renderProduct(p core.StockLevel, qty, inCart int64) (string, *kb) {
	l, cur := r.lang, r.b.cfg.Currency
	avail := l.availability(p.Free+inCart, p.Product)
	cp := r.customerPrices([]int64{p.ID})
	unit := cp.Price(&p.Product, qty)
	text := l.T("product.card", p.Name, p.SKU, l.money(cur, cp.Price(&p.Product, 1)), l.perUnit(p.Unit), safeHTML(avail)) +
		l.breaksText(cur, cp, &p.Product) + l.T("product.qty", qty, l.unit(qty, p.Unit), l.money(cur, unit*core.Money(qty)))
	if inCart > 0 {
		text += l.T("product.in_cart", inCart)
	}
	k := &kb{}
	k.row(btn("−10", cb("p", p.ID, max(qty-10, 1))), btn("−1", cb("p", p.ID, max(qty-1, 1))),
		btn("+1", cb("p", p.ID, qty+1)), btn("+10", cb("p", p.ID, qty+10)))
	k.row(btn(l.Plain("btn.add", qty), cb("pa", p.ID, qty)))
	k.row(btn(l.Plain("btn.catalog"), cb("cat", 0)), btn(l.Plain("btn.cart"), cb("cart")))
	return text, k
}

func addToCart(r *req, productID, qty int64) error {
	if r.customer == nil {
		return r.reply(r.lang.T("err.staff_only"), nil)
	}
	cart, err := r.b.svc.Shopping.Add(r.ctx, r.actor, productID, qty)
	if err != nil {
		return err
	}
	for _, l := range cart.Lines {
		if l.ProductID == productID {
			r.answer(r.lang.Plain("cart.added", l.Product.Name, l.Qty), false)
		}
	}
	return showCart(r, cart)
}
