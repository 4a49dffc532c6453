-- The whole order cycle (issue 12): goods sold beyond stock and awaited,
-- edits, credit notes, the "paid" stage before "closed".

-- How a product is supplied: 'stock' (sold only from what is free, the
-- default), 'to_order' (made or bought for the order, lead_days after it is
-- placed) or 'backorder' (sold beyond what is free; lead_days, when not 0,
-- is when more is expected).
ALTER TABLE products
    ADD COLUMN supply text NOT NULL DEFAULT 'stock' CHECK (supply IN ('stock', 'to_order', 'backorder')),
    ADD COLUMN lead_days integer NOT NULL DEFAULT 0 CHECK (lead_days BETWEEN 0 AND 365);

-- What a line still waits for: ordered, not reserved (nothing was free), not
-- shipped. Awaited units are not reservations: stock.reserved counts
-- qty - shipped - released - awaited. Goods received go to awaited lines,
-- oldest order first, in the receipt's transaction. expected_on is when the
-- awaited units are expected (NULL: not known).
ALTER TABLE order_lines
    ADD COLUMN awaited bigint NOT NULL DEFAULT 0 CHECK (awaited >= 0),
    ADD COLUMN expected_on date,
    ADD CHECK (shipped + released + awaited <= qty);
CREATE INDEX order_lines_awaited ON order_lines (product_id, order_id) WHERE awaited > 0;

-- When the order became shipped and paid (NULL while it is not): orders
-- settled longer than CLOSE_AFTER_DAYS are closed by the close_settled job.
ALTER TABLE orders ADD COLUMN settled_at timestamptz;
CREATE INDEX orders_settled ON orders (settled_at, id)
    WHERE settled_at IS NOT NULL AND closed_at IS NULL AND cancelled_at IS NULL;

-- Orders by stage, newest first, for the staff's lists.
CREATE INDEX orders_status_newest ON orders (status, id DESC);

-- A credit note takes part of an invoice back (goods returned after they
-- were invoiced). Like every document it is never edited. An invoice's
-- effective amount is its amount less its credit notes; the customer's
-- invoiced total and the open invoices follow it.
CREATE TABLE credit_notes (
    id          bigserial PRIMARY KEY,
    number      text NOT NULL UNIQUE,
    invoice_id  bigint NOT NULL REFERENCES invoices (id),
    order_id    bigint NOT NULL REFERENCES orders (id),
    customer_id bigint NOT NULL REFERENCES customers (id),
    return_id   bigint REFERENCES returns (id),
    reason      text NOT NULL CHECK (reason <> ''),
    issued_on   date NOT NULL,
    amount      bigint NOT NULL CHECK (amount > 0),
    currency    char(3) NOT NULL,
    actor_role  text NOT NULL,
    actor_id    bigint NOT NULL DEFAULT 0,
    actor_name  text NOT NULL DEFAULT '',
    created_at  timestamptz NOT NULL
);
CREATE INDEX credit_notes_invoice ON credit_notes (invoice_id);
CREATE INDEX credit_notes_order ON credit_notes (order_id);
CREATE INDEX credit_notes_customer ON credit_notes (customer_id, issued_on);

CREATE TABLE credit_note_lines (
    credit_note_id bigint NOT NULL REFERENCES credit_notes (id),
    product_id     bigint NOT NULL REFERENCES products (id),
    sku            text NOT NULL,
    name           text NOT NULL,
    unit           text NOT NULL,
    qty            bigint NOT NULL CHECK (qty > 0),
    price          bigint NOT NULL CHECK (price >= 0),
    PRIMARY KEY (credit_note_id, product_id)
);

CREATE TRIGGER credit_notes_immutable BEFORE UPDATE OR DELETE ON credit_notes FOR EACH ROW EXECUTE FUNCTION refuse_document_change();
CREATE TRIGGER credit_note_lines_immutable BEFORE UPDATE OR DELETE ON credit_note_lines FOR EACH ROW EXECUTE FUNCTION refuse_document_change();

-- Awaiting orders also say how much of what is left to ship waits for goods.
ALTER TABLE awaiting_orders ADD COLUMN awaited bigint NOT NULL DEFAULT 0 CHECK (awaited >= 0);
CREATE INDEX awaiting_orders_goods ON awaiting_orders (created_at, order_id) WHERE awaited > 0;

CREATE OR REPLACE FUNCTION sync_awaiting_order() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    w awaiting_orders%ROWTYPE;
BEGIN
    SELECT o.id, o.customer_id, o.created_at, o.promised_on,
           sum(l.qty - l.shipped - l.released), sum((l.qty - l.shipped - l.released) * l.price), sum(l.awaited)
    INTO w
    FROM orders o JOIN order_lines l ON l.order_id = o.id
    WHERE o.id = NEW.id AND o.confirmed_at IS NOT NULL AND o.closed_at IS NULL AND o.cancelled_at IS NULL
      AND o.fulfilment <> 'shipped'
    GROUP BY o.id;
    IF w.order_id IS NULL THEN
        DELETE FROM awaiting_orders WHERE order_id = NEW.id;
    ELSE
        INSERT INTO awaiting_orders VALUES (w.*)
        ON CONFLICT (order_id) DO UPDATE SET promised_on = excluded.promised_on,
            outstanding = excluded.outstanding, value = excluded.value, awaited = excluded.awaited
        WHERE (awaiting_orders.promised_on, awaiting_orders.outstanding, awaiting_orders.value, awaiting_orders.awaited)
              IS DISTINCT FROM (excluded.promised_on, excluded.outstanding, excluded.value, excluded.awaited);
    END IF;
    RETURN NULL;
END
$$;

-- Orders shipped and paid before this migration were closed at once; the
-- ones still open (none, unless closed by hand later) settle from now.
UPDATE orders SET settled_at = updated_at
WHERE status = 'paid' AND fulfilment = 'shipped' AND closed_at IS NULL AND cancelled_at IS NULL;
