package main

import (
	"errors"
	"fmt"
	"strconv"

	"github.com/orderbot/orderbot/core"
)

// loadPricing reads VAT and delivery settings; amounts are in the shop's
// currency, so CURRENCY is read first.
func (c *Config) loadPricing(get func(string) string) error {
	var errs []error
	rate, err := core.ParseTaxRate(get("VAT_RATE"))
	if err != nil {
		errs = append(errs, fmt.Errorf("VAT_RATE=%q: %s", get("VAT_RATE"), core.SafeMessage(err)))
	}
	c.Pricing.VATRate = rate
	for _, b := range []struct {
		name string
		to   *bool
		neg  bool
	}{{"VAT_PAYER", &c.Pricing.VATPayer, false}, {"PRICES_INCLUDE_TAX", &c.Pricing.Excluded, true}} {
		v, err := strconv.ParseBool(get(b.name))
		if err != nil {
			errs = append(errs, fmt.Errorf("%s=%q: want true or false", b.name, get(b.name)))
		}
		*b.to = v != b.neg
	}
	for _, m := range []struct {
		name string
		to   *core.Money
	}{{"DELIVERY_FEE", &c.Pricing.DeliveryFee}, {"DELIVERY_FREE_FROM", &c.Pricing.DeliveryFreeFrom}} {
		v, err := c.Currency.Parse(get(m.name))
		if err != nil {
			errs = append(errs, fmt.Errorf("%s=%q: %s", m.name, get(m.name), core.SafeMessage(err)))
		}
		*m.to = v
	}
	return errors.Join(errs...)
}
