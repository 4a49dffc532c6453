// Package bot is orderbot's Telegram front end, on github.com/go-telegram/bot
// (imported as tg): update intake with de-duplication and per-chat ordering,
// an outgoing sender that keeps Telegram's limits, message catalogs, and the
// conversations of customers, managers and owners.
//
// Handlers are thin: parse, call one core method, render. Rendering is pure
// functions over core types. bot imports core, the Telegram client and its
// own sub-packages (fakeapi for tests and the sandbox, pdfdoc for documents);
// it reaches Redis and Postgres only through the small interfaces declared
// here, which cmd wires.
package bot
