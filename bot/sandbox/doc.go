// Package sandbox serves a chat page for the fake Bot API server
// (bot/fakeapi), so a person can try orderbot in a browser with no
// Telegram account: pick who you are (a customer, a manager, the owner, or
// a customer added on the page), see that person's private chat with the
// bot as a Telegram client shows it, and type, press buttons, share a
// phone number and upload files.
//
// The caller owns the fake server and the bot; the page only acts as users
// through the server's Go API (SendText, PressData, ShareContact,
// SendDocument) and follows it through Subscribe:
//
//	page := sandbox.New(srv, sandbox.WithLogger(log))
//	_ = page.AddPersona(1001, "Olga Owner", "owner", "en", "+15550001001")
//	http.Handle("/", page.Handler())
//	defer page.Close() // before http.Server.Shutdown: ends the event streams
//
// The page is one embedded HTML file with inline CSS and vanilla JS, served
// with a Content-Security-Policy that allows only that script. Message text
// is rendered on the server from the parsed entities into a fixed set of
// tags (b, i, u, s, code, pre, blockquote, a with http, https or mailto
// links, spans for spoilers, commands and mentions) with every piece of
// text escaped; the bot's raw HTML is never passed through.
//
// Endpoints (paths are relative, so the handler can be mounted under a
// prefix with http.StripPrefix). Errors are {"error": "..."} with 400 for
// bad input, 404 for unknown personas, messages and paths, 405 (with
// Allow) for wrong methods, 409 when the fake server refuses the action,
// 413 for oversized bodies and 415 for non-JSON bodies. Cross-origin
// writes are refused (http.CrossOriginProtection).
//
//	GET  /                       the page
//	GET  /events?user=ID         server-sent events: "history" first (as
//	                             api/chat), then "message", "edit", "delete"
//	                             (a message), "callback_answer" ({text,
//	                             show_alert}), "action" ({action}) and
//	                             "personas" (the list); a reconnect gets the
//	                             history again
//	GET  /api/personas           {title, bot: {name, username}, personas: [{id, name, role, lang, phone}]}
//	POST /api/personas           {name?, lang?} -> 201 the new customer
//	GET  /api/chat?user=ID       {persona, messages: [...], reply_keyboard}
//	POST /api/send               {user, text} -> {update_id}
//	POST /api/press              {user, message_id, data} -> {update_id, query_id};
//	                             only buttons the message shows now
//	POST /api/pay                {user, message_id} -> {ok, error?, charge_id?,
//	                             update_id?}: the persona pays a bot's invoice
//	                             (the bot answers the pre-checkout query first;
//	                             a refusal charges nothing)
//	POST /api/contact            {user} -> {update_id}; the persona's own phone
//	POST /api/upload             multipart: user, file, caption? -> {update_id}
//	GET  /api/file?user=&message_id=  the document (as a download) or photo of a message
//
// A message is {id, from_bot, date, version, edited, deleted, html, text,
// forwarded, buttons: [[{text, data, url}]], reply_keyboard: [[{text,
// request_contact}]], remove_keyboard, document, photo: {name, mime, size,
// url, width, height}, contact: {phone, name}, invoice: {title, description,
// total}} (buttons of an invoice carry pay: true); version counts edits so
// the page never goes back to an older one.
//
// The package imports the standard library, bot/fakeapi and
// github.com/go-telegram/bot/models; its browser test also uses chromedp.
package sandbox
