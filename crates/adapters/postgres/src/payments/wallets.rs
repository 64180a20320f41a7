//! Wallets (read from the ledger) and payouts (written with their ledger transfers).

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel::sql_types::{Array, BigInt, Text, Uuid as SqlUuid};
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use krika_kernel::ids::{PayoutId, UserId};
use krika_kernel::{Currency, DomainEvent, Money, Page, PageRequest, Unexpected};
use krika_payments::Transfer;
use krika_payments::model::{
    EntryType, Payout, PayoutDestination, PayoutStatus, Wallet, WalletEntry,
};
use krika_payments::ports::{
    ClearanceSince, RequestPayoutError, SettlePayoutError, WalletRepository,
};
use uuid::Uuid;

use super::PgPaymentStore;
use crate::Keep;
use crate::error::{currency, unexpected};
use crate::ledger::{EARNINGS, in_clearance, must_cover, post};
use crate::outbox::record;
use crate::schema::{ledger_accounts, ledger_entries, payouts};
use crate::tx::{TxError, settle};

#[derive(Queryable, Selectable, Insertable)]
#[diesel(table_name = payouts, check_for_backend(diesel::pg::Pg))]
struct PayoutRow {
    id: Uuid,
    user_id: Uuid,
    amount: i64,
    currency: String,
    method: String,
    destination: serde_json::Value,
    status: String,
    rejection_reason: Option<String>,
    created_at: DateTime<Utc>,
    processed_at: Option<DateTime<Utc>>,
}

impl PayoutRow {
    fn of(payout: &Payout) -> Self {
        Self {
            id: payout.id.0,
            user_id: payout.user_id.0,
            amount: payout.amount.minor(),
            currency: payout.amount.currency().to_string(),
            method: payout.destination.method().as_str().into(),
            destination: serde_json::to_value(&payout.destination).unwrap_or_default(),
            status: payout.status.as_str().into(),
            rejection_reason: payout.rejection_reason.clone(),
            created_at: payout.created_at,
            processed_at: payout.processed_at,
        }
    }

    fn into_payout(self) -> Result<Payout, Unexpected> {
        let destination: PayoutDestination =
            serde_json::from_value(self.destination).map_err(Unexpected::new)?;
        Ok(Payout {
            id: self.id.into(),
            user_id: self.user_id.into(),
            amount: Money::new(self.amount, currency(&self.currency)?),
            destination,
            status: PayoutStatus::parse(&self.status).ok_or_else(|| {
                Unexpected::msg(format!("unknown payout status {:?}", self.status))
            })?,
            rejection_reason: self.rejection_reason,
            created_at: self.created_at,
            processed_at: self.processed_at,
        })
    }
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = ledger_entries, check_for_backend(diesel::pg::Pg))]
struct EntryRow {
    id: Uuid,
    amount: i64,
    balance_after: Option<i64>,
    entry_type: String,
    order_id: Option<Uuid>,
    payout_id: Option<Uuid>,
    description: String,
    created_at: DateTime<Utc>,
}

#[derive(QueryableByName)]
struct Sum {
    #[diesel(sql_type = BigInt)]
    total: i64,
}

/// The wallet account's id and balance, if the user ever had one.
async fn wallet_account(
    conn: &mut AsyncPgConnection,
    user: Uuid,
) -> QueryResult<Option<(i64, i64)>> {
    ledger_accounts::table
        .filter(ledger_accounts::kind.eq("wallet"))
        .filter(ledger_accounts::owner_id.eq(user))
        .select((ledger_accounts::id, ledger_accounts::balance))
        .first(conn)
        .await
        .optional()
}

#[async_trait]
impl WalletRepository for PgPaymentStore {
    async fn wallet(
        &self,
        user: UserId,
        clearance: ClearanceSince,
        currency: Currency,
    ) -> Result<Wallet, Unexpected> {
        let money = |minor| Money::new(minor, currency);
        let mut conn = self.db.conn().await?;
        // The seller's share of orders paid and not settled yet.
        let in_escrow: Sum = diesel::sql_query(
            "SELECT COALESCE(sum(subtotal + extras_total - commission), 0)::bigint AS total \
             FROM orders WHERE seller_id = $1 \
             AND status IN ('pending', 'in_progress', 'delivered', 'disputed')",
        )
        .bind::<SqlUuid, _>(user.0)
        .kept()
        .get_result(&mut conn)
        .await
        .map_err(unexpected)?;
        let Some((account, balance)) = wallet_account(&mut conn, user.0)
            .await
            .map_err(unexpected)?
        else {
            return Ok(Wallet {
                available: money(0),
                pending: money(in_escrow.total),
                total_earned: money(0),
            });
        };
        let earned: Sum = diesel::sql_query(
            "SELECT COALESCE(sum(amount), 0)::bigint AS total FROM ledger_entries \
             WHERE account_id = $1 AND entry_type = ANY($2)",
        )
        .bind::<BigInt, _>(account)
        .bind::<Array<Text>, _>(EARNINGS.iter().map(|t| t.as_str()).collect::<Vec<_>>())
        .kept()
        .get_result(&mut conn)
        .await
        .map_err(unexpected)?;
        let held = match clearance {
            Some(since) => in_clearance(&mut conn, account, since)
                .await
                .map_err(unexpected)?,
            None => 0,
        }
        .min(balance);
        Ok(Wallet {
            available: money(balance - held),
            pending: money(in_escrow.total + held),
            total_earned: money(earned.total),
        })
    }

    async fn wallet_entries(
        &self,
        user: UserId,
        currency: Currency,
        page: PageRequest,
    ) -> Result<Page<WalletEntry>, Unexpected> {
        let mut conn = self.db.conn().await?;
        let Some((account, _)) = wallet_account(&mut conn, user.0)
            .await
            .map_err(unexpected)?
        else {
            return Ok(Page {
                items: Vec::new(),
                request: page,
                total: 0,
            });
        };
        let total: i64 = ledger_entries::table
            .filter(ledger_entries::account_id.eq(account))
            .count()
            .get_result(&mut conn)
            .await
            .map_err(unexpected)?;
        let rows: Vec<EntryRow> = ledger_entries::table
            .filter(ledger_entries::account_id.eq(account))
            .order((ledger_entries::created_at.desc(), ledger_entries::id.desc()))
            .limit(i64::from(page.limit()))
            .offset(page.offset() as i64)
            .select(EntryRow::as_select())
            .load(&mut conn)
            .await
            .map_err(unexpected)?;
        let items = rows
            .into_iter()
            .map(|row| {
                Ok(WalletEntry {
                    id: row.id,
                    kind: EntryType::parse(&row.entry_type).ok_or_else(|| {
                        Unexpected::msg(format!("unknown entry type {:?}", row.entry_type))
                    })?,
                    amount: Money::new(row.amount, currency),
                    balance_after: Money::new(row.balance_after.unwrap_or_default(), currency),
                    order_id: row.order_id.map(Into::into),
                    payout_id: row.payout_id.map(Into::into),
                    description: row.description,
                    created_at: row.created_at,
                })
            })
            .collect::<Result<_, Unexpected>>()?;
        Ok(Page {
            items,
            request: page,
            total: total as u64,
        })
    }

    async fn payouts(
        &self,
        user: Option<UserId>,
        status: Option<PayoutStatus>,
        page: PageRequest,
    ) -> Result<Page<Payout>, Unexpected> {
        let mut conn = self.db.conn().await?;
        let filtered = || {
            let mut query = payouts::table.into_boxed();
            if let Some(user) = user {
                query = query.filter(payouts::user_id.eq(user.0));
            }
            if let Some(status) = status {
                query = query.filter(payouts::status.eq(status.as_str()));
            }
            query
        };
        let total: i64 = filtered()
            .count()
            .get_result(&mut conn)
            .await
            .map_err(unexpected)?;
        let ordered = match user {
            // A seller reads their latest first; admins work through the oldest first.
            Some(_) => filtered().order((payouts::created_at.desc(), payouts::id.desc())),
            None => filtered().order((payouts::created_at.asc(), payouts::id.asc())),
        };
        let rows: Vec<PayoutRow> = ordered
            .limit(i64::from(page.limit()))
            .offset(page.offset() as i64)
            .select(PayoutRow::as_select())
            .load(&mut conn)
            .await
            .map_err(unexpected)?;
        let items = rows
            .into_iter()
            .map(PayoutRow::into_payout)
            .collect::<Result<_, _>>()?;
        Ok(Page {
            items,
            request: page,
            total: total as u64,
        })
    }

    async fn find_payout(&self, id: PayoutId) -> Result<Option<Payout>, Unexpected> {
        let mut conn = self.db.conn().await?;
        payouts::table
            .find(id.0)
            .select(PayoutRow::as_select())
            .first(&mut conn)
            .await
            .optional()
            .map_err(unexpected)?
            .map(PayoutRow::into_payout)
            .transpose()
    }

    async fn find_payout_by_request(
        &self,
        user: UserId,
        request_key: &str,
    ) -> Result<Option<Payout>, Unexpected> {
        let mut conn = self.db.conn().await?;
        payouts::table
            .filter(payouts::user_id.eq(user.0))
            .filter(payouts::request_key.eq(request_key))
            .select(PayoutRow::as_select())
            .first(&mut conn)
            .await
            .optional()
            .map_err(unexpected)?
            .map(PayoutRow::into_payout)
            .transpose()
    }

    async fn request_payout(
        &self,
        payout: &Payout,
        request_key: Option<&str>,
        transfers: &[Transfer],
        clearance: ClearanceSince,
    ) -> Result<(), RequestPayoutError> {
        let mut conn = self.db.conn().await?;
        let row = PayoutRow::of(payout);
        let now = payout.created_at;
        settle(
            conn.transaction(async |conn| {
                diesel::insert_into(payouts::table)
                    .values((&row, payouts::request_key.eq(request_key)))
                    .kept()
                    .execute(conn)
                    .await?;
                post(conn, transfers, clearance, now).await
            })
            .await,
        )
    }

    async fn settle_payout(
        &self,
        id: PayoutId,
        to: PayoutStatus,
        reason: Option<&str>,
        transfers: &[Transfer],
        events: &[DomainEvent],
        now: DateTime<Utc>,
    ) -> Result<Payout, SettlePayoutError> {
        let mut conn = self.db.conn().await?;
        let result = conn
            .transaction(async |conn| {
                let current: String = payouts::table
                    .find(id.0)
                    .select(payouts::status)
                    .for_update()
                    .first(conn)
                    .await?;
                if current != PayoutStatus::Pending.as_str() {
                    let status = PayoutStatus::parse(&current).unwrap_or(PayoutStatus::Processed);
                    return Err(TxError::Refused(status));
                }
                let row: PayoutRow = diesel::update(payouts::table.find(id.0))
                    .set((
                        payouts::status.eq(to.as_str()),
                        payouts::rejection_reason.eq(reason),
                        payouts::processed_at.eq(now),
                    ))
                    .returning(PayoutRow::as_returning())
                    .kept()
                    .get_result(conn)
                    .await?;
                post(conn, transfers, None, now)
                    .await
                    .map_err(must_cover("the payout's settlement"))?;
                record(conn, events, now).await?;
                Ok(row)
            })
            .await;
        Ok(settle(result)?.into_payout()?)
    }
}
