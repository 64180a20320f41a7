//! `GET /admin/stats` from the stores in memory.

use async_trait::async_trait;
use krika_catalog::ServiceStatus;
use krika_identity::{KycStatus, Role, UserStatus};
use krika_kernel::Unexpected;
use krika_ordering::ports::StatsReader;
use krika_ordering::{OrderStatus, PlatformStats};
use krika_payments::{Account, PayoutStatus};

use super::MemoryMarket;
use crate::lock;

#[async_trait]
impl StatsReader for MemoryMarket {
    async fn platform_stats(&self) -> Result<PlatformStats, Unexpected> {
        let state = lock(&self.state);
        let mut stats = PlatformStats::default();
        // Users and KYC files are the identity store's; none without it.
        for user in self
            .identity
            .iter()
            .flat_map(|identity| identity.live_users())
        {
            stats.users.total += 1;
            match user.role {
                Role::Client => stats.users.clients += 1,
                Role::Seller => stats.users.sellers += 1,
                Role::Admin => stats.users.admins += 1,
            }
            if user.status == UserStatus::Suspended {
                stats.users.suspended += 1;
            }
            if user.kyc_status == KycStatus::PendingReview {
                stats.kyc_pending += 1;
            }
        }
        for status in self.catalog.live_statuses() {
            match status {
                ServiceStatus::PendingReview => stats.services.pending_review += 1,
                ServiceStatus::Approved => stats.services.approved += 1,
                ServiceStatus::Rejected => stats.services.rejected += 1,
            }
        }
        stats.orders_by_status = OrderStatus::ALL
            .iter()
            .map(|status| {
                let count = state.orders.values().filter(|o| o.status == *status);
                (*status, count.count() as i64)
            })
            .collect();
        stats.gmv = state
            .orders
            .values()
            .filter(|o| o.status == OrderStatus::Completed)
            .map(|o| o.money().gross.minor())
            .sum();
        stats.revenue = state.ledger.balance(Account::PlatformRevenue);
        for payout in state
            .payouts
            .values()
            .filter(|p| p.status == PayoutStatus::Pending)
        {
            stats.payouts_pending += 1;
            stats.payouts_pending_amount += payout.amount.minor();
        }
        Ok(stats)
    }
}
