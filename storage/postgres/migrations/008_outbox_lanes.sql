-- Delivery by chat lane. A sender claims a whole lane (a chat's notices of
-- one lane) for a short lease it renews while it works, sends the lane's
-- due notices in order, and gives the lane back. Claiming looks at lanes,
-- not at notices: it costs the same with 40,000 notices queued as with 40.
-- Lanes are never deleted while they may have notices: next_at says when
-- the lane is due ('infinity': nothing pending), and seq counts enqueues so
-- that a sender giving a lane back cannot hide a notice added meanwhile.
ALTER TABLE outbox ADD COLUMN prio smallint NOT NULL DEFAULT 1;

CREATE TABLE outbox_lanes (
    chat_id       bigint NOT NULL,
    lane          smallint NOT NULL,
    prio          smallint NOT NULL,
    next_at       timestamptz NOT NULL,
    seq           bigint NOT NULL DEFAULT 0,
    claim         text NOT NULL DEFAULT '',
    claimed_until timestamptz,
    PRIMARY KEY (chat_id, lane)
);
CREATE INDEX outbox_lanes_due ON outbox_lanes (prio, next_at);

INSERT INTO outbox_lanes (chat_id, lane, prio, next_at)
SELECT chat_id, lane, min(prio), min(not_before) FROM outbox WHERE state = 'pending' GROUP BY chat_id, lane;
