use async_trait::async_trait;
use chrono::{DateTime, Utc};
use deadpool_redis::redis;
use krika_kernel::Unexpected;
use krika_kernel::ports::rate_limit::{decide, minute_window};
use krika_kernel::ports::{RateDecision, RateLimiter};

use crate::Redis;

/// Fixed one-minute windows: one counter per bucket, subject and minute, shared by every
/// API instance, expiring shortly after its minute.
#[derive(Clone)]
pub struct RedisRateLimiter(pub Redis);

#[async_trait]
impl RateLimiter for RedisRateLimiter {
    async fn hit(
        &self,
        bucket: &str,
        subject: &str,
        limit: u32,
        now: DateTime<Utc>,
    ) -> Result<RateDecision, Unexpected> {
        let (window, reset_at) = minute_window(now);
        let key = self.0.key(&format!("rl:{bucket}:{subject}:{window}"));
        let mut conn = self.0.conn().await?;
        let (count,): (u64,) = redis::pipe()
            .atomic()
            .incr(&key, 1)
            .expire(&key, 90)
            .ignore()
            .query_async(&mut conn)
            .await
            .map_err(Unexpected::new)?;
        Ok(decide(count, limit, reset_at))
    }
}
