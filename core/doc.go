// Package core is the order domain of orderbot: products and stock, customers,
// orders with their reservations, shipments, invoices, payments and debts, and
// the rules that keep them consistent.
//
// core imports only the standard library. It declares the small interfaces it
// needs from storage next to the services that use them; storage/postgres,
// storage/redis, bot and jobs depend on core, never the other way round. core
// does not log: it returns errors, whose kinds are the sentinels in errors.go.
package core
