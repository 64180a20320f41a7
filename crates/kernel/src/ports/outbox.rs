//! The outbox, read side: events written with the change that caused them are claimed in
//! batches and handed to subscribers, each of which records on its own that it is done.

use async_trait::async_trait;
use chrono::{DateTime, Duration, Utc};
use uuid::Uuid;

use crate::error::Unexpected;

/// An event as it was stored in the outbox.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredEvent {
    pub id: Uuid,
    /// `order.created`, `message.created`…
    pub kind: String,
    pub subject: Uuid,
    pub data: serde_json::Value,
    pub created_at: DateTime<Utc>,
    /// How many claims ended in a failure so far.
    pub attempts: i32,
}

impl StoredEvent {
    /// A field of the payload as a UUID (`sellerId`, `orderId`…).
    pub fn uuid(&self, field: &str) -> Option<Uuid> {
        self.data.get(field)?.as_str()?.parse().ok()
    }

    /// A field of the payload as text.
    pub fn text(&self, field: &str) -> Option<&str> {
        self.data.get(field)?.as_str()
    }
}

/// An event claimed for delivery, with the subscribers that already handled it.
#[derive(Debug, Clone, PartialEq)]
pub struct Claimed {
    pub event: StoredEvent,
    pub done: Vec<String>,
}

/// The pending work, for `/metrics`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Backlog {
    pub pending: i64,
    pub oldest: Option<DateTime<Utc>>,
}

#[async_trait]
pub trait OutboxStore: Send + Sync + 'static {
    /// Up to `limit` undelivered events due at `now`, oldest first, leased until
    /// `now + lease`: nobody else claims them meanwhile, and a claimer that dies leaves them
    /// to be claimed again once the lease runs out.
    async fn claim(
        &self,
        now: DateTime<Utc>,
        lease: Duration,
        limit: i64,
    ) -> Result<Vec<Claimed>, Unexpected>;

    /// `subscriber` is done with `event`: it is never handed that event again.
    async fn handled(
        &self,
        event: Uuid,
        subscriber: &str,
        now: DateTime<Utc>,
    ) -> Result<(), Unexpected>;

    /// Every subscriber is done: the event leaves the backlog.
    async fn published(&self, event: Uuid, now: DateTime<Utc>) -> Result<(), Unexpected>;

    /// Some subscriber failed: the event comes back at `at`, its lease released.
    async fn retry_at(&self, event: Uuid, at: DateTime<Utc>, error: &str)
    -> Result<(), Unexpected>;

    async fn backlog(&self) -> Result<Backlog, Unexpected>;

    /// Forgets events every subscriber handled before `before`; returns how many.
    async fn purge_published(&self, before: DateTime<Utc>) -> Result<u64, Unexpected>;
}

/// One reader of the outbox: notifications, e-mail, real-time frames, counters, webhooks.
/// Handlers are idempotent: an event may come twice (a crash after the work, before the
/// acknowledgement).
#[async_trait]
pub trait Subscriber: Send + Sync + 'static {
    /// Stable: it is stored with every event the subscriber has handled.
    fn name(&self) -> &'static str;

    /// Whether this subscriber cares about events of this kind at all.
    fn wants(&self, kind: &str) -> bool;

    async fn handle(&self, event: &StoredEvent) -> Result<(), Unexpected>;
}
