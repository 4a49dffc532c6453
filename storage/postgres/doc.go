// Package postgres is orderbot's system of record on PostgreSQL (pgx/v5). It
// implements core.Store: hand-written SQL with parameters only, every change
// in one transaction, constraints behind every invariant, embedded
// forward-only migrations applied under an advisory lock.
//
// What the scheduled jobs and the staff's read-outs read is kept as open
// items (openitems.go, migration 010) in the transaction of each change, so
// that they cost what is open or due, not the length of history. Generate
// (generate*.go) fills an empty database with a realistic history for the
// tests, the benchmarks and `orderbot generate`.
//
// It imports core and pgx. Driver errors never leave it: interpretError maps
// them to core's error kinds.
package postgres
