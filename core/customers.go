package core

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Customers registers and maintains customers.
type Customers struct {
	d Deps
}

// NewCustomers returns the customer service.
func NewCustomers(d Deps) *Customers {
	d.fill()
	return &Customers{d: d}
}

// TelegramProfile is what Telegram tells about a user.
type TelegramProfile struct {
	UserID    int64
	FirstName string
	LastName  string
	Username  string
	Lang      string
}

// Name is the display name from the profile.
func (p TelegramProfile) Name() string {
	n := strings.TrimSpace(printable(p.FirstName + " " + printable(p.LastName)))
	if n == "" && p.Username != "" {
		n = "@" + printable(p.Username)
	}
	if n == "" {
		n = fmt.Sprintf("user %d", p.UserID)
	}
	if r := []rune(n); len(r) > MaxNameLen {
		n = string(r[:MaxNameLen])
	}
	return n
}

// printable drops what a name cannot carry: control characters and bytes
// that are not UTF-8 (a profile is taken as it is, not refused).
func printable(s string) string {
	return strings.Map(func(r rune) rune {
		if r == utf8.RuneError || r == 0 || unicode.IsControl(r) {
			return -1
		}
		return r
	}, strings.ToValidUTF8(s, ""))
}

// Register returns the customer of a Telegram user, creating one from the
// profile on first contact. New customers prepay (terms 0).
func (c *Customers) Register(ctx context.Context, p TelegramProfile) (*Customer, bool, error) {
	if p.UserID <= 0 {
		return nil, false, Errorf(ErrInvalid, "no Telegram user")
	}
	cust, err := c.d.Store.CustomerByTelegram(ctx, p.UserID)
	if err == nil {
		return cust, false, nil
	}
	if !errors.Is(err, ErrNotFound) {
		return nil, false, fmt.Errorf("find customer: %w", err)
	}
	cust = &Customer{TelegramID: p.UserID, Name: p.Name(), Lang: p.Lang}
	if err := cust.Validate(); err != nil {
		return nil, false, err
	}
	err = c.d.Store.InTx(ctx, func(ctx context.Context, tx Tx) error { return tx.InsertCustomer(ctx, cust) })
	if errors.Is(err, ErrConflict) { // registered concurrently by another update
		cust, err = c.d.Store.CustomerByTelegram(ctx, p.UserID)
		return cust, false, err
	}
	if err != nil {
		return nil, false, fmt.Errorf("register customer: %w", err)
	}
	return cust, true, nil
}

// Create adds a customer by hand (a phone customer, say). Staff only.
func (c *Customers) Create(ctx context.Context, a Actor, cust Customer) (*Customer, error) {
	if err := a.requireStaff("add customers"); err != nil {
		return nil, err
	}
	if err := cust.Validate(); err != nil {
		return nil, err
	}
	err := c.d.Store.InTx(ctx, func(ctx context.Context, tx Tx) error { return tx.InsertCustomer(ctx, &cust) })
	if err != nil {
		return nil, fmt.Errorf("create customer: %w", err)
	}
	return &cust, nil
}

// Update changes a customer. Customers may change their own name, phone,
// address and language; payment terms and credit limit are staff's to set.
func (c *Customers) Update(ctx context.Context, a Actor, id int64, fn func(*Customer)) (*Customer, error) {
	if !a.Role.IsStaff() && a.CustomerID != id {
		return nil, ErrNoSuchCustomer
	}
	var out *Customer
	err := c.d.Store.InTx(ctx, func(ctx context.Context, tx Tx) error {
		cust, err := tx.CustomerForUpdate(ctx, id)
		if err != nil {
			return err
		}
		before := *cust
		fn(cust)
		cust.ID, cust.TelegramID, cust.CreatedAt = before.ID, before.TelegramID, before.CreatedAt
		if !a.Role.IsStaff() && (cust.TermsDays != before.TermsDays || !sameLimit(cust.CreditLimit, before.CreditLimit) || cust.PriceListID != before.PriceListID) {
			return Errorf(ErrForbidden, "only staff can change payment terms or the credit limit")
		}
		if err := cust.Validate(); err != nil {
			return err
		}
		out = cust
		return tx.UpdateCustomer(ctx, cust)
	})
	if err != nil {
		return nil, fmt.Errorf("update customer %d: %w", id, err)
	}
	return out, nil
}

func sameLimit(a, b *Money) bool {
	if a == nil || b == nil {
		return a == b
	}
	return *a == *b
}

// Find searches customers by part of a name or phone. Staff only.
func (c *Customers) Find(ctx context.Context, a Actor, query string, limit int) ([]Customer, error) {
	if err := a.requireStaff("search customers"); err != nil {
		return nil, err
	}
	return c.d.Store.FindCustomers(ctx, strings.TrimSpace(query), limit)
}

// Get returns one customer: staff see anyone, a customer only themselves.
func (c *Customers) Get(ctx context.Context, a Actor, id int64) (*Customer, error) {
	if !a.Role.IsStaff() && a.CustomerID != id {
		return nil, ErrNoSuchCustomer
	}
	cust, err := c.d.Store.Customer(ctx, id)
	return cust, hideFrom(a, err, ErrNoSuchCustomer)
}
