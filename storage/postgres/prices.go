package postgres

import (
	"context"
	"sort"

	"github.com/jackc/pgx/v5"

	"github.com/orderbot/orderbot/core"
)

// SetVATRate sets a product's own VAT rate (nil: the shop's).
func (t *txStore) SetVATRate(ctx context.Context, productID int64, rate *int) error {
	_, err := t.tx.Exec(ctx, `UPDATE products SET vat_rate = $2 WHERE id = $1`, productID, rate)
	return interpretError(err)
}

// ReplacePriceLists creates the lists not there yet and replaces each
// one's prices with the given ones, lists in name order (two imports lock
// them in the same order).
func (t *txStore) ReplacePriceLists(ctx context.Context, prices map[string][]core.ListPrice) (map[string]int64, error) {
	names := make([]string, 0, len(prices))
	for n := range prices {
		names = append(names, n)
	}
	sort.Strings(names)
	ids := map[string]int64{}
	for _, name := range names {
		id, err := t.priceList(ctx, name)
		if err != nil {
			return nil, err
		}
		if _, err := t.tx.Exec(ctx, `DELETE FROM list_prices WHERE list_id = $1`, id); err != nil {
			return nil, interpretError(err)
		}
		rows := make([][]any, len(prices[name]))
		for i, p := range prices[name] {
			rows[i] = []any{id, p.ProductID, p.MinQty, int64(p.Price)}
		}
		if _, err := t.tx.CopyFrom(ctx, pgx.Identifier{"list_prices"}, []string{"list_id", "product_id", "min_qty", "price"},
			pgx.CopyFromRows(rows)); err != nil {
			return nil, interpretError(err)
		}
		ids[name] = id
	}
	return ids, nil
}

// priceList creates the list if it is new and locks its row. A list
// another import created in the meantime is found by the second look (a
// statement of its own sees what committed before it).
func (t *txStore) priceList(ctx context.Context, name string) (int64, error) {
	if _, err := t.tx.Exec(ctx, `INSERT INTO price_lists (name) VALUES ($1) ON CONFLICT (lower(name)) DO NOTHING`, name); err != nil {
		return 0, interpretError(err)
	}
	var id int64
	err := t.tx.QueryRow(ctx, `SELECT id FROM price_lists WHERE lower(name) = lower($1) FOR UPDATE`, name).Scan(&id)
	return id, interpretError(err)
}

// ListPrices reads a list's prices of the products, breaks ascending.
func (t *txStore) ListPrices(ctx context.Context, listID int64, productIDs []int64) (map[int64][]core.ListPrice, error) {
	return listPrices(ctx, t.tx, listID, productIDs)
}

// ListPrices reads a list's prices of the products, breaks ascending.
func (db *DB) ListPrices(ctx context.Context, listID int64, productIDs []int64) (map[int64][]core.ListPrice, error) {
	return listPrices(ctx, db.pool, listID, productIDs)
}

func listPrices(ctx context.Context, q querier, listID int64, productIDs []int64) (map[int64][]core.ListPrice, error) {
	rows, err := q.Query(ctx, `SELECT product_id, min_qty, price FROM list_prices
		WHERE list_id = $1 AND product_id = ANY($2) ORDER BY product_id, min_qty`, listID, productIDs)
	if err != nil {
		return nil, interpretError(err)
	}
	ps, err := collect(rows, func(r pgx.Row) (*core.ListPrice, error) {
		var p core.ListPrice
		return &p, interpretError(r.Scan(&p.ProductID, &p.MinQty, &p.Price))
	})
	if err != nil {
		return nil, err
	}
	out := map[int64][]core.ListPrice{}
	for _, p := range ps {
		out[p.ProductID] = append(out[p.ProductID], p)
	}
	return out, nil
}

// PriceLists lists the price lists by name with how many prices each has.
func (db *DB) PriceLists(ctx context.Context) ([]core.PriceList, error) {
	rows, err := db.pool.Query(ctx, `SELECT l.id, l.name, (SELECT count(*) FROM list_prices p WHERE p.list_id = l.id)
		FROM price_lists l ORDER BY lower(l.name)`)
	if err != nil {
		return nil, interpretError(err)
	}
	return collect(rows, func(r pgx.Row) (*core.PriceList, error) {
		var l core.PriceList
		return &l, interpretError(r.Scan(&l.ID, &l.Name, &l.Prices))
	})
}
