-- Payments made in chat (Telegram Payments: a provider, or Telegram Stars).
-- Each is an ordinary payment (method telegram or stars, reference the
-- charge id); this table keeps what Telegram said of it, and the charge id
-- is unique so that a successful_payment handled twice records one payment.
ALTER TABLE payments DROP CONSTRAINT payments_method_check;
ALTER TABLE payments ADD CONSTRAINT payments_method_check
    CHECK (method IN ('cash', 'bank', 'card', 'other', 'telegram', 'stars'));

CREATE TABLE chat_payments (
    payment_id         bigint PRIMARY KEY REFERENCES payments (id),
    charge_id          text NOT NULL UNIQUE CHECK (charge_id <> ''),
    provider_charge_id text NOT NULL DEFAULT '',
    invoice_id         bigint NOT NULL REFERENCES invoices (id),
    user_id            bigint NOT NULL,
    -- what Telegram charged: the shop's currency in minor units, or XTR in Stars
    currency           text NOT NULL,
    total_amount       bigint NOT NULL CHECK (total_amount > 0),
    created_at         timestamptz NOT NULL
);

-- A Stars payment given back (refundStarPayment): at most once per payment.
CREATE TABLE star_refunds (
    payment_id bigint PRIMARY KEY REFERENCES chat_payments (payment_id),
    actor_role text NOT NULL,
    actor_id   bigint NOT NULL DEFAULT 0,
    actor_name text NOT NULL DEFAULT '',
    at         timestamptz NOT NULL
);
