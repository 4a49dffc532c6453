package redis

import (
	"context"
	"testing"
	"time"
)

func TestFirstSeen(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := newStore(t)
	for i, want := range []bool{true, false, false} {
		if got, err := s.FirstSeen(ctx, 777, time.Hour); err != nil || got != want {
			t.Fatalf("call %d: FirstSeen = %v, %v, want %v", i, got, err, want)
		}
	}
	if got, _ := s.FirstSeen(ctx, 778, time.Hour); !got {
		t.Error("another update is not first seen")
	}
	must(t, s.Forget(ctx, 777))
	if got, err := s.FirstSeen(ctx, 777, time.Hour); err != nil || !got {
		t.Errorf("after Forget: FirstSeen = %v, %v, want true", got, err)
	}
	if got, _ := s.FirstSeen(ctx, 779, 100*time.Millisecond); !got {
		t.Fatal("short-lived update is not first seen")
	}
	waitUntil(t, 2*time.Second, "seen again after its TTL", func() bool {
		got, err := s.FirstSeen(ctx, 779, time.Hour)
		return err == nil && got
	})
}

func TestOnce(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := newStore(t)
	other := openPrefix(t, s.prefix) // a second replica
	if got, err := s.Once(ctx, "summary:2024-05-01", time.Hour); err != nil || !got {
		t.Fatalf("first Once = %v, %v", got, err)
	}
	if got, err := other.Once(ctx, "summary:2024-05-01", time.Hour); err != nil || got {
		t.Errorf("Once on another replica = %v, %v, want false", got, err)
	}
}

type testDialog struct {
	Step  string  `json:"step"`
	Items []int64 `json:"items"`
}

func TestDialog(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := newStore(t)
	var d testDialog
	if found, err := s.LoadDialog(ctx, 5, &d); err != nil || found {
		t.Fatalf("LoadDialog of a new chat = %v, %v", found, err)
	}
	want := testDialog{Step: "address", Items: []int64{3, 4}}
	must(t, s.SaveDialog(ctx, 5, want, time.Hour))
	if found, err := s.LoadDialog(ctx, 5, &d); err != nil || !found || d.Step != want.Step || len(d.Items) != 2 {
		t.Fatalf("LoadDialog = %+v, %v, %v, want %+v", d, found, err, want)
	}
	if found, _ := s.LoadDialog(ctx, 6, &testDialog{}); found {
		t.Error("another chat sees the dialog")
	}
	must(t, s.ClearDialog(ctx, 5))
	if found, err := s.LoadDialog(ctx, 5, &d); err != nil || found {
		t.Errorf("after ClearDialog: %v, %v", found, err)
	}
	must(t, s.SaveDialog(ctx, 5, want, 100*time.Millisecond))
	waitUntil(t, 2*time.Second, "expired", func() bool {
		found, err := s.LoadDialog(ctx, 5, &d)
		return err == nil && !found
	})
}

func TestLang(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := newStore(t, WithLangTTL(time.Hour))
	if lang, err := s.Lang(ctx, 9); err != nil || lang != "" {
		t.Fatalf("Lang of a new user = %q, %v", lang, err)
	}
	must(t, s.SetLang(ctx, 9, "ru"))
	if lang, err := s.Lang(ctx, 9); err != nil || lang != "ru" {
		t.Errorf("Lang = %q, %v, want ru", lang, err)
	}
	if ttl := s.rdb.PTTL(ctx, s.langKey(9)).Val(); ttl <= 0 || ttl > time.Hour {
		t.Errorf("language TTL = %v, want the configured hour", ttl)
	}
	must(t, s.SetLang(ctx, 9, ""))
	if lang, err := s.Lang(ctx, 9); err != nil || lang != "" {
		t.Errorf("Lang after reset = %q, %v", lang, err)
	}
}
