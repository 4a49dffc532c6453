package postgres

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/orderbot/orderbot/core"
)

// StaffMembers lists staff added in chat.
func (db *DB) StaffMembers(ctx context.Context) ([]core.StaffMember, error) {
	rows, err := db.pool.Query(ctx, `SELECT user_id, role, name, added_by, added_at FROM staff ORDER BY added_at, user_id`)
	if err != nil {
		return nil, interpretError(err)
	}
	return collect(rows, func(r pgx.Row) (*core.StaffMember, error) {
		var m core.StaffMember
		err := r.Scan(&m.UserID, &m.Role, &m.Name, &m.AddedBy, &m.AddedAt)
		return &m, interpretError(err)
	})
}

// PutStaff adds or updates a staff member.
func (db *DB) PutStaff(ctx context.Context, m core.StaffMember) error {
	_, err := db.pool.Exec(ctx, `INSERT INTO staff (user_id, role, name, added_by, added_at) VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (user_id) DO UPDATE SET role = excluded.role, name = excluded.name`,
		m.UserID, string(m.Role), m.Name, m.AddedBy, m.AddedAt)
	return interpretError(err)
}

// RemoveStaff removes a staff member; it reports whether there was one.
func (db *DB) RemoveStaff(ctx context.Context, userID int64) (bool, error) {
	tag, err := db.pool.Exec(ctx, `DELETE FROM staff WHERE user_id = $1`, userID)
	return tag.RowsAffected() == 1, interpretError(err)
}

// MarkBlocked records that a chat blocked the bot.
func (db *DB) MarkBlocked(ctx context.Context, chatID int64, at time.Time) error {
	_, err := db.pool.Exec(ctx, `INSERT INTO blocked_chats (chat_id, blocked_at) VALUES ($1, $2) ON CONFLICT DO NOTHING`, chatID, at)
	return interpretError(err)
}

// Unblock forgets a block: the chat wrote to the bot again.
func (db *DB) Unblock(ctx context.Context, chatID int64) error {
	_, err := db.pool.Exec(ctx, `DELETE FROM blocked_chats WHERE chat_id = $1`, chatID)
	return interpretError(err)
}

// Blocked reports whether a chat blocked the bot.
func (db *DB) Blocked(ctx context.Context, chatID int64) (bool, error) {
	var b bool
	err := db.pool.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM blocked_chats WHERE chat_id = $1)`, chatID).Scan(&b)
	return b, interpretError(err)
}

// AddCard remembers a staff card of an order.
func (db *DB) AddCard(ctx context.Context, orderID, chatID int64, messageID int) error {
	_, err := db.pool.Exec(ctx, `INSERT INTO order_cards (order_id, chat_id, message_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
		orderID, chatID, messageID)
	return interpretError(err)
}

// Cards lists where an order's staff cards are: chat id and message id.
func (db *DB) Cards(ctx context.Context, orderID int64) ([][2]int64, error) {
	rows, err := db.pool.Query(ctx, `SELECT chat_id, message_id FROM order_cards WHERE order_id = $1 ORDER BY chat_id, message_id`, orderID)
	if err != nil {
		return nil, interpretError(err)
	}
	defer rows.Close()
	var out [][2]int64
	for rows.Next() {
		var c [2]int64
		if err := rows.Scan(&c[0], &c[1]); err != nil {
			return nil, interpretError(err)
		}
		out = append(out, c)
	}
	return out, interpretError(rows.Err())
}
