package main

import (
	"fmt"
	"strconv"
	"strings"
)

// sandboxProviderToken turns payments in chat on in the sandbox when no
// PAYMENT_ variable says otherwise: the emulator takes any provider.
const sandboxProviderToken = "sandbox:TEST:provider"

// loadPayments reads the settings of invoices paid in chat (Telegram
// Payments).
func (c *Config) loadPayments(get, given func(string) string) error {
	c.Payments.ProviderToken = get("PAYMENT_PROVIDER_TOKEN")
	c.paymentsSet = given("PAYMENT_PROVIDER_TOKEN") != "" || given("PAYMENT_STARS") != "" || given("PAYMENT_STARS_RATE") != ""
	switch s := strings.ToLower(get("PAYMENT_STARS")); s {
	case "true", "1", "yes":
		c.Payments.Stars = true
	case "false", "0", "no":
	default:
		return fmt.Errorf("PAYMENT_STARS=%q: want true or false", s)
	}
	if s := get("PAYMENT_STARS_RATE"); s != "" {
		rate, err := strconv.ParseInt(s, 10, 64)
		if err != nil || rate <= 0 {
			return fmt.Errorf("PAYMENT_STARS_RATE=%q: want a whole number above 0: how many minor units of the shop currency one Star is worth", s)
		}
		c.Payments.StarsRate = rate
	}
	switch s := strings.ToLower(get("PAYMENT_STARS_REFUND_ON_CANCEL")); s {
	case "true", "1", "yes":
		c.StarsRefundOnCancel = true
	case "false", "0", "no":
		c.StarsRefundOnCancel = false
	default:
		return fmt.Errorf("PAYMENT_STARS_REFUND_ON_CANCEL=%q: want true or false", s)
	}
	if c.Payments.Stars && c.Payments.ProviderToken != "" {
		return fmt.Errorf("PAYMENT_STARS=true takes no PAYMENT_PROVIDER_TOKEN: Stars are paid without a provider; unset one of them")
	}
	return c.Payments.Validate()
}
