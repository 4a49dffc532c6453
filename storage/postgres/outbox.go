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
	chats, lanes := make([]int64, n), make([]int32, n)
	before, created, after := make([]time.Time, n), make([]time.Time, n), make([]*time.Time, n)
	for i, x := range ns {
		keys[i], kinds[i], payloads[i] = x.Key, string(x.Kind), string(x.Payload)
		chats[i], lanes[i] = x.ChatID, int32(x.Lane)
		before[i], created[i], after[i] = x.NotBefore, x.CreatedAt, x.NotAfter
		if len(x.Payload) == 0 {
			payloads[i] = "{}"
		}
	}
	tag, err := q.Exec(ctx, `INSERT INTO outbox (key, chat_id, lane, kind, payload, not_before, not_after, created_at)
		SELECT k, c, l, kd, p, nb, na, ca
		FROM unnest($1::text[], $2::bigint[], $3::smallint[], $4::text[], $5::jsonb[], $6::timestamptz[],
			$7::timestamptz[], $8::timestamptz[]) WITH ORDINALITY AS u(k, c, l, kd, p, nb, na, ca, ord)
		ORDER BY ord -- ids follow the given order, and ids order a chat's notices
		ON CONFLICT (key) DO NOTHING`, keys, chats, lanes, kinds, payloads, before, after, created)
	return int(tag.RowsAffected()), interpretError(err)
}

// claimSQL picks the oldest due row that heads its chat's lane (nothing older
// is pending there, claimed or not) and that no live claim holds; SKIP LOCKED
// lets several senders claim side by side without waiting on each other.
const claimSQL = `
UPDATE outbox o SET claim = $3, claimed_until = $2, attempts = o.attempts + 1
FROM (
    SELECT c.id FROM outbox c
    WHERE c.state = 'pending' AND c.not_before <= $1 AND (c.not_after IS NULL OR c.not_after > $1)
      AND (c.claimed_until IS NULL OR c.claimed_until <= $1)
      AND NOT EXISTS (SELECT 1 FROM outbox p WHERE p.state = 'pending' AND p.chat_id = c.chat_id
                      AND p.lane = c.lane AND p.id < c.id)
    ORDER BY c.id
    LIMIT 1
    FOR UPDATE SKIP LOCKED
) pick
WHERE o.id = pick.id
RETURNING o.id, o.key, o.chat_id, o.lane, o.kind, o.payload::text, o.not_before, o.not_after, o.attempts, o.created_at,
    EXISTS (SELECT 1 FROM blocked_chats b WHERE b.chat_id = o.chat_id)`

// Claim takes the next notice to send for lease (see core.OutboxStore).
func (db *DB) Claim(ctx context.Context, now time.Time, lease time.Duration, token string) (*core.Notice, error) {
	var n core.Notice
	var payload string
	var lane int16
	err := db.pool.QueryRow(ctx, claimSQL, now, now.Add(lease), token).Scan(&n.ID, &n.Key, &n.ChatID, &lane, &n.Kind,
		&payload, &n.NotBefore, &n.NotAfter, &n.Attempts, &n.CreatedAt, &n.Blocked)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, interpretError(err)
	}
	n.Lane, n.Payload = int(lane), []byte(payload)
	return &n, nil
}

// Finish records a claim's outcome, only while the claim is still held. A
// notice to retry keeps its window and is left alone until its retry time
// (claimed_until doubles as "not before" for retries).
func (db *DB) Finish(ctx context.Context, id int64, token string, o core.Outcome, now time.Time) (bool, error) {
	var done, retry *time.Time
	if o.State != core.Pending {
		done = &now
	} else {
		at := o.RetryAt
		if at.Before(now) {
			at = now
		}
		retry = &at
	}
	tag, err := db.pool.Exec(ctx, `UPDATE outbox SET state = $3, done_at = $4, last_error = $5, claim = '', claimed_until = $6
		WHERE id = $1 AND claim = $2 AND state = 'pending'`, id, token, string(o.State), done, o.Err, retry)
	if err != nil {
		return false, interpretError(err)
	}
	return tag.RowsAffected() == 1, nil
}

// DeferExpired shifts every pending notice whose window has passed by whole
// days, to the first day whose window is not over yet.
func (db *DB) DeferExpired(ctx context.Context, now time.Time) (int, error) {
	tag, err := db.pool.Exec(ctx, `UPDATE outbox SET
		not_before = not_before + d.days * interval '1 day', not_after = not_after + d.days * interval '1 day'
		FROM (SELECT id, floor(extract(epoch FROM $1 - not_after) / 86400)::int + 1 AS days
		      FROM outbox WHERE state = 'pending' AND not_after IS NOT NULL AND not_after <= $1) d
		WHERE outbox.id = d.id`, now)
	return int(tag.RowsAffected()), interpretError(err)
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
