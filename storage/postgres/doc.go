// Package postgres is orderbot's system of record on PostgreSQL (pgx/v5). It
// implements core.Store: hand-written SQL with parameters only, every change
// in one transaction, constraints behind every invariant, embedded
// forward-only migrations applied under an advisory lock.
//
// It imports core and pgx. Driver errors never leave it: interpretError maps
// them to core's error kinds.
package postgres
