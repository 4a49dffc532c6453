package redis

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"syscall"

	goredis "github.com/redis/go-redis/v9"

	"github.com/orderbot/orderbot/core"
)

// interpretError maps go-redis errors to core's kinds, so nothing above
// storage sees a driver type: a missing key is core.ErrNotFound, a server
// that does not answer (or answers "not now") is core.ErrUnavailable, and the
// caller's own cancellation or deadline passes through unchanged.
func interpretError(err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, goredis.Nil):
		return core.Errorf(core.ErrNotFound, "not found")
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return err
	case unavailable(err):
		return fmt.Errorf("%w: redis: %s", core.ErrUnavailable, driverMessage(err))
	}
	return fmt.Errorf("redis: %s", driverMessage(err))
}

// driverMessage is err's text without go-redis' own "redis: " prefix; the
// text is kept, the driver's types are not, so nothing above matches them.
func driverMessage(err error) string {
	return strings.TrimPrefix(err.Error(), "redis: ")
}

// unavailable reports whether err means the server could not be reached or
// refused to serve for a while; the same call may succeed when retried.
func unavailable(err error) bool {
	var netErr net.Error
	if errors.As(err, &netErr) {
		return true
	}
	for _, e := range []error{
		io.EOF, io.ErrUnexpectedEOF, syscall.ECONNREFUSED, syscall.ECONNRESET, syscall.EPIPE,
		goredis.ErrClosed, goredis.ErrPoolTimeout, goredis.ErrPoolExhausted,
	} {
		if errors.Is(err, e) {
			return true
		}
	}
	return goredis.IsLoadingError(err) || goredis.IsMasterDownError(err) ||
		goredis.IsClusterDownError(err) || goredis.IsTryAgainError(err) ||
		goredis.IsReadOnlyError(err) || goredis.IsMaxClientsError(err)
}
