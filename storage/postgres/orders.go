package postgres

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/orderbot/orderbot/core"
)

const orderColumns = `o.id, o.number, o.customer_id, c.name, o.status, o.fulfilment, o.payment, o.address, o.phone,
	o.comment, o.created_by_role, o.created_by_id, o.created_by_name, o.promised_on, o.currency, o.paid, o.invoiced,
	o.confirmed_at, o.closed_at, o.cancelled_at, o.close_reason, o.version, o.created_at, o.updated_at, o.settled_at,
	o.tax_included, o.delivery, o.delivery_rate, o.delivery_invoiced`

const orderFrom = ` FROM orders o JOIN customers c ON c.id = o.customer_id`

func scanOrder(row pgx.Row) (*core.Order, error) {
	var o core.Order
	err := row.Scan(&o.ID, &o.Number, &o.CustomerID, &o.CustomerName, &o.Status, &o.Fulfilment, &o.Payment,
		&o.Address, &o.Phone, &o.Comment, &o.CreatedBy.Role, &o.CreatedBy.UserID, &o.CreatedBy.Name, &o.PromisedOn,
		&o.Currency, &o.Paid, &o.Invoiced, &o.ConfirmedAt, &o.ClosedAt, &o.CancelledAt, &o.CloseReason, &o.Version,
		&o.CreatedAt, &o.UpdatedAt, &o.SettledAt, &o.TaxIncluded, &o.Delivery, &o.DeliveryRate, &o.DeliveryInvoiced)
	if err != nil {
		return nil, interpretError(err)
	}
	return &o, nil
}

// loadLines fills the lines of the given orders with one query.
func loadLines(ctx context.Context, q querier, orders []core.Order) error {
	if len(orders) == 0 {
		return nil
	}
	ids := make([]int64, len(orders))
	at := map[int64]int{}
	for i, o := range orders {
		ids[i] = o.ID
		at[o.ID] = i
	}
	rows, err := q.Query(ctx, `SELECT order_id, line_no, product_id, sku, name, unit, qty, price, shipped, returned,
		released, invoiced, awaited, expected_on, discount, tax_rate FROM order_lines WHERE order_id = ANY($1) ORDER BY order_id, line_no`, ids)
	if err != nil {
		return interpretError(err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var l core.Line
		if err := rows.Scan(&id, &l.No, &l.ProductID, &l.SKU, &l.Name, &l.Unit, &l.Qty, &l.Price, &l.Shipped,
			&l.Returned, &l.Released, &l.Invoiced, &l.Awaited, &l.ExpectedOn, &l.Discount, &l.TaxRate); err != nil {
			return interpretError(err)
		}
		o := &orders[at[id]]
		o.Lines = append(o.Lines, l)
	}
	return interpretError(rows.Err())
}

func orderBy(ctx context.Context, q querier, where string, arg any, lock bool) (*core.Order, error) {
	sql := `SELECT ` + orderColumns + orderFrom + ` WHERE ` + where
	if lock {
		sql += ` FOR UPDATE OF o`
	}
	o, err := scanOrder(q.QueryRow(ctx, sql, arg))
	if err != nil {
		return nil, notFound(err, "no order %v", arg)
	}
	os := []core.Order{*o}
	if err := loadLines(ctx, q, os); err != nil {
		return nil, err
	}
	return &os[0], nil
}

// Order reads one order with its lines.
func (db *DB) Order(ctx context.Context, id int64) (*core.Order, error) {
	return orderBy(ctx, db.pool, "o.id = $1", id, false)
}

// OrderByNumber reads one order by its number.
func (db *DB) OrderByNumber(ctx context.Context, number string) (*core.Order, error) {
	return orderBy(ctx, db.pool, "o.number = $1", strings.TrimSpace(number), false)
}

// Orders lists orders with their lines.
func (db *DB) Orders(ctx context.Context, f core.OrderFilter) ([]core.Order, error) {
	var q query
	if len(f.Statuses) > 0 {
		ss := make([]string, len(f.Statuses))
		for i, s := range f.Statuses {
			ss[i] = string(s)
		}
		q.and("o.status = ANY(" + q.arg(ss) + ")")
	}
	if f.CustomerID != 0 {
		q.and("o.customer_id = " + q.arg(f.CustomerID))
	}
	order := "o.id"
	switch {
	case f.AwaitingShipment:
		q.and("o.id IN (SELECT order_id FROM awaiting_orders)")
		order = "o.created_at, o.id"
	case f.AwaitingGoods:
		q.and(`o.id IN (SELECT order_id FROM order_lines WHERE awaited > 0) AND o.closed_at IS NULL AND o.cancelled_at IS NULL`)
		order = "o.created_at, o.id"
	case f.NewestFirst:
		order = "o.id DESC"
	}
	rows, err := db.pool.Query(ctx, q.sql(`SELECT `+orderColumns+orderFrom, order, f.Limit, f.Offset), q.args...)
	if err != nil {
		return nil, interpretError(err)
	}
	orders, err := collect(rows, scanOrder)
	if err != nil {
		return nil, err
	}
	return orders, loadLines(ctx, db.pool, orders)
}

// Events lists an order's audit trail, oldest first.
func (db *DB) Events(ctx context.Context, orderID int64) ([]core.Event, error) {
	rows, err := db.pool.Query(ctx, `SELECT id, order_id, at, actor_role, actor_id, actor_name, action, detail,
		status_before, status_after, ref FROM order_events WHERE order_id = $1 ORDER BY id`, orderID)
	if err != nil {
		return nil, interpretError(err)
	}
	return collect(rows, func(r pgx.Row) (*core.Event, error) {
		var e core.Event
		err := r.Scan(&e.ID, &e.OrderID, &e.At, &e.Actor.Role, &e.Actor.UserID, &e.Actor.Name, &e.Action, &e.Detail,
			&e.Before, &e.After, &e.Ref)
		return &e, interpretError(err)
	})
}

// InsertOrder numbers the order from a sequence in the same statement and
// writes its lines in one more: two round trips whatever the order's size.
func (t *txStore) InsertOrder(ctx context.Context, o *core.Order) error {
	err := t.tx.QueryRow(ctx, `INSERT INTO orders (number, customer_id, status, fulfilment, payment, address, phone,
		comment, created_by_role, created_by_id, created_by_name, promised_on, currency, total, due, paid, invoiced,
		confirmed_at, created_at, updated_at, cart_holder, cart_gen, tax_included, delivery, delivery_rate, delivery_invoiced)
		VALUES ($1::text || '-' || (SELECT lpad(n::text, greatest(6, length(n::text)), '0') FROM nextval('order_number_seq') AS n),
		        $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $19,
		        nullif($20::text, ''), nullif($21::text, ''), $22, $23, $24, $25)
		RETURNING id, number, version`,
		strconv.Itoa(o.CreatedAt.Year()), o.CustomerID, o.Status, o.Fulfilment, o.Payment, o.Address, o.Phone, o.Comment,
		string(o.CreatedBy.Role), o.CreatedBy.UserID, o.CreatedBy.Name, o.PromisedOn, o.Currency, o.Total(), o.Due(),
		o.Paid, o.Invoiced, o.ConfirmedAt, o.CreatedAt, cartHolder(o.Cart), o.Cart.Gen,
		o.TaxIncluded, o.Delivery, o.DeliveryRate, o.DeliveryInvoiced).Scan(&o.ID, &o.Number, &o.Version)
	if err != nil {
		return interpretError(err)
	}
	n := len(o.Lines)
	no, product, qty, price := make([]int32, n), make([]int64, n), make([]int64, n), make([]int64, n)
	sku, name, unit := make([]string, n), make([]string, n), make([]string, n)
	discount, rate := make([]int64, n), make([]int32, n)
	for i, l := range o.Lines {
		no[i], product[i], qty[i], price[i] = int32(l.No), l.ProductID, l.Qty, int64(l.Price)
		sku[i], name[i], unit[i], discount[i], rate[i] = l.SKU, l.Name, l.Unit, int64(l.Discount), int32(l.TaxRate)
	}
	_, err = t.tx.Exec(ctx, `INSERT INTO order_lines (order_id, line_no, product_id, sku, name, unit, qty, price,
		  discount, tax_rate)
		SELECT $1, * FROM unnest($2::int[], $3::bigint[], $4::text[], $5::text[], $6::text[], $7::bigint[], $8::bigint[],
		  $9::bigint[], $10::int[])`,
		o.ID, no, product, sku, name, unit, qty, price, discount, rate)
	return interpretError(err)
}

// cartHolder is the holder recorded with an order: none without a generation.
func cartHolder(k core.CartKey) string {
	if k.Gen == "" {
		return ""
	}
	return k.Holder
}

// PlacedCarts finds the orders placed from the given cart generations.
func (db *DB) PlacedCarts(ctx context.Context, keys []core.CartKey) (map[core.CartKey]int64, error) {
	return placedCarts(ctx, db.pool, keys)
}

func (t *txStore) PlacedCarts(ctx context.Context, keys []core.CartKey) (map[core.CartKey]int64, error) {
	return placedCarts(ctx, t.tx, keys)
}

func placedCarts(ctx context.Context, q querier, keys []core.CartKey) (map[core.CartKey]int64, error) {
	out := map[core.CartKey]int64{}
	if len(keys) == 0 {
		return out, nil
	}
	holders, gens := make([]string, len(keys)), make([]string, len(keys))
	for i, k := range keys {
		holders[i], gens[i] = k.Holder, k.Gen
	}
	rows, err := q.Query(ctx, `SELECT o.cart_holder, o.cart_gen, o.id FROM unnest($1::text[], $2::text[]) AS k(holder, gen)
		JOIN orders o ON o.cart_holder = k.holder AND o.cart_gen = k.gen`, holders, gens)
	if err != nil {
		return nil, interpretError(err)
	}
	defer rows.Close()
	for rows.Next() {
		var k core.CartKey
		var id int64
		if err := rows.Scan(&k.Holder, &k.Gen, &id); err != nil {
			return nil, interpretError(err)
		}
		out[k] = id
	}
	return out, interpretError(rows.Err())
}

func (t *txStore) OrderOwner(ctx context.Context, orderID int64) (int64, error) {
	var c int64
	err := t.tx.QueryRow(ctx, `SELECT customer_id FROM orders WHERE id = $1`, orderID).Scan(&c)
	return c, notFound(interpretError(err), "no order #%d", orderID)
}

func (t *txStore) OrderForUpdate(ctx context.Context, id int64) (*core.Order, error) {
	return orderBy(ctx, t.tx, "o.id = $1", id, true)
}

// UpdateOrder is a conditional update on the version the caller read. The
// lines are written as they are: quantities set, lines added, and lines no
// longer on the order deleted (only ever ones nothing shipped or billed).
func (t *txStore) UpdateOrder(ctx context.Context, o *core.Order, prev int64) error {
	tag, err := t.tx.Exec(ctx, `UPDATE orders SET status = $3, fulfilment = $4, payment = $5, due = $6, paid = $7,
		invoiced = $8, confirmed_at = $9, closed_at = $10, cancelled_at = $11, close_reason = $12, updated_at = $13,
		total = $14, address = $15, phone = $16, comment = $17, settled_at = $18, delivery = $19,
		delivery_invoiced = $20, version = version + 1
		WHERE id = $1 AND version = $2`,
		o.ID, prev, o.Status, o.Fulfilment, o.Payment, o.Due(), o.Paid, o.Invoiced, o.ConfirmedAt, o.ClosedAt,
		o.CancelledAt, o.CloseReason, o.UpdatedAt, o.Total(), o.Address, o.Phone, o.Comment, o.SettledAt,
		o.Delivery, o.DeliveryInvoiced)
	if err != nil {
		return interpretError(err)
	}
	if tag.RowsAffected() != 1 {
		return core.Errorf(core.ErrConflict, "order %s was changed by someone else; open it again", o.Number)
	}
	o.Version = prev + 1
	return t.writeLines(ctx, o)
}

// writeLines upserts the order's lines by line number and deletes the ones
// it no longer has, in one round trip.
func (t *txStore) writeLines(ctx context.Context, o *core.Order) error {
	n := len(o.Lines)
	no, product, qty, price := make([]int32, n), make([]int64, n), make([]int64, n), make([]int64, n)
	shipped, returned, released, invoiced, awaited := make([]int64, n), make([]int64, n), make([]int64, n), make([]int64, n), make([]int64, n)
	sku, name, unit := make([]string, n), make([]string, n), make([]string, n)
	expected := make([]*time.Time, n)
	discount, rate := make([]int64, n), make([]int32, n)
	for i, l := range o.Lines {
		no[i], product[i], qty[i], price[i] = int32(l.No), l.ProductID, l.Qty, int64(l.Price)
		shipped[i], returned[i], released[i], invoiced[i], awaited[i] = l.Shipped, l.Returned, l.Released, l.Invoiced, l.Awaited
		sku[i], name[i], unit[i], expected[i] = l.SKU, l.Name, l.Unit, l.ExpectedOn
		discount[i], rate[i] = int64(l.Discount), int32(l.TaxRate)
	}
	b := &pgx.Batch{}
	b.Queue(`DELETE FROM order_lines WHERE order_id = $1 AND line_no <> ALL($2) AND shipped = 0 AND invoiced = 0`, o.ID, no)
	b.Queue(`INSERT INTO order_lines AS l (order_id, line_no, product_id, sku, name, unit, qty, price, shipped, returned,
		  released, invoiced, awaited, expected_on, discount, tax_rate)
		SELECT $1, * FROM unnest($2::int[], $3::bigint[], $4::text[], $5::text[], $6::text[], $7::bigint[], $8::bigint[],
		  $9::bigint[], $10::bigint[], $11::bigint[], $12::bigint[], $13::bigint[], $14::date[], $15::bigint[], $16::int[])
		ON CONFLICT (order_id, line_no) DO UPDATE SET qty = excluded.qty, shipped = excluded.shipped,
		  returned = excluded.returned, released = excluded.released, invoiced = excluded.invoiced,
		  awaited = excluded.awaited, expected_on = excluded.expected_on, discount = excluded.discount
		WHERE (l.qty, l.shipped, l.returned, l.released, l.invoiced, l.awaited, l.expected_on, l.discount)
		  IS DISTINCT FROM (excluded.qty, excluded.shipped, excluded.returned, excluded.released, excluded.invoiced,
		  excluded.awaited, excluded.expected_on, excluded.discount)`,
		o.ID, no, product, sku, name, unit, qty, price, shipped, returned, released, invoiced, awaited, expected,
		discount, rate)
	b.Queue(`SELECT count(*) FROM order_lines WHERE order_id = $1`, o.ID)
	br := t.tx.SendBatch(ctx, b)
	defer br.Close()
	for range 2 {
		if _, err := br.Exec(); err != nil {
			return interpretError(err)
		}
	}
	var have int
	if err := br.QueryRow().Scan(&have); err != nil {
		return interpretError(err)
	}
	if have != n {
		return core.Errorf(core.ErrConflict, "order %s: a line that shipped or was billed cannot be removed", o.Number)
	}
	return nil
}

// AwaitingLines lists the lines of open orders awaiting the products,
// oldest order first (the partial index order_lines_awaited keeps it to
// what is awaited).
func (t *txStore) AwaitingLines(ctx context.Context, productIDs []int64) ([]core.AwaitingLine, error) {
	rows, err := t.tx.Query(ctx, `SELECT l.order_id, o.customer_id, l.product_id, l.awaited
		FROM order_lines l JOIN orders o ON o.id = l.order_id
		WHERE l.product_id = ANY($1) AND l.awaited > 0 AND o.closed_at IS NULL AND o.cancelled_at IS NULL
		ORDER BY o.created_at, o.id, l.product_id`, productIDs)
	if err != nil {
		return nil, interpretError(err)
	}
	return collect(rows, func(r pgx.Row) (*core.AwaitingLine, error) {
		var l core.AwaitingLine
		return &l, interpretError(r.Scan(&l.OrderID, &l.CustomerID, &l.ProductID, &l.Awaited))
	})
}

// SettledOrders lists orders shipped and paid before the instant and still
// open, oldest settled first.
func (db *DB) SettledOrders(ctx context.Context, before time.Time, limit int) ([]int64, error) {
	rows, err := db.pool.Query(ctx, `SELECT id FROM orders
		WHERE settled_at < $1 AND closed_at IS NULL AND cancelled_at IS NULL ORDER BY settled_at, id LIMIT $2`, before, limit)
	if err != nil {
		return nil, interpretError(err)
	}
	return collect(rows, func(r pgx.Row) (*int64, error) {
		var id int64
		return &id, interpretError(r.Scan(&id))
	})
}

func (t *txStore) InsertEvent(ctx context.Context, e *core.Event) error {
	err := t.tx.QueryRow(ctx, `INSERT INTO order_events (order_id, at, actor_role, actor_id, actor_name, action,
		detail, status_before, status_after, ref) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
		e.OrderID, e.At, string(e.Actor.Role), e.Actor.UserID, e.Actor.Name, string(e.Action), e.Detail,
		string(e.Before), string(e.After), e.Ref).Scan(&e.ID)
	if err == nil {
		t.events = append(t.events, core.ReplyEvent{EventID: e.ID, OrderID: e.OrderID, Action: e.Action,
			ActorRole: e.Actor.Role, ActorID: e.Actor.UserID, After: e.After})
	}
	return interpretError(err)
}
