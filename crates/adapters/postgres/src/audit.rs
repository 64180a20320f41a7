//! Checks an operator (or a test, or `make chaos`) runs against the live tables.

use krika_kernel::Unexpected;

use crate::error::unexpected;

/// The ledger's invariants, checked from the tables: all entries sum to zero, so does each
/// ledger transaction; every wallet and escrow balance equals the sum of its entries and
/// is not negative; the escrow of every completed or cancelled order is empty. Returns
/// each broken rule.
pub async fn ledger_violations(db: &crate::Db) -> Result<Vec<String>, Unexpected> {
    use diesel::sql_types::{BigInt, Text};
    use diesel_async::RunQueryDsl;

    #[derive(diesel::QueryableByName)]
    struct Violation {
        #[diesel(sql_type = Text)]
        rule: String,
        #[diesel(sql_type = BigInt)]
        count: i64,
    }
    const CHECKS: &str = "\
        SELECT 'all entries sum to zero' AS rule, count(*) AS count FROM \
            (SELECT 1 FROM ledger_entries HAVING COALESCE(sum(amount), 0) <> 0) t \
        UNION ALL SELECT 'each transaction sums to zero', count(*) FROM \
            (SELECT transaction_id FROM ledger_entries GROUP BY transaction_id HAVING sum(amount) <> 0) t \
        UNION ALL SELECT 'balance equals its entries', count(*) FROM ledger_accounts a \
            WHERE a.kind IN ('wallet', 'escrow') AND a.balance <> \
            (SELECT COALESCE(sum(amount), 0) FROM ledger_entries e WHERE e.account_id = a.id) \
        UNION ALL SELECT 'no negative wallet or escrow', count(*) FROM ledger_accounts \
            WHERE kind IN ('wallet', 'escrow') AND balance < 0 \
        UNION ALL SELECT 'settled orders have empty escrow', count(*) FROM orders o \
            JOIN ledger_accounts a ON a.kind = 'escrow' AND a.owner_id = o.id \
            WHERE o.status IN ('completed', 'cancelled') AND a.balance <> 0 \
        UNION ALL SELECT 'open orders hold their gross in escrow', count(*) FROM orders o \
            JOIN ledger_accounts a ON a.kind = 'escrow' AND a.owner_id = o.id \
            WHERE o.status NOT IN ('completed', 'cancelled') AND a.balance <> o.subtotal + o.extras_total";
    let mut conn = db.conn().await?;
    let rows: Vec<Violation> = diesel::sql_query(CHECKS)
        .load(&mut conn)
        .await
        .map_err(unexpected)?;
    Ok(rows
        .into_iter()
        .filter(|v| v.count > 0)
        .map(|v| format!("{} ({} broken)", v.rule, v.count))
        .collect())
}
