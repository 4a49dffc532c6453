package core

import (
	"errors"
	"testing"
)

func TestNormalizePhone(t *testing.T) {
	good := map[string]string{
		"":                   "",
		"+1 555 0101":        "+15550101",
		"+1 (555) 000-2001":  "+15550002001",
		"+15550002001":       "+15550002001",
		" +7 900 123-45-67 ": "+79001234567",
		"0079001234567":      "+79001234567",
		"+44 20 7946 0958":   "+442079460958",
		"+380 44 123 4567":   "+380441234567",
		"+7.900.123.45.67":   "+79001234567",
	}
	for in, want := range good {
		if got, err := NormalizePhone(in); err != nil || got != want {
			t.Errorf("NormalizePhone(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, in := range []string{"89001234567", "555 0101", "+1 555", "+1 555 0101 2222 3333 4", "call me", "+7 900 123 45 67 ext 2",
		"+89 001 234 567", "+0 123 456 789", "++15550101", "+1 555\x000101", "+28 123 456 789", "(555) 000-2001"} {
		if got, err := NormalizePhone(in); !errors.Is(err, ErrInvalid) || SafeMessage(err) == "" {
			t.Errorf("NormalizePhone(%q) = %q, %v; want a refusal", in, got, err)
		}
	}
}

func TestFormatPhone(t *testing.T) {
	for in, want := range map[string]string{
		"+15550002001":   "+1 555 000 2001",
		"+15550101":      "+1 555 0101",
		"+79001234567":   "+7 900 123 45 67",
		"+442079460958":  "+44 207 946 0958",
		"+380441234567":  "+380 44 123 4567",
		"+4930123456":    "+49 3012 3456",
		"+1 555 0101":    "+1 555 0101", // stored before normalizing: as it is
		"8 900 123 4567": "8 900 123 4567",
	} {
		if got := FormatPhone(in); got != want {
			t.Errorf("FormatPhone(%q) = %q, want %q", in, got, want)
		}
	}
	for _, p := range []string{"+15550002001", "+79001234567", "+442079460958", "+380441234567"} {
		if back, err := NormalizePhone(FormatPhone(p)); err != nil || back != p {
			t.Errorf("%s formatted reads back as %q, %v", p, back, err)
		}
	}
}
