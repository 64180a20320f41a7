//! Redis adapters. Redis only holds what may be lost: rate-limit counters, the denylist
//! of logged-out access tokens (which the database's session check backs up) and the read
//! cache (which writers invalidate and TTLs bound), real-time fan-out between instances
//! (pub/sub, which keeps nothing) and socket presence (which expires).

mod cache;
mod denylist;
mod presence;
mod pubsub;
mod rate_limit;

use std::sync::{Arc, Mutex};

use deadpool_redis::redis::aio::{ConnectionLike, MultiplexedConnection};
use deadpool_redis::redis::{Cmd, Pipeline, RedisError, RedisFuture, RedisResult, Value};
use deadpool_redis::{Config, Connection, Pool, Runtime};
use krika_kernel::Unexpected;

pub use cache::RedisCache;
pub use denylist::RedisDenylist;
pub use presence::RedisPresence;
pub use pubsub::{RealtimeBus, Remote};
pub use rate_limit::RedisRateLimiter;

/// One shared connection, the pool that makes it, and the prefix of every key this
/// instance writes (tests use their own prefix).
///
/// A multiplexed connection pipelines the commands of every concurrent caller over one
/// socket, so callers share it instead of checking connections out of the pool: a pool
/// checkout costs a `PING` round trip, as much as the command itself. The pool only
/// connects; a connection that fails is dropped and the next caller gets a new one.
#[derive(Clone)]
pub struct Redis {
    pool: Pool,
    shared: Arc<Mutex<Option<MultiplexedConnection>>>,
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
            shared: Arc::default(),
            prefix: prefix.into(),
        })
    }

    /// The shared connection, made on first use and after a failure.
    async fn conn(&self) -> Result<Shared, Unexpected> {
        let cached = lock(&self.shared).clone();
        let conn = match cached {
            Some(conn) => conn,
            None => {
                let fresh =
                    Connection::take(self.pool.get().await.map_err(Unexpected::unavailable)?);
                lock(&self.shared).get_or_insert(fresh).clone()
            }
        };
        Ok(Shared {
            conn,
            slot: self.shared.clone(),
        })
    }

    fn key(&self, rest: &str) -> String {
        format!("{}{rest}", self.prefix)
    }

    /// The server's id for the shared connection (`CLIENT ID`), for tests and diagnostics.
    pub async fn client_id(&self) -> Result<i64, Unexpected> {
        let mut conn = self.conn().await?;
        deadpool_redis::redis::cmd("CLIENT")
            .arg("ID")
            .query_async(&mut conn)
            .await
            .map_err(Unexpected::unavailable)
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

/// A handle on the shared connection that forgets it when it fails, so the next caller
/// connects again instead of meeting the same dead socket.
pub(crate) struct Shared {
    conn: MultiplexedConnection,
    slot: Arc<Mutex<Option<MultiplexedConnection>>>,
}

impl Shared {
    fn check<T>(&self, result: RedisResult<T>) -> RedisResult<T> {
        if let Err(error) = &result
            && broken(error)
        {
            lock(&self.slot).take();
        }
        result
    }
}

/// The slot holds no invariant a panic could break: a poisoned lock is still usable.
fn lock(
    slot: &Mutex<Option<MultiplexedConnection>>,
) -> std::sync::MutexGuard<'_, Option<MultiplexedConnection>> {
    slot.lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

fn broken(error: &RedisError) -> bool {
    error.is_io_error()
        || error.is_connection_dropped()
        || error.is_unrecoverable_error()
        || error.is_timeout()
}

impl ConnectionLike for Shared {
    fn req_packed_command<'a>(&'a mut self, cmd: &'a Cmd) -> RedisFuture<'a, Value> {
        Box::pin(async move {
            let result = self.conn.req_packed_command(cmd).await;
            self.check(result)
        })
    }

    fn req_packed_commands<'a>(
        &'a mut self,
        pipeline: &'a Pipeline,
        offset: usize,
        count: usize,
    ) -> RedisFuture<'a, Vec<Value>> {
        Box::pin(async move {
            let result = self.conn.req_packed_commands(pipeline, offset, count).await;
            self.check(result)
        })
    }

    fn get_db(&self) -> i64 {
        self.conn.get_db()
    }
}
