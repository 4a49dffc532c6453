package core

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"
)

// QtyLine asks for a quantity of one product of an order.
type QtyLine struct {
	ProductID int64
	Qty       int64
}

// Ship ships part or all of what is reserved for an order (lines nil: all of
// it). On hand and reserved both fall; the rest stays reserved. The shipment is
// a document and is returned with the order after the change.
func (s *Orders) Ship(ctx context.Context, a Actor, orderID, version int64, lines []QtyLine) (*Shipment, *Order, error) {
	if err := a.requireStaff("ship orders"); err != nil {
		return nil, nil, err
	}
	var sh *Shipment
	o, err := s.apply(ctx, a, orderID, change{act: ActShip, version: version,
		ref: func() string { return fmt.Sprintf("shipment:%d", sh.ID) },
		fn: func(ctx context.Context, tx Tx, o *Order, now time.Time) (string, error) {
			var err error
			sh, err = s.ship(ctx, tx, a, o, lines, now)
			if err != nil {
				return "", err
			}
			return fmt.Sprintf("shipment %d: %s", sh.ID, describeLines(sh.Lines)), nil
		}})
	if err != nil {
		return nil, nil, err
	}
	return sh, o, nil
}

func (s *Orders) ship(ctx context.Context, tx Tx, a Actor, o *Order, want []QtyLine, now time.Time) (*Shipment, error) {
	qty, err := shipQuantities(o, want)
	if err != nil {
		return nil, err
	}
	sh := &Shipment{OrderID: o.ID, Actor: a, At: now}
	for _, i := range linesByProduct(o) {
		if q := qty[o.Lines[i].ProductID]; q > 0 {
			l := o.Lines[i]
			sh.Lines = append(sh.Lines, billLine(&l, l.Shipped, q, o.TaxIncluded)) // with their value, for receipts
		}
	}
	if err := tx.InsertShipment(ctx, sh); err != nil {
		return nil, err
	}
	for _, dl := range sh.Lines {
		m := StockMove{ProductID: dl.ProductID, Delta: -dl.Qty, Kind: MoveShipment, OrderID: o.ID, ShipmentID: sh.ID, Actor: a, At: now}
		if err := tx.Move(ctx, m, dl.Qty); err != nil {
			return nil, err
		}
		o.line(dl.ProductID).Shipped += dl.Qty
	}
	return sh, nil
}

// shipQuantities checks a shipment request against what is outstanding.
func shipQuantities(o *Order, want []QtyLine) (map[int64]int64, error) {
	qty := map[int64]int64{}
	if want == nil {
		for _, l := range o.Lines {
			qty[l.ProductID] = l.Ready()
		}
	}
	for _, w := range want {
		l := o.line(w.ProductID)
		switch {
		case l == nil:
			return nil, Errorf(ErrInvalid, "product #%d is not on order %s", w.ProductID, o.Number)
		case w.Qty < 0:
			return nil, Errorf(ErrInvalid, "%s: quantity cannot be negative", l.Name)
		case qty[w.ProductID]+w.Qty > l.Ready() && l.Awaited > 0:
			return nil, Errorf(ErrInvalid, "%s: only %d ready to ship (%d awaited)", l.Name, l.Ready(), l.Awaited)
		case qty[w.ProductID]+w.Qty > l.Ready():
			return nil, Errorf(ErrInvalid, "%s: only %d left to ship", l.Name, l.Ready())
		}
		qty[w.ProductID] += w.Qty
	}
	var total int64
	for _, q := range qty {
		total += q
	}
	if total == 0 && o.Awaited() > 0 {
		return nil, Errorf(ErrInvalid, "nothing on order %s is ready to ship: its goods are awaited", o.Number)
	}
	if total == 0 {
		return nil, Errorf(ErrInvalid, "nothing to ship on order %s", o.Number)
	}
	return qty, nil
}

// Return takes goods of a shipment back on hand. The customer keeps less, so
// the order is worth less; what was invoiced of the goods is credited (a
// credit note per invoice, see ReturnGoods), never edited.
func (s *Orders) Return(ctx context.Context, a Actor, shipmentID int64, lines []QtyLine, reason string) (*Return, *Order, error) {
	if err := a.requireStaff("record returns"); err != nil {
		return nil, nil, err
	}
	reason, err := needReason(reason)
	if err != nil {
		return nil, nil, err
	}
	var ret *Return
	var orderID int64
	err = s.d.Store.InTx(ctx, func(ctx context.Context, tx Tx) error {
		sh, _, err := tx.ShipmentForReturn(ctx, shipmentID)
		if err != nil {
			return err
		}
		orderID = sh.OrderID
		return nil
	})
	if err != nil {
		return nil, nil, fmt.Errorf("return shipment %d: %w", shipmentID, err)
	}
	var notes []CreditNote
	o, err := s.apply(ctx, a, orderID, change{act: ActReturn, rebill: true,
		ref: func() string { return creditRef(notes) },
		fn: func(ctx context.Context, tx Tx, o *Order, now time.Time) (string, error) {
			var err error
			ret, err = s.takeBack(ctx, tx, a, o, shipmentID, lines, reason, now)
			if err != nil {
				return "", err
			}
			returned := map[int64]int64{}
			for _, l := range ret.Lines {
				returned[l.ProductID] += l.Qty
			}
			if notes, err = s.creditReturned(ctx, tx, a, o, returned, ret.ID, reason, now); err != nil {
				return "", err
			}
			return describeReturn([]Return{*ret}, notes, reason), nil
		}})
	if err != nil {
		return nil, nil, err
	}
	return ret, o, nil
}

func (s *Orders) takeBack(ctx context.Context, tx Tx, a Actor, o *Order, shipmentID int64, want []QtyLine, reason string, now time.Time) (*Return, error) {
	sh, returned, err := tx.ShipmentForReturn(ctx, shipmentID)
	if err != nil {
		return nil, err
	}
	ret := &Return{ShipmentID: sh.ID, OrderID: o.ID, Reason: reason, Actor: a, At: now}
	for _, w := range want {
		var dl *DocLine
		for i := range sh.Lines {
			if sh.Lines[i].ProductID == w.ProductID {
				dl = &sh.Lines[i]
			}
		}
		switch {
		case dl == nil:
			return nil, Errorf(ErrInvalid, "product #%d is not on shipment %d", w.ProductID, sh.ID)
		case w.Qty <= 0:
			return nil, Errorf(ErrInvalid, "%s: quantity must be above zero", dl.Name)
		case w.Qty > dl.Qty-returned[w.ProductID]:
			return nil, Errorf(ErrInvalid, "%s: only %d can still be returned", dl.Name, dl.Qty-returned[w.ProductID])
		}
		ret.Lines = append(ret.Lines, creditLine(*dl, returned[w.ProductID], w.Qty))
		returned[w.ProductID] += w.Qty
	}
	if len(ret.Lines) == 0 {
		return nil, Errorf(ErrInvalid, "nothing to return")
	}
	sort.Slice(ret.Lines, func(i, j int) bool { return ret.Lines[i].ProductID < ret.Lines[j].ProductID })
	if err := tx.InsertReturn(ctx, ret); err != nil {
		return nil, err
	}
	for _, dl := range ret.Lines {
		m := StockMove{ProductID: dl.ProductID, Delta: dl.Qty, Kind: MoveReturn, Reason: reason, OrderID: o.ID, ShipmentID: sh.ID, Actor: a, At: now}
		if err := tx.Move(ctx, m, 0); err != nil {
			return nil, err
		}
		o.line(dl.ProductID).Returned += dl.Qty
	}
	return ret, nil
}

func describeLines(ls []DocLine) string {
	parts := make([]string, len(ls))
	for i, l := range ls {
		parts[i] = fmt.Sprintf("%s x %d", l.SKU, l.Qty)
	}
	return strings.Join(parts, ", ")
}
