package bot

import (
	"context"

	tg "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"github.com/orderbot/orderbot/core"
)

// Commands are registered with setMyCommands for each role and language:
// customers by the default scope (one list per language), staff by their
// own chat scope, so each sees only what they may use.

var (
	customerCommands = []string{"catalog", "cart", "orders", "language", "help"}
	managerCommands  = []string{"orders", "toship", "unpaid", "debts", "stock", "neworder", "order", "export", "catalog", "language", "help"}
	ownerCommands    = []string{"summary", "staff", "orders", "toship", "unpaid", "debts", "stock", "neworder", "order", "export", "catalog", "language", "help"}
)

func commandsFor(role core.Role) []string {
	switch role {
	case core.RoleOwner:
		return ownerCommands
	case core.RoleManager:
		return managerCommands
	}
	return customerCommands
}

func (l lang) commands(role core.Role) []models.BotCommand {
	var out []models.BotCommand
	for _, c := range commandsFor(role) {
		out = append(out, models.BotCommand{Command: c, Description: l.Plain("cmd." + c)})
	}
	return out
}

func (b *Bot) registerCommands(ctx context.Context) error {
	for _, l := range languages {
		code := string(l)
		if l == b.def {
			if _, err := b.api.SetMyCommands(ctx, &tg.SetMyCommandsParams{Commands: l.commands(core.RoleCustomer),
				Scope: &models.BotCommandScopeDefault{}}); err != nil {
				return err
			}
		}
		if _, err := b.api.SetMyCommands(ctx, &tg.SetMyCommandsParams{Commands: l.commands(core.RoleCustomer),
			Scope: &models.BotCommandScopeDefault{}, LanguageCode: code}); err != nil {
			return err
		}
	}
	staff, err := b.svc.Staff.List(ctx, core.System)
	if err != nil {
		return err
	}
	for _, m := range staff {
		b.registerCommandsFor(ctx, m.UserID, m.Role, "")
	}
	return nil
}

// registerCommandsFor sets one user's own command list (staff, or anyone
// who chose a language).
func (b *Bot) registerCommandsFor(ctx context.Context, userID int64, role core.Role, l lang) {
	if l == "" {
		l = b.def
	}
	_, err := b.api.SetMyCommands(ctx, &tg.SetMyCommandsParams{Commands: l.commands(role),
		Scope: &models.BotCommandScopeChat{ChatID: userID}})
	if err != nil {
		b.log.Info("set commands for chat (the user may not have started the bot yet)", "user_id", userID, "err", err)
	}
}

func init() {
	register(langEN, map[string]string{
		"cmd.start": "start", "cmd.catalog": "browse the catalog", "cmd.cart": "your cart", "cmd.orders": "your orders",
		"cmd.language": "choose the language", "cmd.help": "what the bot can do",
		"cmd.toship": "orders waiting for shipment", "cmd.unpaid": "unpaid and overdue invoices", "cmd.debts": "who owes what",
		"cmd.stock": "stock: on hand, reserved, free", "cmd.neworder": "take a phone order", "cmd.order": "open an order by number",
		"cmd.summary": "the day's summary", "cmd.staff": "managers",
	})
	register(langRU, map[string]string{
		"cmd.start": "начать", "cmd.catalog": "каталог товаров", "cmd.cart": "корзина", "cmd.orders": "мои заказы",
		"cmd.language": "выбрать язык", "cmd.help": "что умеет бот",
		"cmd.toship": "заказы к отгрузке", "cmd.unpaid": "неоплаченные и просроченные счета", "cmd.debts": "кто сколько должен",
		"cmd.stock": "склад: остаток, резерв, свободно", "cmd.neworder": "заказ по телефону", "cmd.order": "открыть заказ по номеру",
		"cmd.summary": "сводка дня", "cmd.staff": "менеджеры",
	})
}
