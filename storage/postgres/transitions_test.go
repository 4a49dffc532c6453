package postgres_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/orderbot/orderbot/core"
)

// orderIn brings a fresh order of 2 units into the given status.
func (s *shop) orderIn(st core.Status, c *core.Customer, p core.Product) *core.Order {
	s.t.Helper()
	o := s.place(c, false, line(p, 2))
	var err error
	switch st {
	case core.StatusNew:
		return o
	case core.StatusCancelled:
		o, err = s.orders.Cancel(ctx(), manager, o.ID, 0, "test")
	default:
		o, err = s.orders.Confirm(ctx(), manager, o.ID, 0)
	}
	if err != nil {
		s.t.Fatal(err)
	}
	switch st {
	case core.StatusShipped:
		_, o, err = s.orders.Ship(ctx(), manager, o.ID, 0, nil)
	case core.StatusPaid:
		if _, _, err = s.orders.IssueInvoice(ctx(), manager, o.ID, 0, core.BillOrdered); err == nil {
			_, err = s.orders.RecordPayment(ctx(), manager, core.PaymentInput{CustomerID: c.ID, OrderID: o.ID, Amount: o.Total(), Method: core.PayCash})
		}
	case core.StatusClosed:
		o, err = s.orders.Close(ctx(), manager, o.ID, 0, "customer changed their mind")
	}
	if err != nil {
		s.t.Fatal(err)
	}
	o = must[*core.Order](s.t)(s.orders.Get(ctx(), manager, o.ID))
	if o.Status != st {
		s.t.Fatalf("fixture wanted %s, got %s", st, o.Status)
	}
	return o
}

// TestOrders_Transitions tries every order action in every status against the
// database: allowed ones go through, forbidden ones are refused with a
// conflict that names the status, and change nothing.
func TestOrders_Transitions(t *testing.T) {
	s := newShop(t)
	p := s.product("P", 500, 1000)
	c := s.customer("Client", 14)
	actions := map[core.Action]func(o *core.Order) error{
		core.ActConfirm: func(o *core.Order) error { _, err := s.orders.Confirm(ctx(), manager, o.ID, 0); return err },
		core.ActReject:  func(o *core.Order) error { _, err := s.orders.Reject(ctx(), manager, o.ID, 0, "no"); return err },
		core.ActCancel:  func(o *core.Order) error { _, err := s.orders.Cancel(ctx(), manager, o.ID, 0, "no"); return err },
		core.ActShip:    func(o *core.Order) error { _, _, err := s.orders.Ship(ctx(), manager, o.ID, 0, nil); return err },
		core.ActInvoice: func(o *core.Order) error {
			_, _, err := s.orders.IssueInvoice(ctx(), manager, o.ID, 0, core.BillOrdered)
			return err
		},
		core.ActPay: func(o *core.Order) error {
			_, err := s.orders.RecordPayment(ctx(), manager, core.PaymentInput{CustomerID: c.ID, OrderID: o.ID, Amount: 1, Method: core.PayCard})
			return err
		},
		core.ActClose: func(o *core.Order) error { _, err := s.orders.Close(ctx(), manager, o.ID, 0, "enough"); return err },
	}
	for _, st := range core.Statuses {
		for act, do := range actions {
			o := s.orderIn(st, c, p)
			before := s.stock(p.ID)
			err := do(o)
			allowed := core.Allowed(st, act)
			if allowed && errors.Is(err, core.ErrConflict) {
				t.Errorf("%s on %s: allowed, but refused: %v", act, st, err)
			}
			if allowed && err != nil && !errors.Is(err, core.ErrInvalid) {
				t.Errorf("%s on %s: %v", act, st, err)
			}
			if allowed {
				continue
			}
			if !errors.Is(err, core.ErrConflict) || !strings.Contains(core.SafeMessage(err), "cannot") {
				t.Errorf("%s on %s: want a conflict, got %v", act, st, err)
				continue
			}
			after := must[*core.Order](t)(s.orders.Get(ctx(), manager, o.ID))
			if after.Version != o.Version || after.Status != st || s.stock(p.ID) != before {
				t.Errorf("%s on %s: refused but changed the order or stock", act, st)
			}
		}
	}
}

// TestOrders_ReturnsOnlyShippedGoods covers the one action that needs a
// shipment: returns are refused on orders that cannot take them.
func TestOrders_Return(t *testing.T) {
	s := newShop(t)
	p := s.product("R", 500, 10)
	c := s.customer("Client", 14)
	o := s.orderIn(core.StatusShipped, c, p)
	ships := must[[]core.Shipment](t)(s.db.Shipments(ctx(), o.ID))
	ret, o, err := s.orders.Return(ctx(), manager, ships[0].ID, []core.QtyLine{{ProductID: p.ID, Qty: 1}}, "damaged")
	if err != nil {
		t.Fatal(err)
	}
	if ret.Lines[0].Qty != 1 || o.Lines[0].Returned != 1 || o.Due() != 500 {
		t.Fatalf("after return: %+v due %d", o.Lines[0], o.Due())
	}
	if st := s.stock(p.ID); st.OnHand != 9 || st.Reserved != 0 {
		t.Fatalf("stock after return: %+v", st)
	}
	if _, _, err := s.orders.Return(ctx(), manager, ships[0].ID, []core.QtyLine{{ProductID: p.ID, Qty: 2}}, "again"); !errors.Is(err, core.ErrInvalid) {
		t.Fatalf("returning more than shipped: %v", err)
	}
	if _, _, err := s.orders.Return(ctx(), manager, ships[0].ID, []core.QtyLine{{ProductID: p.ID, Qty: 1}}, ""); !errors.Is(err, core.ErrInvalid) {
		t.Fatalf("return without a reason: %v", err)
	}
}
