//! The figures of `GET /admin/stats` (the spec, openapi/openapi.json).

use super::order::OrderStatus;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UserCounts {
    pub total: i64,
    pub clients: i64,
    pub sellers: i64,
    pub admins: i64,
    pub suspended: i64,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ServiceCounts {
    pub pending_review: i64,
    pub approved: i64,
    pub rejected: i64,
}

/// Amounts here are sums in minor units of the platform currency (reports, not money that
/// moves).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PlatformStats {
    pub users: UserCounts,
    pub services: ServiceCounts,
    /// Every status, zero included.
    pub orders_by_status: Vec<(OrderStatus, i64)>,
    /// Gross merchandise value: `subtotal + extrasTotal` of completed orders.
    pub gmv: i64,
    /// Commission earned (completed orders).
    pub revenue: i64,
    pub kyc_pending: i64,
    /// Payouts waiting for an admin, and their total.
    pub payouts_pending: i64,
    pub payouts_pending_amount: i64,
}
