//! The ledger's vocabulary. An account's balance is the sum of its entries; a transfer
//! writes two entries (−amount on `from`, +amount on `to`), so every operation balances and
//! all accounts together always sum to zero.

use krika_kernel::ids::{OrderId, PayoutId, UserId};

/// Where money can be.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Account {
    /// A user's balance: refunds for buyers, earnings for sellers. Never negative.
    Wallet(UserId),
    /// What a buyer paid for one order, held until completion or cancellation.
    /// Never negative.
    Escrow(OrderId),
    /// Commission the platform earned.
    PlatformRevenue,
    /// What the platform spends on offers (discounts it pays in the buyer's place).
    Promotions,
    /// Payouts requested and not processed yet.
    PayoutClearing,
    /// Outside the platform: card payments come from it, processed payouts go to it.
    World,
}

impl Account {
    /// The stored account kind.
    pub fn kind(self) -> &'static str {
        match self {
            Account::Wallet(_) => "wallet",
            Account::Escrow(_) => "escrow",
            Account::PlatformRevenue => "platform_revenue",
            Account::Promotions => "promotions",
            Account::PayoutClearing => "payout_clearing",
            Account::World => "world",
        }
    }

    /// The user or order the account belongs to; platform accounts have none.
    pub fn owner(self) -> Option<uuid::Uuid> {
        match self {
            Account::Wallet(user) => Some(user.0),
            Account::Escrow(order) => Some(order.0),
            _ => None,
        }
    }

    /// Wallets and escrows keep a running balance that may never go below zero. The
    /// platform's accounts do not: they are the other side of every transfer, and a
    /// running balance on them would make every payment wait for the same row lock.
    pub fn keeps_balance(self) -> bool {
        matches!(self, Account::Wallet(_) | Account::Escrow(_))
    }
}

krika_kernel::string_enum!(
    /// Why an entry was written (docs/money.md `type`).
    EntryType {
        Payment => "payment",
        EscrowRelease => "escrow_release",
        Commission => "commission",
        Refund => "refund",
        Payout => "payout",
        PayoutReversal => "payout_reversal",
        Discount => "discount",
    }
);

/// Money moving from one account to another.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transfer {
    pub from: Account,
    pub to: Account,
    /// Above zero.
    pub amount: krika_kernel::Money,
    pub kind: EntryType,
    pub order_id: Option<OrderId>,
    pub payout_id: Option<PayoutId>,
    pub description: String,
}
