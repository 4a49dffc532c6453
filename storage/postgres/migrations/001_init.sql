-- The system of record: catalog and stock, customers, orders with their
-- events, and the documents (shipments, returns, invoices, payments).
-- Every invariant the code relies on is backed by a constraint here.

CREATE TABLE products (
    id         bigserial PRIMARY KEY,
    sku        text NOT NULL CHECK (sku <> '' AND length(sku) <= 64),
    name       text NOT NULL CHECK (name <> ''),
    unit       text NOT NULL DEFAULT 'pcs',
    price      bigint NOT NULL CHECK (price >= 0),
    active     boolean NOT NULL DEFAULT true,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX products_sku_key ON products (lower(sku));

-- One row per product, kept small: it is the hot row of a flash sale.
CREATE TABLE stock (
    product_id bigint PRIMARY KEY REFERENCES products (id),
    on_hand    bigint NOT NULL DEFAULT 0,
    reserved   bigint NOT NULL DEFAULT 0,
    CONSTRAINT stock_reserved_not_negative CHECK (reserved >= 0),
    CONSTRAINT stock_no_oversell CHECK (on_hand >= reserved)
);

-- The stock ledger: it sums to stock.on_hand for every product.
CREATE TABLE stock_moves (
    id          bigserial PRIMARY KEY,
    product_id  bigint NOT NULL REFERENCES products (id),
    delta       bigint NOT NULL CHECK (delta <> 0),
    kind        text NOT NULL CHECK (kind IN ('receipt', 'correction', 'import', 'shipment', 'return')),
    reason      text NOT NULL DEFAULT '',
    order_id    bigint,
    shipment_id bigint,
    actor_role  text NOT NULL,
    actor_id    bigint NOT NULL DEFAULT 0,
    actor_name  text NOT NULL DEFAULT '',
    at          timestamptz NOT NULL,
    CHECK (kind <> 'correction' OR reason <> '')
);
CREATE INDEX stock_moves_product ON stock_moves (product_id, id);

CREATE TABLE customers (
    id           bigserial PRIMARY KEY,
    telegram_id  bigint UNIQUE,
    name         text NOT NULL CHECK (name <> ''),
    phone        text NOT NULL DEFAULT '',
    address      text NOT NULL DEFAULT '',
    terms_days   integer NOT NULL DEFAULT 0 CHECK (terms_days BETWEEN 0 AND 365),
    credit_limit bigint CHECK (credit_limit >= 0),
    lang         text NOT NULL DEFAULT '',
    created_at   timestamptz NOT NULL DEFAULT now()
);

CREATE SEQUENCE order_number_seq;

CREATE TABLE orders (
    id              bigserial PRIMARY KEY,
    number          text NOT NULL UNIQUE,
    customer_id     bigint NOT NULL REFERENCES customers (id),
    status          text NOT NULL CHECK (status IN ('new', 'in_progress', 'shipped', 'paid', 'closed', 'cancelled')),
    fulfilment      text NOT NULL CHECK (fulfilment IN ('not_shipped', 'partly_shipped', 'shipped')),
    payment         text NOT NULL CHECK (payment IN ('unpaid', 'partly_paid', 'paid')),
    address         text NOT NULL DEFAULT '',
    phone           text NOT NULL DEFAULT '',
    comment         text NOT NULL DEFAULT '',
    created_by_role text NOT NULL,
    created_by_id   bigint NOT NULL DEFAULT 0,
    created_by_name text NOT NULL DEFAULT '',
    promised_on     date,
    currency        char(3) NOT NULL,
    total           bigint NOT NULL CHECK (total >= 0),
    due             bigint NOT NULL CHECK (due >= 0),
    paid            bigint NOT NULL DEFAULT 0 CHECK (paid >= 0),
    invoiced        bigint NOT NULL DEFAULT 0 CHECK (invoiced >= 0),
    confirmed_at    timestamptz,
    closed_at       timestamptz,
    cancelled_at    timestamptz,
    close_reason    text NOT NULL DEFAULT '',
    version         bigint NOT NULL DEFAULT 1,
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL,
    CHECK ((status = 'cancelled') = (cancelled_at IS NOT NULL)),
    CHECK ((status = 'closed') = (closed_at IS NOT NULL)),
    CHECK (status IN ('new', 'cancelled') OR confirmed_at IS NOT NULL)
);
CREATE INDEX orders_customer ON orders (customer_id, id DESC);
CREATE INDEX orders_status ON orders (status, id);
CREATE INDEX orders_created ON orders (created_at);
CREATE INDEX orders_awaiting ON orders (created_at, id)
    WHERE confirmed_at IS NOT NULL AND closed_at IS NULL AND cancelled_at IS NULL AND fulfilment <> 'shipped';

-- Reserved for a line = qty - shipped - released; the sum over all lines of a
-- product equals stock.reserved.
CREATE TABLE order_lines (
    order_id   bigint NOT NULL REFERENCES orders (id),
    line_no    integer NOT NULL,
    product_id bigint NOT NULL REFERENCES products (id),
    sku        text NOT NULL,
    name       text NOT NULL,
    unit       text NOT NULL,
    qty        bigint NOT NULL CHECK (qty > 0),
    price      bigint NOT NULL CHECK (price >= 0),
    shipped    bigint NOT NULL DEFAULT 0 CHECK (shipped >= 0),
    returned   bigint NOT NULL DEFAULT 0 CHECK (returned >= 0 AND returned <= shipped),
    released   bigint NOT NULL DEFAULT 0 CHECK (released >= 0),
    invoiced   bigint NOT NULL DEFAULT 0 CHECK (invoiced >= 0 AND invoiced <= qty),
    CHECK (shipped + released <= qty),
    PRIMARY KEY (order_id, line_no),
    UNIQUE (order_id, product_id)
);
CREATE INDEX order_lines_product ON order_lines (product_id);

CREATE TABLE order_events (
    id            bigserial PRIMARY KEY,
    order_id      bigint NOT NULL REFERENCES orders (id),
    at            timestamptz NOT NULL,
    actor_role    text NOT NULL,
    actor_id      bigint NOT NULL DEFAULT 0,
    actor_name    text NOT NULL DEFAULT '',
    action        text NOT NULL,
    detail        text NOT NULL DEFAULT '',
    status_before text NOT NULL DEFAULT '',
    status_after  text NOT NULL
);
CREATE INDEX order_events_order ON order_events (order_id, id);

CREATE TABLE shipments (
    id         bigserial PRIMARY KEY,
    order_id   bigint NOT NULL REFERENCES orders (id),
    actor_role text NOT NULL,
    actor_id   bigint NOT NULL DEFAULT 0,
    actor_name text NOT NULL DEFAULT '',
    at         timestamptz NOT NULL
);
CREATE INDEX shipments_order ON shipments (order_id);
CREATE INDEX shipments_at ON shipments (at);

CREATE TABLE shipment_lines (
    shipment_id bigint NOT NULL REFERENCES shipments (id),
    product_id  bigint NOT NULL REFERENCES products (id),
    sku         text NOT NULL,
    name        text NOT NULL,
    unit        text NOT NULL,
    qty         bigint NOT NULL CHECK (qty > 0),
    price       bigint NOT NULL CHECK (price >= 0),
    PRIMARY KEY (shipment_id, product_id)
);

CREATE TABLE returns (
    id          bigserial PRIMARY KEY,
    shipment_id bigint NOT NULL REFERENCES shipments (id),
    order_id    bigint NOT NULL REFERENCES orders (id),
    reason      text NOT NULL CHECK (reason <> ''),
    actor_role  text NOT NULL,
    actor_id    bigint NOT NULL DEFAULT 0,
    actor_name  text NOT NULL DEFAULT '',
    at          timestamptz NOT NULL
);
CREATE INDEX returns_shipment ON returns (shipment_id);

CREATE TABLE return_lines (
    return_id  bigint NOT NULL REFERENCES returns (id),
    product_id bigint NOT NULL REFERENCES products (id),
    qty        bigint NOT NULL CHECK (qty > 0),
    PRIMARY KEY (return_id, product_id)
);

-- Gap-free document numbers: one row per kind and year, bumped inside the
-- transaction that issues the document.
CREATE TABLE doc_counters (
    kind text NOT NULL,
    year integer NOT NULL,
    last bigint NOT NULL CHECK (last > 0),
    PRIMARY KEY (kind, year)
);

CREATE TABLE invoices (
    id          bigserial PRIMARY KEY,
    number      text NOT NULL UNIQUE,
    order_id    bigint NOT NULL REFERENCES orders (id),
    customer_id bigint NOT NULL REFERENCES customers (id),
    basis       text NOT NULL CHECK (basis IN ('ordered', 'shipped')),
    issued_on   date NOT NULL,
    due_on      date NOT NULL CHECK (due_on >= issued_on),
    amount      bigint NOT NULL CHECK (amount >= 0),
    currency    char(3) NOT NULL,
    actor_role  text NOT NULL,
    actor_id    bigint NOT NULL DEFAULT 0,
    actor_name  text NOT NULL DEFAULT '',
    created_at  timestamptz NOT NULL
);
CREATE INDEX invoices_customer ON invoices (customer_id, issued_on, id);
CREATE INDEX invoices_order ON invoices (order_id);
CREATE INDEX invoices_due ON invoices (due_on);

CREATE TABLE invoice_lines (
    invoice_id bigint NOT NULL REFERENCES invoices (id),
    product_id bigint NOT NULL REFERENCES products (id),
    sku        text NOT NULL,
    name       text NOT NULL,
    unit       text NOT NULL,
    qty        bigint NOT NULL CHECK (qty > 0),
    price      bigint NOT NULL CHECK (price >= 0),
    PRIMARY KEY (invoice_id, product_id)
);

CREATE TABLE invoice_voids (
    invoice_id bigint PRIMARY KEY REFERENCES invoices (id),
    reason     text NOT NULL CHECK (reason <> ''),
    actor_role text NOT NULL,
    actor_id   bigint NOT NULL DEFAULT 0,
    actor_name text NOT NULL DEFAULT '',
    at         timestamptz NOT NULL
);

CREATE TABLE payments (
    id          bigserial PRIMARY KEY,
    customer_id bigint NOT NULL REFERENCES customers (id),
    order_id    bigint REFERENCES orders (id),
    amount      bigint NOT NULL CHECK (amount > 0),
    currency    char(3) NOT NULL,
    method      text NOT NULL CHECK (method IN ('cash', 'bank', 'card', 'other')),
    reference   text NOT NULL DEFAULT '',
    received_on date NOT NULL,
    actor_role  text NOT NULL,
    actor_id    bigint NOT NULL DEFAULT 0,
    actor_name  text NOT NULL DEFAULT '',
    created_at  timestamptz NOT NULL
);
CREATE INDEX payments_customer ON payments (customer_id, received_on, id);
CREATE INDEX payments_received ON payments (received_on);

CREATE TABLE payment_reversals (
    payment_id bigint PRIMARY KEY REFERENCES payments (id),
    reason     text NOT NULL CHECK (reason <> ''),
    actor_role text NOT NULL,
    actor_id   bigint NOT NULL DEFAULT 0,
    actor_name text NOT NULL DEFAULT '',
    at         timestamptz NOT NULL
);

-- How payments pay invoices (or are held for an order without one yet).
-- Derived from the documents and rewritten whenever they change.
CREATE TABLE allocations (
    customer_id bigint NOT NULL REFERENCES customers (id),
    payment_id  bigint NOT NULL REFERENCES payments (id),
    invoice_id  bigint REFERENCES invoices (id),
    order_id    bigint NOT NULL REFERENCES orders (id),
    amount      bigint NOT NULL CHECK (amount > 0)
);
CREATE INDEX allocations_customer ON allocations (customer_id);
CREATE INDEX allocations_invoice ON allocations (invoice_id);
CREATE INDEX allocations_order ON allocations (order_id);

-- Documents and the audit trail are never edited in place, only added to.
CREATE FUNCTION refuse_document_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is a document: it is never edited or deleted, only added or reversed', TG_TABLE_NAME
        USING ERRCODE = 'restrict_violation';
END
$$;

CREATE TRIGGER shipments_immutable BEFORE UPDATE OR DELETE ON shipments FOR EACH ROW EXECUTE FUNCTION refuse_document_change();
CREATE TRIGGER shipment_lines_immutable BEFORE UPDATE OR DELETE ON shipment_lines FOR EACH ROW EXECUTE FUNCTION refuse_document_change();
CREATE TRIGGER returns_immutable BEFORE UPDATE OR DELETE ON returns FOR EACH ROW EXECUTE FUNCTION refuse_document_change();
CREATE TRIGGER return_lines_immutable BEFORE UPDATE OR DELETE ON return_lines FOR EACH ROW EXECUTE FUNCTION refuse_document_change();
CREATE TRIGGER invoices_immutable BEFORE UPDATE OR DELETE ON invoices FOR EACH ROW EXECUTE FUNCTION refuse_document_change();
CREATE TRIGGER invoice_lines_immutable BEFORE UPDATE OR DELETE ON invoice_lines FOR EACH ROW EXECUTE FUNCTION refuse_document_change();
CREATE TRIGGER invoice_voids_immutable BEFORE UPDATE OR DELETE ON invoice_voids FOR EACH ROW EXECUTE FUNCTION refuse_document_change();
CREATE TRIGGER payments_immutable BEFORE UPDATE OR DELETE ON payments FOR EACH ROW EXECUTE FUNCTION refuse_document_change();
CREATE TRIGGER payment_reversals_immutable BEFORE UPDATE OR DELETE ON payment_reversals FOR EACH ROW EXECUTE FUNCTION refuse_document_change();
CREATE TRIGGER order_events_immutable BEFORE UPDATE OR DELETE ON order_events FOR EACH ROW EXECUTE FUNCTION refuse_document_change();
CREATE TRIGGER stock_moves_immutable BEFORE UPDATE OR DELETE ON stock_moves FOR EACH ROW EXECUTE FUNCTION refuse_document_change();
