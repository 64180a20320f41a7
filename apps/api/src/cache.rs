//! The read cache with hit and miss counters for `/metrics`.

use std::sync::{Arc, LazyLock};

use async_trait::async_trait;
use krika_kernel::Unexpected;
use krika_kernel::ports::Cache;
use prometheus::{IntCounterVec, Opts};

/// `krika_cache_lookups_total{cache, result}`: one counter for the process, registered in
/// every metrics registry the app builds.
pub static CACHE_LOOKUPS: LazyLock<IntCounterVec> = LazyLock::new(|| {
    IntCounterVec::new(
        Opts::new(
            "krika_cache_lookups_total",
            "Read-cache lookups by cache and result",
        ),
        &["cache", "result"],
    )
    .unwrap_or_else(|e| panic!("static metric definition is valid: {e}"))
});

/// Wraps a cache and counts each lookup as a hit, a miss or an error.
pub struct MeteredCache(pub Arc<dyn Cache>);

/// `catalog:service:…` → `catalog:service`.
fn cache_name(key: &str) -> &str {
    let mut colons = key.match_indices(':').map(|(i, _)| i);
    match (colons.next(), colons.next()) {
        (Some(_), Some(second)) => &key[..second],
        _ => key,
    }
}

#[async_trait]
impl Cache for MeteredCache {
    async fn get(&self, key: &str) -> Result<Option<Vec<u8>>, Unexpected> {
        let found = self.0.get(key).await;
        let result = match &found {
            Ok(Some(_)) => "hit",
            Ok(None) => "miss",
            Err(_) => "error",
        };
        CACHE_LOOKUPS
            .with_label_values(&[cache_name(key), result])
            .inc();
        found
    }

    async fn put(&self, key: &str, value: &[u8], ttl_secs: u64) -> Result<(), Unexpected> {
        self.0.put(key, value, ttl_secs).await
    }

    async fn delete(&self, keys: &[String]) -> Result<(), Unexpected> {
        self.0.delete(keys).await
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn names_a_cache_by_its_first_two_key_parts() {
        assert_eq!(super::cache_name("catalog:service:42"), "catalog:service");
        assert_eq!(
            super::cache_name("catalog:categories"),
            "catalog:categories"
        );
    }
}
