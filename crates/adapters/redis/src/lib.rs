//! Redis adapters. Redis only holds what may be lost: rate-limit counters, the denylist
//! of logged-out access tokens (which the database's session check backs up) and the read
//! cache (which writers invalidate and TTLs bound), real-time fan-out between instances
//! (pub/sub, which keeps nothing) and socket presence (which expires).

mod cache;
mod denylist;
mod presence;
mod pubsub;
mod rate_limit;

use deadpool_redis::{Config, Connection, Pool, Runtime};
use krika_kernel::Unexpected;

pub use cache::RedisCache;
pub use denylist::RedisDenylist;
pub use presence::RedisPresence;
pub use pubsub::{RealtimeBus, Remote};
pub use rate_limit::RedisRateLimiter;

/// A pool and the prefix of every key this instance writes (tests use their own prefix).
#[derive(Clone)]
pub struct Redis {
    pool: Pool,
    prefix: String,
}

impl Redis {
    pub fn connect(url: &str, prefix: impl Into<String>) -> Result<Self, Unexpected> {
        let mut config = Config::from_url(url);
        config.pool = Some(deadpool_redis::PoolConfig {
            max_size: 32,
            timeouts: deadpool_redis::Timeouts {
                wait: Some(std::time::Duration::from_secs(2)),
                create: Some(std::time::Duration::from_secs(2)),
                recycle: Some(std::time::Duration::from_secs(2)),
            },
            ..Default::default()
        });
        let pool = config
            .create_pool(Some(Runtime::Tokio1))
            .map_err(Unexpected::new)?;
        Ok(Self {
            pool,
            prefix: prefix.into(),
        })
    }

    async fn conn(&self) -> Result<Connection, Unexpected> {
        self.pool.get().await.map_err(Unexpected::unavailable)
    }

    fn key(&self, rest: &str) -> String {
        format!("{}{rest}", self.prefix)
    }

    /// `PING`, for readiness.
    pub async fn ping(&self) -> Result<(), Unexpected> {
        let mut conn = self.conn().await?;
        let _: String = deadpool_redis::redis::cmd("PING")
            .query_async(&mut conn)
            .await
            .map_err(Unexpected::unavailable)?;
        Ok(())
    }
}
