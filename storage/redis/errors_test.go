package redis

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"syscall"
	"testing"

	goredis "github.com/redis/go-redis/v9"

	"github.com/orderbot/orderbot/core"
)

// redisErr is a server error reply, as go-redis reports it.
type redisErr string

func (e redisErr) Error() string { return string(e) }
func (redisErr) RedisError()     {}

func TestInterpretError(t *testing.T) {
	dial := &net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED}
	cases := []struct {
		in   error
		want error // nil: neither ErrNotFound nor ErrUnavailable
	}{
		{goredis.Nil, core.ErrNotFound},
		{dial, core.ErrUnavailable},
		{fmt.Errorf("wrapped: %w", dial), core.ErrUnavailable},
		{io.EOF, core.ErrUnavailable},
		{syscall.ECONNRESET, core.ErrUnavailable},
		{goredis.ErrClosed, core.ErrUnavailable},
		{goredis.ErrPoolTimeout, core.ErrUnavailable},
		{redisErr("LOADING Redis is loading the dataset in memory"), core.ErrUnavailable},
		{redisErr("READONLY You can't write against a read only replica."), core.ErrUnavailable},
		{redisErr("ERR wrong number of arguments"), nil},
		{redisErr("WRONGTYPE Operation against a key holding the wrong kind of value"), nil},
	}
	for _, c := range cases {
		got := interpretError(c.in)
		for _, kind := range []error{core.ErrNotFound, core.ErrUnavailable} {
			if errors.Is(got, kind) != (kind == c.want) {
				t.Errorf("interpretError(%v) = %v: errors.Is %v is %v", c.in, got, kind, !(kind == c.want))
			}
		}
	}
	if interpretError(nil) != nil {
		t.Error("nil is not kept")
	}
	for _, e := range []error{context.Canceled, context.DeadlineExceeded} {
		if got := interpretError(e); got != e {
			t.Errorf("interpretError(%v) = %v, want it unchanged", e, got)
		}
	}
}
