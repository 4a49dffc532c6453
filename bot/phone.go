package bot

import (
	"strings"

	"github.com/go-telegram/bot/models"

	"github.com/orderbot/orderbot/core"
)

// Phones are stored in E.164 (core.NormalizePhone) and shown grouped.

// phoneText is a stored phone as people read it: "+1 555 000 2001".
func phoneText(p string) string { return core.FormatPhone(p) }

// contactPhone is the number of a shared contact. Telegram sends it with the
// country code but often without the plus.
func contactPhone(c *models.Contact) string {
	p := strings.TrimSpace(c.PhoneNumber)
	if p != "" && !strings.HasPrefix(p, "+") {
		p = "+" + p
	}
	return p
}
