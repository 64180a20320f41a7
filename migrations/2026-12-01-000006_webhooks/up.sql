-- Webhooks (CONTRACT §9, §9.1): partner endpoints, one delivery per (event, endpoint), and
-- every attempt with what the partner answered.

CREATE TABLE webhook_endpoints (
    id               uuid PRIMARY KEY,
    url              text NOT NULL,
    events           text[] NOT NULL,
    enabled          boolean NOT NULL DEFAULT true,
    disabled_reason  text,
    secret           text NOT NULL,
    previous_secret  text,
    previous_until   timestamptz,
    failing_since    timestamptz,
    created_at       timestamptz NOT NULL,
    updated_at       timestamptz NOT NULL
);
CREATE INDEX webhook_endpoints_created_idx ON webhook_endpoints (created_at DESC, id DESC);

CREATE TABLE webhook_deliveries (
    id               uuid PRIMARY KEY,
    endpoint_id      uuid NOT NULL REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
    -- the outbox event it carries; null for `webhook.test`
    event_id         uuid,
    event_type       text NOT NULL,
    payload          jsonb NOT NULL,
    status           text NOT NULL CHECK (status IN ('pending', 'succeeded', 'failed')),
    attempts         integer NOT NULL DEFAULT 0,
    next_attempt_at  timestamptz,
    locked_until     timestamptz,
    created_at       timestamptz NOT NULL,
    updated_at       timestamptz NOT NULL,
    UNIQUE (event_id, endpoint_id)
);
-- the worker's claim: pending deliveries by due time
CREATE INDEX webhook_deliveries_due_idx ON webhook_deliveries (next_attempt_at)
    WHERE status = 'pending';
-- an endpoint's log, newest first, optionally by status
CREATE INDEX webhook_deliveries_endpoint_idx
    ON webhook_deliveries (endpoint_id, created_at DESC, id DESC);
CREATE INDEX webhook_deliveries_endpoint_status_idx
    ON webhook_deliveries (endpoint_id, status, created_at DESC, id DESC);

CREATE TABLE webhook_attempts (
    id             uuid PRIMARY KEY,
    delivery_id    uuid NOT NULL REFERENCES webhook_deliveries (id) ON DELETE CASCADE,
    at             timestamptz NOT NULL,
    status_code    integer,
    error          text,
    duration_ms    bigint NOT NULL,
    response_body  text
);
CREATE INDEX webhook_attempts_delivery_idx ON webhook_attempts (delivery_id, at);
