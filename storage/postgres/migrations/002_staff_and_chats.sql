-- Staff added in chat by an owner (owners and managers from configuration
-- are not stored: configuration bootstraps them on every start).
CREATE TABLE staff (
    user_id    bigint PRIMARY KEY,
    role       text NOT NULL CHECK (role IN ('manager', 'owner')),
    name       text NOT NULL DEFAULT '',
    added_by   bigint NOT NULL,
    added_at   timestamptz NOT NULL
);

-- Chats that blocked the bot: nothing more is sent to them until they write
-- again.
CREATE TABLE blocked_chats (
    chat_id    bigint PRIMARY KEY,
    blocked_at timestamptz NOT NULL
);
