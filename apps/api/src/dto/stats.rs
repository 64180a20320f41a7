//! `GET /admin/stats` (the spec, openapi/openapi.json).

use krika_ordering::{OrderStatus, PlatformStats};
use serde::Serialize;
use utoipa::ToSchema;

use super::envelope;

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct UserStats {
    pub total: i64,
    pub clients: i64,
    pub sellers: i64,
    pub admins: i64,
    pub suspended: i64,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ServiceStats {
    pub pending_review: i64,
    pub approved: i64,
    pub rejected: i64,
}

/// Orders in each status.
#[derive(Debug, Default, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct OrdersByStatus {
    pub pending: i64,
    pub in_progress: i64,
    pub delivered: i64,
    pub completed: i64,
    pub cancelled: i64,
    pub disputed: i64,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct OrderStats {
    pub by_status: OrdersByStatus,
    /// Gross merchandise value: `subtotal + extrasTotal` of completed orders.
    pub gmv: i64,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PayoutStats {
    pub count: i64,
    pub amount: i64,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = PlatformStats)]
pub struct StatsDto {
    pub users: UserStats,
    pub services: ServiceStats,
    pub orders: OrderStats,
    /// Commission earned on completed orders.
    pub revenue: i64,
    #[schema(example = "XOF")]
    pub currency: String,
    /// KYC files waiting for review.
    pub kyc_pending: i64,
    /// Payouts waiting for an admin.
    pub payouts_pending: PayoutStats,
}

impl StatsDto {
    pub fn new(stats: PlatformStats, currency: String) -> Self {
        let mut by_status = OrdersByStatus::default();
        for (status, count) in stats.orders_by_status {
            let slot = match status {
                OrderStatus::Pending => &mut by_status.pending,
                OrderStatus::InProgress => &mut by_status.in_progress,
                OrderStatus::Delivered => &mut by_status.delivered,
                OrderStatus::Completed => &mut by_status.completed,
                OrderStatus::Cancelled => &mut by_status.cancelled,
                OrderStatus::Disputed => &mut by_status.disputed,
            };
            *slot = count;
        }
        Self {
            users: UserStats {
                total: stats.users.total,
                clients: stats.users.clients,
                sellers: stats.users.sellers,
                admins: stats.users.admins,
                suspended: stats.users.suspended,
            },
            services: ServiceStats {
                pending_review: stats.services.pending_review,
                approved: stats.services.approved,
                rejected: stats.services.rejected,
            },
            orders: OrderStats {
                by_status,
                gmv: stats.gmv,
            },
            revenue: stats.revenue,
            currency,
            kyc_pending: stats.kyc_pending,
            payouts_pending: PayoutStats {
                count: stats.payouts_pending,
                amount: stats.payouts_pending_amount,
            },
        }
    }
}

envelope!(StatsResponse, StatsDto);
