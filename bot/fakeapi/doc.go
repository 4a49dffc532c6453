// Package fakeapi is an in-process fake of the Telegram Bot API server.
//
// It exists so that orderbot can be exercised end to end without Telegram:
// the project's tests point the real github.com/go-telegram/bot client at it
// (bot.New(token, bot.WithServerURL(srv.URL()))) and play the part of
// Telegram users, and a later "sandbox" mode mounts Handler() on its own
// address so a person can chat with the bot from a browser page fed by
// Subscribe().
//
// The server speaks the real wire format: POST /bot<token>/<method> with
// multipart/form-data (what go-telegram/bot sends), application/json or
// application/x-www-form-urlencoded bodies, GET /file/bot<token>/<path> for
// downloads, and answers {"ok":true,"result":...} or
// {"ok":false,"error_code":N,"description":"...","parameters":{...}} with the
// error texts Telegram uses. It implements the subset of methods orderbot
// needs (messages, edits, deletes, documents, photos, callback answers,
// commands, getUpdates long polling and webhooks, and Telegram Payments:
// sendInvoice, answerPreCheckoutQuery, refundStarPayment) with Telegram's validation
// rules: text and caption limits, HTML and MarkdownV2 entity parsing,
// callback_data limits, "message is not modified", blocked users, unknown
// chats, rate limits (429 with retry_after) and injected failures.
//
// Test code acts as users with methods such as SendText, PressButton and
// SendDocument, pays the bot's invoices with PayInvoice (a pre-checkout
// query first, then successful_payment; RedeliverPayment reports a charge
// again), inspects what the bot did with Messages, LastBotMessage,
// CallbackAnswer, Commands, Charges and StarRefunds, and waits without sleeping with
// WaitBotMessage, WaitCallbackAnswer and WaitIdle. Every method is safe for
// concurrent use.
//
// The package imports only the standard library and
// github.com/go-telegram/bot/models; it never imports the client itself.
package fakeapi
