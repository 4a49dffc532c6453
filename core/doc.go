// Package core is the order domain of orderbot: products and stock, customers,
// orders with their reservations, shipments, invoices, payments and debts, and
// the rules that keep them consistent.
//
// core imports only the standard library. It declares the small interfaces it
// needs from storage next to the services that use them; storage/postgres,
// storage/redis, bot and jobs depend on core, never the other way round. core
// does not log: it returns errors, whose kinds are the sentinels in errors.go.
//
// # Free to sell is counted once
//
// A unit of a product is exactly one of: free, held by one live cart,
// reserved by one order, or shipped. Postgres keeps on hand and reserved per
// product (stock rows, with CHECK on_hand >= reserved >= 0); cart holds live
// in Redis with a TTL and may be lost. Then
//
//	free = on hand - reserved - live holds not yet turned into reservations
//
// and three rules make that count exact under any interleaving of carts,
// placements, expiries, clears and Redis restarts:
//
//  1. One lock per product. Whoever makes what is held or reserved of a
//     product grow (a cart hold in Shopping.SetQty, a reservation in
//     Orders.Place) first locks the product's stock row (Tx.LockStock,
//     product id order), and reads the holds only after that. Holds shrink
//     without the lock (expiry, a cleared cart, Redis lost), which can only
//     make what is free larger, never count a unit twice.
//  2. Holds carry their cart's generation. A cart is a generation of a
//     holder's cart (CartKey): it starts with the first hold and ends when
//     the cart is placed or emptied. Placing the cart records its generation
//     on the order in the same transaction that reserves the goods. A reader
//     leaves out the holds of generations that became orders (PlacedCarts,
//     in its own transaction): those units are counted as reserved instead.
//     The moment the reservation commits, the holds stop counting, however
//     late Redis forgets them. Generations are random, so one drawn after
//     Redis lost everything never matches a recorded one.
//  3. A holder's own holds are never counted against it: whoever holds N
//     units in a live cart can place an order for them, and whoever does not
//     may take only what is free of the others' holds. A cart whose order is
//     refused for stock lets go of what it held of the short lines.
//
// A reader that locks the rows (share locks are enough for a read-out,
// Catalog.Stock with Exact) sees on hand = reserved + held + free at one
// instant; browsing reads without locks and may be a moment behind.
//
// Goods sold beyond stock (a product made to order or on backorder) add a
// fifth state that is not a unit on hand at all: awaited. An order line
// reserves what is free and awaits the rest (Line.Awaited); awaited units
// are never counted in reserved, held or free. Receipts turn them into
// reservations under the same lock as any other reservation (backorder.go),
// oldest order first, after locking the orders' customers and the orders,
// so the lock order stays customer, order, stock.
package core
