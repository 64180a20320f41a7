use async_trait::async_trait;
use chrono::{DateTime, Utc};
use deadpool_redis::redis::{self, AsyncCommands};
use krika_identity::ports::TokenDenylist;
use krika_kernel::Unexpected;
use uuid::Uuid;

use crate::Redis;

/// Logged-out access tokens, each kept only until it would have expired anyway.
#[derive(Clone)]
pub struct RedisDenylist(pub Redis);

#[async_trait]
impl TokenDenylist for RedisDenylist {
    async fn deny(
        &self,
        token_id: Uuid,
        until: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Result<(), Unexpected> {
        let seconds = (until - now).num_seconds();
        if seconds <= 0 {
            return Ok(());
        }
        let mut conn = self.0.conn().await?;
        let key = self.0.key(&format!("deny:{token_id}"));
        let _: () = redis::cmd("SET")
            .arg(&key)
            .arg(1)
            .arg("EX")
            .arg(seconds + 1)
            .query_async(&mut conn)
            .await
            .map_err(Unexpected::new)?;
        Ok(())
    }

    async fn is_denied(&self, token_id: Uuid) -> Result<bool, Unexpected> {
        let mut conn = self.0.conn().await?;
        conn.exists(self.0.key(&format!("deny:{token_id}")))
            .await
            .map_err(Unexpected::new)
    }
}
