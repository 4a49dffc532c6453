package postgres

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/orderbot/orderbot/core"
)

// "Waits for shipment" means confirmed, neither closed nor cancelled, not
// fully shipped: the awaiting_orders table (migration 010) holds exactly
// those orders, and the partial index orders_awaiting carries the same
// condition for the staff's list. Values left to ship are line gross after
// discount (line_gross, migration 032), as the documents bill them.

// overdueCountSQL counts awaiting orders promised before $1.
const overdueCountSQL = `SELECT count(*) FROM awaiting_orders WHERE promised_on < $1::date`

// overdueListSQL lists the first $2 of them, oldest promise first.
const overdueListSQL = `
SELECT w.order_id, o.number, c.name, w.promised_on, $1::date - w.promised_on, w.outstanding, w.value
FROM awaiting_orders w
JOIN orders o ON o.id = w.order_id
JOIN customers c ON c.id = w.customer_id
WHERE w.promised_on < $1::date
ORDER BY w.promised_on, w.order_id
LIMIT $2`

// OverdueShipments lists confirmed open orders whose promised date is before
// today, oldest promise first, with what is left to ship; and how many.
func (db *DB) OverdueShipments(ctx context.Context, today time.Time, limit int) ([]core.OverdueShipment, int, error) {
	var total int
	if err := db.pool.QueryRow(ctx, overdueCountSQL, today).Scan(&total); err != nil {
		return nil, 0, interpretError(err)
	}
	rows, err := db.pool.Query(ctx, overdueListSQL, today, limit)
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
