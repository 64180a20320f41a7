//! PostgreSQL adapters: the system of record. Every port method that changes more than
//! one row runs in one transaction here.

mod catalog;
mod db;
mod error;
mod identity;
mod idempotency;
mod ledger;
mod ordering;
mod outbox;
mod payments;
mod tx;
pub mod migrations;
pub mod schema;
#[cfg(feature = "testing")]
pub mod testing;

pub use catalog::PgCatalogStore;
pub use db::{Db, DbConfig, PoolStatus};
pub use identity::PgIdentityStore;
pub use idempotency::PgIdempotencyStore;
pub use ordering::PgOrderStore;
pub use payments::PgPaymentStore;
