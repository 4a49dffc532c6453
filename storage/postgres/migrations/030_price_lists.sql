-- Price lists: named sets of prices (retail, wholesale, a dealer's own) with
-- quantity breaks. A customer may be on one list; with none, or for a
-- product the list does not price, the catalog price applies. The price of
-- a quantity is the list's price with the largest min_qty not above it.

CREATE TABLE price_lists (
    id         bigserial PRIMARY KEY,
    name       text NOT NULL CHECK (name <> '' AND length(name) <= 64),
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX price_lists_name_key ON price_lists (lower(name));

CREATE TABLE list_prices (
    list_id    bigint NOT NULL REFERENCES price_lists (id),
    product_id bigint NOT NULL REFERENCES products (id),
    min_qty    bigint NOT NULL DEFAULT 1 CHECK (min_qty >= 1),
    price      bigint NOT NULL CHECK (price >= 0),
    PRIMARY KEY (list_id, product_id, min_qty)
);

ALTER TABLE customers ADD COLUMN price_list_id bigint REFERENCES price_lists (id);

-- A product's own VAT rate in basis points (2000 = 20 %); NULL: the shop's.
ALTER TABLE products ADD COLUMN vat_rate integer CHECK (vat_rate BETWEEN 0 AND 10000);
