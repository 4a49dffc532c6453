package core

import (
	"errors"
	"fmt"
	"strings"
)

// Error kinds. Every error core returns wraps one of them, so callers decide
// what to show and how to log with errors.Is.
var (
	ErrNotFound   = errors.New("not found")
	ErrInvalid    = errors.New("invalid input")
	ErrConflict   = errors.New("conflict")
	ErrForbidden  = errors.New("forbidden")
	ErrOutOfStock = errors.New("out of stock")
	// ErrUnavailable means a backing service (database, cache) did not answer;
	// the action may succeed when retried later.
	ErrUnavailable = errors.New("service unavailable")
)

// What a customer hears when they ask for an order, invoice or customer that
// is not theirs, whether it exists or not: the same words either way, so a
// refusal never tells which numbers exist (errors.Is matches them through
// any wrapping).
var (
	ErrNoSuchOrder    error = &Error{Kind: ErrNotFound, Msg: "no such order"}
	ErrNoSuchInvoice  error = &Error{Kind: ErrNotFound, Msg: "no such invoice"}
	ErrNoSuchCustomer error = &Error{Kind: ErrNotFound, Msg: "no such customer"}
)

// hideFrom is what a not-found err says to a: staff get the store's words
// (which name the id they typed), anyone else the one answer that reveals
// nothing.
func hideFrom(a Actor, err, same error) error {
	if err != nil && !a.Role.IsStaff() && errors.Is(err, ErrNotFound) {
		return same
	}
	return err
}

// Error carries a message that is safe to show to a person, next to its kind.
// The message never contains internal details (SQL, hosts, stack traces).
type Error struct {
	Kind error
	Msg  string
}

func (e *Error) Error() string { return e.Msg }

// Unwrap lets errors.Is match the kind.
func (e *Error) Unwrap() error { return e.Kind }

// Errorf builds an Error of the given kind with a formatted, person-safe message.
func Errorf(kind error, format string, args ...any) error {
	return &Error{Kind: kind, Msg: fmt.Sprintf(format, args...)}
}

// SafeMessage returns the person-safe message of err, or "" when err carries none
// (an internal error whose details must not be shown).
func SafeMessage(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Msg
	}
	var s *ShortageError
	if errors.As(err, &s) {
		return s.Error()
	}
	return ""
}

// Shortage names one product that cannot be had in the asked quantity.
type Shortage struct {
	ProductID int64
	SKU       string
	Name      string
	Asked     int64
	Free      int64
}

// ShortageError is returned when an order cannot reserve every line. It names
// each short product and what is free, so the buyer can fix the cart.
type ShortageError struct {
	Lines []Shortage
}

func (e *ShortageError) Error() string {
	parts := make([]string, len(e.Lines))
	for i, s := range e.Lines {
		parts[i] = fmt.Sprintf("%s (%s): asked %d, free %d", s.Name, s.SKU, s.Asked, s.Free)
	}
	return "not enough stock: " + strings.Join(parts, "; ")
}

// Unwrap makes errors.Is(err, ErrOutOfStock) true.
func (e *ShortageError) Unwrap() error { return ErrOutOfStock }
