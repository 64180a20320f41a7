//! What a user sees of their money.

use chrono::{DateTime, Utc};
use krika_kernel::Money;
use krika_kernel::ids::{OrderId, PayoutId};
use uuid::Uuid;

use super::ledger::EntryType;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Wallet {
    /// Can be spent on orders or paid out now.
    pub available: Money,
    /// The seller's share of paid orders not completed yet, plus earnings still in
    /// clearance.
    pub pending: Money,
    /// Net earnings (releases minus commission) since the beginning.
    pub total_earned: Money,
}

/// One line of a wallet's statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WalletEntry {
    pub id: Uuid,
    pub kind: EntryType,
    /// Signed: credits above zero, debits below.
    pub amount: Money,
    pub balance_after: Money,
    pub order_id: Option<OrderId>,
    pub payout_id: Option<PayoutId>,
    pub description: String,
    pub created_at: DateTime<Utc>,
}
