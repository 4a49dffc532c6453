// Package jobs is the shop's scheduled work and the delivery of everything
// the shop tells people. It decides what is due and when: orders late to
// ship, payment reminders within business hours, the owner's daily summary;
// and it runs the outbox: order events become notices, notices become
// Telegram messages at Telegram's pace, each sent once.
//
// It imports core (and robfig/cron) only. Storage is reached through core's
// store interfaces and RunStore below; how a notice looks in Telegram is the
// presentation side's business, reached through Presenter. cmd wires them.
package jobs
