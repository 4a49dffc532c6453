package core

import (
	"context"
	"fmt"
	"sort"
	"strings"
)

// PriceList is a named set of prices (retail, wholesale, a dealer's own).
type PriceList struct {
	ID     int64
	Name   string
	Prices int // how many prices it has
}

// ListPrice is a product's price on a list from MinQty units up.
type ListPrice struct {
	ProductID int64
	MinQty    int64
	Price     Money
}

// PriceFor is the price of qty units: the list's price with the largest
// break not above qty, else the catalog price. breaks are ascending.
func PriceFor(catalog Money, breaks []ListPrice, qty int64) Money {
	price := catalog
	for _, b := range breaks {
		if b.MinQty <= qty {
			price = b.Price
		}
	}
	return price
}

// PriceImport sums up a price list import or its preview: prices per list.
type PriceImport struct {
	Lists map[string]int
	Rows  int
}

// ImportPrices replaces the prices of every list the file names (a list is
// created the first time it is named), all or nothing: a row whose SKU is
// not in the catalog fails the whole file with its line number. A preview
// checks everything and changes nothing.
func (c *Catalog) ImportPrices(ctx context.Context, a Actor, rows []PriceRow, preview bool) (*PriceImport, error) {
	if err := a.requireStaff("import price lists"); err != nil {
		return nil, err
	}
	res := &PriceImport{Lists: map[string]int{}, Rows: len(rows)}
	err := c.d.Store.InTx(ctx, func(ctx context.Context, tx Tx) error {
		lists, err := resolvePrices(ctx, tx, rows)
		if err != nil {
			return err
		}
		for name, ps := range lists {
			res.Lists[name] = len(ps)
		}
		if preview {
			return nil
		}
		_, err = tx.ReplacePriceLists(ctx, lists)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("import price lists: %w", err)
	}
	return res, nil
}

// resolvePrices finds each row's product and groups the prices by list
// (names as first written in the file).
func resolvePrices(ctx context.Context, tx Tx, rows []PriceRow) (map[string][]ListPrice, error) {
	skus := make([]string, len(rows))
	for i, r := range rows {
		skus[i] = r.SKU
	}
	_, bySKU, err := productIndex(ctx, tx, nil, skus)
	if err != nil {
		return nil, err
	}
	lists := map[string][]ListPrice{}
	names := map[string]string{}
	var bad []RowError
	for _, r := range rows {
		p := bySKU[strings.ToLower(r.SKU)]
		if p == nil {
			bad = append(bad, RowError{Line: r.Line, Reason: fmt.Sprintf("no product with sku %q in the catalog", r.SKU)})
			continue
		}
		key := strings.ToLower(r.List)
		if names[key] == "" {
			names[key] = r.List
		}
		lists[names[key]] = append(lists[names[key]], ListPrice{ProductID: p.ID, MinQty: r.MinQty, Price: r.Price})
	}
	if len(bad) > 0 {
		return nil, &CatalogFileError{Rows: bad}
	}
	return lists, nil
}

// PriceLists lists the price lists by name.
func (c *Catalog) PriceLists(ctx context.Context, a Actor) ([]PriceList, error) {
	if err := a.requireStaff("see price lists"); err != nil {
		return nil, err
	}
	return c.d.Store.PriceLists(ctx)
}

// CustomerPrices is what one customer pays: their list's breaks per
// product (none: catalog prices).
type CustomerPrices struct {
	ListID int64
	Breaks map[int64][]ListPrice
}

// Price is the customer's price of qty units of p.
func (cp *CustomerPrices) Price(p *Product, qty int64) Money {
	if cp == nil {
		return p.Price
	}
	return PriceFor(p.Price, cp.Breaks[p.ID], qty)
}

// pricesFor reads the customer's list prices of the products.
func pricesFor(ctx context.Context, r priceReader, c *Customer, ids []int64) (*CustomerPrices, error) {
	cp := &CustomerPrices{}
	if c == nil || c.PriceListID == 0 || len(ids) == 0 {
		return cp, nil
	}
	breaks, err := r.ListPrices(ctx, c.PriceListID, ids)
	if err != nil {
		return nil, err
	}
	for _, bs := range breaks {
		sort.Slice(bs, func(i, j int) bool { return bs[i].MinQty < bs[j].MinQty })
	}
	cp.ListID, cp.Breaks = c.PriceListID, breaks
	return cp, nil
}

type priceReader interface {
	ListPrices(ctx context.Context, listID int64, productIDs []int64) (map[int64][]ListPrice, error)
}

// CustomerPrices reads what the customer pays for the products: the
// catalog and the cart show it.
func (c *Catalog) CustomerPrices(ctx context.Context, customerID int64, productIDs []int64) (*CustomerPrices, error) {
	if customerID == 0 {
		return &CustomerPrices{}, nil
	}
	cust, err := c.d.Store.Customer(ctx, customerID)
	if err != nil {
		return nil, err
	}
	return pricesFor(ctx, c.d.Store, cust, productIDs)
}

// PricesOf is CustomerPrices for a customer already read: a customer on
// catalog prices costs no query.
func (c *Catalog) PricesOf(ctx context.Context, cust *Customer, productIDs []int64) (*CustomerPrices, error) {
	return pricesFor(ctx, c.d.Store, cust, productIDs)
}

// SetPriceList puts a customer on a price list by name ("" or "-": none,
// catalog prices). Staff only.
func (c *Customers) SetPriceList(ctx context.Context, a Actor, customerID int64, name string) (*Customer, error) {
	if err := a.requireStaff("assign price lists"); err != nil {
		return nil, err
	}
	var listID int64
	listName := ""
	if name = strings.TrimSpace(name); name != "" && name != "-" {
		lists, err := c.d.Store.PriceLists(ctx)
		if err != nil {
			return nil, err
		}
		for _, l := range lists {
			if strings.EqualFold(l.Name, name) {
				listID, listName = l.ID, l.Name
			}
		}
		if listID == 0 {
			return nil, Errorf(ErrNotFound, "no price list %q; import it first", name)
		}
	}
	return c.Update(ctx, a, customerID, func(cust *Customer) { cust.PriceListID, cust.PriceList = listID, listName })
}

// prices reads the customer's prices of the cart's products.
func (s *Shopping) prices(ctx context.Context, a Actor, lines []CartLine) (*CustomerPrices, error) {
	if len(lines) == 0 {
		return &CustomerPrices{}, nil
	}
	ids := make([]int64, len(lines))
	for i, l := range lines {
		ids[i] = l.ProductID
	}
	cust, err := s.d.Store.Customer(ctx, a.CustomerID)
	if err != nil {
		return &CustomerPrices{}, nil // the catalog price is what a cart shows without its customer
	}
	return pricesFor(ctx, s.d.Store, cust, ids)
}

// quote is what the cart would come to as an order placed now.
func (s *Shopping) quote(lines []CartLine) OrderTotals {
	o := &Order{}
	for _, l := range lines {
		o.Lines = append(o.Lines, Line{ProductID: l.ProductID, Qty: l.Qty, Price: l.Price, TaxRate: s.d.Pricing.RateOf(l.Product)})
	}
	_ = s.d.Pricing.priceDelivery(o, nil)
	if len(lines) == 0 {
		o.Delivery = 0
	}
	return o.Totals()
}
