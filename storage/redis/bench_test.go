package redis

import (
	"context"
	"fmt"
	"testing"
	"time"
)

// BenchmarkHold measures a cart hold followed by the read of a catalog page
// of 50 products, the two calls on the hot path of a customer's tap.
func BenchmarkHold(b *testing.B) {
	s := newStore(b)
	ctx := context.Background()
	page := make([]int64, 50)
	for i := range page {
		page[i] = int64(i + 1)
	}
	b.Run("Hold", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			if _, err := s.Hold(ctx, fmt.Sprintf("c:%d", i%200), int64(i%50+1), 1, 1<<40, nil, time.Minute); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("LiveHolds50", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := sumHolds(ctx, s, page, "c:1"); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("HoldThenPageParallel", func(b *testing.B) {
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			for i := 0; pb.Next(); i++ {
				holder := fmt.Sprintf("c:%d", i%200)
				if _, err := s.Hold(ctx, holder, int64(i%50+1), 1, 1<<40, nil, time.Minute); err != nil {
					b.Error(err)
					return
				}
				if _, err := sumHolds(ctx, s, page, holder); err != nil {
					b.Error(err)
					return
				}
			}
		})
	})
}
