-- Identity: users, sessions (refresh-token families), refresh tokens, password resets.
-- Enumerations are text with CHECK constraints: readable in psql, easy to extend.

CREATE TABLE users (
    id              uuid PRIMARY KEY,
    email           text NOT NULL CHECK (email = lower(email)),
    username        text NOT NULL,
    name            text NOT NULL,
    bio             text,
    phone           text,
    avatar_key      text,
    password_hash   text NOT NULL,
    role            text NOT NULL DEFAULT 'client'
                    CHECK (role IN ('client', 'seller', 'admin')),
    status          text NOT NULL DEFAULT 'active'
                    CHECK (status IN ('active', 'suspended')),
    kyc_status      text NOT NULL DEFAULT 'not_started'
                    CHECK (kyc_status IN ('not_started', 'step1_completed', 'pending_review', 'approved', 'rejected')),
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL,
    deleted_at      timestamptz
);

-- Emails (stored lower-cased) and usernames are unique among live users only: a deleted
-- account frees them.
CREATE UNIQUE INDEX users_email_live_key ON users (email) WHERE deleted_at IS NULL;
CREATE UNIQUE INDEX users_username_live_key ON users (username) WHERE deleted_at IS NULL;
CREATE INDEX users_created_at_idx ON users (created_at);

CREATE TABLE sessions (
    id              uuid PRIMARY KEY,
    user_id         uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at      timestamptz NOT NULL,
    revoked_at      timestamptz,
    revoked_reason  text
);
CREATE INDEX sessions_user_id_idx ON sessions (user_id);

CREATE TABLE refresh_tokens (
    id              uuid PRIMARY KEY,
    session_id      uuid NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    token_digest    bytea NOT NULL UNIQUE,
    expires_at      timestamptz NOT NULL,
    used_at         timestamptz,
    created_at      timestamptz NOT NULL
);
CREATE INDEX refresh_tokens_session_id_idx ON refresh_tokens (session_id);

CREATE TABLE password_resets (
    id              uuid PRIMARY KEY,
    user_id         uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    token_digest    bytea NOT NULL UNIQUE,
    expires_at      timestamptz NOT NULL,
    used_at         timestamptz,
    created_at      timestamptz NOT NULL
);
CREATE INDEX password_resets_user_id_idx ON password_resets (user_id);
