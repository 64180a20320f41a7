//! The `WebhookStore` port.

use std::collections::HashMap;

use async_trait::async_trait;
use chrono::{DateTime, Duration, Utc};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Jsonb, Text, Timestamptz, Uuid as SqlUuid};
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use krika_kernel::{Page, PageRequest, Unexpected};
use krika_webhooks::ports::{Outcome, WebhookStore};
use krika_webhooks::{Attempt, Delivery, DeliveryId, DeliveryStatus, Endpoint, EndpointId};
use uuid::Uuid;

use super::PgWebhookStore;
use super::rows::{AttemptRow, DeliveryRow, EndpointRow};
use crate::Keep;
use crate::error::unexpected;
use crate::schema::{users, webhook_attempts, webhook_deliveries, webhook_endpoints};

/// Deliveries with their attempts, oldest attempt first (one query for all of them).
async fn with_attempts(
    conn: &mut AsyncPgConnection,
    rows: Vec<DeliveryRow>,
) -> QueryResult<Vec<Delivery>> {
    let ids: Vec<Uuid> = rows.iter().map(|r| r.id).collect();
    let attempts: Vec<AttemptRow> = webhook_attempts::table
        .filter(webhook_attempts::delivery_id.eq_any(&ids))
        .order((webhook_attempts::at.asc(), webhook_attempts::id.asc()))
        .select(AttemptRow::as_select())
        .load(conn)
        .await?;
    let mut by_delivery: HashMap<Uuid, Vec<Attempt>> = HashMap::new();
    for attempt in attempts {
        by_delivery
            .entry(attempt.delivery_id)
            .or_default()
            .push(attempt.into());
    }
    Ok(rows
        .into_iter()
        .map(|r| {
            let log = by_delivery.remove(&r.id).unwrap_or_default();
            r.delivery(log)
        })
        .collect())
}

#[async_trait]
impl WebhookStore for PgWebhookStore {
    async fn create_endpoint(&self, endpoint: &Endpoint) -> Result<(), Unexpected> {
        let mut conn = self.db.conn().await?;
        diesel::insert_into(webhook_endpoints::table)
            .values(EndpointRow::from(endpoint))
            .kept()
            .execute(&mut conn)
            .await
            .map_err(unexpected)?;
        Ok(())
    }

    async fn endpoint(&self, id: EndpointId) -> Result<Option<Endpoint>, Unexpected> {
        let mut conn = self.db.conn().await?;
        let row: Option<EndpointRow> = webhook_endpoints::table
            .find(id.0)
            .select(EndpointRow::as_select())
            .first(&mut conn)
            .await
            .optional()
            .map_err(unexpected)?;
        Ok(row.map(Into::into))
    }

    async fn endpoints(&self, page: PageRequest) -> Result<Page<Endpoint>, Unexpected> {
        let mut conn = self.db.conn().await?;
        let total: i64 = webhook_endpoints::table
            .count()
            .get_result(&mut conn)
            .await
            .map_err(unexpected)?;
        let rows: Vec<EndpointRow> = webhook_endpoints::table
            .order((
                webhook_endpoints::created_at.desc(),
                webhook_endpoints::id.desc(),
            ))
            .select(EndpointRow::as_select())
            .limit(i64::from(page.limit()))
            .offset(page.offset() as i64)
            .load(&mut conn)
            .await
            .map_err(unexpected)?;
        Ok(Page {
            items: rows.into_iter().map(Into::into).collect(),
            request: page,
            total: total as u64,
        })
    }

    async fn update_endpoint(&self, endpoint: &Endpoint) -> Result<bool, Unexpected> {
        let mut conn = self.db.conn().await?;
        let n = diesel::update(webhook_endpoints::table.find(endpoint.id.0))
            .set(EndpointRow::from(endpoint))
            .kept()
            .execute(&mut conn)
            .await
            .map_err(unexpected)?;
        Ok(n == 1)
    }

    async fn delete_endpoint(&self, id: EndpointId) -> Result<bool, Unexpected> {
        let mut conn = self.db.conn().await?;
        let n = diesel::delete(webhook_endpoints::table.find(id.0))
            .execute(&mut conn)
            .await
            .map_err(unexpected)?;
        Ok(n == 1)
    }

    async fn enqueue(
        &self,
        event: Uuid,
        kind: &str,
        payload: &serde_json::Value,
        now: DateTime<Utc>,
    ) -> Result<usize, Unexpected> {
        let mut conn = self.db.conn().await?;
        // One statement: every enabled endpoint subscribed to the kind (or to `*`) gets a
        // delivery, unless the event already has one there.
        let added = diesel::sql_query(
            "INSERT INTO webhook_deliveries
                 (id, endpoint_id, event_id, event_type, payload, status, attempts,
                  next_attempt_at, created_at, updated_at)
             SELECT gen_random_uuid(), e.id, $1, $2, $3, 'pending', 0, $4, $4, $4
             FROM webhook_endpoints e
             WHERE e.enabled AND ($2 = ANY (e.events) OR '*' = ANY (e.events))
             ON CONFLICT (event_id, endpoint_id) DO NOTHING",
        )
        .bind::<SqlUuid, _>(event)
        .bind::<Text, _>(kind)
        .bind::<Jsonb, _>(payload)
        .bind::<Timestamptz, _>(now)
        .kept()
        .execute(&mut conn)
        .await
        .map_err(unexpected)?;
        Ok(added)
    }

    async fn add_delivery(&self, delivery: &Delivery) -> Result<(), Unexpected> {
        let mut conn = self.db.conn().await?;
        diesel::insert_into(webhook_deliveries::table)
            .values(DeliveryRow {
                id: delivery.id.0,
                endpoint_id: delivery.endpoint_id.0,
                event_id: None,
                event_type: delivery.event_type.clone(),
                payload: delivery.payload.clone(),
                status: delivery.status.as_str().into(),
                attempts: delivery.attempts,
                next_attempt_at: delivery.next_attempt_at,
                locked_until: None,
                created_at: delivery.created_at,
                updated_at: delivery.updated_at,
            })
            .kept()
            .execute(&mut conn)
            .await
            .map_err(unexpected)?;
        Ok(())
    }

    async fn claim_due(
        &self,
        now: DateTime<Utc>,
        lease: Duration,
        limit: i64,
        per_endpoint: i64,
    ) -> Result<Vec<(Delivery, Endpoint)>, Unexpected> {
        let mut conn = self.db.conn().await?;
        let rows: Vec<DeliveryRow> = conn
            .transaction::<_, diesel::result::Error, _>(async |conn| {
                // Due deliveries of enabled endpoints, at most `per_endpoint` per endpoint
                // counting those already in flight, oldest first; SKIP LOCKED lets several
                // workers take disjoint sets.
                diesel::sql_query(
                    "WITH candidates AS (
                         SELECT d.id, d.endpoint_id,
                                row_number() OVER (PARTITION BY d.endpoint_id
                                                   ORDER BY d.next_attempt_at, d.id) AS n
                         FROM webhook_deliveries d
                         JOIN webhook_endpoints e ON e.id = d.endpoint_id AND e.enabled
                         WHERE d.status = 'pending' AND d.next_attempt_at <= $1
                           AND (d.locked_until IS NULL OR d.locked_until <= $1)
                     ), in_flight AS (
                         SELECT endpoint_id, count(*) AS busy FROM webhook_deliveries
                         WHERE status = 'pending' AND locked_until > $1
                         GROUP BY endpoint_id
                     ), chosen AS (
                         SELECT d.id FROM webhook_deliveries d
                         JOIN candidates c ON c.id = d.id
                         LEFT JOIN in_flight f ON f.endpoint_id = c.endpoint_id
                         WHERE c.n + coalesce(f.busy, 0) <= $4
                         ORDER BY d.next_attempt_at, d.id
                         LIMIT $3
                         FOR UPDATE OF d SKIP LOCKED
                     )
                     UPDATE webhook_deliveries d SET locked_until = $2
                     FROM chosen WHERE d.id = chosen.id
                     RETURNING d.*",
                )
                .bind::<Timestamptz, _>(now)
                .bind::<Timestamptz, _>(now + lease)
                .bind::<BigInt, _>(limit)
                .bind::<BigInt, _>(per_endpoint)
                .kept()
                .load(conn)
                .await
            })
            .await
            .map_err(unexpected)?;
        let endpoint_ids: Vec<Uuid> = rows.iter().map(|r| r.endpoint_id).collect();
        let endpoints: Vec<EndpointRow> = webhook_endpoints::table
            .filter(webhook_endpoints::id.eq_any(&endpoint_ids))
            .select(EndpointRow::as_select())
            .load(&mut conn)
            .await
            .map_err(unexpected)?;
        let endpoints: HashMap<Uuid, Endpoint> =
            endpoints.into_iter().map(|e| (e.id, e.into())).collect();
        let mut claimed: Vec<(Delivery, Endpoint)> = rows
            .into_iter()
            .filter_map(|row| {
                let endpoint = endpoints.get(&row.endpoint_id)?.clone();
                Some((row.delivery(Vec::new()), endpoint))
            })
            .collect();
        claimed.sort_by_key(|(d, _)| (d.next_attempt_at, d.id));
        Ok(claimed)
    }

    async fn record_attempt(
        &self,
        delivery: DeliveryId,
        attempt: &Attempt,
        outcome: Outcome,
    ) -> Result<(), Unexpected> {
        let mut conn = self.db.conn().await?;
        let (status, next) = match outcome {
            Outcome::Succeeded => ("succeeded", None),
            Outcome::RetryAt(at) => ("pending", Some(at)),
            Outcome::Failed => ("failed", None),
        };
        let at = attempt.at;
        conn.transaction::<_, diesel::result::Error, _>(async |conn| {
            diesel::insert_into(webhook_attempts::table)
                .values(AttemptRow {
                    id: Uuid::now_v7(),
                    delivery_id: delivery.0,
                    at,
                    status_code: attempt.status_code,
                    error: attempt.error.clone(),
                    duration_ms: attempt.duration_ms,
                    response_body: attempt.response_body.clone(),
                })
                .kept()
                .execute(conn)
                .await?;
            let endpoint: Uuid = diesel::update(webhook_deliveries::table.find(delivery.0))
                .set((
                    webhook_deliveries::status.eq(status),
                    webhook_deliveries::attempts.eq(webhook_deliveries::attempts + 1),
                    webhook_deliveries::next_attempt_at.eq(next),
                    webhook_deliveries::locked_until.eq(None::<DateTime<Utc>>),
                    webhook_deliveries::updated_at.eq(at),
                ))
                .returning(webhook_deliveries::endpoint_id)
                .kept()
                .get_result(conn)
                .await?;
            let failing = webhook_endpoints::failing_since;
            let target = webhook_endpoints::table.find(endpoint);
            if outcome == Outcome::Succeeded {
                diesel::update(target)
                    .set(failing.eq(None::<DateTime<Utc>>))
                    .kept()
                    .execute(conn)
                    .await?;
            } else {
                diesel::update(target.filter(failing.is_null()))
                    .set(failing.eq(at))
                    .kept()
                    .execute(conn)
                    .await?;
            }
            Ok(())
        })
        .await
        .map_err(unexpected)
    }

    async fn disable(
        &self,
        endpoint: EndpointId,
        reason: &str,
        now: DateTime<Utc>,
    ) -> Result<(), Unexpected> {
        let mut conn = self.db.conn().await?;
        conn.transaction::<_, diesel::result::Error, _>(async |conn| {
            diesel::update(webhook_endpoints::table.find(endpoint.0))
                .set((
                    webhook_endpoints::enabled.eq(false),
                    webhook_endpoints::disabled_reason.eq(reason),
                    webhook_endpoints::updated_at.eq(now),
                ))
                .kept()
                .execute(conn)
                .await?;
            diesel::update(
                webhook_deliveries::table
                    .filter(webhook_deliveries::endpoint_id.eq(endpoint.0))
                    .filter(webhook_deliveries::status.eq("pending")),
            )
            .set((
                webhook_deliveries::status.eq("failed"),
                webhook_deliveries::next_attempt_at.eq(None::<DateTime<Utc>>),
                webhook_deliveries::updated_at.eq(now),
            ))
            .kept()
            .execute(conn)
            .await?;
            Ok(())
        })
        .await
        .map_err(unexpected)
    }

    async fn deliveries(
        &self,
        endpoint: EndpointId,
        status: Option<DeliveryStatus>,
        page: PageRequest,
    ) -> Result<Page<Delivery>, Unexpected> {
        let mut conn = self.db.conn().await?;
        let filtered = || {
            let mut query = webhook_deliveries::table
                .filter(webhook_deliveries::endpoint_id.eq(endpoint.0))
                .into_boxed();
            if let Some(status) = status {
                query = query.filter(webhook_deliveries::status.eq(status.as_str()));
            }
            query
        };
        let total: i64 = filtered()
            .count()
            .get_result(&mut conn)
            .await
            .map_err(unexpected)?;
        let rows: Vec<DeliveryRow> = filtered()
            .order((
                webhook_deliveries::created_at.desc(),
                webhook_deliveries::id.desc(),
            ))
            .select(DeliveryRow::as_select())
            .limit(i64::from(page.limit()))
            .offset(page.offset() as i64)
            .load(&mut conn)
            .await
            .map_err(unexpected)?;
        let items = with_attempts(&mut conn, rows).await.map_err(unexpected)?;
        Ok(Page {
            items,
            request: page,
            total: total as u64,
        })
    }

    async fn delivery(
        &self,
        endpoint: EndpointId,
        id: DeliveryId,
    ) -> Result<Option<Delivery>, Unexpected> {
        let mut conn = self.db.conn().await?;
        let row: Option<DeliveryRow> = webhook_deliveries::table
            .find(id.0)
            .filter(webhook_deliveries::endpoint_id.eq(endpoint.0))
            .select(DeliveryRow::as_select())
            .first(&mut conn)
            .await
            .optional()
            .map_err(unexpected)?;
        let rows: Vec<DeliveryRow> = row.into_iter().collect();
        Ok(with_attempts(&mut conn, rows)
            .await
            .map_err(unexpected)?
            .pop())
    }

    async fn retry_now(
        &self,
        id: DeliveryId,
        now: DateTime<Utc>,
        lease: Duration,
    ) -> Result<bool, Unexpected> {
        let mut conn = self.db.conn().await?;
        // One statement: the lease is taken only if no worker holds one.
        let free = webhook_deliveries::locked_until
            .is_null()
            .or(webhook_deliveries::locked_until.le(now));
        let n = diesel::update(webhook_deliveries::table.find(id.0).filter(free))
            .set((
                webhook_deliveries::status.eq("pending"),
                webhook_deliveries::next_attempt_at.eq(now),
                webhook_deliveries::updated_at.eq(now),
                webhook_deliveries::locked_until.eq(now + lease),
            ))
            .kept()
            .execute(&mut conn)
            .await
            .map_err(unexpected)?;
        Ok(n == 1)
    }

    async fn admin_emails(&self) -> Result<Vec<String>, Unexpected> {
        let mut conn = self.db.conn().await?;
        users::table
            .filter(users::role.eq("admin"))
            .filter(users::status.eq("active"))
            .filter(users::deleted_at.is_null())
            .select(users::email)
            .load(&mut conn)
            .await
            .map_err(unexpected)
    }
}
