package postgres

import (
	"context"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/orderbot/orderbot/core"
)

const productColumns = `p.id, p.sku, p.name, p.unit, p.price, p.active, p.supply, p.lead_days, p.vat_rate`

func scanProduct(row pgx.Row) (*core.Product, error) {
	var p core.Product
	if err := row.Scan(&p.ID, &p.SKU, &p.Name, &p.Unit, &p.Price, &p.Active, &p.Supply, &p.LeadDays, &p.VATRate); err != nil {
		return nil, interpretError(err)
	}
	return &p, nil
}

const stockColumns = productColumns + `, s.on_hand, s.reserved`

func scanStock(row pgx.Row) (*core.StockLevel, error) {
	var l core.StockLevel
	err := row.Scan(&l.ID, &l.SKU, &l.Name, &l.Unit, &l.Price, &l.Active, &l.Supply, &l.LeadDays, &l.VATRate, &l.OnHand, &l.Reserved)
	if err != nil {
		return nil, interpretError(err)
	}
	l.Free = l.OnHand - l.Reserved
	return &l, nil
}

// Product reads one product.
func (db *DB) Product(ctx context.Context, id int64) (*core.Product, error) {
	p, err := scanProduct(db.pool.QueryRow(ctx, `SELECT `+productColumns+` FROM products p WHERE id = $1`, id))
	return p, notFound(err, "no product #%d", id)
}

// ProductBySKU reads one product by its SKU, case-insensitively.
func (db *DB) ProductBySKU(ctx context.Context, sku string) (*core.Product, error) {
	p, err := scanProduct(db.pool.QueryRow(ctx, `SELECT `+productColumns+` FROM products p WHERE lower(sku) = lower($1)`, sku))
	return p, notFound(err, "no product %q", sku)
}

// Stock lists products with on hand and reserved (free before cart holds).
func (db *DB) Stock(ctx context.Context, f core.StockFilter) ([]core.StockLevel, error) {
	return stockLevels(ctx, db.pool, f, "")
}

// StockShared is Stock with the stock rows share-locked until the
// transaction ends.
func (t *txStore) StockShared(ctx context.Context, f core.StockFilter) ([]core.StockLevel, error) {
	return stockLevels(ctx, t.tx, f, " FOR SHARE OF s")
}

func stockLevels(ctx context.Context, db querier, f core.StockFilter, lock string) ([]core.StockLevel, error) {
	var q query
	if len(f.ProductIDs) > 0 {
		q.and("p.id = ANY(" + q.arg(f.ProductIDs) + ")")
	}
	if text := strings.TrimSpace(f.Query); text != "" {
		p := q.arg("%" + likeEscape(strings.ToLower(text)) + "%")
		q.and("(lower(p.name) LIKE " + p + " OR lower(p.sku) LIKE " + p + ")")
	}
	if f.ActiveOnly {
		q.and("p.active")
	}
	order := "p.name, p.id"
	if f.LowFirst {
		order = "s.on_hand - s.reserved, p.name, p.id"
	}
	sql := q.sql(`SELECT `+stockColumns+` FROM products p JOIN stock s ON s.product_id = p.id`, order, f.Limit, f.Offset) + lock
	rows, err := db.Query(ctx, sql, q.args...)
	if err != nil {
		return nil, interpretError(err)
	}
	return collect(rows, scanStock)
}

// StockMoves lists a product's ledger, oldest first.
func (db *DB) StockMoves(ctx context.Context, productID int64) ([]core.StockMove, error) {
	rows, err := db.pool.Query(ctx, `SELECT id, product_id, delta, kind, reason, coalesce(order_id, 0),
		coalesce(shipment_id, 0), actor_role, actor_id, actor_name, at
		FROM stock_moves WHERE product_id = $1 ORDER BY id`, productID)
	if err != nil {
		return nil, interpretError(err)
	}
	return collect(rows, func(r pgx.Row) (*core.StockMove, error) {
		var m core.StockMove
		err := r.Scan(&m.ID, &m.ProductID, &m.Delta, &m.Kind, &m.Reason, &m.OrderID, &m.ShipmentID,
			&m.Actor.Role, &m.Actor.UserID, &m.Actor.Name, &m.At)
		return &m, interpretError(err)
	})
}

func (t *txStore) ProductsByID(ctx context.Context, ids []int64) ([]core.Product, error) {
	rows, err := t.tx.Query(ctx, `SELECT `+productColumns+` FROM products p WHERE id = ANY($1)`, ids)
	if err != nil {
		return nil, interpretError(err)
	}
	return collect(rows, scanProduct)
}

func (t *txStore) ProductsBySKU(ctx context.Context, skus []string) ([]core.Product, error) {
	lower := make([]string, len(skus))
	for i, s := range skus {
		lower[i] = strings.ToLower(s)
	}
	rows, err := t.tx.Query(ctx, `SELECT `+productColumns+` FROM products p WHERE lower(sku) = ANY($1)`, lower)
	if err != nil {
		return nil, interpretError(err)
	}
	return collect(rows, scanProduct)
}

// UpsertProduct inserts a product with an empty stock row, or updates the one
// with the same SKU.
func (t *txStore) UpsertProduct(ctx context.Context, p *core.Product) (bool, error) {
	var inserted bool
	err := t.tx.QueryRow(ctx, `INSERT INTO products (sku, name, unit, price, active) VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (lower(sku)) DO UPDATE SET name = excluded.name, unit = excluded.unit,
		  price = excluded.price, active = excluded.active, updated_at = now()
		RETURNING id, (xmax = 0)`, p.SKU, p.Name, p.Unit, p.Price, p.Active).Scan(&p.ID, &inserted)
	if err != nil {
		return false, interpretError(err)
	}
	if inserted {
		if _, err := t.tx.Exec(ctx, `INSERT INTO stock (product_id) VALUES ($1)`, p.ID); err != nil {
			return false, interpretError(err)
		}
	}
	return inserted, nil
}

func (t *txStore) StockForUpdate(ctx context.Context, productID int64) (*core.StockLevel, error) {
	l, err := scanStock(t.tx.QueryRow(ctx, `SELECT `+stockColumns+` FROM products p JOIN stock s ON s.product_id = p.id
		WHERE p.id = $1 FOR UPDATE OF s`, productID))
	return l, notFound(err, "no product #%d", productID)
}

// LockStock locks stock rows in product order: the order every writer of
// reserved and every hold takes them in, so none waits on another in a cycle.
func (t *txStore) LockStock(ctx context.Context, productIDs []int64) (map[int64]core.StockLevel, error) {
	rows, err := t.tx.Query(ctx, `SELECT product_id, on_hand, reserved FROM stock
		WHERE product_id = ANY($1) ORDER BY product_id FOR UPDATE`, productIDs)
	if err != nil {
		return nil, interpretError(err)
	}
	defer rows.Close()
	out := make(map[int64]core.StockLevel, len(productIDs))
	for rows.Next() {
		var l core.StockLevel
		if err := rows.Scan(&l.ID, &l.OnHand, &l.Reserved); err != nil {
			return nil, interpretError(err)
		}
		l.Free = l.OnHand - l.Reserved
		out[l.ID] = l
	}
	return out, interpretError(rows.Err())
}

// Reserve is the conditional update at the heart of "never oversell".
func (t *txStore) Reserve(ctx context.Context, productID, qty, keepFree int64) (bool, int64, error) {
	tag, err := t.tx.Exec(ctx, `UPDATE stock SET reserved = reserved + $2
		WHERE product_id = $1 AND on_hand - reserved - $3 >= $2`, productID, qty, keepFree)
	if err != nil {
		return false, 0, interpretError(err)
	}
	if tag.RowsAffected() == 1 {
		return true, 0, nil
	}
	var free int64
	err = t.tx.QueryRow(ctx, `SELECT on_hand - reserved - $2 FROM stock WHERE product_id = $1`, productID, keepFree).Scan(&free)
	return false, free, notFound(interpretError(err), "no product #%d", productID)
}

func (t *txStore) Release(ctx context.Context, productID, qty int64) error {
	tag, err := t.tx.Exec(ctx, `UPDATE stock SET reserved = reserved - $2 WHERE product_id = $1`, productID, qty)
	if err != nil {
		return interpretError(err)
	}
	if tag.RowsAffected() != 1 {
		return core.Errorf(core.ErrNotFound, "no product #%d", productID)
	}
	return nil
}

// Move writes a ledger entry and applies it to on hand (and, for shipments,
// to reserved) in one statement.
func (t *txStore) Move(ctx context.Context, m core.StockMove, fromReserved int64) error {
	tag, err := t.tx.Exec(ctx, `WITH upd AS (
		  UPDATE stock SET on_hand = on_hand + $2, reserved = reserved - $3 WHERE product_id = $1 RETURNING product_id)
		INSERT INTO stock_moves (product_id, delta, kind, reason, order_id, shipment_id, actor_role, actor_id, actor_name, at)
		SELECT product_id, $2, $4, $5, nullif($6::bigint, 0), nullif($7::bigint, 0), $8, $9, $10, $11 FROM upd`,
		m.ProductID, m.Delta, fromReserved, string(m.Kind), m.Reason, m.OrderID, m.ShipmentID,
		string(m.Actor.Role), m.Actor.UserID, m.Actor.Name, m.At)
	if err != nil {
		return interpretError(err)
	}
	if tag.RowsAffected() != 1 {
		return core.Errorf(core.ErrNotFound, "no product #%d", m.ProductID)
	}
	return nil
}

// SetSupply changes how a product is supplied beyond stock.
func (t *txStore) SetSupply(ctx context.Context, productID int64, s core.Supply, leadDays int) error {
	tag, err := t.tx.Exec(ctx, `UPDATE products SET supply = $2, lead_days = $3, updated_at = now() WHERE id = $1`,
		productID, string(s), leadDays)
	if err != nil {
		return interpretError(err)
	}
	if tag.RowsAffected() != 1 {
		return core.Errorf(core.ErrNotFound, "no product #%d", productID)
	}
	return nil
}
