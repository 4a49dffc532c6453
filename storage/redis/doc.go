// Package redis keeps the data orderbot may lose: short-lived cart holds and
// the cart lines behind them, conversation (dialog) state, per-user language
// overrides, update de-duplication keys, "once" markers and per-chat locks
// shared by several replicas. Postgres stays the system of record: when this
// store is lost, carts and dialogs go, never an order, a reservation or a
// payment (DESIGN invariant 2).
//
// Every key carries a TTL and lives under a configurable prefix (default
// "ob:"), so several shops and test runs can share one server. Every change
// of more than one step is a single Lua script; hold expiry is judged by the
// server clock (TIME) inside those scripts, so replicas with skewed clocks
// agree.
//
// Key layout, P being the prefix:
//
//	P hold:<product>:exp   zset  holder -> hold expiry (unix ms)
//	P hold:<product>:qty   hash  holder -> "quantity|cart generation"
//	P cart:<holder>:holds  zset  product -> hold expiry (unix ms)
//	P cart:<holder>:lines  hash  product -> quantity wanted (long TTL)
//	P cart:<holder>:gen    string, the cart's generation (long TTL)
//	P update:<update id>   string, de-duplication marker
//	P once:<key>           string, generic once marker
//	P dialog:<chat id>     string, JSON dialog state
//	P lang:<user id>       string, language override
//	P lock:chat:<chat id>  string, lock token
//
// A hold carries the generation of the cart it was taken for (see core's
// package comment: a generation placed as an order no longer counts);
// quantity and generation share one field, so no loss of keys can part
// them. Hold keys expire with their latest hold. Scripts that walk a cart build
// product keys themselves (hold_keys in scripts.go, twin of holdKeys). Under
// Redis Cluster, give the prefix a hash tag ("{shop1}:") so that every key of
// a shop lands in one slot, as those scripts touch keys of several products.
//
// It imports core and go-redis (as goredis) only. Driver errors never leave
// it: interpretError maps them to core's error kinds, core.ErrUnavailable
// meaning "Redis did not answer".
package redis
