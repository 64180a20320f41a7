//! Ordering's ports on PostgreSQL: orders (with their ledger transfers and events), reviews
//! and the admin figures.

mod orders;
mod reviews;
mod rows;
mod stats;

use crate::Db;

/// Implements `OrderRepository`, `ReviewRepository` and `StatsReader`.
#[derive(Clone)]
pub struct PgOrderStore {
    db: Db,
}

impl PgOrderStore {
    pub fn new(db: Db) -> Self {
        Self { db }
    }
}
