package core

import (
	"strings"
	"testing"
)

func TestNormalizeTaxID(t *testing.T) {
	rub, eur := MustCurrency("RUB"), MustCurrency("EUR")
	cases := []struct {
		in   string
		cur  Currency
		want string // "" with refusal set: refused
		err  string
	}{
		{"", rub, "", ""},
		{"7701 234 567", rub, "7701234567", ""},
		{"770123456789", rub, "770123456789", ""},
		{"77012345", rub, "", "10 digits (a company) or 12"},
		{"7701A34567", rub, "", "digits only, no letters"},
		{"7701-234-567", rub, "", "digits only"},
		{"de 123456789", eur, "DE123456789", ""},
		{"GB123", eur, "GB123", ""},
		{"GB1", eur, "", "4 to 20"},
		{strings.Repeat("1", 21), eur, "", "4 to 20"},
		{"GB-123-456", eur, "", "only letters A-Z and digits"},
		{"ИНН7701", eur, "", "only letters A-Z and digits"},
	}
	for _, c := range cases {
		got, err := NormalizeTaxID(c.in, c.cur)
		switch {
		case c.err == "" && (err != nil || got != c.want):
			t.Errorf("%q (%s): %q %v; want %q", c.in, c.cur.Code, got, err, c.want)
		case c.err != "" && (err == nil || !strings.Contains(SafeMessage(err), c.err)):
			t.Errorf("%q (%s): %q %v; want a refusal saying %q", c.in, c.cur.Code, got, err, c.err)
		}
	}
}

func TestCustomerValidate_Buyer(t *testing.T) {
	c := Customer{Name: "Ann", Company: "  Romashka Ltd ", TaxID: "7701234567"}
	if err := c.Validate(); err != nil || c.Company != "Romashka Ltd" {
		t.Fatalf("valid buyer: %v %q", err, c.Company)
	}
	c.TaxID = "77-01"
	if err := c.Validate(); err == nil {
		t.Error("a tax number with a sign passed")
	}
	c.TaxID, c.Company = "", strings.Repeat("x", MaxNameLen+1)
	if err := c.Validate(); err == nil {
		t.Error("a company name too long passed")
	}
}
