use std::collections::HashMap;
use std::sync::Mutex;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use krika_identity::ports::TokenDenylist;
use krika_kernel::Unexpected;
use krika_kernel::ports::rate_limit::{decide, minute_window};
use krika_kernel::ports::{Mail, MailError, Mailer, RateDecision, RateLimiter};
use uuid::Uuid;

use crate::lock;

/// Keeps every mail it is asked to send.
#[derive(Default)]
pub struct MemoryMailer {
    sent: Mutex<Vec<Mail>>,
}

impl MemoryMailer {
    pub fn sent(&self) -> Vec<Mail> {
        lock(&self.sent).clone()
    }
}

#[async_trait]
impl Mailer for MemoryMailer {
    async fn send(&self, mail: Mail) -> Result<(), MailError> {
        lock(&self.sent).push(mail);
        Ok(())
    }
}

/// Denied token ids with their expiry (expired entries are ignored, as Redis would drop them).
#[derive(Default)]
pub struct MemoryDenylist {
    denied: Mutex<HashMap<Uuid, DateTime<Utc>>>,
}

#[async_trait]
impl TokenDenylist for MemoryDenylist {
    async fn deny(
        &self,
        token_id: Uuid,
        until: DateTime<Utc>,
        _now: DateTime<Utc>,
    ) -> Result<(), Unexpected> {
        lock(&self.denied).insert(token_id, until);
        Ok(())
    }

    async fn is_denied(&self, token_id: Uuid) -> Result<bool, Unexpected> {
        Ok(lock(&self.denied).contains_key(&token_id))
    }
}

/// Fixed one-minute windows in a map.
#[derive(Default)]
pub struct MemoryRateLimiter {
    counts: Mutex<HashMap<(String, String, i64), u64>>,
}

#[async_trait]
impl RateLimiter for MemoryRateLimiter {
    async fn hit(
        &self,
        bucket: &str,
        subject: &str,
        limit: u32,
        now: DateTime<Utc>,
    ) -> Result<RateDecision, Unexpected> {
        let (window, reset_at) = minute_window(now);
        let mut counts = lock(&self.counts);
        let count = counts
            .entry((bucket.to_owned(), subject.to_owned(), window))
            .or_default();
        *count += 1;
        Ok(decide(*count, limit, reset_at))
    }
}
