//! Webhooks in PostgreSQL: endpoints, one delivery per (event, endpoint) and every attempt.
//! Deliveries are claimed with leases under `FOR UPDATE SKIP LOCKED`, at most a few in
//! flight per endpoint, so a restart between two attempts loses nothing and a slow partner
//! holds back only itself.

mod rows;
mod store;

use crate::Db;

#[derive(Clone)]
pub struct PgWebhookStore {
    db: Db,
}

impl PgWebhookStore {
    pub fn new(db: Db) -> Self {
        Self { db }
    }
}
