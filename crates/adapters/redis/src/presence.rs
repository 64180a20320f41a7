//! Who has an open socket, on any instance: a set of socket ids per user,
//! `{prefix}online:{userId}`, whose key expires unless an open socket refreshes it. A crashed
//! instance's sockets stop refreshing, so the key disappears within one TTL.

use std::time::Duration;

use deadpool_redis::redis;
use krika_kernel::Unexpected;
use krika_kernel::ids::UserId;
use uuid::Uuid;

use crate::Redis;

#[derive(Clone)]
pub struct RedisPresence {
    redis: Redis,
    ttl_secs: u64,
}

impl RedisPresence {
    /// `ttl` should be a few times the interval at which open sockets call `join` again.
    pub fn new(redis: Redis, ttl: Duration) -> Self {
        Self {
            redis,
            ttl_secs: ttl.as_secs().max(1),
        }
    }

    fn key(&self, user: UserId) -> String {
        self.redis.key(&format!("online:{user}"))
    }

    /// Records an open socket, or keeps it recorded for another TTL.
    pub async fn join(&self, user: UserId, socket: Uuid) -> Result<(), Unexpected> {
        let mut conn = self.redis.conn().await?;
        let key = self.key(user);
        let _: () = redis::pipe()
            .atomic()
            .cmd("SADD")
            .arg(&key)
            .arg(socket.to_string())
            .ignore()
            .cmd("EXPIRE")
            .arg(&key)
            .arg(self.ttl_secs)
            .ignore()
            .query_async(&mut conn)
            .await
            .map_err(Unexpected::unavailable)?;
        Ok(())
    }

    /// Forgets a closed socket (Redis drops the key with its last member).
    pub async fn leave(&self, user: UserId, socket: Uuid) -> Result<(), Unexpected> {
        let mut conn = self.redis.conn().await?;
        let _: i64 = redis::cmd("SREM")
            .arg(self.key(user))
            .arg(socket.to_string())
            .query_async(&mut conn)
            .await
            .map_err(Unexpected::unavailable)?;
        Ok(())
    }

    /// Whether some instance recorded an open socket of `user` within the TTL.
    pub async fn is_online(&self, user: UserId) -> Result<bool, Unexpected> {
        let mut conn = self.redis.conn().await?;
        redis::cmd("EXISTS")
            .arg(self.key(user))
            .query_async(&mut conn)
            .await
            .map_err(Unexpected::unavailable)
    }
}
