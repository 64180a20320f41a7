//! Identity's ports on PostgreSQL: users, sessions, refresh tokens, password resets.

mod kyc;
mod resets;
mod rows;
mod sessions;
mod users;

use crate::Db;

/// Implements `UserRepository`, `SessionStore` and `ResetTokenStore`.
#[derive(Clone)]
pub struct PgIdentityStore {
    db: Db,
}

impl PgIdentityStore {
    pub fn new(db: Db) -> Self {
        Self { db }
    }
}
