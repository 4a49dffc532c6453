-- Discounts, delivery and tax, fixed on the order when it is placed (as
-- prices are) and copied onto the documents. A line's amount in the terms
-- of its price is qty * price - discount; gross is that plus tax when the
-- prices exclude tax. Rows from before this have no discount and no tax.

ALTER TABLE orders
    ADD COLUMN tax_included      boolean NOT NULL DEFAULT true,
    ADD COLUMN delivery          bigint  NOT NULL DEFAULT 0 CHECK (delivery >= 0),
    ADD COLUMN delivery_rate     integer NOT NULL DEFAULT 0 CHECK (delivery_rate BETWEEN 0 AND 10000),
    ADD COLUMN delivery_invoiced boolean NOT NULL DEFAULT false;

ALTER TABLE order_lines
    ADD COLUMN discount bigint  NOT NULL DEFAULT 0 CHECK (discount >= 0),
    ADD COLUMN tax_rate integer NOT NULL DEFAULT 0 CHECK (tax_rate BETWEEN 0 AND 10000),
    ADD CONSTRAINT order_lines_discount_within CHECK (discount <= qty * price);

-- Document lines: discount and tax of the units on the document; gross is
-- what they come to (NULL on rows from before: qty * price).
ALTER TABLE invoice_lines
    ADD COLUMN discount bigint  NOT NULL DEFAULT 0,
    ADD COLUMN tax_rate integer NOT NULL DEFAULT 0,
    ADD COLUMN tax      bigint  NOT NULL DEFAULT 0,
    ADD COLUMN gross    bigint;
ALTER TABLE credit_note_lines
    ADD COLUMN discount bigint  NOT NULL DEFAULT 0,
    ADD COLUMN tax_rate integer NOT NULL DEFAULT 0,
    ADD COLUMN tax      bigint  NOT NULL DEFAULT 0,
    ADD COLUMN gross    bigint;
ALTER TABLE shipment_lines
    ADD COLUMN discount bigint  NOT NULL DEFAULT 0,
    ADD COLUMN tax_rate integer NOT NULL DEFAULT 0,
    ADD COLUMN tax      bigint  NOT NULL DEFAULT 0,
    ADD COLUMN gross    bigint;

-- The delivery an invoice bills (the first invoice of an order does), in
-- the terms of the prices, with its tax; amount includes it.
ALTER TABLE invoices
    ADD COLUMN tax_included  boolean NOT NULL DEFAULT true,
    ADD COLUMN delivery      bigint  NOT NULL DEFAULT 0 CHECK (delivery >= 0),
    ADD COLUMN delivery_rate integer NOT NULL DEFAULT 0,
    ADD COLUMN delivery_tax  bigint  NOT NULL DEFAULT 0;
ALTER TABLE credit_notes ADD COLUMN tax_included boolean NOT NULL DEFAULT true;
