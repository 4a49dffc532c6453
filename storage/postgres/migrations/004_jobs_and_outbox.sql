-- Scheduled work and delivery that loses nothing.
--
-- Every order change writes an order_events row in its own transaction; this
-- trigger queues the event in that same transaction, and the notifier turns
-- queued events into outbox rows (one per recipient) and deletes them from
-- the queue in one transaction. An event is visible to the notifier exactly
-- when its change committed, whatever order ids were drawn in; events before
-- this migration are history and are not announced.
CREATE TABLE order_event_queue (
    event_id bigint PRIMARY KEY REFERENCES order_events (id)
);

CREATE FUNCTION queue_order_event() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO order_event_queue (event_id) VALUES (NEW.id);
    RETURN NULL;
END
$$;

CREATE TRIGGER order_events_queue AFTER INSERT ON order_events FOR EACH ROW EXECUTE FUNCTION queue_order_event();

-- One message (or one document, or one edit) to one chat. key makes
-- enqueueing idempotent: the same event, period or reminder for the same
-- recipient is one row however often it is enqueued. A sender claims a row
-- for a lease longer than any delivery may take, sends it, and marks it sent
-- right after Telegram accepts it. Within a chat and a
-- lane, rows are delivered in id order; lane 1 holds notices bound to
-- business hours (not_after), so that waiting for tomorrow's hours does not
-- hold up other notices of the chat.
CREATE TABLE outbox (
    id         bigserial PRIMARY KEY,
    key        text NOT NULL UNIQUE CHECK (key <> ''),
    chat_id    bigint NOT NULL CHECK (chat_id <> 0),
    lane       smallint NOT NULL DEFAULT 0,
    kind       text NOT NULL,
    payload    jsonb NOT NULL DEFAULT '{}',
    state      text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sent', 'dropped', 'failed')),
    not_before timestamptz NOT NULL,
    not_after  timestamptz,
    attempts   integer NOT NULL DEFAULT 0,
    -- a sender's claim: nobody else takes the row until claimed_until (also
    -- the time a notice waits for before its next try)
    claim         text NOT NULL DEFAULT '',
    claimed_until timestamptz,
    last_error text NOT NULL DEFAULT '',
    created_at timestamptz NOT NULL,
    done_at    timestamptz,
    CHECK ((state = 'pending') = (done_at IS NULL)),
    CHECK (not_after IS NULL OR not_after > not_before)
);
CREATE INDEX outbox_pending ON outbox (id) WHERE state = 'pending';
CREATE INDEX outbox_pending_chat ON outbox (chat_id, lane, id) WHERE state = 'pending';
CREATE INDEX outbox_pending_window ON outbox (not_after) WHERE state = 'pending' AND not_after IS NOT NULL;

-- One row per job and period: a second run of the same period (a restart, a
-- second replica) finds it and does nothing. A failed run may be taken again.
CREATE TABLE job_runs (
    job         text NOT NULL,
    period      text NOT NULL,
    state       text NOT NULL CHECK (state IN ('running', 'done', 'failed')),
    attempts    integer NOT NULL DEFAULT 1,
    started_at  timestamptz NOT NULL,
    finished_at timestamptz,
    error       text NOT NULL DEFAULT '',
    PRIMARY KEY (job, period)
);

-- Each payment reminder, per invoice and level (days from the due date:
-- -1 before, 0 on it, 3, 7, 14 after): a level is sent once, ever.
CREATE TABLE invoice_reminders (
    invoice_id  bigint NOT NULL REFERENCES invoices (id),
    level       integer NOT NULL,
    customer_id bigint NOT NULL REFERENCES customers (id),
    sent_on     date NOT NULL,
    at          timestamptz NOT NULL,
    PRIMARY KEY (invoice_id, level)
);

-- Confirmed open orders past their promised date, oldest promise first.
CREATE INDEX orders_promised_open ON orders (promised_on, id)
    WHERE promised_on IS NOT NULL AND confirmed_at IS NOT NULL AND closed_at IS NULL
      AND cancelled_at IS NULL AND fulfilment <> 'shipped';
-- The daily summary counts orders confirmed on a day.
CREATE INDEX orders_confirmed ON orders (confirmed_at) WHERE confirmed_at IS NOT NULL;
