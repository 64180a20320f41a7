//! The catalog's ports on PostgreSQL: categories, services, images, search.

mod categories;
mod rows;
mod search;
mod services;

use crate::Db;

/// Implements `CategoryRepository` and `ServiceRepository`.
#[derive(Clone)]
pub struct PgCatalogStore {
    db: Db,
}

impl PgCatalogStore {
    pub fn new(db: Db) -> Self {
        Self { db }
    }
}
