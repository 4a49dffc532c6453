-- Where each staff member's card of an order was sent, so that when one of
-- them acts every card can be edited to say who did what.
CREATE TABLE order_cards (
    order_id   bigint NOT NULL REFERENCES orders (id),
    chat_id    bigint NOT NULL,
    message_id bigint NOT NULL,
    PRIMARY KEY (order_id, chat_id, message_id)
);
