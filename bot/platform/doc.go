// Package platform is the conversation platform the bot's flows build on:
// how updates come in, in what order they are handled, how answers go out
// and which handler an update reaches. The flows (customer and staff
// screens, texts, keyboards) live in package bot and use only this surface:
//
//   - Intake (intake.go) stores each update in the inbox before it is
//     acknowledged, runs one chat's updates in order and different chats side
//     by side, and marks an update handled only when its answers are out
//     (Track). Updates received side by side (webhook requests) are stored
//     together, one statement a batch. Poller (poll.go) is the long-polling
//     loop; webhook.go takes the same updates over HTTPS. Pre-checkout
//     queries skip the chat's queue (urgent.go): Telegram waits only 10 s
//     for them. Taps on screen-only buttons are answered as soon as they
//     are stored (quick.go), before they wait their turn.
//   - Sender (sender.go, limits.go) sends within Telegram's limits (Limits:
//     messages per second overall and per chat, with a burst), direct answers
//     before notices, edits of one message coalesced, 429 honoured per chat
//     and overall; no worker sleeps while another chat waits. Answers to
//     button taps are not messages and never wait for the budget.
//   - Reply (reply.go) is how a handler answers the update it handles: send,
//     show (edit the pressed message), answer the tap with a toast.
//   - Router (router.go) maps callback data ("verb:1:2", parsed strictly) and
//     commands to handlers of the flows' own request type, refusing users
//     without the route's Access before a handler runs; Quiet marks the
//     routes that only show screens (their taps are answered at intake).
package platform
