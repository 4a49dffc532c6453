-- The cart generation an order was placed from (orders placed by staff have
-- none). Holds live in Redis and are tagged with their cart's generation;
-- the placing transaction records it here, in the same commit that makes
-- the holds reservations, so a reader that sees the reservation also sees
-- that the holds are spent, and the same cart can never be placed twice.
ALTER TABLE orders ADD COLUMN cart_holder text, ADD COLUMN cart_gen text,
    ADD CHECK ((cart_holder IS NULL) = (cart_gen IS NULL));
CREATE UNIQUE INDEX orders_cart ON orders (cart_holder, cart_gen) WHERE cart_gen IS NOT NULL;
