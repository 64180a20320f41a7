-- Orders, the double-entry ledger, payouts, offers, reviews, idempotency keys and the
-- outbox (CONTRACT §5–§7).

-- Offers ---------------------------------------------------------------------------------
CREATE TABLE offers (
    id                uuid PRIMARY KEY,
    title             text NOT NULL,
    description       text NOT NULL DEFAULT '',
    code              text UNIQUE CHECK (code = upper(code)),
    discount_percent  integer NOT NULL CHECK (discount_percent BETWEEN 1 AND 90),
    start_date        date NOT NULL,
    end_date          date NOT NULL CHECK (end_date >= start_date),
    created_at        timestamptz NOT NULL,
    updated_at        timestamptz NOT NULL
);
CREATE INDEX offers_end_date_idx ON offers (end_date, start_date);

-- Orders ---------------------------------------------------------------------------------
CREATE SEQUENCE order_number_seq;

CREATE TABLE orders (
    id                 uuid PRIMARY KEY,
    number             text NOT NULL UNIQUE,
    status             text NOT NULL CHECK (status IN
                       ('pending', 'in_progress', 'delivered', 'completed', 'cancelled', 'disputed')),
    buyer_id           uuid NOT NULL REFERENCES users (id),
    seller_id          uuid NOT NULL REFERENCES users (id),
    service_id         uuid NOT NULL REFERENCES services (id),
    -- snapshots: later edits of the service do not change an order
    service_title      text NOT NULL,
    service_slug       text NOT NULL,
    package            jsonb NOT NULL,
    extras             jsonb NOT NULL,
    requirements       text NOT NULL,
    subtotal           bigint NOT NULL CHECK (subtotal > 0),
    extras_total       bigint NOT NULL CHECK (extras_total >= 0),
    discount           bigint NOT NULL CHECK (discount >= 0),
    total              bigint NOT NULL CHECK (total = subtotal + extras_total - discount AND total >= 0),
    commission         bigint NOT NULL CHECK (commission >= 0 AND commission <= subtotal + extras_total),
    currency           text NOT NULL,
    offer_id           uuid REFERENCES offers (id) ON DELETE SET NULL,
    payment_method     text NOT NULL CHECK (payment_method IN ('card', 'wallet')),
    delivery_days      integer NOT NULL,
    due_at             timestamptz,
    revisions_allowed  integer NOT NULL,
    revisions_used     integer NOT NULL DEFAULT 0 CHECK (revisions_used <= revisions_allowed),
    delivered_at       timestamptz,
    created_at         timestamptz NOT NULL,
    updated_at         timestamptz NOT NULL,
    CHECK (buyer_id <> seller_id)
);
CREATE INDEX orders_buyer_idx ON orders (buyer_id, created_at DESC, id DESC);
CREATE INDEX orders_seller_idx ON orders (seller_id, created_at DESC, id DESC);
CREATE INDEX orders_status_idx ON orders (status);
-- the auto-completion worker's scan
CREATE INDEX orders_delivered_idx ON orders (delivered_at) WHERE status = 'delivered';

CREATE TABLE order_deliveries (
    id          uuid PRIMARY KEY,
    order_id    uuid NOT NULL REFERENCES orders (id),
    message     text NOT NULL,
    files       jsonb NOT NULL,
    created_at  timestamptz NOT NULL
);
CREATE INDEX order_deliveries_order_idx ON order_deliveries (order_id, created_at);

CREATE TABLE order_history (
    id           bigserial PRIMARY KEY,
    order_id     uuid NOT NULL REFERENCES orders (id),
    from_status  text,
    to_status    text NOT NULL,
    by_user      uuid REFERENCES users (id),
    reason       text,
    at           timestamptz NOT NULL
);
CREATE INDEX order_history_order_idx ON order_history (order_id, id);

-- Payouts --------------------------------------------------------------------------------
CREATE TABLE payouts (
    id                uuid PRIMARY KEY,
    user_id           uuid NOT NULL REFERENCES users (id),
    amount            bigint NOT NULL CHECK (amount > 0),
    currency          text NOT NULL,
    method            text NOT NULL CHECK (method IN ('bank_transfer', 'mobile_money')),
    destination       jsonb NOT NULL,
    status            text NOT NULL CHECK (status IN ('pending', 'processed', 'rejected')),
    rejection_reason  text,
    created_at        timestamptz NOT NULL,
    processed_at      timestamptz
);
CREATE INDEX payouts_user_idx ON payouts (user_id, created_at DESC);
CREATE INDEX payouts_status_idx ON payouts (status, created_at);

-- Ledger ---------------------------------------------------------------------------------
-- An account's balance is the sum of its entries. Wallets and escrows keep it as a
-- running balance that may never go below zero; the platform's accounts (owner = nil
-- uuid) don't, so payments never queue on one row.
CREATE TABLE ledger_accounts (
    id          bigserial PRIMARY KEY,
    kind        text NOT NULL CHECK (kind IN
                ('wallet', 'escrow', 'platform_revenue', 'promotions', 'payout_clearing', 'world')),
    owner_id    uuid NOT NULL,
    balance     bigint NOT NULL DEFAULT 0,
    created_at  timestamptz NOT NULL DEFAULT now(),
    UNIQUE (kind, owner_id),
    CHECK (kind NOT IN ('wallet', 'escrow') OR balance >= 0)
);

CREATE TABLE ledger_entries (
    id              uuid PRIMARY KEY,
    -- the entries one operation wrote; they sum to zero
    transaction_id  uuid NOT NULL,
    account_id      bigint NOT NULL REFERENCES ledger_accounts (id),
    amount          bigint NOT NULL CHECK (amount <> 0),
    balance_after   bigint,
    entry_type      text NOT NULL CHECK (entry_type IN
                    ('payment', 'escrow_release', 'commission', 'refund', 'payout', 'payout_reversal', 'discount')),
    order_id        uuid REFERENCES orders (id),
    payout_id       uuid REFERENCES payouts (id),
    description     text NOT NULL,
    created_at      timestamptz NOT NULL
);
CREATE INDEX ledger_entries_account_idx ON ledger_entries (account_id, created_at DESC, id DESC);
CREATE INDEX ledger_entries_transaction_idx ON ledger_entries (transaction_id);
CREATE INDEX ledger_entries_order_idx ON ledger_entries (order_id) WHERE order_id IS NOT NULL;

-- Entries are never changed or removed: corrections are new entries.
CREATE FUNCTION ledger_entries_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'ledger entries are immutable';
END $$;
CREATE TRIGGER ledger_entries_no_change BEFORE UPDATE OR DELETE ON ledger_entries
    FOR EACH ROW EXECUTE FUNCTION ledger_entries_immutable();

-- Checked at commit: every transaction's entries balance.
CREATE FUNCTION ledger_transaction_balanced() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF (SELECT sum(amount) FROM ledger_entries WHERE transaction_id = NEW.transaction_id) <> 0 THEN
        RAISE EXCEPTION 'unbalanced ledger transaction %', NEW.transaction_id;
    END IF;
    RETURN NULL;
END $$;
CREATE CONSTRAINT TRIGGER ledger_entries_balanced AFTER INSERT ON ledger_entries
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION ledger_transaction_balanced();

INSERT INTO ledger_accounts (kind, owner_id) VALUES
    ('platform_revenue', '00000000-0000-0000-0000-000000000000'),
    ('promotions', '00000000-0000-0000-0000-000000000000'),
    ('payout_clearing', '00000000-0000-0000-0000-000000000000'),
    ('world', '00000000-0000-0000-0000-000000000000');

-- Reviews --------------------------------------------------------------------------------
CREATE TABLE reviews (
    id                     uuid PRIMARY KEY,
    order_id               uuid NOT NULL UNIQUE REFERENCES orders (id),
    service_id             uuid NOT NULL REFERENCES services (id),
    seller_id              uuid NOT NULL REFERENCES users (id),
    buyer_id               uuid NOT NULL REFERENCES users (id),
    rating                 smallint NOT NULL CHECK (rating BETWEEN 1 AND 5),
    communication          smallint NOT NULL CHECK (communication BETWEEN 1 AND 5),
    quality                smallint NOT NULL CHECK (quality BETWEEN 1 AND 5),
    delivery               smallint NOT NULL CHECK (delivery BETWEEN 1 AND 5),
    comment                text NOT NULL,
    response               text,
    responded_at           timestamptz,
    created_at             timestamptz NOT NULL
);
CREATE INDEX reviews_service_idx ON reviews (service_id, created_at DESC, id DESC);

-- Idempotency keys (CONTRACT §1) ---------------------------------------------------------
CREATE TABLE idempotency_keys (
    scope          text NOT NULL,
    key            text NOT NULL,
    fingerprint    text NOT NULL,
    status_code    integer,
    response_body  bytea,
    created_at     timestamptz NOT NULL,
    PRIMARY KEY (scope, key)
);
CREATE INDEX idempotency_keys_created_idx ON idempotency_keys (created_at);

-- Outbox: events written with the change that caused them, delivered later -------------
CREATE TABLE outbox_events (
    id            uuid PRIMARY KEY,
    event_type    text NOT NULL,
    subject_id    uuid NOT NULL,
    payload       jsonb NOT NULL,
    created_at    timestamptz NOT NULL,
    published_at  timestamptz
);
CREATE INDEX outbox_events_unpublished_idx ON outbox_events (created_at) WHERE published_at IS NULL;
