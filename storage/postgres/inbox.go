package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/orderbot/orderbot/core"
)

var _ core.Inbox = (*DB)(nil)

// Accept stores the updates not stored before, in one statement, and
// returns them in the order given.
func (db *DB) Accept(ctx context.Context, us []core.Incoming) ([]core.Incoming, error) {
	if len(us) == 0 {
		return nil, nil
	}
	ids, chats, payloads := make([]int64, len(us)), make([]int64, len(us)), make([]string, len(us))
	for i, u := range us {
		ids[i], chats[i], payloads[i] = u.ID, u.ChatID, string(u.Payload)
	}
	rows, err := db.pool.Query(ctx, `INSERT INTO inbox (update_id, chat_id, payload)
		SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::json[])
		ON CONFLICT (update_id) DO NOTHING RETURNING update_id`, ids, chats, payloads)
	if err != nil {
		return nil, interpretError(err)
	}
	fresh, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		return nil, interpretError(err)
	}
	isNew := make(map[int64]bool, len(fresh))
	for _, id := range fresh {
		isNew[id] = true
	}
	out := make([]core.Incoming, 0, len(fresh))
	for _, u := range us {
		if isNew[u.ID] {
			out = append(out, u)
			delete(isNew, u.ID)
		}
	}
	return out, nil
}

// ClaimChats leases lanes that are free, lapsed or owner's already.
func (db *DB) ClaimChats(ctx context.Context, owner string, chats []int64, lease time.Duration) ([]int64, error) {
	rows, err := db.pool.Query(ctx, `INSERT INTO chat_lanes (chat_id, owner, lease_until)
		SELECT c, $2, now() + $3 * interval '1 millisecond' FROM unnest($1::bigint[]) AS c
		ON CONFLICT (chat_id) DO UPDATE SET owner = excluded.owner, lease_until = excluded.lease_until
		WHERE chat_lanes.owner = excluded.owner OR chat_lanes.lease_until < now()
		RETURNING chat_id`, chats, owner, lease.Milliseconds())
	if err != nil {
		return nil, interpretError(err)
	}
	taken, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	return taken, interpretError(err)
}

// Pending lists a chat's updates not done, oldest first.
func (db *DB) Pending(ctx context.Context, chat int64, limit int) ([]core.Incoming, error) {
	rows, err := db.pool.Query(ctx, `SELECT update_id, chat_id, payload::text FROM inbox
		WHERE chat_id = $1 AND done_at IS NULL ORDER BY update_id LIMIT $2`, chat, limit)
	if err != nil {
		return nil, interpretError(err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (core.Incoming, error) {
		var u core.Incoming
		var payload string
		err := r.Scan(&u.ID, &u.ChatID, &payload)
		u.Payload = []byte(payload)
		return u, err
	})
	return out, interpretError(err)
}

// MarkDone marks updates handled.
func (db *DB) MarkDone(ctx context.Context, ids []int64) error {
	_, err := db.pool.Exec(ctx, `UPDATE inbox SET done_at = now() WHERE update_id = ANY($1) AND done_at IS NULL`, ids)
	return interpretError(err)
}

// ReleaseChat marks done and drops the lane unless the chat has other
// pending updates. The lane's row is locked first and pending updates are
// looked for after: an update stored by a replica that found the lane taken
// is then always seen, by this check or by its own claim once the row is
// gone.
func (db *DB) ReleaseChat(ctx context.Context, owner string, chat int64, done []int64) (bool, error) {
	released := false
	err := pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		var mine bool
		err := tx.QueryRow(ctx, `SELECT true FROM chat_lanes WHERE chat_id = $1 AND owner = $2 FOR UPDATE`, chat, owner).Scan(&mine)
		if errors.Is(err, pgx.ErrNoRows) {
			released = true // not ours any more: taken over after our lease ran out
			return nil
		}
		if err != nil {
			return err
		}
		if len(done) > 0 {
			if _, err := tx.Exec(ctx, `UPDATE inbox SET done_at = now() WHERE update_id = ANY($1) AND done_at IS NULL`, done); err != nil {
				return err
			}
		}
		tag, err := tx.Exec(ctx, `DELETE FROM chat_lanes WHERE chat_id = $1
			AND NOT EXISTS (SELECT 1 FROM inbox WHERE chat_id = $1 AND done_at IS NULL)`, chat)
		released = err == nil && tag.RowsAffected() == 1
		return err
	})
	return released, interpretError(err)
}

// RenewChats extends owner's leases.
func (db *DB) RenewChats(ctx context.Context, owner string, lease time.Duration) error {
	_, err := db.pool.Exec(ctx, `UPDATE chat_lanes SET lease_until = now() + $2 * interval '1 millisecond' WHERE owner = $1`,
		owner, lease.Milliseconds())
	return interpretError(err)
}

// Orphans lists chats with updates pending for longer than age whose lane
// nobody else holds: none, lapsed, or owner's own (a restarted process takes
// back what it held before it died).
func (db *DB) Orphans(ctx context.Context, owner string, age time.Duration, limit int) ([]int64, error) {
	rows, err := db.pool.Query(ctx, `SELECT DISTINCT i.chat_id FROM inbox i
		WHERE i.done_at IS NULL AND i.received_at < now() - $1 * interval '1 millisecond'
		  AND NOT EXISTS (SELECT 1 FROM chat_lanes l WHERE l.chat_id = i.chat_id AND l.lease_until >= now() AND l.owner <> $3)
		LIMIT $2`, age.Milliseconds(), limit, owner)
	if err != nil {
		return nil, interpretError(err)
	}
	out, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	return out, interpretError(err)
}

// PruneInbox deletes updates handled before t: a redelivery that late would
// be older than any Telegram keeps.
func (db *DB) PruneInbox(ctx context.Context, before time.Time) (int, error) {
	tag, err := db.pool.Exec(ctx, `DELETE FROM inbox WHERE done_at < $1`, before)
	return int(tag.RowsAffected()), interpretError(err)
}

// claimUpdate marks the update behind a change done in the change's
// transaction, and queues the answer to whoever made it: a notice built
// from the order events the transaction wrote (none when it wrote none).
// An update done before is ErrRepeated: the transaction is rolled back.
// An update the inbox never stored (a direct call) is nobody's to claim.
func (t *txStore) claimUpdate(ctx context.Context, c *core.UpdateClaim) error {
	tag, err := t.tx.Exec(ctx, `UPDATE inbox SET done_at = now() WHERE update_id = $1 AND done_at IS NULL`, c.ID)
	if err != nil {
		return interpretError(err)
	}
	if tag.RowsAffected() == 0 {
		var stored bool
		if err := t.tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM inbox WHERE update_id = $1)`, c.ID).Scan(&stored); err != nil {
			return interpretError(err)
		}
		if stored {
			return fmt.Errorf("update %d: %w", c.ID, core.ErrRepeated)
		}
	}
	if len(t.events) == 0 || c.Reply.ChatID == 0 {
		return nil
	}
	n, err := core.NewNotice(core.ReplyKey(c.ID), c.Reply.ChatID, core.NoticeReply,
		core.ReplyNotice{UpdateID: c.ID, MessageID: c.Reply.MessageID, Events: t.events}, time.Now())
	if err != nil {
		return err
	}
	_, err = enqueue(ctx, t.tx, []core.Notice{n})
	return err
}
