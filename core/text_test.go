package core

import (
	"strings"
	"testing"
)

// TestCheckText: what no message, document or database can carry is
// refused with a reason, before it goes anywhere.
func TestCheckText(t *testing.T) {
	cases := []struct {
		in   string
		want string // part of the refusal; "" accepts
	}{
		{"12 Baker Street, London", ""},
		{"line one\nline two\ttabbed", ""},
		{"Улица Ленина, д. 5 — кв. 12 😀", ""},
		{"a\x00b", "control character (U+0000)"},
		{"bell\a", "control character (U+0007)"},
		{"\u0085next line", "control character (U+0085)"},
		{"caf\xe9", "not valid UTF-8"},
		{strings.Repeat("я", 11), "too long: 11 characters, at most 10"},
	}
	for _, c := range cases {
		err := CheckText("address", c.in, 10+len(c.in)*btoi(c.want == ""))
		switch {
		case c.want == "" && err != nil:
			t.Errorf("%q refused: %v", c.in, err)
		case c.want != "" && (err == nil || !strings.Contains(SafeMessage(err), c.want) || !strings.HasPrefix(SafeMessage(err), "address")):
			t.Errorf("%q: %v, want a refusal saying %q", c.in, err, c.want)
		}
	}
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

// TestTelegramProfile_NameIsPrintable: a profile with control characters or
// broken bytes registers under its printable part, not as an error.
func TestTelegramProfile_NameIsPrintable(t *testing.T) {
	p := TelegramProfile{UserID: 7_000_000_004, FirstName: "An\x00na\x07", LastName: "K\xffim"}
	if n := p.Name(); n != "Anna Kim" {
		t.Fatalf("name %q", n)
	}
	c := Customer{Name: p.Name(), TelegramID: p.UserID}
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
}
