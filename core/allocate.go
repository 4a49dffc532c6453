package core

// Allocate decides how a customer's payments pay their invoices. It is a pure
// function of the documents, so a debt is always computed, never typed:
//
//  1. a payment made for an order pays that order's invoices, oldest first,
//     and what is left is held for the order while it is open, up to what the
//     order still owes;
//  2. then every payment's remainder, in the order received, pays the open
//     invoices oldest first;
//  3. what is still left is the customer's prepayment credit.
//
// It returns the allocations and the amount applied to each order. Every
// billing change applies it (rebill); it is exported for the history
// generator and the tests that recompute allocations from the documents.
func Allocate(b *Billing) ([]Allocation, map[int64]Money) { return allocate(b) }

func allocate(b *Billing) ([]Allocation, map[int64]Money) {
	open := make([]Money, len(b.Invoices))
	for i, inv := range b.Invoices {
		open[i] = inv.Amount
	}
	left := make([]Money, len(b.Payments))
	for i, p := range b.Payments {
		left[i] = p.Amount
	}
	paid := map[int64]Money{}
	var as []Allocation
	take := func(pi, ii int) {
		amt := min(left[pi], open[ii])
		if amt <= 0 {
			return
		}
		left[pi] -= amt
		open[ii] -= amt
		inv := b.Invoices[ii]
		paid[inv.OrderID] += amt
		as = append(as, Allocation{PaymentID: b.Payments[pi].ID, InvoiceID: inv.ID, OrderID: inv.OrderID, Amount: amt})
	}
	dues := map[int64]OrderDue{}
	for _, od := range b.Orders {
		dues[od.OrderID] = od
	}
	for pi, p := range b.Payments {
		if p.OrderID == 0 {
			continue
		}
		for ii, inv := range b.Invoices {
			if inv.OrderID == p.OrderID {
				take(pi, ii)
			}
		}
	}
	for pi, p := range b.Payments {
		od, ok := dues[p.OrderID]
		if p.OrderID == 0 || !ok || !od.Open {
			continue
		}
		if hold := min(left[pi], od.Due-paid[p.OrderID]); hold > 0 {
			left[pi] -= hold
			paid[p.OrderID] += hold
			as = append(as, Allocation{PaymentID: p.ID, OrderID: p.OrderID, Amount: hold})
		}
	}
	for pi := range b.Payments {
		for ii := range b.Invoices {
			take(pi, ii)
		}
	}
	return as, paid
}
