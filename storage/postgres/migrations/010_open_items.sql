-- Open items: the sets scheduled jobs and reports read, kept exact in the
-- transaction of the change that moves them, so that their cost follows what
-- is open or due, not the length of history (DESIGN, invariant 11). Each is
-- derived from the documents; openitems_test.go recomputes every one of them
-- from the documents after a randomized run and compares.

-- The reminder steps in force, in days from the due date, ascending. The
-- reminder job writes its policy here (UseReminderLevels); a change
-- recomputes every open invoice's next reminder date.
CREATE TABLE reminder_levels (
    id     boolean PRIMARY KEY DEFAULT true CHECK (id),
    levels integer[] NOT NULL CHECK (cardinality(levels) > 0)
);
INSERT INTO reminder_levels (levels) VALUES ('{-1,0,3,7,14}');

-- The first day a reminder above level "last" (NULL: none sent) may go out:
-- the day the next level is reached, and never the day the invoice was issued
-- (core.Reminders does not chase an invoice on its issue day). NULL when
-- every level was sent.
CREATE FUNCTION next_remind_on(due date, issued date, last integer, levels integer[]) RETURNS date
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT greatest(due + n, issued + 1)
    FROM (SELECT min(l) AS n FROM unnest(levels) AS l WHERE last IS NULL OR l > last) x
    WHERE n IS NOT NULL
$$;

-- Invoices not void with something left to pay: open = amount - what
-- allocations apply to it. last_level is the highest reminder level
-- recorded for it (invoice_reminders), next_remind_on when the next is due.
-- The invoice's and its order's numbers (immutable) are copied so that the
-- reminders read nothing but open items. Kept by the store: invoices.go
-- (issue, void), payments.go (allocations), reminders.go (levels).
CREATE TABLE open_invoices (
    invoice_id     bigint PRIMARY KEY REFERENCES invoices (id),
    customer_id    bigint NOT NULL REFERENCES customers (id),
    number         text NOT NULL,
    order_number   text NOT NULL,
    issued_on      date NOT NULL,
    due_on         date NOT NULL,
    open           bigint NOT NULL CHECK (open > 0),
    last_level     integer,
    next_remind_on date
);
CREATE INDEX open_invoices_customer ON open_invoices (customer_id, due_on, invoice_id);
CREATE INDEX open_invoices_due ON open_invoices (due_on) INCLUDE (open);
CREATE INDEX open_invoices_remind ON open_invoices (next_remind_on, customer_id) WHERE next_remind_on IS NOT NULL;

-- What each customer was invoiced (invoices not void) and paid (payments not
-- reversed); debt = invoiced - paid. Kept by the store with each document.
CREATE TABLE customer_balances (
    customer_id bigint PRIMARY KEY REFERENCES customers (id),
    invoiced    bigint NOT NULL DEFAULT 0 CHECK (invoiced >= 0),
    paid        bigint NOT NULL DEFAULT 0 CHECK (paid >= 0)
);
CREATE INDEX customer_balances_owing ON customer_balances (customer_id) INCLUDE (invoiced, paid) WHERE invoiced <> paid;

-- Confirmed orders, neither closed nor cancelled, not fully shipped, with
-- what is left to ship (units and their value at order prices). A deferred
-- trigger keeps it: at commit the order's lines are final, whichever store
-- method changed them.
CREATE TABLE awaiting_orders (
    order_id    bigint PRIMARY KEY REFERENCES orders (id),
    customer_id bigint NOT NULL,
    created_at  timestamptz NOT NULL,
    promised_on date,
    outstanding bigint NOT NULL CHECK (outstanding >= 0),
    value       bigint NOT NULL CHECK (value >= 0)
);
CREATE INDEX awaiting_orders_created ON awaiting_orders (created_at, order_id);
CREATE INDEX awaiting_orders_promised ON awaiting_orders (promised_on, order_id) WHERE promised_on IS NOT NULL;

CREATE FUNCTION sync_awaiting_order() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    w awaiting_orders%ROWTYPE;
BEGIN
    SELECT o.id, o.customer_id, o.created_at, o.promised_on,
           sum(l.qty - l.shipped - l.released), sum((l.qty - l.shipped - l.released) * l.price)
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
            outstanding = excluded.outstanding, value = excluded.value
        WHERE (awaiting_orders.promised_on, awaiting_orders.outstanding, awaiting_orders.value)
              IS DISTINCT FROM (excluded.promised_on, excluded.outstanding, excluded.value);
    END IF;
    RETURN NULL;
END
$$;

CREATE CONSTRAINT TRIGGER orders_awaiting_sync AFTER INSERT OR UPDATE ON orders
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION sync_awaiting_order();

-- Existing data, for databases migrated with history in them.
INSERT INTO customer_balances (customer_id, invoiced, paid)
SELECT c.id,
       coalesce((SELECT sum(i.amount) FROM invoices i WHERE i.customer_id = c.id
                 AND NOT EXISTS (SELECT 1 FROM invoice_voids v WHERE v.invoice_id = i.id)), 0),
       coalesce((SELECT sum(p.amount) FROM payments p WHERE p.customer_id = c.id
                 AND NOT EXISTS (SELECT 1 FROM payment_reversals r WHERE r.payment_id = p.id)), 0)
FROM customers c
WHERE EXISTS (SELECT 1 FROM invoices i WHERE i.customer_id = c.id)
   OR EXISTS (SELECT 1 FROM payments p WHERE p.customer_id = c.id);

INSERT INTO open_invoices (invoice_id, customer_id, number, order_number, issued_on, due_on, open, last_level, next_remind_on)
SELECT x.id, x.customer_id, x.number, x.order_number, x.issued_on, x.due_on, x.open, x.last,
       next_remind_on(x.due_on, x.issued_on, x.last, (SELECT levels FROM reminder_levels))
FROM (SELECT i.id, i.customer_id, i.number, o.number AS order_number, i.issued_on, i.due_on,
             i.amount - coalesce((SELECT sum(a.amount) FROM allocations a WHERE a.invoice_id = i.id), 0) AS open,
             (SELECT max(r.level) FROM invoice_reminders r WHERE r.invoice_id = i.id) AS last
      FROM invoices i JOIN orders o ON o.id = i.order_id
      WHERE NOT EXISTS (SELECT 1 FROM invoice_voids v WHERE v.invoice_id = i.id)) x
WHERE x.open > 0;

INSERT INTO awaiting_orders (order_id, customer_id, created_at, promised_on, outstanding, value)
SELECT o.id, o.customer_id, o.created_at, o.promised_on,
       sum(l.qty - l.shipped - l.released), sum((l.qty - l.shipped - l.released) * l.price)
FROM orders o JOIN order_lines l ON l.order_id = o.id
WHERE o.confirmed_at IS NOT NULL AND o.closed_at IS NULL AND o.cancelled_at IS NULL AND o.fulfilment <> 'shipped'
GROUP BY o.id;

-- The daily figures are index-only scans over the day's range.
DROP INDEX orders_created;
CREATE INDEX orders_created ON orders (created_at) INCLUDE (total);
DROP INDEX orders_confirmed;
CREATE INDEX orders_confirmed ON orders (confirmed_at) INCLUDE (total) WHERE confirmed_at IS NOT NULL;
DROP INDEX payments_received;
CREATE INDEX payments_received ON payments (received_on) INCLUDE (amount, id);
-- The overdue job reads awaiting_orders now.
DROP INDEX orders_promised_open;
