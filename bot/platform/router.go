package platform

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// Access says who may use a route. The router refuses everyone else before
// a handler runs; the domain checks authority again.
type Access int

// Access levels, each including the next.
const (
	Anyone Access = iota
	Staff         // managers and owners
	Owner
)

// Callback is the data behind an inline button: a verb and up to three
// non-negative integer arguments, written "verb:a:b:c". It stays far under
// Telegram's 64-byte limit and is parsed strictly: an unknown verb, a wrong
// number of arguments or anything that is not a plain number is refused.
type Callback struct {
	Verb string
	Args []int64
}

// CB builds callback data.
func CB(verb string, args ...int64) Callback { return Callback{Verb: verb, Args: args} }

func (c Callback) String() string {
	var b strings.Builder
	b.WriteString(c.Verb)
	for _, a := range c.Args {
		b.WriteByte(':')
		b.WriteString(strconv.FormatInt(a, 10))
	}
	return b.String()
}

// Arg is the i-th argument; the router has checked how many there are.
func (c Callback) Arg(i int) int64 { return c.Args[i] }

// MaxCallbackData is Telegram's limit on callback_data, in bytes.
const MaxCallbackData = 64

// ParseCallback checks data against known verbs and how many arguments each
// takes.
func ParseCallback(data string, arity map[string]int) (Callback, error) {
	if data == "" || len(data) > MaxCallbackData {
		return Callback{}, fmt.Errorf("callback data of %d bytes", len(data))
	}
	parts := strings.Split(data, ":")
	n, ok := arity[parts[0]]
	if !ok {
		return Callback{}, fmt.Errorf("unknown callback verb %q", parts[0])
	}
	if len(parts)-1 != n {
		return Callback{}, fmt.Errorf("callback %q: %d arguments, want %d", parts[0], len(parts)-1, n)
	}
	c := Callback{Verb: parts[0]}
	for _, p := range parts[1:] {
		if p == "" || len(p) > 18 || strings.TrimLeft(p, "0123456789") != "" {
			return Callback{}, fmt.Errorf("callback %q: argument %q is not a number", parts[0], p)
		}
		v, err := strconv.ParseInt(p, 10, 64)
		if err != nil {
			return Callback{}, fmt.Errorf("callback %q: %w", parts[0], err)
		}
		c.Args = append(c.Args, v)
	}
	return c, nil
}

// SplitCommand splits "/name@bot args" into a lower-case name and args.
func SplitCommand(text string) (name, args string, ok bool) {
	if !strings.HasPrefix(text, "/") {
		return "", "", false
	}
	head, args, _ := strings.Cut(strings.TrimSpace(text[1:]), " ")
	head, _, _ = strings.Cut(head, "@")
	return strings.ToLower(head), strings.TrimSpace(args), head != ""
}

// ButtonRoute handles one callback verb for requests of type R.
type ButtonRoute[R any] struct {
	Arity  int
	Access Access
	// Quiet routes only put a screen in front of the person: they never
	// answer the tap with a toast or an alert, so the intake answers their
	// taps as soon as they are stored, before they wait their turn.
	Quiet  bool
	Handle func(R, Callback) error
}

// CommandRoute handles one command for requests of type R.
type CommandRoute[R any] struct {
	Access Access
	Handle func(r R, args string) error
}

// Router maps button verbs and commands to the flows' handlers. Routes are
// registered at start-up (registering a verb twice is a programming error
// and panics) and only read afterwards.
type Router[R any] struct {
	buttons  map[string]ButtonRoute[R]
	commands map[string]CommandRoute[R]
	arity    map[string]int
}

// NewRouter returns an empty router.
func NewRouter[R any]() *Router[R] {
	return &Router[R]{buttons: map[string]ButtonRoute[R]{}, commands: map[string]CommandRoute[R]{}, arity: map[string]int{}}
}

// OnButton routes callback data "verb:…" with arity arguments to fn.
func (rt *Router[R]) OnButton(verb string, arity int, access Access, fn func(R, Callback) error) {
	if _, dup := rt.buttons[verb]; dup {
		panic("platform: callback verb " + verb + " registered twice")
	}
	if strings.Contains(verb, ":") || verb == "" || len(CB(verb, make([]int64, arity)...).String())+arity*17 > MaxCallbackData {
		panic("platform: callback verb " + strconv.Quote(verb) + " cannot carry its arguments")
	}
	rt.buttons[verb] = ButtonRoute[R]{Arity: arity, Access: access, Handle: fn}
	rt.arity[verb] = arity
}

// Quiet marks routes whose handlers show a screen and nothing else (see
// ButtonRoute.Quiet). Their refusals and errors must not need a toast: a
// handler's answer to a tap answered already becomes a message (Reply.Say).
// Marking a verb that is not registered is a programming error and panics.
func (rt *Router[R]) Quiet(verbs ...string) {
	for _, v := range verbs {
		r, ok := rt.buttons[v]
		if !ok {
			panic("platform: quiet verb " + v + " is not registered")
		}
		r.Quiet = true
		rt.buttons[v] = r
	}
}

// AnswersAtOnce reports whether data is a well-formed press of a quiet
// route open to anyone: such a tap is answered at intake. Staff routes are
// not, so a refused press still gets its alert.
func (rt *Router[R]) AnswersAtOnce(data string) bool {
	route, _, err := rt.Button(data)
	return err == nil && route.Quiet && route.Access == Anyone
}

// OnCommand routes "/name" to fn.
func (rt *Router[R]) OnCommand(name string, access Access, fn func(r R, args string) error) {
	rt.commands[name] = CommandRoute[R]{Access: access, Handle: fn}
}

// Button parses callback data strictly and finds its route.
func (rt *Router[R]) Button(data string) (ButtonRoute[R], Callback, error) {
	c, err := ParseCallback(data, rt.arity)
	if err != nil {
		return ButtonRoute[R]{}, Callback{}, err
	}
	return rt.buttons[c.Verb], c, nil
}

// ButtonRoute is the route of a verb, for tests and menus.
func (rt *Router[R]) ButtonRoute(verb string) (ButtonRoute[R], bool) {
	r, ok := rt.buttons[verb]
	return r, ok
}

// Command finds the route of a command by name.
func (rt *Router[R]) Command(name string) (CommandRoute[R], bool) {
	r, ok := rt.commands[name]
	return r, ok
}

// Verbs lists the registered button verbs, sorted.
func (rt *Router[R]) Verbs() []string {
	out := make([]string, 0, len(rt.buttons))
	for v := range rt.buttons {
		out = append(out, v)
	}
	sort.Strings(out)
	return out
}

// Arity is how many arguments each verb takes, for parsing in tests.
func (rt *Router[R]) Arity() map[string]int { return rt.arity }
