//! Reviews: the review and the service's rating change in one transaction. A seller's
//! rating is the sum over their services, so it follows.

use std::collections::HashMap;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Double, Uuid as SqlUuid};
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use krika_kernel::ids::{ReviewId, ServiceId};
use krika_kernel::{DomainEvent, Page, PageRequest, RepoError, Unexpected};
use krika_ordering::ports::{AlreadyExists, ReviewRepository, ReviewWriteError};
use krika_ordering::{Criteria, PartyRef, Review, ReviewResponse, ReviewSummary};
use uuid::Uuid;

use super::PgOrderStore;
use crate::Keep;
use crate::error::{unexpected, unique_violation};
use crate::schema::{reviews, services, users};
use crate::tx::{TxError, settle};

#[derive(Queryable, Selectable, Insertable)]
#[diesel(table_name = reviews, check_for_backend(diesel::pg::Pg))]
struct ReviewRow {
    id: Uuid,
    order_id: Uuid,
    service_id: Uuid,
    seller_id: Uuid,
    buyer_id: Uuid,
    rating: i16,
    communication: i16,
    quality: i16,
    delivery: i16,
    comment: String,
    response: Option<String>,
    responded_at: Option<DateTime<Utc>>,
    created_at: DateTime<Utc>,
}

#[derive(QueryableByName)]
struct SummaryRow {
    #[diesel(sql_type = BigInt)]
    count: i64,
    #[diesel(sql_type = Double)]
    average: f64,
    #[diesel(sql_type = Double)]
    communication: f64,
    #[diesel(sql_type = Double)]
    quality: f64,
    #[diesel(sql_type = Double)]
    delivery: f64,
    #[diesel(sql_type = BigInt)]
    one: i64,
    #[diesel(sql_type = BigInt)]
    two: i64,
    #[diesel(sql_type = BigInt)]
    three: i64,
    #[diesel(sql_type = BigInt)]
    four: i64,
    #[diesel(sql_type = BigInt)]
    five: i64,
}

async fn into_reviews(
    conn: &mut AsyncPgConnection,
    rows: Vec<ReviewRow>,
) -> Result<Vec<Review>, Unexpected> {
    let buyers: Vec<Uuid> = rows.iter().map(|r| r.buyer_id).collect();
    let names: HashMap<Uuid, (String, String)> = users::table
        .filter(users::id.eq_any(&buyers))
        .select((users::id, users::name, users::username))
        .load::<(Uuid, String, String)>(conn)
        .await
        .map_err(unexpected)?
        .into_iter()
        .map(|(id, name, username)| (id, (name, username)))
        .collect();
    Ok(rows
        .into_iter()
        .map(|row| {
            let (name, username) = names.get(&row.buyer_id).cloned().unwrap_or_default();
            Review {
                id: row.id.into(),
                order_id: row.order_id.into(),
                service_id: row.service_id.into(),
                seller_id: row.seller_id.into(),
                buyer: PartyRef {
                    id: row.buyer_id.into(),
                    name,
                    username,
                },
                rating: row.rating,
                criteria: Criteria {
                    communication: row.communication,
                    quality: row.quality,
                    delivery: row.delivery,
                },
                comment: row.comment,
                response: row
                    .response
                    .zip(row.responded_at)
                    .map(|(comment, created_at)| ReviewResponse {
                        comment,
                        created_at,
                    }),
                created_at: row.created_at,
            }
        })
        .collect())
}

#[async_trait]
impl ReviewRepository for PgOrderStore {
    async fn create_review(
        &self,
        review: &Review,
        events: &[DomainEvent],
    ) -> Result<(), ReviewWriteError> {
        let mut conn = self.db.conn().await?;
        let row = ReviewRow {
            id: review.id.0,
            order_id: review.order_id.0,
            service_id: review.service_id.0,
            seller_id: review.seller_id.0,
            buyer_id: review.buyer.id.0,
            rating: review.rating,
            communication: review.criteria.communication,
            quality: review.criteria.quality,
            delivery: review.criteria.delivery,
            comment: review.comment.clone(),
            response: None,
            responded_at: None,
            created_at: review.created_at,
        };
        let result = conn
            .transaction(async |conn| {
                match diesel::insert_into(reviews::table)
                    .values(&row)
                    .kept()
                    .execute(conn)
                    .await
                {
                    Err(error) if unique_violation(&error).is_some() => {
                        return Err(TxError::Refused(AlreadyExists));
                    }
                    other => other?,
                };
                let deleted: Option<Option<chrono::DateTime<chrono::Utc>>> =
                    diesel::update(services::table.find(row.service_id))
                        .set((
                            services::rating_total
                                .eq(services::rating_total + i64::from(row.rating)),
                            services::reviews_count.eq(services::reviews_count + 1),
                        ))
                        .returning(services::deleted_at)
                        .kept()
                        .get_result(conn)
                        .await
                        .optional()?;
                // The seller's rating is stored too (service pages read it, never sum it)
                // and counts the reviews of live services only.
                if deleted == Some(None) {
                    diesel::update(users::table.find(row.seller_id))
                        .set((
                            users::seller_rating_total
                                .eq(users::seller_rating_total + i64::from(row.rating)),
                            users::seller_reviews_count.eq(users::seller_reviews_count + 1),
                        ))
                        .kept()
                        .execute(conn)
                        .await?;
                }
                crate::outbox::record(conn, events, review.created_at).await?;
                Ok(())
            })
            .await;
        settle(result)
    }

    async fn find_review(&self, id: ReviewId) -> Result<Option<Review>, Unexpected> {
        let mut conn = self.db.conn().await?;
        let row: Option<ReviewRow> = reviews::table
            .find(id.0)
            .select(ReviewRow::as_select())
            .first(&mut conn)
            .await
            .optional()
            .map_err(unexpected)?;
        Ok(into_reviews(&mut conn, row.into_iter().collect())
            .await?
            .pop())
    }

    async fn respond_to_review(
        &self,
        id: ReviewId,
        comment: &str,
        now: DateTime<Utc>,
    ) -> Result<Review, ReviewWriteError> {
        let mut conn = self.db.conn().await?;
        let row: Option<ReviewRow> = diesel::update(
            reviews::table
                .find(id.0)
                .filter(reviews::response.is_null()),
        )
        .set((reviews::response.eq(comment), reviews::responded_at.eq(now)))
        .returning(ReviewRow::as_returning())
        .kept()
        .get_result(&mut conn)
        .await
        .optional()
        .map_err(unexpected)?;
        match row {
            Some(row) => Ok(into_reviews(&mut conn, vec![row]).await?.remove(0)),
            None => Err(RepoError::Refused(AlreadyExists)),
        }
    }

    async fn service_reviews(
        &self,
        service: ServiceId,
        page: PageRequest,
    ) -> Result<(Page<Review>, ReviewSummary), Unexpected> {
        let mut conn = self.db.conn().await?;
        let summary: SummaryRow = diesel::sql_query(
            "SELECT count(*) AS count, \
                    COALESCE(avg(rating), 0)::float8 AS average, \
                    COALESCE(avg(communication), 0)::float8 AS communication, \
                    COALESCE(avg(quality), 0)::float8 AS quality, \
                    COALESCE(avg(delivery), 0)::float8 AS delivery, \
                    count(*) FILTER (WHERE rating = 1) AS one, \
                    count(*) FILTER (WHERE rating = 2) AS two, \
                    count(*) FILTER (WHERE rating = 3) AS three, \
                    count(*) FILTER (WHERE rating = 4) AS four, \
                    count(*) FILTER (WHERE rating = 5) AS five \
             FROM reviews WHERE service_id = $1",
        )
        .bind::<SqlUuid, _>(service.0)
        .kept()
        .get_result(&mut conn)
        .await
        .map_err(unexpected)?;
        let rows: Vec<ReviewRow> = reviews::table
            .filter(reviews::service_id.eq(service.0))
            .order((reviews::created_at.desc(), reviews::id.desc()))
            .limit(i64::from(page.limit()))
            .offset(page.offset() as i64)
            .select(ReviewRow::as_select())
            .load(&mut conn)
            .await
            .map_err(unexpected)?;
        let page = Page {
            items: into_reviews(&mut conn, rows).await?,
            request: page,
            total: summary.count as u64,
        };
        let round = |x: f64| (x * 100.0).round() / 100.0;
        Ok((
            page,
            ReviewSummary {
                average: round(summary.average),
                count: summary.count,
                communication: round(summary.communication),
                quality: round(summary.quality),
                delivery: round(summary.delivery),
                distribution: [
                    summary.one,
                    summary.two,
                    summary.three,
                    summary.four,
                    summary.five,
                ],
            },
        ))
    }
}
