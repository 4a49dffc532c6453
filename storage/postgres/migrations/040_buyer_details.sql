-- The business a customer buys for: the company's name and tax number,
-- printed as the buyer on documents. Empty for a private buyer. The
-- format of a tax number is checked by core (it depends on the shop's
-- country); the table keeps it to upper-case letters and digits.
ALTER TABLE customers
    ADD COLUMN company text NOT NULL DEFAULT '' CHECK (char_length(company) <= 200),
    ADD COLUMN tax_id  text NOT NULL DEFAULT '' CHECK (tax_id ~ '^[0-9A-Z]{0,20}$');
