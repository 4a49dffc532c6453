package postgres

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/orderbot/orderbot/core"
)

var (
	_ core.OutboxStore   = (*DB)(nil)
	_ core.EventFeed     = (*DB)(nil)
	_ core.ReportStore   = (*DB)(nil)
	_ core.ReminderStore = (*DB)(nil)
)

// Enqueue adds notices; keys that exist are skipped, which makes enqueueing
// the same event, period or reminder again a no-op.
func (db *DB) Enqueue(ctx context.Context, ns []core.Notice) (int, error) {
	return enqueue(ctx, db.pool, ns)
}

func enqueue(ctx context.Context, q querier, ns []core.Notice) (int, error) {
	if len(ns) == 0 {
		return 0, nil
	}
	n := len(ns)
	keys, kinds, payloads := make([]string, n), make([]string, n), make([]string, n)
	chats, lanes, prios := make([]int64, n), make([]int32, n), make([]int32, n)
	before, created, after := make([]time.Time, n), make([]time.Time, n), make([]*time.Time, n)
	for i, x := range ns {
		keys[i], kinds[i], payloads[i] = x.Key, string(x.Kind), string(x.Payload)
		chats[i], lanes[i], prios[i] = x.ChatID, int32(x.Lane), int32(x.Prio)
		before[i], created[i], after[i] = x.NotBefore, x.CreatedAt, x.NotAfter
		if len(x.Payload) == 0 {
			payloads[i] = "{}"
		}
	}
	var added int
	err := q.QueryRow(ctx, `WITH ins AS (
		  INSERT INTO outbox (key, chat_id, lane, prio, kind, payload, not_before, not_after, created_at)
		  SELECT k, c, l, pr, kd, p, nb, na, ca
		  FROM unnest($1::text[], $2::bigint[], $3::smallint[], $4::text[], $5::jsonb[], $6::timestamptz[],
			$7::timestamptz[], $8::timestamptz[], $9::smallint[]) WITH ORDINALITY AS u(k, c, l, kd, p, nb, na, ca, pr, ord)
		  ORDER BY ord -- ids follow the given order, and ids order a chat's notices
		  ON CONFLICT (key) DO NOTHING
		  RETURNING chat_id, lane, prio, not_before),
		lanes AS (
		  INSERT INTO outbox_lanes (chat_id, lane, prio, next_at, seq)
		  SELECT chat_id, lane, min(prio), min(not_before), 1 FROM ins GROUP BY chat_id, lane
		  ON CONFLICT (chat_id, lane) DO UPDATE SET seq = outbox_lanes.seq + 1,
		    prio = CASE WHEN outbox_lanes.next_at = 'infinity' THEN excluded.prio ELSE least(outbox_lanes.prio, excluded.prio) END,
		    next_at = least(outbox_lanes.next_at, excluded.next_at))
		SELECT count(*) FROM ins`, keys, chats, lanes, kinds, payloads, before, after, created, prios).Scan(&added)
	return added, interpretError(err)
}

// claimLaneSQL takes the most urgent due lane nobody holds; SKIP LOCKED lets
// senders claim side by side. Lanes with nothing pending wait at 'infinity';
// a claimed lane waits at the end of its lease (next_at = claimed_until), so
// the due end of the index holds only lanes free to take, and a dead
// sender's lane comes due by itself.
const claimLaneSQL = `
UPDATE outbox_lanes l SET claim = $3, claimed_until = $2, next_at = $2
FROM (
    SELECT chat_id, lane FROM outbox_lanes
    WHERE next_at <= $1 AND (claimed_until IS NULL OR claimed_until <= $1)
    ORDER BY prio, next_at
    LIMIT 1
    FOR UPDATE SKIP LOCKED
) pick
WHERE l.chat_id = pick.chat_id AND l.lane = pick.lane
RETURNING l.chat_id, l.lane, l.seq, EXISTS (SELECT 1 FROM blocked_chats b WHERE b.chat_id = l.chat_id)`

// ClaimLane takes the next lane to deliver for lease (see core.OutboxStore).
func (db *DB) ClaimLane(ctx context.Context, now time.Time, lease time.Duration, token string) (*core.LaneClaim, error) {
	c := core.LaneClaim{Token: token}
	var lane int16
	err := db.pool.QueryRow(ctx, claimLaneSQL, now, now.Add(lease), token).Scan(&c.ChatID, &lane, &c.Seq, &c.Blocked)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, interpretError(err)
	}
	c.Lane = int(lane)
	return &c, nil
}

// LaneNotices lists the lane's pending notices in order, up to the first
// one not due yet.
func (db *DB) LaneNotices(ctx context.Context, c *core.LaneClaim, now time.Time, limit int) ([]core.Notice, error) {
	rows, err := db.pool.Query(ctx, `SELECT id, key, chat_id, lane, prio, kind, payload::text, not_before, not_after,
		attempts, created_at FROM outbox WHERE chat_id = $1 AND lane = $2 AND state = 'pending' ORDER BY id LIMIT $3`,
		c.ChatID, c.Lane, limit)
	if err != nil {
		return nil, interpretError(err)
	}
	all, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (core.Notice, error) {
		var n core.Notice
		var payload string
		var lane, prio int16
		err := r.Scan(&n.ID, &n.Key, &n.ChatID, &lane, &prio, &n.Kind, &payload, &n.NotBefore, &n.NotAfter, &n.Attempts, &n.CreatedAt)
		n.Lane, n.Prio, n.Payload, n.Blocked = int(lane), int(prio), []byte(payload), c.Blocked
		return n, err
	})
	if err != nil {
		return nil, interpretError(err)
	}
	for i, n := range all {
		if n.NotBefore.After(now) || (n.NotAfter != nil && !n.NotAfter.After(now)) {
			return all[:i], nil
		}
	}
	return all, nil
}

// Finish records a notice's outcome while the lane is still the claim's.
func (db *DB) Finish(ctx context.Context, c *core.LaneClaim, id int64, o core.Outcome, now time.Time) (bool, error) {
	var done *time.Time
	state, notBefore := string(o.State), now
	if o.State != core.Pending {
		done = &now
	} else if o.RetryAt.After(now) {
		notBefore = o.RetryAt
	}
	tag, err := db.pool.Exec(ctx, `UPDATE outbox o SET state = $4, done_at = $5, last_error = $6, attempts = o.attempts + 1,
		  not_before = CASE WHEN $4 = 'pending' THEN greatest(o.not_before, $7) ELSE o.not_before END
		WHERE o.id = $1 AND o.state = 'pending'
		  AND EXISTS (SELECT 1 FROM outbox_lanes l WHERE l.chat_id = $2 AND l.lane = o.lane AND l.claim = $3)`,
		id, c.ChatID, c.Token, state, done, o.Err, notBefore)
	if err != nil {
		return false, interpretError(err)
	}
	return tag.RowsAffected() == 1, nil
}

// DropLane drops the lane's pending notices: its chat blocked the bot.
func (db *DB) DropLane(ctx context.Context, c *core.LaneClaim, reason string, now time.Time) (int, error) {
	tag, err := db.pool.Exec(ctx, `UPDATE outbox SET state = 'dropped', done_at = $4, last_error = $5
		WHERE chat_id = $1 AND lane = $2 AND state = 'pending' AND kind <> ALL($6)
		  AND EXISTS (SELECT 1 FROM outbox_lanes l WHERE l.chat_id = $1 AND l.lane = $2 AND l.claim = $3)`,
		c.ChatID, c.Lane, c.Token, now, reason, core.EffectKinds())
	return int(tag.RowsAffected()), interpretError(err)
}

// RenewLane extends a claim that is still held.
func (db *DB) RenewLane(ctx context.Context, c *core.LaneClaim, lease time.Duration, now time.Time) (bool, error) {
	tag, err := db.pool.Exec(ctx, `UPDATE outbox_lanes SET claimed_until = $4, next_at = greatest(next_at, $4)
		WHERE chat_id = $1 AND lane = $2 AND claim = $3`,
		c.ChatID, c.Lane, c.Token, now.Add(lease))
	if err != nil {
		return false, interpretError(err)
	}
	return tag.RowsAffected() == 1, nil
}

// ReleaseLane gives the lane back, due when its first pending notice is
// (never, while that one waits for its hours to be moved to the next day).
// When a notice was enqueued since the claim (seq moved) the lane is due at
// once, so that what this statement's snapshot cannot see is looked at again.
func (db *DB) ReleaseLane(ctx context.Context, c *core.LaneClaim, now time.Time) error {
	_, err := db.pool.Exec(ctx, `UPDATE outbox_lanes l SET claim = '', claimed_until = NULL,
		  next_at = CASE WHEN l.seq <> $4 THEN least(l.next_at, $5)
		    ELSE coalesce((SELECT CASE WHEN o.not_after IS NOT NULL AND o.not_after <= $5 THEN 'infinity' ELSE o.not_before END
		      FROM outbox o WHERE o.chat_id = $1 AND o.lane = $2 AND o.state = 'pending' ORDER BY o.id LIMIT 1), 'infinity') END,
		  prio = coalesce((SELECT min(o.prio) FROM outbox o WHERE o.chat_id = $1 AND o.lane = $2 AND o.state = 'pending'), l.prio)
		WHERE l.chat_id = $1 AND l.lane = $2 AND l.claim = $3`, c.ChatID, c.Lane, c.Token, c.Seq, now)
	return interpretError(err)
}

// DeferExpired shifts every pending notice whose window has passed by whole
// days, to the first day whose window is not over yet.
func (db *DB) DeferExpired(ctx context.Context, now time.Time) (int, error) {
	var n int
	err := db.pool.QueryRow(ctx, `WITH moved AS (
		  UPDATE outbox SET
		    not_before = not_before + d.days * interval '1 day', not_after = not_after + d.days * interval '1 day'
		  FROM (SELECT id, floor(extract(epoch FROM $1 - not_after) / 86400)::int + 1 AS days
		        FROM outbox WHERE state = 'pending' AND not_after IS NOT NULL AND not_after <= $1) d
		  WHERE outbox.id = d.id
		  RETURNING outbox.chat_id, outbox.lane, outbox.not_before),
		lanes AS (
		  UPDATE outbox_lanes l SET next_at = m.next_at, seq = l.seq + 1
		  FROM (SELECT chat_id, lane, min(not_before) AS next_at FROM moved GROUP BY chat_id, lane) m
		  WHERE l.chat_id = m.chat_id AND l.lane = m.lane)
		SELECT count(*) FROM moved`, now).Scan(&n)
	return n, interpretError(err)
}

// PruneOutbox deletes notices done before t.
func (db *DB) PruneOutbox(ctx context.Context, before time.Time) (int, error) {
	tag, err := db.pool.Exec(ctx, `DELETE FROM outbox WHERE state <> 'pending' AND done_at < $1`, before)
	return int(tag.RowsAffected()), interpretError(err)
}

// OutboxCounts counts notices by state.
func (db *DB) OutboxCounts(ctx context.Context) (map[core.DeliveryState]int, error) {
	rows, err := db.pool.Query(ctx, `SELECT state, count(*) FROM outbox GROUP BY state`)
	if err != nil {
		return nil, interpretError(err)
	}
	defer rows.Close()
	out := map[core.DeliveryState]int{}
	for rows.Next() {
		var s string
		var n int
		if err := rows.Scan(&s, &n); err != nil {
			return nil, interpretError(err)
		}
		out[core.DeliveryState(s)] = n
	}
	return out, interpretError(rows.Err())
}
