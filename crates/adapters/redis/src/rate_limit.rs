//! Fixed one-minute windows shared by every API instance, counted here first so that a
//! request costs no Redis round trip: every [`SYNC_EVERY`] the instance adds what it
//! counted to the shared counters in Redis (one pipeline for all of them) and reads their
//! totals back. A decision is the shared total last read plus what this instance counted
//! since. One instance counts exactly; several may together let a subject exceed its limit
//! by what reached the other instances within one interval.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError, Weak};
use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use deadpool_redis::redis;
use krika_kernel::Unexpected;
use krika_kernel::ports::rate_limit::{decide, minute_window};
use krika_kernel::ports::{RateDecision, RateLimiter};

use crate::Redis;

/// How often counts are exchanged with Redis.
pub const SYNC_EVERY: Duration = Duration::from_millis(100);

#[derive(Clone)]
pub struct RedisRateLimiter {
    inner: Arc<Inner>,
}

struct Inner {
    redis: Redis,
    counters: Mutex<HashMap<String, Counter>>,
}

struct Counter {
    /// The window's total in Redis when last read (this instance's counts included).
    shared: u64,
    /// Counted here since.
    pending: u64,
    /// The window's end, unix seconds: the counter is dropped after it.
    ends: i64,
}

impl Inner {
    fn counters(&self) -> MutexGuard<'_, HashMap<String, Counter>> {
        // Counters hold no invariant a panic could break.
        self.counters.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl RedisRateLimiter {
    /// A limiter that exchanges its counts with Redis in the background (when created
    /// inside a Tokio runtime; otherwise only through [`Self::sync`]).
    pub fn new(redis: Redis) -> Self {
        let inner = Arc::new(Inner {
            redis,
            counters: Mutex::default(),
        });
        if let Ok(runtime) = tokio::runtime::Handle::try_current() {
            runtime.spawn(sync_loop(Arc::downgrade(&inner)));
        }
        Self { inner }
    }

    /// Adds the counts made here to Redis and reads the shared totals back.
    pub async fn sync(&self) -> Result<(), Unexpected> {
        sync(&self.inner).await
    }
}

async fn sync_loop(inner: Weak<Inner>) {
    let mut every = tokio::time::interval(SYNC_EVERY);
    every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        every.tick().await;
        let Some(inner) = inner.upgrade() else {
            return;
        };
        if let Err(error) = sync(&inner).await {
            tracing::warn!(%error, "rate-limit counters not shared (counting locally meanwhile)");
        }
    }
}

async fn sync(inner: &Inner) -> Result<(), Unexpected> {
    let batch: Vec<(String, u64)> = {
        let mut counters = inner.counters();
        // Windows before the newest one seen are over (by the app's clock, which tests set).
        let newest = counters.values().map(|c| c.ends).max().unwrap_or_default();
        counters.retain(|_, c| c.ends >= newest);
        counters
            .iter()
            .filter(|(_, c)| c.pending > 0)
            .map(|(key, c)| (key.clone(), c.pending))
            .collect()
    };
    if batch.is_empty() {
        return Ok(());
    }
    let mut pipe = redis::pipe();
    for (key, n) in &batch {
        pipe.incr(key, *n).expire(key, 90).ignore();
    }
    let mut conn = inner.redis.conn().await?;
    let totals: Vec<u64> = pipe
        .query_async(&mut conn)
        .await
        .map_err(Unexpected::unavailable)?;
    let mut counters = inner.counters();
    for ((key, sent), total) in batch.iter().zip(totals) {
        if let Some(counter) = counters.get_mut(key) {
            counter.pending = counter.pending.saturating_sub(*sent);
            counter.shared = total;
        }
    }
    Ok(())
}

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
        let key = self
            .inner
            .redis
            .key(&format!("rl:{bucket}:{subject}:{window}"));
        let mut counters = self.inner.counters();
        let counter = counters.entry(key).or_insert(Counter {
            shared: 0,
            pending: 0,
            ends: reset_at.timestamp(),
        });
        counter.pending += 1;
        Ok(decide(counter.shared + counter.pending, limit, reset_at))
    }
}
