-- Values left to ship are line amounts as the documents state them: after
-- the line's discount and with tax when prices exclude it (core.Line.Value).
-- Delivery is not goods: it is never "left to ship".

-- round(a * b / c) half away from zero, exactly, for a, b >= 0 and c > 0
-- (core.mulDivRound). Both functions are single expressions, not STRICT,
-- so that the planner inlines them into the queries that call them.
CREATE FUNCTION mul_div_round(a numeric, b numeric, c numeric) RETURNS bigint
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT div(2 * a * b + c, 2 * c)::bigint
$$;

-- The gross of the first k units of a line of qty units at price with
-- discount, taxed at rate (basis points), prices including tax or not:
-- k * price less the units' share of the discount, plus tax when prices
-- exclude it (core.Line.Value(k, included).Gross). The value of units
-- k1..k2 is line_gross(.., k2) - line_gross(.., k1), as documents bill them.
CREATE FUNCTION line_gross(price bigint, qty bigint, discount bigint, rate integer, included boolean, k bigint)
RETURNS bigint LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT price * k - CASE WHEN k >= qty THEN discount WHEN k <= 0 THEN 0 ELSE mul_div_round(discount, k, qty) END
           + CASE WHEN included THEN 0
                  ELSE mul_div_round(price * k - CASE WHEN k >= qty THEN discount WHEN k <= 0 THEN 0
                                                      ELSE mul_div_round(discount, k, qty) END, rate, 10000) END
$$;

CREATE OR REPLACE FUNCTION sync_awaiting_order() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    w awaiting_orders%ROWTYPE;
BEGIN
    SELECT o.id, o.customer_id, o.created_at, o.promised_on,
           sum(l.qty - l.shipped - l.released),
           sum(line_gross(l.price, l.qty, l.discount, l.tax_rate, o.tax_included, l.qty - l.released)
               - line_gross(l.price, l.qty, l.discount, l.tax_rate, o.tax_included, l.shipped)),
           sum(l.awaited)
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

-- The orders awaiting now: only they are read, not history.
UPDATE awaiting_orders w SET value = v.value
FROM (SELECT o.id,
             sum(line_gross(l.price, l.qty, l.discount, l.tax_rate, o.tax_included, l.qty - l.released)
                 - line_gross(l.price, l.qty, l.discount, l.tax_rate, o.tax_included, l.shipped)) AS value
      FROM awaiting_orders a JOIN orders o ON o.id = a.order_id JOIN order_lines l ON l.order_id = o.id
      GROUP BY o.id) v
WHERE w.order_id = v.id AND w.value IS DISTINCT FROM v.value;
