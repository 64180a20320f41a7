//! The catalog, ordering and payments use cases wired over the in-memory adapters and one
//! clock: a whole marketplace without a server, for domain tests and tools.

use std::sync::Arc;

use krika_catalog::{Catalog, CatalogConfig, CatalogPorts};
use krika_kernel::ManualClock;
use krika_ordering::{Ordering, OrderingConfig, OrderingPorts};
use krika_payments::gateway::SandboxGateway;
use krika_payments::{Payments, PaymentsConfig, PaymentsPorts};

use crate::{
    MemoryBlobStore, MemoryCache, MemoryCatalogStore, MemoryIdempotencyStore, MemoryIdentityStore,
    MemoryMarket,
};

/// The use cases and the stores behind them, so tests can look at what was written.
pub struct Marketplace {
    pub catalog: Catalog,
    pub ordering: Ordering,
    pub payments: Payments,
    pub store: Arc<MemoryCatalogStore>,
    pub identity: Arc<MemoryIdentityStore>,
    pub market: Arc<MemoryMarket>,
    pub blobs: Arc<MemoryBlobStore>,
    /// Idempotency claims, whose answers the market stores with the orders.
    pub idempotency: Arc<MemoryIdempotencyStore>,
    pub clock: Arc<ManualClock>,
}

impl Marketplace {
    /// Default configurations (10 % commission, sandbox card gateway, 3 days to
    /// auto-complete), with earnings held `clearance_days` by both ordering and payments.
    pub fn new(clock: Arc<ManualClock>, clearance_days: i64) -> Self {
        let store = Arc::new(MemoryCatalogStore::default());
        let identity = Arc::new(MemoryIdentityStore::default());
        let idempotency = Arc::new(MemoryIdempotencyStore::default());
        let market = Arc::new(
            MemoryMarket::new(store.clone())
                .with_identity(identity.clone())
                .with_idempotency(idempotency.clone()),
        );
        let blobs = Arc::new(MemoryBlobStore::default());
        let catalog = Catalog::new(
            CatalogPorts {
                categories: store.clone(),
                services: store.clone(),
                blobs: blobs.clone(),
                cache: Arc::new(MemoryCache::with_clock(clock.clone())),
                clock: clock.clone(),
            },
            CatalogConfig::default(),
        );
        let ordering = Ordering::new(
            OrderingPorts {
                orders: market.clone(),
                reviews: market.clone(),
                services: store.clone(),
                offers: market.clone(),
                gateway: Arc::new(SandboxGateway),
                blobs: blobs.clone(),
                clock: clock.clone(),
            },
            OrderingConfig {
                clearance_days,
                ..OrderingConfig::default()
            },
        );
        let payments = Payments::new(
            PaymentsPorts {
                wallets: market.clone(),
                offers: market.clone(),
                clock: clock.clone(),
            },
            PaymentsConfig {
                clearance_days,
                ..PaymentsConfig::default()
            },
        );
        Self {
            catalog,
            ordering,
            payments,
            store,
            identity,
            market,
            blobs,
            idempotency,
            clock,
        }
    }
}
