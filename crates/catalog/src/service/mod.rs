//! The catalog use cases.

mod categories;
mod images;
mod listing;
mod moderation;
mod services;

use std::sync::Arc;

use chrono::{DateTime, Utc};
use krika_kernel::ids::UserId;
use krika_kernel::ports::{BlobStore, Cache};
use krika_kernel::single_flight::SingleFlight;
use krika_kernel::{Clock, Page, Unexpected};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::Service;
use crate::error::CatalogError;
use crate::ports::{CategoryRepository, ServiceRepository};

pub use listing::ListParams;

/// Who is calling, as far as the catalog cares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Actor {
    pub id: UserId,
    pub is_seller: bool,
    pub is_admin: bool,
}

#[derive(Debug, Clone)]
pub struct CatalogConfig {
    pub currency: krika_kernel::Currency,
    pub image_max_bytes: usize,
    pub images_per_upload: usize,
    pub images_per_service: usize,
    pub category_cache_ttl_secs: u64,
    pub service_cache_ttl_secs: u64,
    /// Listing pages; every catalogue write starts a new generation, so this only bounds
    /// how long unused pages stay in Redis.
    pub list_cache_ttl_secs: u64,
}

impl Default for CatalogConfig {
    fn default() -> Self {
        Self {
            currency: krika_kernel::Currency::XOF,
            image_max_bytes: 5 * 1024 * 1024,
            images_per_upload: 5,
            images_per_service: 8,
            category_cache_ttl_secs: 60,
            service_cache_ttl_secs: 300,
            list_cache_ttl_secs: 60,
        }
    }
}

#[derive(Clone)]
pub struct CatalogPorts {
    pub categories: Arc<dyn CategoryRepository>,
    pub services: Arc<dyn ServiceRepository>,
    pub blobs: Arc<dyn BlobStore>,
    pub cache: Arc<dyn Cache>,
    pub clock: Arc<dyn Clock>,
}

/// The catalog use cases, cheap to clone.
#[derive(Clone)]
pub struct Catalog {
    ports: CatalogPorts,
    config: Arc<CatalogConfig>,
    /// Listing pages being read from storage, by cache key: when a popular page expires,
    /// the requests that miss it together share one query.
    page_loads: Arc<PageLoads>,
}

/// A listing page read from storage, shared by the requests that wait for it.
type PageLoads = SingleFlight<String, Result<Page<Service>, Arc<Unexpected>>>;

const CATEGORIES_KEY: &str = "catalog:categories";

/// Names the current state of the catalogue; listing pages are cached under it, and every
/// write replaces it, which retires every cached page at once on every API instance.
const GENERATION_KEY: &str = "catalog:generation";

fn service_key(id: impl std::fmt::Display) -> String {
    format!("catalog:service:{id}")
}

impl Catalog {
    pub fn new(ports: CatalogPorts, config: CatalogConfig) -> Self {
        Self {
            ports,
            config: Arc::new(config),
            page_loads: Arc::default(),
        }
    }

    pub fn config(&self) -> &CatalogConfig {
        &self.config
    }

    /// Where a stored file is served.
    pub fn public_url(&self, key: &str) -> String {
        self.ports.blobs.public_url(key)
    }

    fn now(&self) -> DateTime<Utc> {
        self.ports.clock.now()
    }

    /// A cached value; a broken cache or an undecodable entry is a miss.
    async fn cached<T: DeserializeOwned>(&self, key: &str) -> Option<T> {
        match self.ports.cache.get(key).await {
            Ok(Some(bytes)) => serde_json::from_slice(&bytes).ok(),
            Ok(None) => None,
            Err(error) => {
                tracing::warn!(%error, key, "cache read failed");
                None
            }
        }
    }

    async fn remember<T: Serialize>(&self, key: &str, value: &T, ttl_secs: u64) {
        let Ok(bytes) = serde_json::to_vec(value) else {
            return;
        };
        if let Err(error) = self.ports.cache.put(key, &bytes, ttl_secs).await {
            tracing::warn!(%error, key, "cache write failed");
        }
    }

    /// A service's rating or order count changed outside the catalog (a review, a
    /// completed order): its cached copy goes, so its page shows them at once. Listing
    /// pages keep theirs until their TTL; retiring them all on every order would empty the
    /// cache at the busiest times.
    pub async fn counters_changed(&self, id: krika_kernel::ids::ServiceId) {
        if let Err(error) = self.ports.cache.delete(&[service_key(id)]).await {
            tracing::warn!(%error, "cache invalidation failed");
        }
    }

    /// Drops cached copies after a write, and retires every cached listing page. The write
    /// has happened: a cache that cannot be reached only means entries live until their TTL.
    async fn forget(&self, keys: &[String]) {
        if let Err(error) = self.ports.cache.delete(keys).await {
            tracing::warn!(%error, "cache invalidation failed");
        }
        let generation = uuid::Uuid::now_v7().simple().to_string();
        let ttl = 30 * 24 * 3600;
        if let Err(error) = self
            .ports
            .cache
            .put(GENERATION_KEY, generation.as_bytes(), ttl)
            .await
        {
            tracing::warn!(%error, "cache generation not renewed");
        }
    }

    /// The key a listing page is cached under, `None` when the cache cannot say which
    /// generation is current (then the page is read from storage).
    async fn list_key(
        &self,
        query: &impl std::fmt::Debug,
        page: krika_kernel::PageRequest,
    ) -> Option<String> {
        let generation = match self.ports.cache.get(GENERATION_KEY).await {
            Ok(Some(bytes)) => String::from_utf8(bytes).ok()?,
            Ok(None) => "0".to_owned(),
            Err(_) => return None,
        };
        Some(format!(
            "catalog:list:{generation}:{query:?}:{}:{}",
            page.page(),
            page.limit()
        ))
    }
}

fn require_admin(actor: &Actor) -> Result<(), CatalogError> {
    if actor.is_admin {
        Ok(())
    } else {
        Err(CatalogError::AdminOnly)
    }
}
