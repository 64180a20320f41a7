//! The payments use cases.

mod offers;
mod payouts;
mod wallet;

use std::sync::Arc;

use chrono::{DateTime, Utc};
use krika_kernel::Clock;
use krika_kernel::ids::UserId;
use krika_kernel::money::{Currency, Money};

use crate::ports::{ClearanceSince, OfferRepository, WalletRepository};

/// Who is calling, as far as payments care.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Payer {
    pub id: UserId,
    pub is_seller: bool,
    pub kyc_approved: bool,
    pub is_admin: bool,
}

#[derive(Debug, Clone)]
pub struct PaymentsConfig {
    pub currency: Currency,
    /// Smallest payout, in `currency`.
    pub min_payout: Money,
    /// Days earnings stay `pending` after completion.
    pub clearance_days: i64,
}

impl Default for PaymentsConfig {
    fn default() -> Self {
        Self {
            currency: Currency::XOF,
            min_payout: Money::new(5_000, Currency::XOF),
            clearance_days: 0,
        }
    }
}

#[derive(Clone)]
pub struct PaymentsPorts {
    pub wallets: Arc<dyn WalletRepository>,
    pub offers: Arc<dyn OfferRepository>,
    pub clock: Arc<dyn Clock>,
}

/// The payments use cases, cheap to clone.
#[derive(Clone)]
pub struct Payments {
    ports: PaymentsPorts,
    config: Arc<PaymentsConfig>,
}

impl Payments {
    pub fn new(ports: PaymentsPorts, config: PaymentsConfig) -> Self {
        Self {
            ports,
            config: Arc::new(config),
        }
    }

    pub fn config(&self) -> &PaymentsConfig {
        &self.config
    }

    fn now(&self) -> DateTime<Utc> {
        self.ports.clock.now()
    }

    fn clearance(&self) -> ClearanceSince {
        crate::ports::clearance_since(self.now(), self.config.clearance_days)
    }
}

fn require_admin(payer: &Payer) -> Result<(), crate::PaymentsError> {
    if payer.is_admin {
        Ok(())
    } else {
        Err(crate::PaymentsError::AdminOnly)
    }
}
