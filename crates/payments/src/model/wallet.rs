//! What a user sees of their money.

use chrono::{DateTime, Utc};
use krika_kernel::ids::{OrderId, PayoutId};
use uuid::Uuid;

use super::ledger::EntryType;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Wallet {
    /// Can be spent on orders or paid out now.
    pub available: i64,
    /// The seller's share of paid orders not completed yet, plus earnings still in
    /// clearance.
    pub pending: i64,
    /// Net earnings (releases minus commission) since the beginning.
    pub total_earned: i64,
}

/// One line of a wallet's statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WalletEntry {
    pub id: Uuid,
    pub kind: EntryType,
    /// Signed: credits above zero, debits below.
    pub amount: i64,
    pub balance_after: i64,
    pub order_id: Option<OrderId>,
    pub payout_id: Option<PayoutId>,
    pub description: String,
    pub created_at: DateTime<Utc>,
}
