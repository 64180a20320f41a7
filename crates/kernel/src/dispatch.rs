//! The outbox dispatcher: claims due events, hands each to the subscribers that want it and
//! have not handled it yet, records each success on its own, and schedules a retry (with
//! backoff) for an event some subscriber failed. Several dispatchers (one per API instance,
//! `krika-cli worker`) share the work through the store's leases.

use std::sync::Arc;

use chrono::Duration;

use crate::clock::Clock;
use crate::error::Unexpected;
use crate::ports::outbox::{Claimed, OutboxStore, Subscriber};

/// What one pass did, for logs, metrics and tests.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PassReport {
    pub claimed: usize,
    pub published: usize,
    /// `(subscriber, event kind, error)` of every failure.
    pub failures: Vec<(&'static str, String, String)>,
}

#[derive(Clone)]
pub struct Dispatcher {
    store: Arc<dyn OutboxStore>,
    subscribers: Arc<[Arc<dyn Subscriber>]>,
    clock: Arc<dyn Clock>,
    /// How long a claim holds an event before another dispatcher may take it.
    pub lease: Duration,
    pub batch: i64,
    /// Events delivered at once within a batch.
    pub concurrency: usize,
}

/// Delay before the next try after `attempts` failures: 1 s, 2 s, 4 s… capped at an hour.
pub fn backoff(attempts: i32) -> Duration {
    let exponent = attempts.clamp(0, 12) as u32;
    Duration::seconds((1_i64 << exponent).min(3600))
}

impl Dispatcher {
    pub fn new(
        store: Arc<dyn OutboxStore>,
        subscribers: Vec<Arc<dyn Subscriber>>,
        clock: Arc<dyn Clock>,
    ) -> Self {
        Self {
            store,
            subscribers: subscribers.into(),
            clock,
            lease: Duration::seconds(60),
            batch: 100,
            concurrency: 8,
        }
    }

    pub fn store(&self) -> &Arc<dyn OutboxStore> {
        &self.store
    }

    /// Claims one batch and delivers it, up to `concurrency` events at a time (each
    /// event's subscribers in order). Events of one batch carry no order between them.
    /// An error means the claim itself failed.
    pub async fn pass(&self) -> Result<PassReport, Unexpected> {
        use futures_util::StreamExt;
        let claimed = self
            .store
            .claim(self.clock.now(), self.lease, self.batch)
            .await?;
        let mut report = PassReport {
            claimed: claimed.len(),
            ..PassReport::default()
        };
        let outcomes: Vec<Delivered> = futures_util::stream::iter(claimed)
            .map(|item| self.deliver(item))
            .buffer_unordered(self.concurrency.max(1))
            .collect()
            .await;
        for outcome in outcomes {
            report.published += usize::from(outcome.published);
            report.failures.extend(outcome.failures);
        }
        Ok(report)
    }

    async fn deliver(&self, item: Claimed) -> Delivered {
        let event = &item.event;
        let mut outcome = Delivered::default();
        let mut first_error: Option<String> = None;
        let mut done: Vec<&'static str> = Vec::new();
        for subscriber in self.subscribers.iter() {
            let name = subscriber.name();
            if !subscriber.wants(&event.kind) || item.done.iter().any(|d| d == name) {
                continue;
            }
            match subscriber.handle(event).await {
                Ok(()) => done.push(name),
                Err(error) => {
                    let error = format!("{name}: {error}");
                    outcome
                        .failures
                        .push((name, event.kind.clone(), error.clone()));
                    first_error.get_or_insert(error);
                }
            }
        }
        let now = self.clock.now();
        // If closing fails the lease runs out and the event comes back: nothing is lost.
        match first_error {
            // Everyone is done: one write closes the event. (A crash before it re-runs the
            // subscribers, which are idempotent.)
            None => outcome.published = self.store.published(event.id, now).await.is_ok(),
            // Someone failed: the others' success is recorded, so the retry skips them.
            Some(error) => {
                for name in done {
                    let _ = self.store.handled(event.id, name, now).await;
                }
                let at = now + backoff(event.attempts);
                let _ = self.store.retry_at(event.id, at, &error).await;
            }
        }
        outcome
    }
}

/// What became of one event.
#[derive(Default)]
struct Delivered {
    published: bool,
    failures: Vec<(&'static str, String, String)>,
}
