//! Idempotency keys (docs/idempotency.md): a repeated request replays the first answer instead of
//! doing the work again.

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use crate::Unexpected;

/// How long a key's answer is kept (CONTRACT §1: at least 24 h). A record placed under a
/// key older than this answers a reuse of the key with a mismatch, never with the record.
pub const KEY_KEPT_HOURS: i64 = 24;

/// Whether a record placed under a key at `placed_at` is past the key's keeping at `now`.
pub fn key_expired(placed_at: DateTime<Utc>, now: DateTime<Utc>) -> bool {
    placed_at < now - chrono::Duration::hours(KEY_KEPT_HOURS)
}

/// What to do with a request carrying a key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IdempotencyStart {
    /// First time: do the work, then `finish` (or `abandon`). `attempt` names this try
    /// to the outside world (a card provider's idempotency key): new for a new, expired
    /// or released key, the same when a stale claim (its request died) is taken over, so
    /// the new try finds what the dead one did outside instead of doing it twice.
    Proceed { attempt: String },
    /// Done before with the same body: send this again.
    Replay { status: u16, body: Vec<u8> },
    /// Same key, different body.
    Mismatch,
    /// The first request with this key has not finished.
    InFlight,
}

/// The answer to a claimed key, for work that stores it with its own writes, in one
/// transaction, instead of through [`IdempotencyStore::finish`] after it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdempotentAnswer {
    pub scope: String,
    pub key: String,
    pub status: u16,
    pub body: Vec<u8>,
}

#[async_trait]
pub trait IdempotencyStore: Send + Sync + 'static {
    /// Claims `key` within `scope` for a request whose body hashes to `fingerprint`.
    /// Keys older than `expired_before` are forgotten; a claim still unfinished before
    /// `stale_before` (its request died) may be taken over by the same body (another body
    /// is a mismatch, as for a live key).
    async fn start(
        &self,
        scope: &str,
        key: &str,
        fingerprint: &str,
        now: DateTime<Utc>,
        expired_before: DateTime<Utc>,
        stale_before: DateTime<Utc>,
    ) -> Result<IdempotencyStart, Unexpected>;

    /// Stores the response to replay.
    async fn finish(
        &self,
        scope: &str,
        key: &str,
        status: u16,
        body: &[u8],
    ) -> Result<(), Unexpected>;

    /// Releases the key (the request failed in a way worth retrying).
    async fn abandon(&self, scope: &str, key: &str) -> Result<(), Unexpected>;
}
