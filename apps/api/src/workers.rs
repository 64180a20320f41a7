//! Background work inside the API process. Every instance runs it: the database decides
//! who does what (`FOR UPDATE SKIP LOCKED`), so running several is safe.

use std::time::Duration;

use crate::state::AppState;

/// How often delivered orders are checked for auto-completion.
const AUTO_COMPLETE_EVERY: Duration = Duration::from_secs(60);
/// Orders completed per transaction.
const BATCH: i64 = 50;

/// One pass: completes delivered orders past `AUTO_COMPLETE_DAYS`, forgets idempotency keys
/// older than a day. Returns how many orders were completed.
pub async fn tick(state: &AppState) -> usize {
    let completed = match state.ordering.auto_complete_due(BATCH).await {
        Ok(orders) => orders,
        Err(error) => {
            tracing::error!(%error, "auto-completion failed");
            Vec::new()
        }
    };
    if !completed.is_empty() {
        tracing::info!(
            completed = completed.len(),
            "delivered orders completed automatically"
        );
    }
    let day_ago = state.clock.now() - chrono::Duration::hours(24);
    if let Err(error) = state.idempotency_keys.purge(day_ago).await {
        tracing::warn!(%error, "could not purge idempotency keys");
    }
    completed.len()
}

pub fn spawn(state: AppState) {
    tokio::spawn(async move {
        let mut every = tokio::time::interval(AUTO_COMPLETE_EVERY);
        loop {
            every.tick().await;
            tick(&state).await;
        }
    });
}
