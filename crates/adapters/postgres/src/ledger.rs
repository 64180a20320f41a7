//! Posting transfers to the ledger, inside the caller's transaction.
//!
//! Wallet and escrow rows are locked in (kind, owner) order (no deadlocks), their new balances checked
//! (never below zero, nor below what is still in clearance when money leaves a wallet),
//! and every transfer becomes two entries of one ledger transaction. The table's CHECK and
//! the commit-time balance trigger back these rules up.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel::sql_types::{Array, BigInt, Text, Timestamptz, Uuid as SqlUuid};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use krika_payments::model::EntryType;
use krika_payments::ports::{ClearanceSince, InsufficientFunds};
use krika_payments::{Account, Transfer};
use uuid::Uuid;

use crate::Keep;
use crate::schema::ledger_entries;
use crate::tx::TxError;

#[derive(QueryableByName)]
struct AccountRow {
    #[diesel(sql_type = BigInt)]
    id: i64,
    #[diesel(sql_type = Text)]
    kind: String,
    #[diesel(sql_type = SqlUuid)]
    owner_id: Uuid,
    #[diesel(sql_type = BigInt)]
    balance: i64,
}

#[derive(QueryableByName)]
struct Sum {
    #[diesel(sql_type = BigInt)]
    total: i64,
}

#[derive(Insertable)]
#[diesel(table_name = ledger_entries)]
struct NewEntry {
    id: Uuid,
    transaction_id: Uuid,
    account_id: i64,
    amount: i64,
    balance_after: Option<i64>,
    entry_type: &'static str,
    order_id: Option<Uuid>,
    payout_id: Option<Uuid>,
    description: String,
    created_at: DateTime<Utc>,
}

fn owner(account: Account) -> Uuid {
    account.owner().unwrap_or(Uuid::nil())
}

/// The entry types that make up a seller's earnings.
pub const EARNINGS: [EntryType; 2] = [EntryType::EscrowRelease, EntryType::Commission];

/// Earnings credited to `account` since `since`: they are still in clearance.
pub async fn in_clearance(
    conn: &mut AsyncPgConnection,
    account: i64,
    since: DateTime<Utc>,
) -> QueryResult<i64> {
    let sum: Sum = diesel::sql_query(
        "SELECT COALESCE(sum(amount), 0)::bigint AS total FROM ledger_entries \
         WHERE account_id = $1 AND created_at > $2 AND entry_type = ANY($3)",
    )
    .bind::<BigInt, _>(account)
    .bind::<Timestamptz, _>(since)
    .bind::<Array<Text>, _>(EARNINGS.iter().map(|t| t.as_str()).collect::<Vec<_>>())
    .kept()
    .get_result(conn)
    .await?;
    Ok(sum.total.max(0))
}

pub async fn post(
    conn: &mut AsyncPgConnection,
    transfers: &[Transfer],
    clearance: ClearanceSince,
    now: DateTime<Utc>,
) -> Result<(), TxError<InsufficientFunds>> {
    if transfers.is_empty() {
        return Ok(());
    }
    let mut accounts: Vec<Account> = transfers.iter().flat_map(|t| [t.from, t.to]).collect();
    accounts.sort();
    accounts.dedup();
    let (tracked, platform): (Vec<Account>, Vec<Account>) =
        accounts.into_iter().partition(|a| a.keeps_balance());

    // One statement: wallets and escrows are created if new and locked (an upsert locks
    // its row), in (kind, owner) order so that concurrent posts never deadlock; the
    // platform's accounts are only read, so payments never queue on one of their rows.
    let kinds: Vec<&str> = tracked.iter().map(|a| a.kind()).collect();
    let owners: Vec<Uuid> = tracked.iter().map(|a| owner(*a)).collect();
    let platform_kinds: Vec<&str> = platform.iter().map(|a| a.kind()).collect();
    let rows: Vec<AccountRow> = diesel::sql_query(
        "WITH tracked AS ( \
           INSERT INTO ledger_accounts AS a (kind, owner_id) \
           SELECT kind, owner_id FROM unnest($1::text[], $2::uuid[]) AS t(kind, owner_id) \
           ORDER BY kind, owner_id \
           ON CONFLICT (kind, owner_id) DO UPDATE SET kind = EXCLUDED.kind \
           RETURNING a.id, a.kind, a.owner_id, a.balance) \
         SELECT id, kind, owner_id, balance FROM tracked \
         UNION ALL \
         SELECT id, kind, owner_id, balance FROM ledger_accounts \
         WHERE owner_id = '00000000-0000-0000-0000-000000000000' AND kind = ANY($3)",
    )
    .bind::<Array<Text>, _>(&kinds)
    .bind::<Array<SqlUuid>, _>(&owners)
    .bind::<Array<Text>, _>(&platform_kinds)
    .kept()
    .load(conn)
    .await?;
    let ids: HashMap<(String, Uuid), i64> = rows
        .iter()
        .map(|r| ((r.kind.clone(), r.owner_id), r.id))
        .collect();
    let id_of = |account: Account| -> Result<i64, TxError<InsufficientFunds>> {
        ids.get(&(account.kind().to_owned(), owner(account)))
            .copied()
            .ok_or_else(|| TxError::Db(diesel::result::Error::NotFound))
    };
    let mut balances: HashMap<i64, i64> = rows
        .iter()
        .filter(|r| r.kind == "wallet" || r.kind == "escrow")
        .map(|r| (r.id, r.balance))
        .collect();

    let transaction_id = Uuid::now_v7();
    let mut entries = Vec::with_capacity(transfers.len() * 2);
    let mut debited = Vec::new();
    for transfer in transfers {
        for (account, amount) in [
            (transfer.from, -transfer.amount.minor()),
            (transfer.to, transfer.amount.minor()),
        ] {
            let id = id_of(account)?;
            let balance_after = balances.get_mut(&id).map(|balance| {
                *balance += amount;
                *balance
            });
            if amount < 0 && matches!(account, Account::Wallet(_)) {
                debited.push(id);
            }
            entries.push(NewEntry {
                id: Uuid::now_v7(),
                transaction_id,
                account_id: id,
                amount,
                balance_after,
                entry_type: transfer.kind.as_str(),
                order_id: transfer.order_id.map(|o| o.0),
                payout_id: transfer.payout_id.map(|p| p.0),
                description: transfer.description.clone(),
                created_at: now,
            });
        }
    }
    if balances.values().any(|b| *b < 0) {
        return Err(TxError::Refused(InsufficientFunds));
    }
    if let Some(since) = clearance {
        for id in debited {
            if balances[&id] < in_clearance(conn, id, since).await? {
                return Err(TxError::Refused(InsufficientFunds));
            }
        }
    }
    let (ids, values): (Vec<i64>, Vec<i64>) = balances.into_iter().unzip();
    diesel::sql_query(
        "UPDATE ledger_accounts a SET balance = v.balance \
         FROM unnest($1::int8[], $2::int8[]) AS v(id, balance) WHERE a.id = v.id",
    )
    .bind::<Array<BigInt>, _>(ids)
    .bind::<Array<BigInt>, _>(values)
    .kept()
    .execute(conn)
    .await?;
    // Two entries per transfer, and a post holds a few transfers: few shapes to keep.
    diesel::insert_into(ledger_entries::table)
        .values(entries)
        .kept()
        .execute(conn)
        .await?;
    Ok(())
}

/// For posts that cannot be refused (money leaving an escrow or payout clearing, which
/// always holds it): a refusal means the ledger and the records disagree, which must fail
/// loudly rather than read as an ordinary refusal.
pub fn must_cover<R>(what: &'static str) -> impl FnOnce(TxError<InsufficientFunds>) -> TxError<R> {
    move |error| match error {
        TxError::Db(error) => TxError::Db(error),
        TxError::Refused(InsufficientFunds) => {
            TxError::Db(diesel::result::Error::QueryBuilderError(
                format!("the ledger does not cover {what}").into(),
            ))
        }
    }
}
