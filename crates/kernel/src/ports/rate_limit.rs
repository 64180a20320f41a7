//! Counting requests per subject in fixed windows, shared by every API instance.

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use crate::error::Unexpected;

/// What the limiter decided for one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateDecision {
    pub allowed: bool,
    pub limit: u32,
    pub remaining: u32,
    /// When the current window ends.
    pub reset_at: DateTime<Utc>,
}

#[async_trait]
pub trait RateLimiter: Send + Sync + 'static {
    /// Counts one request of `subject` in `bucket` against `limit` per minute.
    async fn hit(
        &self,
        bucket: &str,
        subject: &str,
        limit: u32,
        now: DateTime<Utc>,
    ) -> Result<RateDecision, Unexpected>;
}

/// The minute window `now` falls in: its start (unix seconds) and its end.
pub fn minute_window(now: DateTime<Utc>) -> (i64, DateTime<Utc>) {
    let start = now.timestamp() - now.timestamp().rem_euclid(60);
    let end = DateTime::from_timestamp(start + 60, 0).unwrap_or(now);
    (start, end)
}

/// Builds the decision for the `count`-th request of a window.
pub fn decide(count: u64, limit: u32, reset_at: DateTime<Utc>) -> RateDecision {
    RateDecision {
        allowed: count <= u64::from(limit),
        limit,
        remaining: u64::from(limit).saturating_sub(count) as u32,
        reset_at,
    }
}
