package main

import (
	"strings"
	"testing"
)

func TestConfig_Payments(t *testing.T) {
	load := func(env map[string]string) (Config, error) {
		return loadConfig(func(k string) string { return env[k] })
	}
	cfg, err := load(nil)
	if err != nil || cfg.Payments.Enabled() || cfg.paymentsSet || !cfg.StarsRefundOnCancel {
		t.Fatalf("default: %+v %v, want payments in chat off, Stars refunded on cancel", cfg.Payments, err)
	}
	if cfg, err = load(map[string]string{"PAYMENT_STARS_REFUND_ON_CANCEL": "false"}); err != nil || cfg.StarsRefundOnCancel {
		t.Fatalf("PAYMENT_STARS_REFUND_ON_CANCEL=false: %v %v", cfg.StarsRefundOnCancel, err)
	}
	cfg, err = load(map[string]string{"PAYMENT_PROVIDER_TOKEN": "284685063:TEST:x"})
	if err != nil || !cfg.Payments.Enabled() || cfg.Payments.Stars {
		t.Fatalf("provider: %+v %v", cfg.Payments, err)
	}
	cfg, err = load(map[string]string{"PAYMENT_STARS": "true", "PAYMENT_STARS_RATE": "150"})
	if err != nil || !cfg.Payments.Stars || cfg.Payments.StarsRate != 150 {
		t.Fatalf("stars: %+v %v", cfg.Payments, err)
	}
	for env, want := range map[string]map[string]string{
		"PAYMENT_STARS_RATE":              {"PAYMENT_STARS": "true"},
		"want true or false":              {"PAYMENT_STARS": "maybe"},
		"above 0":                         {"PAYMENT_STARS": "true", "PAYMENT_STARS_RATE": "-3"},
		"takes no PAYMENT_PROVIDER_TOKEN": {"PAYMENT_STARS": "true", "PAYMENT_STARS_RATE": "1", "PAYMENT_PROVIDER_TOKEN": "x"},
		`PAYMENT_STARS_REFUND_ON_CANCEL="later": want true or false`: {"PAYMENT_STARS_REFUND_ON_CANCEL": "later"},
	} {
		if _, err := load(want); err == nil || !strings.Contains(err.Error(), env) {
			t.Errorf("%v: err = %v, want one saying %q", want, err, env)
		}
	}
}
