package platform

import (
	"errors"
	"strings"
	"testing"
)

func TestParseCallback(t *testing.T) {
	arity := map[string]int{"o": 1, "cq": 2, "cart": 0}
	good := map[string]string{"o:12": "o:12", "cq:5:0": "cq:5:0", "cart": "cart"}
	for in, want := range good {
		c, err := ParseCallback(in, arity)
		if err != nil || c.String() != want {
			t.Errorf("parse %q = %v, %v", in, c, err)
		}
	}
	for _, in := range []string{"", "x", "o", "o:", "o:-1", "o:1:2", "o:1e3", "o: 1", "o:99999999999999999999", "cart:1",
		"o:0x10", strings.Repeat("o", 65), "cq:1:+2"} {
		if c, err := ParseCallback(in, arity); err == nil {
			t.Errorf("parse %q accepted: %v", in, c)
		}
	}
}

func TestSplitCommand(t *testing.T) {
	for in, want := range map[string][3]string{
		"/start":                 {"start", "", "true"},
		"/Order@shop_bot 2026-1": {"order", "2026-1", "true"},
		"/start  TEA ":           {"start", "TEA", "true"},
		"hello":                  {"", "", "false"},
		"/":                      {"", "", "false"},
	} {
		name, args, ok := SplitCommand(in)
		if name != want[0] || args != want[1] || (ok && want[2] != "true") || (!ok && want[2] != "false") {
			t.Errorf("SplitCommand(%q) = %q %q %v, want %v", in, name, args, ok, want)
		}
	}
}

// TestRouter: data reaches the handler of its verb with its arguments;
// unknown verbs and wrong arity are refused before any handler runs; a verb
// registered twice is a programming error.
func TestRouter(t *testing.T) {
	rt := NewRouter[*[]string]()
	var got []string
	rt.OnButton("o", 2, Staff, func(r *[]string, c Callback) error {
		*r = append(*r, c.String())
		return nil
	})
	rt.OnCommand("orders", Anyone, func(r *[]string, args string) error {
		*r = append(*r, "orders "+args)
		return errors.New("done")
	})
	route, c, err := rt.Button("o:7:3")
	if err != nil || route.Access != Staff || route.Arity != 2 || c.Arg(0) != 7 || c.Arg(1) != 3 {
		t.Fatalf("Button(o:7:3) = %+v, %v, %v", route, c, err)
	}
	if err := route.Handle(&got, c); err != nil || len(got) != 1 || got[0] != "o:7:3" {
		t.Fatalf("handled %v, %v", got, err)
	}
	for _, bad := range []string{"o:7", "p:1:2", "o:1:2:3"} {
		if _, _, err := rt.Button(bad); err == nil {
			t.Errorf("Button(%q) accepted", bad)
		}
	}
	cmd, ok := rt.Command("orders")
	if !ok || cmd.Access != Anyone || cmd.Handle(&got, "x") == nil || got[1] != "orders x" {
		t.Fatalf("Command(orders) = %+v, %v; handled %v", cmd, ok, got)
	}
	if _, ok := rt.Command("nope"); ok {
		t.Error("unknown command found")
	}
	if v := rt.Verbs(); len(v) != 1 || v[0] != "o" {
		t.Errorf("Verbs() = %v", v)
	}
	defer func() {
		if recover() == nil {
			t.Error("a verb registered twice did not panic")
		}
	}()
	rt.OnButton("o", 1, Anyone, nil)
}

// TestRouter_Quiet: only well-formed presses of quiet routes open to anyone
// are answered at intake; marking an unknown verb is a programming error.
func TestRouter_Quiet(t *testing.T) {
	rt := NewRouter[*[]string]()
	noop := func(*[]string, Callback) error { return nil }
	rt.OnButton("p", 2, Anyone, noop)
	rt.OnButton("pa", 2, Anyone, noop)
	rt.OnButton("sl", 1, Staff, noop)
	rt.Quiet("p", "sl")
	for data, want := range map[string]bool{"p:1:2": true, "p:1": false, "p:x:2": false, "pa:1:2": false, "sl:1": false, "": false} {
		if got := rt.AnswersAtOnce(data); got != want {
			t.Errorf("AnswersAtOnce(%q) = %v, want %v", data, got, want)
		}
	}
	defer func() {
		if recover() == nil {
			t.Error("marking an unknown verb quiet did not panic")
		}
	}()
	rt.Quiet("nope")
}
