package bot

import (
	"errors"
	"strings"

	"github.com/orderbot/orderbot/core"
)

// refusal is what a person reads when the core refuses: the core's own words
// for staff (they name what was wrong: an id, a quantity, a status), and for
// customers the same words in their language. A customer asking for an
// order or invoice that is not theirs reads exactly what they read for one
// that does not exist.
func (r *req) refusal(err error) string {
	l := r.lang
	var te textError
	switch {
	case errors.As(err, &te):
		return l.Plain(te.key, te.args...)
	case errors.Is(err, core.ErrNoSuchOrder):
		return l.Plain("err.no_order")
	case errors.Is(err, core.ErrNoSuchInvoice):
		return l.Plain("err.no_invoice")
	case errors.Is(err, core.ErrNoSuchCustomer):
		return l.Plain("err.not_found")
	case r.isStaff():
		return core.SafeMessage(err)
	case errors.Is(err, core.ErrConflict):
		return l.Plain("err.conflict")
	case errors.Is(err, core.ErrForbidden):
		return l.Plain("err.forbidden")
	case errors.Is(err, core.ErrNotFound):
		return l.Plain("err.not_found")
	}
	return customerInvalid(l, core.SafeMessage(err))
}

// customerInvalid says in l the core's refusals a customer can meet through
// the buttons (a cart that lapsed, a product taken off sale, a quantity out
// of range); anything else keeps the core's words.
func customerInvalid(l lang, msg string) string {
	switch {
	case msg == "your cart is empty":
		return l.Plain("cart.empty")
	case strings.HasSuffix(msg, " is not for sale"):
		return l.Plain("product.gone")
	case strings.HasPrefix(msg, "quantity must be"):
		return l.Plain("err.bad_qty", core.MaxQty)
	}
	return msg
}

// textError is a refusal the bot itself makes, kept as a text of the
// catalogs so that each person reads it in their language. It is a core
// ErrInvalid (in English) to everything else.
type textError struct {
	key  string
	args []any
}

func invalid(key string, args ...any) error { return textError{key: key, args: args} }

func (e textError) Error() string { return langEN.Plain(e.key, e.args...) }

// Unwrap makes it a core.Error of kind ErrInvalid.
func (e textError) Unwrap() error { return core.Errorf(core.ErrInvalid, "%s", e.Error()) }

func init() {
	register(langEN, map[string]string{
		"err.no_order":   "There is no such order among yours.",
		"err.no_invoice": "There is no such invoice among yours.",
		"err.conflict":   "This has changed since you saw it. Open the screen again.",
		"err.forbidden":  "Only the shop's staff can do that.",
		"err.bad_qty":    "A quantity is a whole number from 1 to %d.",
	})
	register(langRU, map[string]string{
		"err.no_order":   "Среди ваших заказов такого нет.",
		"err.no_invoice": "Среди ваших счетов такого нет.",
		"err.conflict":   "Здесь всё изменилось, пока вы смотрели. Откройте экран заново.",
		"err.forbidden":  "Это могут сделать только сотрудники магазина.",
		"err.bad_qty":    "Количество — целое число от 1 до %d.",
	})
}
