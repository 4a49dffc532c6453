package postgres

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/orderbot/orderbot/core"
)

// awaitingWhere is what "waits for shipment" means; the partial indexes
// orders_awaiting and orders_promised_open carry the same condition.
const awaitingWhere = `o.confirmed_at IS NOT NULL AND o.closed_at IS NULL AND o.cancelled_at IS NULL AND o.fulfilment <> 'shipped'`

// OverdueShipments lists confirmed open orders whose promised date is before
// today, oldest promise first, with what is left to ship; and how many.
func (db *DB) OverdueShipments(ctx context.Context, today time.Time, limit int) ([]core.OverdueShipment, int, error) {
	var total int
	if err := db.pool.QueryRow(ctx, `SELECT count(*) FROM orders o WHERE o.promised_on IS NOT NULL AND o.promised_on < $1::date AND `+
		awaitingWhere, today).Scan(&total); err != nil {
		return nil, 0, interpretError(err)
	}
	rows, err := db.pool.Query(ctx, `SELECT o.id, o.number, c.name, o.promised_on, $1::date - o.promised_on, l.qty, l.value
		FROM orders o
		JOIN customers c ON c.id = o.customer_id
		CROSS JOIN LATERAL (SELECT sum(x.qty - x.shipped - x.released) AS qty,
		                           sum((x.qty - x.shipped - x.released) * x.price) AS value
		                    FROM order_lines x WHERE x.order_id = o.id) l
		WHERE o.promised_on IS NOT NULL AND o.promised_on < $1::date AND `+awaitingWhere+`
		ORDER BY o.promised_on, o.id
		LIMIT $2`, today, limit)
	if err != nil {
		return nil, 0, interpretError(err)
	}
	list, err := collect(rows, func(r pgx.Row) (*core.OverdueShipment, error) {
		var s core.OverdueShipment
		err := r.Scan(&s.OrderID, &s.Number, &s.Customer, &s.PromisedOn, &s.DaysLate, &s.Outstanding, &s.Value)
		return &s, interpretError(err)
	})
	return list, total, err
}
