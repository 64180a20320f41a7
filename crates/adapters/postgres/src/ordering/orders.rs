//! Orders: placing one and every status change are single transactions that also post the
//! ledger transfers and record the outbox events.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel::sql_types::BigInt;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use krika_kernel::ids::{OrderId, UserId};
use krika_kernel::ports::IdempotentAnswer;
use krika_kernel::{DomainEvent, Page, PageRequest, RepoError, Unexpected};
use krika_ordering::ports::{
    ChangeOrderError, OrderRepository, OrderUnchanged, PlaceOrderError, Side,
};
use krika_ordering::rules::{ChangeRequest, Decision, Via, decide};
use krika_ordering::{Order, OrderStatus, Party};
use krika_payments::Transfer;
use krika_payments::ports::ClearanceSince;
use uuid::Uuid;

use super::PgOrderStore;
use super::rows::{DeliveryRow, HistoryRow, OrderRow, assemble};
use crate::Keep;
use crate::error::unexpected;
use crate::ledger::{must_cover, post};
use crate::outbox::record;
use crate::schema::{order_deliveries, order_history, orders, services};
use crate::tx::{TxError, settle};

#[derive(QueryableByName)]
struct Next {
    #[diesel(sql_type = BigInt)]
    value: i64,
}

/// The order, with its row locked until the transaction ends.
async fn lock(
    conn: &mut AsyncPgConnection,
    id: Uuid,
) -> Result<Option<Order>, TxError<OrderUnchanged>> {
    let row: Option<OrderRow> = orders::table
        .find(id)
        .select(OrderRow::as_select())
        .for_update()
        .first(conn)
        .await
        .optional()?;
    let Some(row) = row else { return Ok(None) };
    let mut assembled = assemble(conn, vec![row]).await.map_err(|e| {
        TxError::Db(diesel::result::Error::QueryBuilderError(
            e.to_string().into(),
        ))
    })?;
    Ok(assembled.pop())
}

/// Writes a decision and returns the order as it now is.
async fn apply(
    conn: &mut AsyncPgConnection,
    mut order: Order,
    decision: Decision,
    now: DateTime<Utc>,
) -> Result<Order, TxError<OrderUnchanged>> {
    diesel::update(orders::table.find(order.id.0))
        .set((
            orders::status.eq(decision.status.as_str()),
            orders::due_at.eq(decision.due_at),
            orders::revisions_used.eq(decision.revisions_used),
            orders::delivered_at.eq(decision.delivered_at),
            orders::updated_at.eq(now),
        ))
        .kept()
        .execute(conn)
        .await?;
    if let Some(delivery) = &decision.delivery {
        diesel::insert_into(order_deliveries::table)
            .values(DeliveryRow {
                id: delivery.id.0,
                order_id: order.id.0,
                message: delivery.message.clone(),
                files: serde_json::to_value(&delivery.files).unwrap_or_default(),
                created_at: delivery.created_at,
            })
            .kept()
            .execute(conn)
            .await?;
    }
    diesel::insert_into(order_history::table)
        .values(HistoryRow::of(order.id.0, &decision.history))
        .kept()
        .execute(conn)
        .await?;
    post(conn, &decision.transfers, None, now)
        .await
        .map_err(must_cover("the order's release or refund"))?;
    record(conn, &decision.events, now).await?;
    if decision.status == OrderStatus::Completed {
        // `ordersCount` counts completed orders: the figure buyers trust, and the
        // seller's `completedOrders` is its sum.
        diesel::update(services::table.find(order.service.id.0))
            .set(services::orders_count.eq(services::orders_count + 1))
            .kept()
            .execute(conn)
            .await?;
    }

    order.status = decision.status;
    order.due_at = decision.due_at;
    order.revisions_used = decision.revisions_used;
    order.delivered_at = decision.delivered_at;
    order.updated_at = now;
    order.deliveries.extend(decision.delivery);
    order.history.push(decision.history);
    Ok(order)
}

#[async_trait]
impl OrderRepository for PgOrderStore {
    async fn next_order_number(&self, year: i32) -> Result<String, Unexpected> {
        let mut conn = self.db.conn().await?;
        let next: Next = diesel::sql_query("SELECT nextval('order_number_seq') AS value")
            .kept()
            .get_result(&mut conn)
            .await
            .map_err(unexpected)?;
        Ok(format!("KR-{year}-{:06}", next.value))
    }

    async fn place_order(
        &self,
        order: &Order,
        request_key: Option<&str>,
        transfers: &[Transfer],
        clearance: ClearanceSince,
        events: &[DomainEvent],
        answer: Option<&IdempotentAnswer>,
    ) -> Result<(), PlaceOrderError> {
        let mut conn = self.db.conn().await?;
        let row = OrderRow::of(order);
        let history: Vec<HistoryRow> = order
            .history
            .iter()
            .map(|h| HistoryRow::of(order.id.0, h))
            .collect();
        let now = order.created_at;
        settle(
            conn.transaction(async |conn| {
                diesel::insert_into(orders::table)
                    .values((&row, orders::request_key.eq(request_key)))
                    .kept()
                    .execute(conn)
                    .await?;
                diesel::insert_into(order_history::table)
                    .values(&history)
                    .kept()
                    .execute(conn)
                    .await?;
                post(conn, transfers, clearance, now).await?;
                record(conn, events, now).await?;
                if let Some(answer) = answer {
                    crate::idempotency::answer(conn, answer).await?;
                }
                Ok(())
            })
            .await,
        )
    }

    async fn find_order(&self, id: OrderId) -> Result<Option<Order>, Unexpected> {
        let mut conn = self.db.conn().await?;
        let row: Option<OrderRow> = orders::table
            .find(id.0)
            .select(OrderRow::as_select())
            .first(&mut conn)
            .await
            .optional()
            .map_err(unexpected)?;
        Ok(assemble(&mut conn, row.into_iter().collect()).await?.pop())
    }

    async fn find_order_by_request(
        &self,
        buyer: UserId,
        request_key: &str,
    ) -> Result<Option<Order>, Unexpected> {
        let mut conn = self.db.conn().await?;
        let row: Option<OrderRow> = orders::table
            .filter(orders::buyer_id.eq(buyer.0))
            .filter(orders::request_key.eq(request_key))
            .select(OrderRow::as_select())
            .first(&mut conn)
            .await
            .optional()
            .map_err(unexpected)?;
        Ok(assemble(&mut conn, row.into_iter().collect()).await?.pop())
    }

    async fn list_orders(
        &self,
        side: Side,
        user: UserId,
        status: Option<OrderStatus>,
        page: PageRequest,
    ) -> Result<Page<Order>, Unexpected> {
        let mut conn = self.db.conn().await?;
        let filtered = || {
            let mut query = orders::table.into_boxed();
            query = match side {
                Side::Purchases => query.filter(orders::buyer_id.eq(user.0)),
                Side::Sales => query.filter(orders::seller_id.eq(user.0)),
            };
            if let Some(status) = status {
                query = query.filter(orders::status.eq(status.as_str()));
            }
            query
        };
        let total: i64 = filtered()
            .count()
            .get_result(&mut conn)
            .await
            .map_err(unexpected)?;
        let rows: Vec<OrderRow> = filtered()
            .order((orders::created_at.desc(), orders::id.desc()))
            .limit(i64::from(page.limit()))
            .offset(page.offset() as i64)
            .select(OrderRow::as_select())
            .load(&mut conn)
            .await
            .map_err(unexpected)?;
        Ok(Page {
            items: assemble(&mut conn, rows).await?,
            request: page,
            total: total as u64,
        })
    }

    async fn change_order(
        &self,
        id: OrderId,
        request: &ChangeRequest,
    ) -> Result<Order, ChangeOrderError> {
        let mut conn = self.db.conn().await?;
        let result = conn
            .transaction(async |conn| {
                let order = lock(conn, id.0)
                    .await?
                    .ok_or(TxError::Refused(OrderUnchanged::Gone))?;
                let decision = decide(&order, request)
                    .map_err(|r| TxError::Refused(OrderUnchanged::Refused(r)))?;
                apply(conn, order, decision, request.now).await
            })
            .await;
        settle(result)
    }

    async fn auto_complete(
        &self,
        delivered_before: DateTime<Utc>,
        now: DateTime<Utc>,
        limit: i64,
    ) -> Result<Vec<Order>, Unexpected> {
        let mut conn = self.db.conn().await?;
        let result = conn
            .transaction(async |conn| {
                // Rows another instance is completing are skipped, not waited for.
                let due: Vec<Uuid> = orders::table
                    .filter(orders::status.eq(OrderStatus::Delivered.as_str()))
                    .filter(orders::delivered_at.lt(delivered_before))
                    .order(orders::delivered_at.asc())
                    .limit(limit)
                    .select(orders::id)
                    .for_update()
                    .skip_locked()
                    .load(conn)
                    .await?;
                let request = ChangeRequest {
                    to: OrderStatus::Completed,
                    by: Party::System,
                    user: None,
                    reason: Some("completed automatically after delivery".into()),
                    via: Via::Status,
                    now,
                };
                let mut completed = Vec::with_capacity(due.len());
                for id in due {
                    // Each order behind a savepoint: one that cannot complete (its escrow
                    // disagrees with it) is logged on every pass, and holds back no other.
                    let one = conn
                        .transaction(async |conn| {
                            let Some(order) = lock(conn, id).await? else {
                                return Ok(None);
                            };
                            let decision = decide(&order, &request)
                                .map_err(|r| TxError::Refused(OrderUnchanged::Refused(r)))?;
                            apply(conn, order, decision, now).await.map(Some)
                        })
                        .await;
                    match one {
                        Ok(order) => completed.extend(order),
                        Err(TxError::Db(error)) => {
                            tracing::error!(order = %id, %error, "auto-completion failed for this order");
                        }
                        Err(TxError::Refused(_)) => {
                            tracing::error!(order = %id, "a delivered order refused auto-completion");
                        }
                    }
                }
                Ok::<_, TxError<OrderUnchanged>>(completed)
            })
            .await;
        settle(result).map_err(|error| match error {
            RepoError::Unexpected(error) => error,
            RepoError::Refused(_) => Unexpected::msg("a delivered order refused auto-completion"),
        })
    }
}
