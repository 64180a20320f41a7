//! The blog's port on PostgreSQL: posts, their former slugs, search.

mod posts;
mod rows;
mod slugs;

use crate::Db;

/// Implements `PostRepository`.
#[derive(Clone)]
pub struct PgContentStore {
    db: Db,
}

impl PgContentStore {
    pub fn new(db: Db) -> Self {
        Self { db }
    }
}
