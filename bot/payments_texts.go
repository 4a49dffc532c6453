package bot

func init() {
	register(langEN, map[string]string{
		"pay.title":              "Invoice %s",
		"pay.label":              "Invoice %s",
		"pay.description":        "Payment of invoice %s for order %s: %s due.",
		"btn.pay":                "💳 Pay %s",
		"pay.err.paid":           "This invoice is already paid",
		"pay.err.void":           "This invoice was cancelled",
		"pay.err.changed":        "The amount due has changed, ask for a new invoice",
		"pay.err.unknown":        "This invoice is not known here, ask for a new one",
		"pay.err.off":            "Payment in chat is not available now, please pay another way",
		"pay.err.later":          "The shop cannot take the payment right now, try again in a minute",
		"pay.unmatched":          "💳 Your payment (<code>%s</code>) was received but does not match an invoice; the shop will sort it out with you.",
		"pay.refunded":           "⭐ %s of payment <b>%s</b> were refunded to you.",
		"pay.cancel_refunded":    "⭐ %s for order <b>%s</b> were refunded to you: the order was cancelled.",
		"staff.method.telegram":  "Telegram",
		"staff.method.stars":     "Telegram Stars",
		"staff.btn.star_refund":  "⭐↩ Refund P-%d in Stars",
		"staff.star_refund.done": "⭐↩ Payment P-%d refunded: %s went back to the customer; the payment is reversed.",
		"staff.stars_kept":       "⭐ Order <b>%s</b> was cancelled, but payment <b>P-%d</b> in Stars (%s) was not refunded: %s of it pays other invoices, and Telegram refunds whole payments only. It stays the customer's credit; the button below refunds all of it.",
	})
	register(langRU, map[string]string{
		"pay.title":              "Счёт %s",
		"pay.label":              "Счёт %s",
		"pay.description":        "Оплата счёта %s по заказу %s: к оплате %s.",
		"btn.pay":                "💳 Оплатить %s",
		"pay.err.paid":           "Этот счёт уже оплачен",
		"pay.err.void":           "Этот счёт отменён",
		"pay.err.changed":        "Сумма к оплате изменилась, запросите новый счёт",
		"pay.err.unknown":        "Этот счёт здесь неизвестен, запросите новый",
		"pay.err.off":            "Оплата в чате сейчас недоступна, оплатите другим способом",
		"pay.err.later":          "Магазин не может принять оплату прямо сейчас, попробуйте через минуту",
		"pay.unmatched":          "💳 Ваша оплата (<code>%s</code>) получена, но не совпадает ни с одним счётом; магазин свяжется с вами.",
		"pay.refunded":           "⭐ %s по оплате <b>%s</b> возвращены вам.",
		"pay.cancel_refunded":    "⭐ %s за заказ <b>%s</b> возвращены вам: заказ отменён.",
		"staff.method.telegram":  "Telegram",
		"staff.method.stars":     "Telegram Stars",
		"staff.btn.star_refund":  "⭐↩ Вернуть P-%d в звёздах",
		"staff.star_refund.done": "⭐↩ Оплата P-%d возвращена: %s вернулись покупателю; оплата сторнирована.",
		"staff.stars_kept":       "⭐ Заказ <b>%s</b> отменён, но оплата <b>P-%d</b> в звёздах (%s) не возвращена: %s из неё оплачивают другие счета, а Telegram возвращает только платёж целиком. Она остаётся авансом покупателя; кнопка ниже вернёт её целиком.",
	})
}
