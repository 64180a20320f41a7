//! `GET /admin/stats`: a handful of grouped counts, each served by an index.

use async_trait::async_trait;
use diesel::sql_types::{BigInt, Text};
use diesel_async::RunQueryDsl;
use krika_kernel::Unexpected;
use krika_ordering::ports::StatsReader;
use krika_ordering::{OrderStatus, PlatformStats};

use super::PgOrderStore;
use crate::error::unexpected;

#[derive(QueryableByName)]
struct Group {
    #[diesel(sql_type = Text)]
    name: String,
    #[diesel(sql_type = BigInt)]
    count: i64,
    #[diesel(sql_type = BigInt)]
    amount: i64,
}

use diesel::QueryableByName;

const USERS: &str = "SELECT role || ':' || status AS name, count(*) AS count, 0::bigint AS amount \
     FROM users WHERE deleted_at IS NULL GROUP BY role, status";
const SERVICES: &str = "SELECT status AS name, count(*) AS count, 0::bigint AS amount \
     FROM services WHERE deleted_at IS NULL GROUP BY status";
const ORDERS: &str = "SELECT status AS name, count(*) AS count, \
     COALESCE(sum(subtotal + extras_total), 0)::bigint AS amount FROM orders GROUP BY status";
const SINGLES: &str = "\
     SELECT 'revenue' AS name, 0::bigint AS count, COALESCE(sum(e.amount), 0)::bigint AS amount \
       FROM ledger_entries e JOIN ledger_accounts a ON a.id = e.account_id \
      WHERE a.kind = 'platform_revenue' \
     UNION ALL \
     SELECT 'kyc', count(*), 0 FROM users WHERE kyc_status = 'pending_review' AND deleted_at IS NULL \
     UNION ALL \
     SELECT 'payouts', count(*), COALESCE(sum(amount), 0)::bigint FROM payouts WHERE status = 'pending'";

#[async_trait]
impl StatsReader for PgOrderStore {
    async fn platform_stats(&self) -> Result<PlatformStats, Unexpected> {
        let mut conn = self.db.conn().await?;
        let mut stats = PlatformStats::default();
        let mut groups = Vec::new();
        for query in [USERS, SERVICES, ORDERS, SINGLES] {
            let rows: Vec<Group> = diesel::sql_query(query)
                .load(&mut conn)
                .await
                .map_err(unexpected)?;
            groups.push(rows);
        }
        let [users, services, orders, singles] =
            <[Vec<Group>; 4]>::try_from(groups).map_err(|_| Unexpected::msg("stats queries"))?;
        for g in users {
            let (role, status) = g.name.split_once(':').unwrap_or((&g.name, ""));
            stats.users.total += g.count;
            match role {
                "client" => stats.users.clients += g.count,
                "seller" => stats.users.sellers += g.count,
                "admin" => stats.users.admins += g.count,
                _ => {}
            }
            if status == "suspended" {
                stats.users.suspended += g.count;
            }
        }
        for g in services {
            match g.name.as_str() {
                "pending_review" => stats.services.pending_review = g.count,
                "approved" => stats.services.approved = g.count,
                "rejected" => stats.services.rejected = g.count,
                _ => {}
            }
        }
        stats.orders_by_status = OrderStatus::ALL
            .iter()
            .map(|s| {
                let count = orders
                    .iter()
                    .find(|g| g.name == s.as_str())
                    .map_or(0, |g| g.count);
                (*s, count)
            })
            .collect();
        stats.gmv = orders
            .iter()
            .find(|g| g.name == OrderStatus::Completed.as_str())
            .map_or(0, |g| g.amount);
        for g in singles {
            match g.name.as_str() {
                "revenue" => stats.revenue = g.amount,
                "kyc" => stats.kyc_pending = g.count,
                "payouts" => {
                    stats.payouts_pending = g.count;
                    stats.payouts_pending_amount = g.amount;
                }
                _ => {}
            }
        }
        Ok(stats)
    }
}
