use async_trait::async_trait;
use deadpool_redis::redis;
use krika_kernel::Unexpected;
use krika_kernel::ports::Cache;

use crate::Redis;

/// The shared read cache: plain `GET`/`SET EX`/`DEL` under `cache:`.
#[derive(Clone)]
pub struct RedisCache(pub Redis);

impl RedisCache {
    fn key(&self, key: &str) -> String {
        self.0.key(&format!("cache:{key}"))
    }
}

#[async_trait]
impl Cache for RedisCache {
    async fn get(&self, key: &str) -> Result<Option<Vec<u8>>, Unexpected> {
        let mut conn = self.0.conn().await?;
        redis::cmd("GET")
            .arg(self.key(key))
            .query_async(&mut conn)
            .await
            .map_err(Unexpected::new)
    }

    async fn put(&self, key: &str, value: &[u8], ttl_secs: u64) -> Result<(), Unexpected> {
        let mut conn = self.0.conn().await?;
        let _: () = redis::cmd("SET")
            .arg(self.key(key))
            .arg(value)
            .arg("EX")
            .arg(ttl_secs.max(1))
            .query_async(&mut conn)
            .await
            .map_err(Unexpected::new)?;
        Ok(())
    }

    async fn delete(&self, keys: &[String]) -> Result<(), Unexpected> {
        if keys.is_empty() {
            return Ok(());
        }
        let mut conn = self.0.conn().await?;
        let mut command = redis::cmd("DEL");
        for key in keys {
            command.arg(self.key(key));
        }
        let _: i64 = command
            .query_async(&mut conn)
            .await
            .map_err(Unexpected::new)?;
        Ok(())
    }
}
