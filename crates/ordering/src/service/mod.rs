//! The ordering use cases.

mod checkout;
mod deliveries;
mod orders;
mod reviews;

use std::sync::Arc;

use chrono::{DateTime, Utc};
use krika_catalog::ports::ServiceRepository;
use krika_kernel::Clock;
use krika_kernel::Percent;
use krika_kernel::ids::UserId;
use krika_kernel::ports::BlobStore;
use krika_payments::ports::{OfferRepository, PaymentGateway};

use crate::ports::{OrderRepository, ReviewRepository};

pub use deliveries::Upload;
pub use orders::Outcome;

/// Who is calling, as far as ordering cares.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Customer {
    pub id: UserId,
    pub name: String,
    pub username: String,
    pub is_admin: bool,
}

#[derive(Debug, Clone)]
pub struct OrderingConfig {
    /// The platform's cut of `subtotal + extrasTotal`.
    pub commission: Percent,
    /// Delivered orders complete themselves after this many days.
    pub auto_complete_days: i64,
    /// Earnings stay unspendable this long after completion (`CLEARANCE_DAYS`).
    pub clearance_days: i64,
    pub delivery_files_max: usize,
    pub delivery_file_max_bytes: usize,
    /// How long a signed link to a delivered file works.
    pub file_link_ttl: std::time::Duration,
    /// How long a checkout whose order write failed after its card charge waits for the
    /// database to say whether the order is there (then voids the charge, or keeps it for
    /// the retry: `OrderingError::ChargeUnsettled`).
    pub settle_within: std::time::Duration,
}

impl Default for OrderingConfig {
    fn default() -> Self {
        Self {
            commission: Percent::whole(10),
            auto_complete_days: 3,
            clearance_days: 0,
            delivery_files_max: 5,
            delivery_file_max_bytes: 25 * 1024 * 1024,
            file_link_ttl: std::time::Duration::from_secs(3600),
            settle_within: std::time::Duration::from_secs(10),
        }
    }
}

#[derive(Clone)]
pub struct OrderingPorts {
    pub orders: Arc<dyn OrderRepository>,
    pub reviews: Arc<dyn ReviewRepository>,
    pub services: Arc<dyn ServiceRepository>,
    pub offers: Arc<dyn OfferRepository>,
    pub gateway: Arc<dyn PaymentGateway>,
    pub blobs: Arc<dyn BlobStore>,
    pub clock: Arc<dyn Clock>,
}

/// The ordering use cases, cheap to clone.
#[derive(Clone)]
pub struct Ordering {
    ports: OrderingPorts,
    config: Arc<OrderingConfig>,
}

impl Ordering {
    pub fn new(ports: OrderingPorts, config: OrderingConfig) -> Self {
        Self {
            ports,
            config: Arc::new(config),
        }
    }

    pub fn config(&self) -> &OrderingConfig {
        &self.config
    }

    fn now(&self) -> DateTime<Utc> {
        self.ports.clock.now()
    }
}
