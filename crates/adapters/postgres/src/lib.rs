//! PostgreSQL adapters: the system of record. Every port method that changes more than
//! one row runs in one transaction here.

pub mod audit;
pub mod bulk;
mod catalog;
mod content;
mod db;
mod error;
mod functions;
mod idempotency;
mod identity;
mod kept;
mod ledger;
mod messaging;
pub mod migrations;
mod ordering;
mod outbox;
mod payments;
pub mod schema;
#[cfg(feature = "testing")]
pub mod testing;
mod tx;
mod webhooks;

pub use catalog::{PgCatalogStore, refresh_seller_ratings};
pub use content::PgContentStore;
pub use db::{Db, DbConfig, PoolStatus};
pub use idempotency::PgIdempotencyStore;
pub use identity::PgIdentityStore;
pub use kept::{Keep, Kept};
pub use messaging::{AvatarUrl, PgMessagingStore};
pub use ordering::PgOrderStore;
pub use outbox::{OUTBOX_CHANNEL, OutboxListener, PgOutbox};
pub use payments::PgPaymentStore;
pub use webhooks::PgWebhookStore;
