package bot

import (
	"context"
	"net/http"

	tg "github.com/go-telegram/bot"
)

// WebhookHandler serves Telegram's webhook requests: each update is stored
// before the 200 and then handled, by this replica or, should it die,
// another (see platform.Intake.WebhookHandler).
func (b *Bot) WebhookHandler(secret string) http.Handler {
	return b.intake.WebhookHandler(secret, b.log)
}

// RunWebhook registers the webhook with its secret and runs until ctx ends;
// updates arrive through WebhookHandler, served by the caller's HTTP
// server. On the way out it finishes the updates taken and the messages
// queued.
func (b *Bot) RunWebhook(ctx context.Context, url, secret string) error {
	wait := b.start(ctx)
	defer wait()
	if err := b.registerCommands(ctx); err != nil {
		b.log.Warn("register commands", "err", err)
	}
	_, err := b.api.SetWebhook(ctx, &tg.SetWebhookParams{URL: url, SecretToken: secret, AllowedUpdates: allowedUpdates,
		MaxConnections: 40})
	if err != nil {
		return err
	}
	b.log.Info("webhook registered", "url", url)
	<-ctx.Done()
	return nil
}
