// Package handover holds the tests where the two stores meet: cart holds in
// Redis and reservations in Postgres, driven through the core services on
// the real servers, with the interleavings between a Postgres commit and a
// Redis write forced by hooks rather than left to chance. It has no code of
// its own.
package handover
