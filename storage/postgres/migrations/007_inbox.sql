-- Every update Telegram delivered, stored before it is acknowledged, until
-- it is handled (and a while after, so a redelivery is known for a repeat).
-- The update_id is the key: a second delivery of an update is one row. An
-- update whose handling changed something is marked done in the same
-- transaction as the change, so a repeat finds it done and changes nothing.
CREATE TABLE inbox (
    update_id   bigint PRIMARY KEY,
    chat_id     bigint NOT NULL,
    payload     json NOT NULL,
    received_at timestamptz NOT NULL DEFAULT now(),
    done_at     timestamptz
);
CREATE INDEX inbox_pending ON inbox (chat_id, update_id) WHERE done_at IS NULL;
CREATE INDEX inbox_done ON inbox (done_at) WHERE done_at IS NOT NULL;

-- Who handles each chat's updates now: one lane per chat across replicas,
-- held by a lease its owner renews while it works.
CREATE TABLE chat_lanes (
    chat_id     bigint PRIMARY KEY,
    owner       text NOT NULL,
    lease_until timestamptz NOT NULL
);
CREATE INDEX chat_lanes_owner ON chat_lanes (owner);
