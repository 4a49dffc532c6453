package postgres

import (
	"context"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/orderbot/orderbot/core"
)

const customerColumns = `id, coalesce(telegram_id, 0), name, phone, address, terms_days, credit_limit, lang, created_at,
	coalesce(price_list_id, 0), coalesce((SELECT pl.name FROM price_lists pl WHERE pl.id = price_list_id), ''),
	company, tax_id`

func scanCustomer(row pgx.Row) (*core.Customer, error) {
	var c core.Customer
	var limit *int64
	err := row.Scan(&c.ID, &c.TelegramID, &c.Name, &c.Phone, &c.Address, &c.TermsDays, &limit, &c.Lang, &c.CreatedAt,
		&c.PriceListID, &c.PriceList, &c.Company, &c.TaxID)
	if err != nil {
		return nil, interpretError(err)
	}
	if limit != nil {
		m := core.Money(*limit)
		c.CreditLimit = &m
	}
	return &c, nil
}

func customerByID(ctx context.Context, q querier, id int64, lock bool) (*core.Customer, error) {
	sql := `SELECT ` + customerColumns + ` FROM customers WHERE id = $1`
	if lock {
		sql += ` FOR UPDATE`
	}
	c, err := scanCustomer(q.QueryRow(ctx, sql, id))
	if err != nil {
		return nil, notFound(err, "no customer #%d", id)
	}
	return c, nil
}

// Customer reads one customer.
func (db *DB) Customer(ctx context.Context, id int64) (*core.Customer, error) {
	return customerByID(ctx, db.pool, id, false)
}

// CustomerByTelegram finds the customer of a Telegram user.
func (db *DB) CustomerByTelegram(ctx context.Context, telegramID int64) (*core.Customer, error) {
	c, err := scanCustomer(db.pool.QueryRow(ctx, `SELECT `+customerColumns+` FROM customers WHERE telegram_id = $1`, telegramID))
	if err != nil {
		return nil, notFound(err, "no customer with Telegram id %d", telegramID)
	}
	return c, nil
}

// FindCustomers matches part of a name or phone, case-insensitively.
func (db *DB) FindCustomers(ctx context.Context, query string, limit int) ([]core.Customer, error) {
	if limit <= 0 || limit > 100 {
		limit = 20
	}
	pattern := "%" + likeEscape(strings.ToLower(query)) + "%"
	digits := strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, query)
	rows, err := db.pool.Query(ctx, `SELECT `+customerColumns+` FROM customers
		WHERE lower(name) LIKE $1 OR ($2 <> '' AND regexp_replace(phone, '\D', '', 'g') LIKE '%' || $2 || '%')
		ORDER BY name, id LIMIT $3`, pattern, digits, limit)
	if err != nil {
		return nil, interpretError(err)
	}
	return collect(rows, scanCustomer)
}

func (t *txStore) CustomerForUpdate(ctx context.Context, id int64) (*core.Customer, error) {
	return customerByID(ctx, t.tx, id, true)
}

func (t *txStore) InsertCustomer(ctx context.Context, c *core.Customer) error {
	err := t.tx.QueryRow(ctx, `INSERT INTO customers (telegram_id, name, phone, address, terms_days, credit_limit, lang,
		company, tax_id) VALUES (nullif($1::bigint, 0), $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id, created_at`,
		c.TelegramID, c.Name, c.Phone, c.Address, c.TermsDays, moneyPtr(c.CreditLimit), c.Lang,
		c.Company, c.TaxID).Scan(&c.ID, &c.CreatedAt)
	return interpretError(err)
}

func (t *txStore) UpdateCustomer(ctx context.Context, c *core.Customer) error {
	_, err := t.tx.Exec(ctx, `UPDATE customers SET name = $2, phone = $3, address = $4, terms_days = $5,
		credit_limit = $6, lang = $7, price_list_id = nullif($8::bigint, 0), company = $9, tax_id = $10 WHERE id = $1`,
		c.ID, c.Name, c.Phone, c.Address, c.TermsDays, moneyPtr(c.CreditLimit), c.Lang, c.PriceListID, c.Company, c.TaxID)
	return interpretError(err)
}

// Exposure is debt (from customer_balances) plus what open orders are worth
// beyond their invoices.
func (t *txStore) Exposure(ctx context.Context, customerID int64) (core.Money, error) {
	var exposure int64
	err := t.tx.QueryRow(ctx, `SELECT
		  coalesce((SELECT invoiced - paid FROM customer_balances WHERE customer_id = $1), 0)
		+ coalesce((SELECT sum(greatest(o.due - o.invoiced, 0)) FROM orders o WHERE o.customer_id = $1
		            AND o.closed_at IS NULL AND o.cancelled_at IS NULL), 0)`, customerID).Scan(&exposure)
	return core.Money(exposure), interpretError(err)
}

func moneyPtr(m *core.Money) *int64 {
	if m == nil {
		return nil
	}
	v := int64(*m)
	return &v
}

func likeEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// notFound replaces a bare not-found with a message that names the thing.
func notFound(err error, format string, args ...any) error {
	if isKind(err, core.ErrNotFound) {
		return core.Errorf(core.ErrNotFound, format, args...)
	}
	return err
}

// collect scans every row with scan and closes rows.
func collect[T any](rows pgx.Rows, scan func(pgx.Row) (*T, error)) ([]T, error) {
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *v)
	}
	return out, interpretError(rows.Err())
}
