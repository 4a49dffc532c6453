package core

import (
	"reflect"
	"testing"
)

func TestAllocate(t *testing.T) {
	inv := func(id, order int64, amt Money) Invoice { return Invoice{ID: id, OrderID: order, Amount: amt} }
	pay := func(id, order int64, amt Money) Payment { return Payment{ID: id, OrderID: order, Amount: amt} }
	tests := []struct {
		name string
		b    Billing
		want []Allocation
		paid map[int64]Money
	}{
		{
			name: "oldest invoice first",
			b:    Billing{Invoices: []Invoice{inv(1, 10, 100), inv(2, 20, 50)}, Payments: []Payment{pay(1, 0, 120)}},
			want: []Allocation{{1, 1, 10, 100}, {1, 2, 20, 20}},
			paid: map[int64]Money{10: 100, 20: 20},
		},
		{
			name: "prepayment before any invoice is credit",
			b:    Billing{Payments: []Payment{pay(1, 0, 70)}},
			want: nil,
			paid: map[int64]Money{},
		},
		{
			name: "credit pays an invoice issued later",
			b:    Billing{Invoices: []Invoice{inv(5, 10, 50)}, Payments: []Payment{pay(1, 0, 70)}},
			want: []Allocation{{1, 5, 10, 50}},
			paid: map[int64]Money{10: 50},
		},
		{
			name: "payment for an order pays its invoice before older ones",
			b: Billing{Invoices: []Invoice{inv(1, 10, 100), inv(2, 20, 50)}, Payments: []Payment{pay(1, 20, 80)},
				Orders: []OrderDue{{OrderID: 20, Open: true, Due: 50}}},
			want: []Allocation{{1, 2, 20, 50}, {1, 1, 10, 30}},
			paid: map[int64]Money{10: 30, 20: 50},
		},
		{
			name: "payment for an order without invoice is held for it",
			b: Billing{Invoices: []Invoice{inv(1, 10, 100)}, Payments: []Payment{pay(1, 30, 80)},
				Orders: []OrderDue{{OrderID: 30, Open: true, Due: 60}}},
			want: []Allocation{{1, 0, 30, 60}, {1, 1, 10, 20}},
			paid: map[int64]Money{10: 20, 30: 60},
		},
		{
			name: "nothing is held for a closed order",
			b: Billing{Invoices: []Invoice{inv(1, 10, 100)}, Payments: []Payment{pay(1, 30, 80)},
				Orders: []OrderDue{{OrderID: 30, Open: false, Due: 60}}},
			want: []Allocation{{1, 1, 10, 80}},
			paid: map[int64]Money{10: 80},
		},
		{
			name: "several payments in order received",
			b: Billing{Invoices: []Invoice{inv(1, 10, 100), inv(2, 11, 100)},
				Payments: []Payment{pay(1, 0, 30), pay(2, 0, 100), pay(3, 0, 100)}},
			want: []Allocation{{1, 1, 10, 30}, {2, 1, 10, 70}, {2, 2, 11, 30}, {3, 2, 11, 70}},
			paid: map[int64]Money{10: 100, 11: 100},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, paid := allocate(&tt.b)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("allocations\n got %v\nwant %v", got, tt.want)
			}
			if !reflect.DeepEqual(paid, tt.paid) {
				t.Errorf("paid per order: got %v want %v", paid, tt.paid)
			}
			var applied, received Money
			for _, a := range got {
				applied += a.Amount
			}
			for _, p := range tt.b.Payments {
				received += p.Amount
			}
			if applied > received {
				t.Errorf("applied %d of %d received", applied, received)
			}
		})
	}
}
