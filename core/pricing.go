package core

// Pricing is the shop's tax and delivery settings. Its zero value is a shop
// that charges no tax and no delivery, with prices that include tax.
type Pricing struct {
	// VATRate is the shop-wide rate in basis points; a product's own rate
	// overrides it.
	VATRate int
	// VATPayer: a seller who is not a VAT payer charges no tax and its
	// documents say so.
	VATPayer bool
	// Excluded: prices (catalog and price lists) are without tax, which is
	// added on top. The default is prices that include tax.
	Excluded bool
	// DeliveryFee is the flat delivery charge of an order (0: none), in
	// the same terms as prices.
	DeliveryFee Money
	// DeliveryFreeFrom is the goods total from which delivery is free
	// (0: never free).
	DeliveryFreeFrom Money
}

// Validate checks the settings.
func (p Pricing) Validate() error {
	switch {
	case p.VATRate < 0 || p.VATRate > MaxTaxRate:
		return Errorf(ErrInvalid, "VAT rate must be 0 to 100 %%")
	case p.DeliveryFee < 0 || p.DeliveryFreeFrom < 0:
		return Errorf(ErrInvalid, "delivery amounts must not be negative")
	}
	return nil
}

// RateOf is the tax rate a product's lines are charged: none when the
// seller is not a VAT payer, else the product's own rate or the shop's.
func (p Pricing) RateOf(pr *Product) int {
	if !p.VATPayer {
		return 0
	}
	if pr != nil && pr.VATRate != nil {
		return *pr.VATRate
	}
	return p.VATRate
}

// DeliveryRate is the rate delivery is charged at: the shop's.
func (p Pricing) DeliveryRate() int {
	if !p.VATPayer {
		return 0
	}
	return p.VATRate
}

// DeliveryFor is the delivery charge of an order whose goods come to goods.
func (p Pricing) DeliveryFor(goods Money) Money {
	if p.DeliveryFreeFrom > 0 && goods >= p.DeliveryFreeFrom {
		return 0
	}
	return p.DeliveryFee
}

// Value is the amounts of the first k units of the line: k times its
// price less their share of the line's discount, split by its tax rate.
// The amounts of units billed in parts (k1, k2, ...) are differences of
// Value, so the parts add up to the whole line exactly.
func (l Line) Value(k int64, included bool) Amounts {
	base := l.Price*Money(k) - Share(l.Discount, k, l.Qty)
	return LineTax(base, l.TaxRate, included)
}

// OrderTotals is what an order comes to. Goods, Discount and Delivery are
// in the terms of prices (with tax when prices include it); the rest sums
// the rounded lines (delivery is one of them).
type OrderTotals struct {
	Goods    Money
	Discount Money
	Delivery Money
	TaxTotals
}

// DeliveryAmounts is the delivery line's money.
func (o *Order) DeliveryAmounts() Amounts { return LineTax(o.Delivery, o.DeliveryRate, o.TaxIncluded) }

// Totals sums the order's rounded lines and its delivery.
func (o *Order) Totals() OrderTotals {
	var t OrderTotals
	for _, l := range o.Lines {
		t.Goods += l.Price * Money(l.Qty)
		t.Discount += l.Discount
		t.Add(l.TaxRate, l.Value(l.Qty, o.TaxIncluded))
	}
	if o.Delivery != 0 {
		t.Delivery = o.Delivery
		t.Add(o.DeliveryRate, o.DeliveryAmounts())
	}
	return t
}

// valueOf sums the gross of the first k(l) units of every line.
func (o *Order) valueOf(k func(Line) int64) Money {
	var t Money
	for _, l := range o.Lines {
		t += l.Value(k(l), o.TaxIncluded).Gross
	}
	return t
}
