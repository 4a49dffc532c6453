// Package redistest opens the shared test Redis under a private key prefix
// and deletes the prefix's keys when the test ends, so tests never flush a
// server others use. Tests fail, never skip, when Redis does not answer. It
// imports the redis store and go-redis only.
package redistest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"testing"

	goredis "github.com/redis/go-redis/v9"

	redisstore "github.com/orderbot/orderbot/storage/redis"
)

// New returns a store on the local Redis under a fresh prefix named after
// what uses it ("bot", "jobs").
func New(t testing.TB, name string) *redisstore.Store {
	t.Helper()
	b := make([]byte, 6)
	rand.Read(b) //nolint:errcheck
	prefix := "obtest:" + name + ":" + hex.EncodeToString(b) + ":"
	ctx := context.Background()
	s, err := redisstore.Open(ctx, redisstore.DefaultURL, redisstore.WithPrefix(prefix))
	if err != nil {
		t.Fatalf("Redis does not answer at %s: %v\nstart it: redis-server --daemonize yes --port 6379 --save '' --appendonly no",
			redisstore.DefaultURL, err)
	}
	t.Cleanup(func() {
		Delete(prefix + "*")
		s.Close() //nolint:errcheck
	})
	return s
}

// Delete removes the keys of the local Redis matching pattern and says how
// many there were.
func Delete(pattern string) int {
	ctx := context.Background()
	rdb := goredis.NewClient(&goredis.Options{Addr: "127.0.0.1:6379"})
	defer rdb.Close()
	n := 0
	iter := rdb.Scan(ctx, 0, pattern, 1000).Iterator()
	for iter.Next(ctx) {
		rdb.Del(ctx, iter.Val())
		n++
	}
	return n
}

// Flush removes the keys matching pattern in one script, as Redis losing
// its data loses them: all at once (Delete, which scans, can leave a
// moment where some keys of a set are gone and others not).
func Flush(pattern string) int {
	ctx := context.Background()
	rdb := goredis.NewClient(&goredis.Options{Addr: "127.0.0.1:6379"})
	defer rdb.Close()
	n, err := rdb.Eval(ctx, `local ks = redis.call('KEYS', ARGV[1])
for i = 1, #ks, 1000 do redis.call('DEL', unpack(ks, i, math.min(i + 999, #ks))) end
return #ks`, nil, pattern).Int()
	if err != nil {
		panic("redistest: flush: " + err.Error())
	}
	return n
}
