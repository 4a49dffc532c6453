package postgres

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/orderbot/orderbot/core"
)

// feedLockKey serializes fan-out between replicas, so that notices are
// enqueued (and so numbered) in event order.
const feedLockKey = 0x6f62666565640001

// FanOut turns queued order events into notices (see core.EventFeed).
func (db *DB) FanOut(ctx context.Context, limit int, fn func([]core.FeedEvent) ([]core.Notice, error)) (int, error) {
	var n int
	err := pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		var got bool
		if err := tx.QueryRow(ctx, `SELECT pg_try_advisory_xact_lock($1)`, int64(feedLockKey)).Scan(&got); err != nil || !got {
			return err
		}
		evs, err := queuedEvents(ctx, tx, limit)
		if err != nil || len(evs) == 0 {
			return err
		}
		ns, err := fn(evs)
		if err != nil {
			return err
		}
		if _, err := enqueue(ctx, tx, ns); err != nil {
			return err
		}
		ids := make([]int64, len(evs))
		for i, e := range evs {
			ids[i] = e.ID
		}
		if _, err := tx.Exec(ctx, `DELETE FROM order_event_queue WHERE event_id = ANY($1)`, ids); err != nil {
			return err
		}
		n = len(evs)
		return nil
	})
	return n, interpretError(err)
}

func queuedEvents(ctx context.Context, tx pgx.Tx, limit int) ([]core.FeedEvent, error) {
	rows, err := tx.Query(ctx, `SELECT e.id, e.order_id, e.at, e.actor_role, e.actor_id, e.actor_name, e.action, e.detail,
			e.status_before, e.status_after, e.ref, o.number, o.customer_id, coalesce(c.telegram_id, 0)
		FROM order_event_queue q
		JOIN order_events e ON e.id = q.event_id
		JOIN orders o ON o.id = e.order_id
		JOIN customers c ON c.id = o.customer_id
		ORDER BY q.event_id
		LIMIT $1`, limit)
	if err != nil {
		return nil, err
	}
	return collect(rows, func(r pgx.Row) (*core.FeedEvent, error) {
		var e core.FeedEvent
		err := r.Scan(&e.ID, &e.OrderID, &e.At, &e.Actor.Role, &e.Actor.UserID, &e.Actor.Name, &e.Action, &e.Detail,
			&e.Before, &e.After, &e.Ref, &e.OrderNumber, &e.CustomerID, &e.CustomerTelegram)
		return &e, interpretError(err)
	})
}
