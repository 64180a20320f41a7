//! Ports that more than one domain needs. Each is implemented by an adapter crate and by
//! `krika-memory` for tests.

pub mod blob;
pub mod cache;
pub mod idempotency;
pub mod mail;
pub mod rate_limit;

pub use blob::{Blob, BlobError, BlobStore};
pub use cache::Cache;
pub use idempotency::{
    IdempotencyStart, IdempotencyStore, IdempotentAnswer, KEY_KEPT_HOURS, key_expired,
};
pub use mail::{Mail, MailError, Mailer};
pub use rate_limit::{RateDecision, RateLimiter};
pub mod outbox;
pub use outbox::{Backlog, Claimed, OutboxStore, StoredEvent, Subscriber};
pub mod realtime;
pub use realtime::{Frame, Realtime};
