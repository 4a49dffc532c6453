package core

import (
	"context"
	"fmt"
)

// Ledger is one customer's billing history as staff read it on a customer
// card: every invoice (void ones marked), every payment (reversed ones
// marked) and the balance with its ageing.
type Ledger struct {
	Customer Customer
	Balance  Balance
	Invoices []Invoice
	Payments []Payment
}

// Ledger returns a customer's invoices, payments and balance as of today.
// Staff may read anyone's; a customer only their own, whatever id they ask.
func (s *Orders) Ledger(ctx context.Context, a Actor, customerID int64) (*Ledger, error) {
	if !a.Role.IsStaff() {
		if a.CustomerID == 0 || a.CustomerID != customerID {
			return nil, ErrNoSuchCustomer
		}
	}
	cust, err := s.d.Store.Customer(ctx, customerID)
	if err != nil {
		return nil, fmt.Errorf("ledger of customer %d: %w", customerID, err)
	}
	l := &Ledger{Customer: *cust, Balance: Balance{CustomerID: cust.ID, Customer: cust.Name, Phone: cust.Phone}}
	if l.Invoices, err = s.d.Store.Invoices(ctx, InvoiceFilter{CustomerID: customerID}); err != nil {
		return nil, fmt.Errorf("ledger of customer %d: %w", customerID, err)
	}
	if l.Payments, err = s.d.Store.Payments(ctx, customerID); err != nil {
		return nil, fmt.Errorf("ledger of customer %d: %w", customerID, err)
	}
	bs, err := s.d.Store.Balances(ctx, BalanceFilter{CustomerID: customerID, Today: s.d.today()})
	if err != nil {
		return nil, fmt.Errorf("ledger of customer %d: %w", customerID, err)
	}
	if len(bs) == 1 {
		l.Balance = bs[0]
	}
	return l, nil
}
