//! The outbox in memory, with the promises of the PostgreSQL one: leased claims that
//! expire, per-subscriber acknowledgements, retries due at a time.

use std::collections::BTreeSet;
use std::sync::Mutex;

use async_trait::async_trait;
use chrono::{DateTime, Duration, Utc};
use krika_kernel::ports::{Backlog, Claimed, OutboxStore, StoredEvent};
use krika_kernel::{DomainEvent, Unexpected};
use uuid::Uuid;

use crate::lock;

struct Row {
    event: StoredEvent,
    next_attempt_at: DateTime<Utc>,
    locked_until: Option<DateTime<Utc>>,
    published_at: Option<DateTime<Utc>>,
    last_error: Option<String>,
}

#[derive(Default)]
pub struct MemoryOutbox {
    rows: Mutex<Vec<Row>>,
    handled: Mutex<BTreeSet<(Uuid, String)>>,
}

impl MemoryOutbox {
    pub fn new() -> Self {
        Self::default()
    }

    /// Writes events, as a use case's transaction would.
    pub fn append(&self, events: &[DomainEvent], now: DateTime<Utc>) {
        let mut rows = lock(&self.rows);
        for e in events {
            rows.push(Row {
                event: StoredEvent {
                    id: Uuid::now_v7(),
                    kind: e.kind.to_owned(),
                    subject: e.subject,
                    data: e.data.clone(),
                    created_at: now,
                    attempts: 0,
                },
                next_attempt_at: now,
                locked_until: None,
                published_at: None,
                last_error: None,
            });
        }
    }

    /// The last error recorded for an event, if it is waiting for a retry.
    pub fn last_error(&self, event: Uuid) -> Option<String> {
        lock(&self.rows)
            .iter()
            .find(|r| r.event.id == event)
            .and_then(|r| r.last_error.clone())
    }
}

#[async_trait]
impl OutboxStore for MemoryOutbox {
    async fn claim(
        &self,
        now: DateTime<Utc>,
        lease: Duration,
        limit: i64,
    ) -> Result<Vec<Claimed>, Unexpected> {
        let mut rows = lock(&self.rows);
        let handled = lock(&self.handled);
        let mut due: Vec<&mut Row> = rows
            .iter_mut()
            .filter(|r| {
                r.published_at.is_none()
                    && r.next_attempt_at <= now
                    && r.locked_until.is_none_or(|until| until <= now)
            })
            .collect();
        due.sort_by_key(|r| (r.next_attempt_at, r.event.created_at, r.event.id));
        let mut claimed: Vec<Claimed> = due
            .into_iter()
            .take(usize::try_from(limit).unwrap_or(0))
            .map(|row| {
                row.locked_until = Some(now + lease);
                Claimed {
                    done: handled
                        .iter()
                        .filter(|(id, _)| *id == row.event.id)
                        .map(|(_, s)| s.clone())
                        .collect(),
                    event: row.event.clone(),
                }
            })
            .collect();
        claimed.sort_by_key(|c| (c.event.created_at, c.event.id));
        Ok(claimed)
    }

    async fn handled(
        &self,
        event: Uuid,
        subscriber: &str,
        _now: DateTime<Utc>,
    ) -> Result<(), Unexpected> {
        lock(&self.handled).insert((event, subscriber.to_owned()));
        Ok(())
    }

    async fn published(&self, event: Uuid, now: DateTime<Utc>) -> Result<(), Unexpected> {
        if let Some(row) = lock(&self.rows).iter_mut().find(|r| r.event.id == event) {
            row.published_at = Some(now);
            row.locked_until = None;
            row.last_error = None;
        }
        Ok(())
    }

    async fn retry_at(
        &self,
        event: Uuid,
        at: DateTime<Utc>,
        error: &str,
    ) -> Result<(), Unexpected> {
        if let Some(row) = lock(&self.rows).iter_mut().find(|r| r.event.id == event) {
            row.event.attempts += 1;
            row.next_attempt_at = at;
            row.locked_until = None;
            row.last_error = Some(error.to_owned());
        }
        Ok(())
    }

    async fn purge_published(&self, before: DateTime<Utc>) -> Result<u64, Unexpected> {
        let mut rows = lock(&self.rows);
        let gone: Vec<Uuid> = rows
            .iter()
            .filter(|r| r.published_at.is_some_and(|at| at < before))
            .map(|r| r.event.id)
            .collect();
        rows.retain(|r| !gone.contains(&r.event.id));
        lock(&self.handled).retain(|(id, _)| !gone.contains(id));
        Ok(gone.len() as u64)
    }

    async fn backlog(&self) -> Result<Backlog, Unexpected> {
        let rows = lock(&self.rows);
        let pending: Vec<&Row> = rows.iter().filter(|r| r.published_at.is_none()).collect();
        Ok(Backlog {
            pending: pending.len() as i64,
            oldest: pending.iter().map(|r| r.event.created_at).min(),
        })
    }
}
