-- The outbox read side (dispatcher) and messaging (CONTRACT §8).

-- Outbox: leases and retries -------------------------------------------------------------
ALTER TABLE outbox_events
    ADD COLUMN attempts        integer NOT NULL DEFAULT 0,
    ADD COLUMN next_attempt_at timestamptz,
    ADD COLUMN locked_until    timestamptz,
    ADD COLUMN last_error      text;
UPDATE outbox_events SET next_attempt_at = created_at;
ALTER TABLE outbox_events ALTER COLUMN next_attempt_at SET NOT NULL;
DROP INDEX outbox_events_unpublished_idx;
-- the dispatcher's claim: undelivered events by due time
CREATE INDEX outbox_events_due_idx ON outbox_events (next_attempt_at, created_at)
    WHERE published_at IS NULL;

-- Which subscriber has handled which event: a failing subscriber is retried alone.
CREATE TABLE outbox_handled (
    event_id    uuid NOT NULL REFERENCES outbox_events (id) ON DELETE CASCADE,
    subscriber  text NOT NULL,
    handled_at  timestamptz NOT NULL,
    PRIMARY KEY (event_id, subscriber)
);

-- Conversations: two participants, at most one per pair and order -----------------------
CREATE TABLE conversations (
    id          uuid PRIMARY KEY,
    -- the pair, smaller id first, so (a, b) and (b, a) are one conversation
    user_low    uuid NOT NULL REFERENCES users (id),
    user_high   uuid NOT NULL REFERENCES users (id),
    order_id    uuid REFERENCES orders (id),
    created_at  timestamptz NOT NULL,
    updated_at  timestamptz NOT NULL,
    last_message_id uuid,
    CHECK (user_low < user_high)
);
CREATE UNIQUE INDEX conversations_pair_order_key
    ON conversations (user_low, user_high, coalesce(order_id, '00000000-0000-0000-0000-000000000000'));
CREATE INDEX conversations_order_idx ON conversations (order_id) WHERE order_id IS NOT NULL;

-- One row per participant: the inbox and unread counts without scanning messages.
CREATE TABLE conversation_members (
    conversation_id  uuid NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    user_id          uuid NOT NULL REFERENCES users (id),
    unread_count     integer NOT NULL DEFAULT 0 CHECK (unread_count >= 0),
    -- copied from the conversation so the inbox is one index scan
    updated_at       timestamptz NOT NULL,
    first_unread_at  timestamptz,
    last_unread_at   timestamptz,
    reminded_at      timestamptz,
    PRIMARY KEY (conversation_id, user_id)
);
CREATE INDEX conversation_members_inbox_idx
    ON conversation_members (user_id, updated_at DESC, conversation_id DESC);
-- the unread-message e-mail's scan
CREATE INDEX conversation_members_unread_idx
    ON conversation_members (first_unread_at) WHERE unread_count > 0;

CREATE TABLE messages (
    id               uuid PRIMARY KEY,
    conversation_id  uuid NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    sender_id        uuid NOT NULL REFERENCES users (id),
    content          text NOT NULL,
    masked           boolean NOT NULL DEFAULT false,
    attachments      jsonb NOT NULL DEFAULT '[]',
    created_at       timestamptz NOT NULL,
    read_at          timestamptz
);
CREATE INDEX messages_conversation_idx ON messages (conversation_id, created_at DESC, id DESC);
CREATE INDEX messages_unread_idx ON messages (conversation_id) WHERE read_at IS NULL;
-- `conversations.last_message_id` is a pointer the post's own transaction keeps right, not a
-- foreign key: a key would need an index that every new message updates (no HOT update).

-- Notifications: one per (event, user), so a redelivered event adds nothing ----------------
CREATE TABLE notifications (
    id            uuid PRIMARY KEY,
    user_id       uuid NOT NULL REFERENCES users (id),
    kind          text NOT NULL,
    title         text NOT NULL,
    body          text NOT NULL,
    data          jsonb NOT NULL,
    source_event  uuid NOT NULL,
    created_at    timestamptz NOT NULL,
    read_at       timestamptz,
    UNIQUE (source_event, user_id)
);
CREATE INDEX notifications_user_idx ON notifications (user_id, created_at DESC, id DESC);
CREATE INDEX notifications_unread_idx ON notifications (user_id, created_at DESC, id DESC)
    WHERE read_at IS NULL;
