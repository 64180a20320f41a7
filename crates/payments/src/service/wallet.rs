use krika_kernel::ids::UserId;
use krika_kernel::{Page, PageRequest};

use super::Payments;
use crate::PaymentsError;
use crate::model::{Wallet, WalletEntry};

impl Payments {
    pub async fn wallet(&self, user: UserId) -> Result<Wallet, PaymentsError> {
        Ok(self
            .ports
            .wallets
            .wallet(user, self.clearance(), self.config.currency)
            .await?)
    }

    pub async fn wallet_entries(
        &self,
        user: UserId,
        page: PageRequest,
    ) -> Result<Page<WalletEntry>, PaymentsError> {
        Ok(self
            .ports
            .wallets
            .wallet_entries(user, self.config.currency, page)
            .await?)
    }
}
