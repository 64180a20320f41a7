//! Background work inside the API process (and alone in `krika-cli worker`). Every instance
//! runs it: the database decides who does what (`FOR UPDATE SKIP LOCKED`, leases), so
//! running several is safe.

use std::time::Duration;

use crate::state::AppState;

/// How often the periodic passes run.
const EVERY: Duration = Duration::from_secs(60);
/// Orders completed per transaction.
const BATCH: i64 = 50;
/// Unread-message e-mails per pass.
const REMINDERS: i64 = 200;

/// One pass: completes delivered orders past `AUTO_COMPLETE_DAYS`, e-mails recipients of
/// messages left unread, forgets idempotency keys older than a day. Returns how many
/// orders were completed.
pub async fn tick(state: &AppState) -> usize {
    let completed = match state.ordering.auto_complete_due(BATCH).await {
        Ok(orders) => orders.len(),
        Err(error) => {
            tracing::error!(%error, "auto-completion failed");
            0
        }
    };
    if completed > 0 {
        tracing::info!(completed, "delivered orders completed automatically");
    }
    match state.messaging.remind_unread(REMINDERS).await {
        Ok(0) => {}
        Ok(sent) => tracing::info!(sent, "unread-message e-mails sent"),
        Err(error) => tracing::warn!(?error, "unread-message e-mails failed"),
    }
    // Delivered events are kept a week for inspection, then forgotten.
    let week_ago = state.clock.now() - chrono::Duration::days(7);
    if let Err(error) = state.dispatcher.store().purge_published(week_ago).await {
        tracing::warn!(%error, "could not purge delivered outbox events");
    }
    let day_ago = state.clock.now() - chrono::Duration::hours(24);
    if let Err(error) = state.idempotency_keys.purge(day_ago).await {
        tracing::warn!(%error, "could not purge idempotency keys");
    }
    completed
}

/// How often due webhook deliveries are looked for.
const WEBHOOKS_EVERY: Duration = Duration::from_secs(1);
/// Webhook deliveries claimed per pass.
const WEBHOOK_BATCH: i64 = 50;

/// One webhook pass: due deliveries attempted. Returns how many.
pub async fn deliver_webhooks(state: &AppState) -> usize {
    match state.webhooks.deliver_due(WEBHOOK_BATCH).await {
        Ok(n) => n,
        Err(error) => {
            tracing::warn!(?error, "webhook delivery pass failed");
            0
        }
    }
}

/// The periodic passes, the webhook sender and the outbox dispatcher, until the process
/// ends.
pub fn spawn(state: AppState) {
    let sender = state.clone();
    tokio::spawn(async move {
        let mut every = tokio::time::interval(WEBHOOKS_EVERY);
        loop {
            every.tick().await;
            // A full batch means more are due: go on without waiting.
            while deliver_webhooks(&sender).await as i64 >= WEBHOOK_BATCH {}
        }
    });
    let periodic = state.clone();
    tokio::spawn(async move {
        let mut every = tokio::time::interval(EVERY);
        loop {
            every.tick().await;
            tick(&periodic).await;
        }
    });
    tokio::spawn(crate::outbox::run(
        state.dispatcher.clone(),
        state.config.database_url.clone(),
    ));
}
