package platform_test

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-telegram/bot/models"

	"github.com/orderbot/orderbot/bot/platform"
	"github.com/orderbot/orderbot/core"
	"github.com/orderbot/orderbot/storage/postgres/pgtest"
)

// countingInbox is the Postgres inbox, counting the statements that store
// updates.
type countingInbox struct {
	core.Inbox
	accepts atomic.Int64
	gate    chan struct{} // while set, the first Accept waits for it
}

func (c *countingInbox) Accept(ctx context.Context, us []core.Incoming) ([]core.Incoming, error) {
	if c.accepts.Add(1) == 1 && c.gate != nil {
		<-c.gate
	}
	return c.Inbox.Accept(ctx, us)
}

// TestIntake_SideBySideStoredTogether: updates received side by side (as
// webhook requests come) are stored in a few statements, not one each; each
// Receive returns once its own updates are stored, every update is handled
// once, each chat's in order, and a repeat is dropped.
func TestIntake_SideBySideStoredTogether(t *testing.T) {
	inbox := &countingInbox{Inbox: pgtest.New(t), gate: make(chan struct{})}
	var mu sync.Mutex
	handled := map[int64][]int64{} // chat → update ids in the order handled
	var count atomic.Int64
	in := platform.NewIntake(platform.IntakeConfig{Owner: "test"}, inbox, func(_ context.Context, upd *models.Update) {
		mu.Lock()
		handled[upd.Message.Chat.ID] = append(handled[upd.Message.Chat.ID], upd.ID)
		mu.Unlock()
		count.Add(1)
	})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go in.Run(ctx, 5*time.Second)

	update := func(id, chat int64) core.Incoming {
		u, err := platform.Decode([]byte(fmt.Sprintf(`{"update_id":%d,"message":{"message_id":%d,"date":1,"chat":{"id":%d,"type":"private"},"from":{"id":%d,"is_bot":false,"first_name":"P"},"text":"hi"}}`,
			id, id, chat, chat)))
		if err != nil {
			t.Fatal(err)
		}
		return u
	}
	// The first Receive holds the store; 99 more, for 33 chats, gather
	// behind it meanwhile.
	var wg sync.WaitGroup
	wg.Go(func() {
		if err := in.Receive(ctx, []core.Incoming{update(1, 1)}); err != nil {
			t.Error(err)
		}
	})
	for inbox.accepts.Load() == 0 {
		time.Sleep(time.Millisecond)
	}
	for id := int64(2); id <= 100; id++ {
		wg.Go(func() {
			if err := in.Receive(ctx, []core.Incoming{update(id, 1+id%33)}); err != nil {
				t.Error(err)
			}
		})
	}
	time.Sleep(200 * time.Millisecond) // let them queue behind the first
	close(inbox.gate)
	wg.Wait()
	if n := inbox.accepts.Load(); n > 3 {
		t.Errorf("100 updates received side by side took %d statements to store", n)
	}
	if err := in.Receive(ctx, []core.Incoming{update(7, 1+7%33)}); err != nil { // Telegram sends one again
		t.Fatal(err)
	}
	for deadline := time.Now().Add(10 * time.Second); count.Load() < 100 && time.Now().Before(deadline); {
		time.Sleep(10 * time.Millisecond)
	}
	time.Sleep(100 * time.Millisecond) // a repeat handled late would show now
	if n := count.Load(); n != 100 {
		t.Fatalf("%d updates handled, want 100", n)
	}
	mu.Lock()
	defer mu.Unlock()
	for chat, ids := range handled {
		for i := 1; i < len(ids); i++ {
			if ids[i] <= ids[i-1] {
				t.Errorf("chat %d handled out of order: %v", chat, ids)
				break
			}
		}
	}
}
