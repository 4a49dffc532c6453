package core

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"
)

// change is the one path by which an existing order changes: it locks the
// customer and then the order, checks the version the person saw (0 skips the
// check), the actor's authority and the transition table, lets fn change the
// order and write documents, then stores the order with its derived status and
// an event. When rebill is set, the customer's payments are re-applied after.
type change struct {
	act     Action
	version int64
	// customerMay lets a customer do this to their own order.
	customerMay bool
	rebill      bool
	fn          func(ctx context.Context, tx Tx, o *Order, now time.Time) (detail string, err error)
	// after, when set, runs last, once the payments are re-applied.
	after func(ctx context.Context, tx Tx, o *Order, now time.Time) error
	// ref, when set, names the document fn made, for the event.
	ref func() string
}

func (s *Orders) apply(ctx context.Context, a Actor, orderID int64, c change) (*Order, error) {
	var out *Order
	err := s.d.Store.InTx(ctx, func(ctx context.Context, tx Tx) error {
		o, err := s.lockOrder(ctx, tx, a, orderID, c)
		if err != nil {
			return err
		}
		now := s.d.now()
		detail, err := c.fn(ctx, tx, o, now)
		if err != nil {
			return err
		}
		ref := ""
		if c.ref != nil {
			ref = c.ref()
		}
		if err := s.save(ctx, tx, o, a, c.act, detail, ref, now); err != nil {
			return err
		}
		if c.rebill {
			if err := s.rebill(ctx, tx, a, o.CustomerID, "", "", now); err != nil {
				return err
			}
		}
		if c.after != nil {
			if err := c.after(ctx, tx, o, now); err != nil {
				return err
			}
		}
		out, err = tx.OrderForUpdate(ctx, o.ID)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("%s order %d: %w", c.act, orderID, err)
	}
	return out, nil
}

func (s *Orders) lockOrder(ctx context.Context, tx Tx, a Actor, orderID int64, c change) (*Order, error) {
	owner, err := tx.OrderOwner(ctx, orderID)
	if err != nil {
		return nil, hideFrom(a, err, ErrNoSuchOrder)
	}
	if err := authorizeOrder(a, owner, c.customerMay, c.act); err != nil {
		return nil, err
	}
	if _, err := tx.CustomerForUpdate(ctx, owner); err != nil {
		return nil, err
	}
	o, err := tx.OrderForUpdate(ctx, orderID)
	if err != nil {
		return nil, err
	}
	if c.version != 0 && o.Version != c.version {
		return nil, Errorf(ErrConflict, "order %s has changed since you saw it (it is %s now); open it again", o.Number, o.Status.Text())
	}
	return o, checkAllowed(o, c.act)
}

// authorizeOrder lets staff act on any order and a customer only on their own,
// and only where customerMay allows it. A customer asking for someone else's
// order learns nothing about it.
func authorizeOrder(a Actor, owner int64, customerMay bool, act Action) error {
	if a.Role.IsStaff() {
		return nil
	}
	if a.Role != RoleCustomer || a.CustomerID != owner {
		return ErrNoSuchOrder
	}
	if !customerMay {
		return Errorf(ErrForbidden, "only staff can %s an order", act.Text())
	}
	return nil
}

// save stores the order's new state and its event.
func (s *Orders) save(ctx context.Context, tx Tx, o *Order, a Actor, act Action, detail, ref string, now time.Time) error {
	prev := o.Version
	before := o.refresh(now)
	o.UpdatedAt = now
	if err := tx.UpdateOrder(ctx, o, prev); err != nil {
		return err
	}
	return tx.InsertEvent(ctx, &Event{OrderID: o.ID, At: now, Actor: a, Action: act, Detail: detail, Before: before, After: o.Status, Ref: ref})
}

// Confirm moves a new order to "in progress"; its goods are already reserved.
func (s *Orders) Confirm(ctx context.Context, a Actor, orderID, version int64) (*Order, error) {
	if err := a.requireStaff("confirm orders"); err != nil {
		return nil, err
	}
	return s.apply(ctx, a, orderID, change{act: ActConfirm, version: version,
		fn: func(_ context.Context, _ Tx, o *Order, now time.Time) (string, error) {
			o.ConfirmedAt = &now
			return "", nil
		}})
}

// Reject refuses a new order with a reason and releases its goods.
func (s *Orders) Reject(ctx context.Context, a Actor, orderID, version int64, reason string) (*Order, error) {
	if err := a.requireStaff("reject orders"); err != nil {
		return nil, err
	}
	reason, err := needReason(reason)
	if err != nil {
		return nil, err
	}
	return s.apply(ctx, a, orderID, change{act: ActReject, version: version, rebill: true, fn: s.cancelFn(reason),
		after: s.afterCancel(a)})
}

// Cancel cancels an order on which nothing has shipped, releasing its goods
// and voiding its invoices. A customer may cancel their own order while it is
// new.
func (s *Orders) Cancel(ctx context.Context, a Actor, orderID, version int64, reason string) (*Order, error) {
	reason = strings.TrimSpace(reason)
	if err := checkText("reason", reason, MaxReasonLen); err != nil {
		return nil, err
	}
	return s.apply(ctx, a, orderID, change{act: ActCancel, version: version, customerMay: true, rebill: true,
		after: s.afterCancel(a),
		fn: func(ctx context.Context, tx Tx, o *Order, now time.Time) (string, error) {
			if !a.Role.IsStaff() && o.Status != StatusNew {
				return "", Errorf(ErrForbidden, "order %s is already confirmed; ask the seller to cancel it", o.Number)
			}
			return s.cancelFn(reason)(ctx, tx, o, now)
		}})
}

// afterCancel gives back in Stars what the Stars payments of an order
// cancelled (or closed early) no longer pay (see refundStarsOnCancel).
func (s *Orders) afterCancel(a Actor) func(context.Context, Tx, *Order, time.Time) error {
	return func(ctx context.Context, tx Tx, o *Order, now time.Time) error {
		return s.refundStarsOnCancel(ctx, tx, a, o, now)
	}
}

func (s *Orders) cancelFn(reason string) func(context.Context, Tx, *Order, time.Time) (string, error) {
	return func(ctx context.Context, tx Tx, o *Order, now time.Time) (string, error) {
		for _, l := range o.Lines {
			if l.Shipped > 0 {
				return "", Errorf(ErrConflict, "order %s has shipments; close it instead of cancelling", o.Number)
			}
		}
		if err := s.releaseRest(ctx, tx, o); err != nil {
			return "", err
		}
		if err := s.voidOrderInvoices(ctx, tx, o, "order cancelled", now); err != nil {
			return "", err
		}
		o.CancelledAt = &now
		o.CloseReason = reason
		return reason, nil
	}
}

// Close ends an order early with a reason: what is not shipped is released;
// what was shipped stays to be invoiced and paid, and what invoices billed
// beyond that is credited (a credit note, never an edited invoice).
func (s *Orders) Close(ctx context.Context, a Actor, orderID, version int64, reason string) (*Order, error) {
	if err := a.requireStaff("close orders"); err != nil {
		return nil, err
	}
	reason, err := needReason(reason)
	if err != nil {
		return nil, err
	}
	var notes []CreditNote
	return s.apply(ctx, a, orderID, change{act: ActClose, version: version, rebill: true, after: s.afterCancel(a),
		ref: func() string { return creditRef(notes) },
		fn: func(ctx context.Context, tx Tx, o *Order, now time.Time) (string, error) {
			if err := s.releaseRest(ctx, tx, o); err != nil {
				return "", err
			}
			var err error
			if notes, err = s.creditExcess(ctx, tx, a, o, "order closed: "+reason, now); err != nil {
				return "", err
			}
			o.ClosedAt = &now
			o.CloseReason = reason
			if len(notes) > 0 {
				return describeReturn(nil, notes, reason), nil
			}
			return reason, nil
		}})
}

func needReason(reason string) (string, error) {
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return "", Errorf(ErrInvalid, "give a reason")
	}
	return reason, checkText("reason", reason, MaxReasonLen)
}

// releaseRest gives up everything still to ship on the order: what is
// reserved goes back to stock, what is awaited is no longer awaited.
func (s *Orders) releaseRest(ctx context.Context, tx Tx, o *Order) error {
	for _, i := range linesByProduct(o) {
		l := &o.Lines[i]
		if n := l.Ready(); n > 0 {
			if err := tx.Release(ctx, l.ProductID, n); err != nil {
				return err
			}
		}
		l.Released += l.Outstanding()
		l.Awaited, l.ExpectedOn = 0, nil
	}
	return nil
}

// linesByProduct returns line indexes in product order, the order in which
// stock rows are locked everywhere.
func linesByProduct(o *Order) []int {
	idx := make([]int, len(o.Lines))
	for i := range idx {
		idx[i] = i
	}
	sort.Slice(idx, func(a, b int) bool { return o.Lines[idx[a]].ProductID < o.Lines[idx[b]].ProductID })
	return idx
}
