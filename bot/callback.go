package bot

import (
	"fmt"
	"strconv"
	"strings"
)

// callback is the data behind an inline button: a verb and up to three
// non-negative integer arguments, written "verb:a:b:c". It stays far under
// Telegram's 64-byte limit and is parsed strictly: an unknown verb, a wrong
// number of arguments or anything that is not a plain number is refused.
type callback struct {
	verb string
	args []int64
}

// cb builds callback data.
func cb(verb string, args ...int64) callback { return callback{verb: verb, args: args} }

func (c callback) String() string {
	var b strings.Builder
	b.WriteString(c.verb)
	for _, a := range c.args {
		b.WriteByte(':')
		b.WriteString(strconv.FormatInt(a, 10))
	}
	return b.String()
}

func (c callback) arg(i int) int64 { return c.args[i] }

// maxCallbackData is Telegram's limit on callback_data, in bytes.
const maxCallbackData = 64

// parseCallback checks data against the verbs a router knows and how many
// arguments each takes.
func parseCallback(data string, arity map[string]int) (callback, error) {
	if data == "" || len(data) > maxCallbackData {
		return callback{}, fmt.Errorf("callback data of %d bytes", len(data))
	}
	parts := strings.Split(data, ":")
	n, ok := arity[parts[0]]
	if !ok {
		return callback{}, fmt.Errorf("unknown callback verb %q", parts[0])
	}
	if len(parts)-1 != n {
		return callback{}, fmt.Errorf("callback %q: %d arguments, want %d", parts[0], len(parts)-1, n)
	}
	c := callback{verb: parts[0]}
	for _, p := range parts[1:] {
		if p == "" || len(p) > 18 || strings.TrimLeft(p, "0123456789") != "" {
			return callback{}, fmt.Errorf("callback %q: argument %q is not a number", parts[0], p)
		}
		v, err := strconv.ParseInt(p, 10, 64)
		if err != nil {
			return callback{}, fmt.Errorf("callback %q: %w", parts[0], err)
		}
		c.args = append(c.args, v)
	}
	return c, nil
}
