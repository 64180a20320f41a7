//! Runs the outbox dispatcher: wakes on every commit that wrote events (PostgreSQL
//! `LISTEN`), and polls as a fallback (retries fall due, a listener reconnects). Every
//! instance runs it; leases decide who delivers what.

use std::sync::LazyLock;
use std::time::Duration;

use krika_kernel::{Dispatcher, PassReport};
use krika_postgres::OutboxListener;
use prometheus::{IntCounterVec, IntGauge, Opts};

/// Undelivered events.
pub static BACKLOG: LazyLock<IntGauge> = LazyLock::new(|| {
    IntGauge::new(
        "krika_outbox_backlog",
        "Outbox events not yet delivered to every subscriber",
    )
    .expect("valid metric")
});

/// Age of the oldest undelivered event.
pub static OLDEST_AGE: LazyLock<IntGauge> = LazyLock::new(|| {
    IntGauge::new(
        "krika_outbox_oldest_age_seconds",
        "Age of the oldest undelivered outbox event, in seconds (0 when none)",
    )
    .expect("valid metric")
});

/// Subscriber failures, by subscriber and event kind.
pub static FAILURES: LazyLock<IntCounterVec> = LazyLock::new(|| {
    IntCounterVec::new(
        Opts::new(
            "krika_outbox_subscriber_failures_total",
            "Outbox events a subscriber failed to handle (retried later)",
        ),
        &["subscriber", "event"],
    )
    .expect("valid metric")
});

/// How often the dispatcher looks without being woken.
const POLL_EVERY: Duration = Duration::from_secs(1);

/// Passes until a batch comes back short (the backlog is drained or only leased and
/// future events are left). Returns what was done.
pub async fn drain(dispatcher: &Dispatcher) -> PassReport {
    let mut total = PassReport::default();
    loop {
        match dispatcher.pass().await {
            Ok(report) => {
                for (subscriber, kind, error) in &report.failures {
                    tracing::warn!(
                        subscriber,
                        event = kind,
                        error,
                        "outbox subscriber failed; retried later"
                    );
                    FAILURES
                        .with_label_values(&[*subscriber, kind.as_str()])
                        .inc();
                }
                let short = (report.claimed as i64) < dispatcher.batch;
                total.claimed += report.claimed;
                total.published += report.published;
                total.failures.extend(report.failures);
                if short {
                    return total;
                }
            }
            Err(error) => {
                tracing::warn!(%error, "outbox claim failed");
                return total;
            }
        }
    }
}

/// Copies the backlog into the gauges.
pub async fn observe(dispatcher: &Dispatcher, now: chrono::DateTime<chrono::Utc>) {
    match dispatcher.store().backlog().await {
        Ok(backlog) => {
            BACKLOG.set(backlog.pending);
            OLDEST_AGE.set(backlog.oldest.map_or(0, |t| (now - t).num_seconds().max(0)));
        }
        Err(error) => tracing::warn!(%error, "outbox backlog unreadable"),
    }
}

/// The dispatcher's loop, until the process ends.
pub async fn run(dispatcher: Dispatcher, database_url: String) {
    let mut listener: Option<OutboxListener> = None;
    loop {
        drain(&dispatcher).await;
        if listener.is_none() {
            listener = OutboxListener::connect(&database_url)
                .await
                .inspect_err(|error| tracing::warn!(%error, "outbox listener unavailable; polling"))
                .ok();
        }
        match listener.as_mut() {
            Some(l) => {
                tokio::select! {
                    woken = l.next() => if woken.is_err() { listener = None },
                    () = tokio::time::sleep(POLL_EVERY) => {}
                }
            }
            None => tokio::time::sleep(POLL_EVERY).await,
        }
    }
}
