package postgres

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/orderbot/orderbot/core"
)

func (t *txStore) InsertShipment(ctx context.Context, s *core.Shipment) error {
	err := t.tx.QueryRow(ctx, `INSERT INTO shipments (order_id, actor_role, actor_id, actor_name, at)
		VALUES ($1, $2, $3, $4, $5) RETURNING id`,
		s.OrderID, string(s.Actor.Role), s.Actor.UserID, s.Actor.Name, s.At).Scan(&s.ID)
	if err != nil {
		return interpretError(err)
	}
	return insertDocLines(ctx, t.tx, "shipment_lines", "shipment_id", s.ID, s.Lines)
}

func insertDocLines(ctx context.Context, tx pgx.Tx, table, key string, id int64, lines []core.DocLine) error {
	rows := make([][]any, len(lines))
	for i, l := range lines {
		rows[i] = []any{id, l.ProductID, l.SKU, l.Name, l.Unit, l.Qty, l.Price, l.Discount, int32(l.TaxRate), l.Tax, l.Amount()}
	}
	_, err := tx.CopyFrom(ctx, pgx.Identifier{table},
		[]string{key, "product_id", "sku", "name", "unit", "qty", "price", "discount", "tax_rate", "tax", "gross"},
		pgx.CopyFromRows(rows))
	return interpretError(err)
}

func docLines(ctx context.Context, q querier, table, key string, id int64) ([]core.DocLine, error) {
	rows, err := q.Query(ctx, `SELECT product_id, sku, name, unit, qty, price, discount, tax_rate, tax,
		coalesce(gross, qty * price) FROM `+table+` WHERE `+key+` = $1 ORDER BY product_id`, id)
	if err != nil {
		return nil, interpretError(err)
	}
	return collect(rows, func(r pgx.Row) (*core.DocLine, error) {
		var l core.DocLine
		err := r.Scan(&l.ProductID, &l.SKU, &l.Name, &l.Unit, &l.Qty, &l.Price, &l.Discount, &l.TaxRate, &l.Tax, &l.Gross)
		return &l, interpretError(err)
	})
}

// Shipments lists an order's shipments with their lines, oldest first.
func (db *DB) Shipments(ctx context.Context, orderID int64) ([]core.Shipment, error) {
	rows, err := db.pool.Query(ctx, `SELECT id, order_id, actor_role, actor_id, actor_name, at FROM shipments
		WHERE order_id = $1 ORDER BY id`, orderID)
	if err != nil {
		return nil, interpretError(err)
	}
	ships, err := collect(rows, scanShipment)
	if err != nil {
		return nil, err
	}
	for i := range ships {
		if ships[i].Lines, err = docLines(ctx, db.pool, "shipment_lines", "shipment_id", ships[i].ID); err != nil {
			return nil, err
		}
	}
	return ships, nil
}

func scanShipment(r pgx.Row) (*core.Shipment, error) {
	var s core.Shipment
	err := r.Scan(&s.ID, &s.OrderID, &s.Actor.Role, &s.Actor.UserID, &s.Actor.Name, &s.At)
	return &s, interpretError(err)
}

// ShipmentForReturn locks a shipment's order-independent facts: its lines and
// what was already returned of each product.
func (t *txStore) ShipmentForReturn(ctx context.Context, id int64) (*core.Shipment, map[int64]int64, error) {
	s, err := scanShipment(t.tx.QueryRow(ctx, `SELECT id, order_id, actor_role, actor_id, actor_name, at
		FROM shipments WHERE id = $1`, id))
	if err != nil {
		return nil, nil, notFound(err, "no shipment #%d", id)
	}
	if s.Lines, err = docLines(ctx, t.tx, "shipment_lines", "shipment_id", id); err != nil {
		return nil, nil, err
	}
	rows, err := t.tx.Query(ctx, `SELECT rl.product_id, sum(rl.qty) FROM returns r JOIN return_lines rl ON rl.return_id = r.id
		WHERE r.shipment_id = $1 GROUP BY rl.product_id`, id)
	if err != nil {
		return nil, nil, interpretError(err)
	}
	defer rows.Close()
	returned := map[int64]int64{}
	for rows.Next() {
		var p, q int64
		if err := rows.Scan(&p, &q); err != nil {
			return nil, nil, interpretError(err)
		}
		returned[p] = q
	}
	return s, returned, interpretError(rows.Err())
}

func (t *txStore) InsertReturn(ctx context.Context, r *core.Return) error {
	err := t.tx.QueryRow(ctx, `INSERT INTO returns (shipment_id, order_id, reason, actor_role, actor_id, actor_name, at)
		VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
		r.ShipmentID, r.OrderID, r.Reason, string(r.Actor.Role), r.Actor.UserID, r.Actor.Name, r.At).Scan(&r.ID)
	if err != nil {
		return interpretError(err)
	}
	rows := make([][]any, len(r.Lines))
	for i, l := range r.Lines {
		rows[i] = []any{r.ID, l.ProductID, l.Qty}
	}
	_, err = t.tx.CopyFrom(ctx, pgx.Identifier{"return_lines"}, []string{"return_id", "product_id", "qty"}, pgx.CopyFromRows(rows))
	return interpretError(err)
}
