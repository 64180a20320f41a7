//! A shared cache for reads that are costly and change rarely. It is never the system of
//! record: a failing cache is a miss, and writers delete what they change.

use async_trait::async_trait;

use crate::error::Unexpected;

#[async_trait]
pub trait Cache: Send + Sync + 'static {
    async fn get(&self, key: &str) -> Result<Option<Vec<u8>>, Unexpected>;
    async fn put(&self, key: &str, value: &[u8], ttl_secs: u64) -> Result<(), Unexpected>;
    async fn delete(&self, keys: &[String]) -> Result<(), Unexpected>;
}
