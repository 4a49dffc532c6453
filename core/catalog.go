package core

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
)

// Catalog manages products and stock: catalog imports, goods received,
// corrections, and the stock read-out with free-to-sell quantities.
type Catalog struct {
	d      Deps
	orders *Orders // goods received reach the orders awaiting them
}

// NewCatalog returns the catalog service.
func NewCatalog(d Deps) *Catalog {
	d.fill()
	return &Catalog{d: d, orders: NewOrders(d)}
}

// ImportChange is what importing one row does.
type ImportChange string

// Import outcomes per row.
const (
	ImportNew       ImportChange = "new"
	ImportChanged   ImportChange = "changed"
	ImportUnchanged ImportChange = "unchanged"
)

// ImportRow is one row's outcome: the product as it was (nil when new) and as
// it becomes.
type ImportRow struct {
	Line     int
	Change   ImportChange
	Old      *StockLevel
	New      Product
	Stock    int64
	Problems []string
}

// ImportResult sums up a catalog import or its preview.
type ImportResult struct {
	Rows                    []ImportRow
	New, Changed, Unchanged int
	// Arrivals are the goods the import's stock reserved for orders
	// awaiting them (not in a preview).
	Arrivals []Arrival
}

// raised lists the products whose stock on hand the import raised, in id
// order.
func (r *ImportResult) raised() []int64 {
	var ids []int64
	for _, row := range r.Rows {
		if row.Old != nil && row.Stock > row.Old.OnHand {
			ids = append(ids, row.New.ID)
		}
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	return ids
}

// lockAwaitingImport locks the orders awaiting products of the file whose
// new stock could reach them, before any stock row is locked.
func (c *Catalog) lockAwaitingImport(ctx context.Context, tx Tx, rows []CatalogRow) (*awaiting, error) {
	skus := make([]string, len(rows))
	for i, r := range rows {
		skus[i] = r.Product.SKU
	}
	_, old, err := productIndex(ctx, tx, nil, skus)
	if err != nil {
		return nil, err
	}
	budget := map[int64]int64{}
	for _, r := range rows {
		if p := old[strings.ToLower(r.Product.SKU)]; p != nil {
			budget[p.ID] = r.Stock
		}
	}
	return c.orders.lockAwaiting(ctx, tx, budget)
}

var errPreview = errors.New("preview only")

// Import upserts products by SKU and sets their stock on hand, all or
// nothing. With preview set nothing is kept: the result says what applying
// would do. Setting on hand below what is reserved for orders is refused for
// that row, and then for the whole file.
func (c *Catalog) Import(ctx context.Context, a Actor, rows []CatalogRow, preview bool) (*ImportResult, error) {
	if err := a.requireStaff("import the catalog"); err != nil {
		return nil, err
	}
	var res *ImportResult
	err := c.d.Store.InTx(ctx, func(ctx context.Context, tx Tx) error {
		w, err := c.lockAwaitingImport(ctx, tx, rows)
		if err != nil {
			return err
		}
		res, err = c.importRows(ctx, tx, a, rows)
		if err != nil {
			return err
		}
		if bad := res.problems(); len(bad) > 0 {
			return &CatalogFileError{Rows: bad}
		}
		if preview {
			return errPreview
		}
		res.Arrivals, err = c.orders.allocate(ctx, tx, a, w, res.raised(), c.d.now())
		return err
	})
	if errors.Is(err, errPreview) {
		return res, nil
	}
	if err != nil {
		return res, fmt.Errorf("import catalog: %w", err)
	}
	return res, nil
}

func (r *ImportResult) problems() []RowError {
	var bad []RowError
	for _, row := range r.Rows {
		for _, p := range row.Problems {
			bad = append(bad, RowError{Line: row.Line, Reason: p})
		}
	}
	return bad
}

func (c *Catalog) importRows(ctx context.Context, tx Tx, a Actor, rows []CatalogRow) (*ImportResult, error) {
	skus := make([]string, len(rows))
	for i, r := range rows {
		skus[i] = r.Product.SKU
	}
	_, old, err := productIndex(ctx, tx, nil, skus)
	if err != nil {
		return nil, err
	}
	res := &ImportResult{Rows: make([]ImportRow, len(rows))}
	for i, r := range rows {
		p := r.Product
		if _, err := tx.UpsertProduct(ctx, &p); err != nil {
			return nil, err
		}
		if r.HasVAT {
			if err := tx.SetVATRate(ctx, p.ID, p.VATRate); err != nil {
				return nil, err
			}
		}
		res.Rows[i] = ImportRow{Line: r.Line, New: p, Stock: r.Stock, Change: ImportNew}
		if prev := old[strings.ToLower(p.SKU)]; prev != nil {
			res.Rows[i].Old = &StockLevel{Product: *prev}
		}
	}
	order := make([]int, len(rows))
	for i := range order {
		order[i] = i
	}
	sort.Slice(order, func(x, y int) bool { return res.Rows[order[x]].New.ID < res.Rows[order[y]].New.ID })
	for _, i := range order {
		if err := c.setOnHand(ctx, tx, a, &res.Rows[i]); err != nil {
			return nil, err
		}
		res.count(res.Rows[i].Change)
	}
	return res, nil
}

func (c *Catalog) setOnHand(ctx context.Context, tx Tx, a Actor, row *ImportRow) error {
	st, err := tx.StockForUpdate(ctx, row.New.ID)
	if err != nil {
		return err
	}
	if row.Old != nil {
		row.Old.OnHand, row.Old.Reserved = st.OnHand, st.Reserved
		if samePrice(row.Old.Product, row.New) && st.OnHand == row.Stock {
			row.Change = ImportUnchanged
		} else {
			row.Change = ImportChanged
		}
	}
	if row.Stock < st.Reserved {
		row.Problems = append(row.Problems, fmt.Sprintf("stock %d is below the %d reserved for orders", row.Stock, st.Reserved))
		return nil
	}
	if delta := row.Stock - st.OnHand; delta != 0 {
		m := StockMove{ProductID: row.New.ID, Delta: delta, Kind: MoveImport, Reason: "catalog import", Actor: a, At: c.d.now()}
		return tx.Move(ctx, m, 0)
	}
	return nil
}

func samePrice(a, b Product) bool {
	return a.Name == b.Name && a.Price == b.Price && a.Unit == b.Unit && a.Active == b.Active
}

func (r *ImportResult) count(ch ImportChange) {
	switch ch {
	case ImportNew:
		r.New++
	case ImportChanged:
		r.Changed++
	default:
		r.Unchanged++
	}
}

// Receive records goods arriving: on hand rises by qty, and orders awaiting
// the product get what they wait for (see ReceiveGoods).
func (c *Catalog) Receive(ctx context.Context, a Actor, productID, qty int64, note string) (*StockLevel, error) {
	rc, err := c.ReceiveGoods(ctx, a, productID, qty, note)
	if err != nil {
		return nil, err
	}
	return &rc.Stock, nil
}

// Correct records a counted difference with a reason; delta may be negative
// but on hand may not fall below what is reserved for orders.
func (c *Catalog) Correct(ctx context.Context, a Actor, productID, delta int64, reason string) (*StockLevel, error) {
	if delta == 0 || delta > MaxQty || delta < -MaxQty {
		return nil, Errorf(ErrInvalid, "a correction must be a whole number, not zero, within ±%d", MaxQty)
	}
	reason, err := needReason(reason)
	if err != nil {
		return nil, err
	}
	return c.move(ctx, a, StockMove{ProductID: productID, Delta: delta, Kind: MoveCorrection, Reason: reason})
}

func (c *Catalog) move(ctx context.Context, a Actor, m StockMove) (*StockLevel, error) {
	if err := a.requireStaff("change stock"); err != nil {
		return nil, err
	}
	if err := checkText("note", m.Reason, MaxReasonLen); err != nil {
		return nil, err
	}
	m.Actor, m.At = a, c.d.now()
	var st *StockLevel
	err := c.d.Store.InTx(ctx, func(ctx context.Context, tx Tx) error {
		cur, err := tx.StockForUpdate(ctx, m.ProductID)
		if err != nil {
			return err
		}
		if cur.OnHand+m.Delta < cur.Reserved {
			return Errorf(ErrConflict, "%s: on hand would be %d, below the %d reserved for orders", cur.Name, cur.OnHand+m.Delta, cur.Reserved)
		}
		if err := tx.Move(ctx, m, 0); err != nil {
			return err
		}
		st, err = tx.StockForUpdate(ctx, m.ProductID)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("stock move %s of product %d: %w", m.Kind, m.ProductID, err)
	}
	return st, nil
}

// Stock lists products with on hand, reserved, held in carts and free, so
// that on hand = reserved + held + free (unless a correction took away goods
// that carts hold: then free is 0). With f.Exact the rows are read
// share-locked together with the holds, which makes the four figures agree
// at one instant (read-outs for staff and scripts); without it the holds
// are a glance taken just after the rows (browsing the catalog).
func (c *Catalog) Stock(ctx context.Context, f StockFilter) ([]StockLevel, error) {
	if err := CheckText("search", f.Query, MaxSearchLen); err != nil {
		return nil, err
	}
	if !f.Exact {
		levels, err := c.d.Store.Stock(ctx, f)
		if err != nil {
			return nil, fmt.Errorf("stock: %w", err)
		}
		return levels, c.subtractHolds(ctx, c.d.Store, levels)
	}
	var levels []StockLevel
	err := c.d.Store.InTx(ctx, func(ctx context.Context, tx Tx) error {
		var err error
		if levels, err = tx.StockShared(ctx, f); err != nil {
			return err
		}
		return c.subtractHolds(ctx, tx, levels)
	})
	if err != nil {
		return nil, fmt.Errorf("stock: %w", err)
	}
	return levels, nil
}

func (c *Catalog) subtractHolds(ctx context.Context, r PlacedReader, levels []StockLevel) error {
	ids := make([]int64, len(levels))
	for i, l := range levels {
		ids[i] = l.ID
	}
	held, _, err := c.d.heldByOthers(ctx, r, ids, CartKey{})
	if err != nil {
		return err
	}
	for i := range levels {
		l := &levels[i]
		l.Held = held[l.ID]
		// Free is never below 0: after a stock correction took away goods
		// that carts hold, some of those holders will be refused.
		l.Free = max(l.OnHand-l.Reserved-l.Held, 0)
	}
	return nil
}

// ProductBySKU finds a product by its SKU (deep links, phone orders).
func (c *Catalog) ProductBySKU(ctx context.Context, sku string) (*Product, error) {
	return c.d.Store.ProductBySKU(ctx, sku)
}
