-- The document an order event made (an invoice, a shipment, a payment), so
-- the notices about it can carry the document itself.
ALTER TABLE order_events ADD COLUMN ref text NOT NULL DEFAULT '';
