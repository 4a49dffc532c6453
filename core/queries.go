package core

import (
	"context"
	"fmt"
)

// The read side of Orders. Staff see everything; a customer sees only their
// own orders, invoices and balance, whatever ids they ask for.

// List returns orders matching f; for a customer, only their own.
func (s *Orders) List(ctx context.Context, a Actor, f OrderFilter) ([]Order, error) {
	if !a.Role.IsStaff() {
		if a.CustomerID == 0 {
			return nil, nil
		}
		f.CustomerID = a.CustomerID
	}
	if f.Limit <= 0 || f.Limit > 1000 {
		f.Limit = 1000
	}
	orders, err := s.d.Store.Orders(ctx, f)
	if err != nil {
		return nil, fmt.Errorf("list orders: %w", err)
	}
	return orders, nil
}

// Get returns one order with its lines, if the actor may see it.
func (s *Orders) Get(ctx context.Context, a Actor, id int64) (*Order, error) {
	o, err := s.d.Store.Order(ctx, id)
	if err != nil {
		return nil, hideFrom(a, err, ErrNoSuchOrder)
	}
	if !a.Role.IsStaff() && o.CustomerID != a.CustomerID {
		return nil, ErrNoSuchOrder
	}
	return o, nil
}

// GetByNumber is Get by the order's number.
func (s *Orders) GetByNumber(ctx context.Context, a Actor, number string) (*Order, error) {
	o, err := s.d.Store.OrderByNumber(ctx, number)
	if err != nil {
		return nil, hideFrom(a, err, ErrNoSuchOrder)
	}
	if !a.Role.IsStaff() && o.CustomerID != a.CustomerID {
		return nil, ErrNoSuchOrder
	}
	return o, nil
}

// History returns the order's events, oldest first.
func (s *Orders) History(ctx context.Context, a Actor, id int64) ([]Event, error) {
	if _, err := s.Get(ctx, a, id); err != nil {
		return nil, err
	}
	return s.d.Store.Events(ctx, id)
}

// Invoices lists invoices; a customer sees only their own.
func (s *Orders) Invoices(ctx context.Context, a Actor, f InvoiceFilter) ([]Invoice, error) {
	if !a.Role.IsStaff() {
		if a.CustomerID == 0 {
			return nil, nil
		}
		f.CustomerID = a.CustomerID
	}
	return s.d.Store.Invoices(ctx, f)
}

// Invoice returns one invoice by number, if the actor may see it.
func (s *Orders) Invoice(ctx context.Context, a Actor, number string) (*Invoice, error) {
	inv, err := s.d.Store.InvoiceByNumber(ctx, number)
	if err != nil {
		return nil, hideFrom(a, err, ErrNoSuchInvoice)
	}
	if !a.Role.IsStaff() && inv.CustomerID != a.CustomerID {
		return nil, ErrNoSuchInvoice
	}
	return inv, nil
}

// Overdue lists open invoices past their due date, oldest due first.
func (s *Orders) Overdue(ctx context.Context, a Actor) ([]Invoice, error) {
	today := s.d.today()
	return s.Invoices(ctx, a, InvoiceFilter{OpenOnly: true, DueBefore: &today})
}

// Balances returns debts with ageing as of today: every customer with a
// balance for staff (overdue first), or just the asking customer's own.
func (s *Orders) Balances(ctx context.Context, a Actor, customerID int64) ([]Balance, error) {
	if !a.Role.IsStaff() {
		if a.CustomerID == 0 {
			return nil, nil
		}
		customerID = a.CustomerID
	}
	return s.d.Store.Balances(ctx, BalanceFilter{CustomerID: customerID, Today: s.d.today()})
}

// InvoiceByID returns one invoice with its lines, if the actor may see it.
func (s *Orders) InvoiceByID(ctx context.Context, a Actor, id int64) (*Invoice, error) {
	inv, err := s.d.Store.Invoice(ctx, id)
	if err != nil {
		return nil, hideFrom(a, err, ErrNoSuchInvoice)
	}
	if !a.Role.IsStaff() && inv.CustomerID != a.CustomerID {
		return nil, ErrNoSuchInvoice
	}
	return inv, nil
}

// Shipments lists an order's shipments, if the actor may see the order.
func (s *Orders) Shipments(ctx context.Context, a Actor, orderID int64) ([]Shipment, error) {
	if _, err := s.Get(ctx, a, orderID); err != nil {
		return nil, err
	}
	return s.d.Store.Shipments(ctx, orderID)
}
