//! Payments' ports on PostgreSQL: wallets, payouts and offers.

mod offers;
mod wallets;

use crate::Db;

/// Implements `WalletRepository` and `OfferRepository`.
#[derive(Clone)]
pub struct PgPaymentStore {
    db: Db,
}

impl PgPaymentStore {
    pub fn new(db: Db) -> Self {
        Self { db }
    }
}
