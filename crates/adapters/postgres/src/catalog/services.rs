use async_trait::async_trait;
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel::result::{DatabaseErrorKind, Error};
use diesel::sql_types::{BigInt, Uuid as SqlUuid};
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use krika_catalog::ports::{
    AddImagesError, ImagesRefused, ModerateError, NewService, NotModerated, ServiceKey,
    ServiceRepository,
};
use krika_catalog::{
    SellerStats, Service, ServiceContent, ServiceImage, ServiceQuery, ServiceStatus, rating_of,
};
use krika_kernel::ids::{ImageId, ServiceId, UserId};
use krika_kernel::{DomainEvent, Page, PageRequest, RepoError, Unexpected};
use uuid::Uuid;

use super::PgCatalogStore;
use super::rows::{FullRow, assemble, full_columns};
use crate::Keep;
use crate::error::{escape_like, unexpected, unique_violation};
use crate::schema::{categories, service_images, services, users};

fn json<T: serde::Serialize>(value: &T) -> serde_json::Value {
    serde_json::to_value(value).unwrap_or(serde_json::Value::Array(Vec::new()))
}

/// Live services with their category and seller, ready for [`full_columns`].
macro_rules! live_services {
    () => {
        services::table
            .inner_join(categories::table)
            .inner_join(users::table)
            .filter(services::deleted_at.is_null())
    };
}
pub(super) use live_services;

async fn load_one(
    conn: &mut AsyncPgConnection,
    key: ServiceKey<'_>,
) -> Result<Option<Service>, Unexpected> {
    let query = live_services!().select(full_columns()).into_boxed();
    let query = match key {
        ServiceKey::Id(id) => query.filter(services::id.eq(id.as_uuid())),
        ServiceKey::Slug(slug) => query.filter(services::slug.eq(slug)),
    };
    let rows: Vec<FullRow> = query.load(conn).await.map_err(unexpected)?;
    Ok(assemble(rows)?.pop())
}

/// The smallest free slug among `base`, `base-2`, `base-3`…
async fn free_slug(conn: &mut AsyncPgConnection, base: &str) -> QueryResult<String> {
    let taken: Vec<String> = services::table
        .filter(services::deleted_at.is_null())
        .filter(
            services::slug
                .eq(base)
                .or(services::slug.like(format!("{}-%", escape_like(base)))),
        )
        .select(services::slug)
        .load(conn)
        .await?;
    if !taken.iter().any(|s| s == base) {
        return Ok(base.to_owned());
    }
    let n = (2..)
        .find(|n| !taken.contains(&format!("{base}-{n}")))
        .unwrap_or(2);
    Ok(format!("{base}-{n}"))
}

/// Locks a live service row and returns its status.
async fn lock_status(conn: &mut AsyncPgConnection, id: Uuid) -> QueryResult<Option<ServiceStatus>> {
    let status: Option<String> = services::table
        .find(id)
        .filter(services::deleted_at.is_null())
        .select(services::status)
        .for_update()
        .first(conn)
        .await
        .optional()?;
    Ok(status.as_deref().and_then(ServiceStatus::parse))
}

/// Moves a locked service to `status`; entering review restarts its place in the queue.
async fn set_status(
    conn: &mut AsyncPgConnection,
    id: Uuid,
    from: ServiceStatus,
    to: ServiceStatus,
    now: DateTime<Utc>,
) -> QueryResult<()> {
    let rejection: Option<&str> = None;
    if from != to && to == ServiceStatus::PendingReview {
        diesel::update(services::table.find(id))
            .set((
                services::status.eq(to.as_str()),
                services::rejection_reason.eq(rejection),
                services::submitted_at.eq(now),
                services::updated_at.eq(now),
            ))
            .kept()
            .execute(conn)
            .await?;
    } else {
        diesel::update(services::table.find(id))
            .set((
                services::status.eq(to.as_str()),
                services::updated_at.eq(now),
            ))
            .kept()
            .execute(conn)
            .await?;
    }
    Ok(())
}

/// What a seller writes, as columns (for both insert and update).
#[derive(Insertable, AsChangeset)]
#[diesel(table_name = services)]
struct ContentRow {
    category_id: Uuid,
    title: String,
    short_description: String,
    description: String,
    tags: Vec<String>,
    /// The generated search columns read tags through this plain-text copy.
    tags_text: String,
    packages: serde_json::Value,
    extras: serde_json::Value,
    starting_price: i64,
}

fn content_columns(content: &ServiceContent) -> ContentRow {
    ContentRow {
        category_id: content.category_id.as_uuid(),
        title: content.title.clone(),
        short_description: content.short_description.clone(),
        description: content.description.clone(),
        tags: content.tags.clone(),
        tags_text: content.tags.join(" "),
        packages: json(&content.packages),
        extras: json(&content.extras),
        starting_price: content.starting_price(),
    }
}

#[derive(QueryableByName)]
struct StatsRow {
    #[diesel(sql_type = BigInt)]
    services_count: i64,
    #[diesel(sql_type = BigInt)]
    rating_total: i64,
    #[diesel(sql_type = BigInt)]
    reviews_count: i64,
    #[diesel(sql_type = BigInt)]
    orders_count: i64,
}

#[async_trait]
impl ServiceRepository for PgCatalogStore {
    async fn create_service(&self, new: NewService) -> Result<Option<Service>, Unexpected> {
        let mut conn = self.db.conn().await?;
        // Two sellers may race for one slug: the unique index decides, and the loser
        // takes the next free one.
        for _ in 0..5 {
            let slug = free_slug(&mut conn, &new.slug).await.map_err(unexpected)?;
            let inserted = diesel::insert_into(services::table)
                .values((
                    services::id.eq(new.id.as_uuid()),
                    services::seller_id.eq(new.seller_id.as_uuid()),
                    services::slug.eq(&slug),
                    content_columns(&new.content),
                    services::currency.eq(new.currency.as_str()),
                    services::status.eq(ServiceStatus::PendingReview.as_str()),
                    services::submitted_at.eq(new.now),
                    services::created_at.eq(new.now),
                    services::updated_at.eq(new.now),
                ))
                .kept()
                .execute(&mut conn)
                .await;
            match inserted {
                Ok(_) => return load_one(&mut conn, ServiceKey::Id(new.id)).await,
                Err(e) if unique_violation(&e) == Some("services_slug_live_key") => continue,
                Err(Error::DatabaseError(DatabaseErrorKind::ForeignKeyViolation, info))
                    if info.constraint_name() == Some("services_category_id_fkey") =>
                {
                    return Ok(None);
                }
                Err(e) => return Err(unexpected(e)),
            }
        }
        Err(Unexpected::msg("no free slug after 5 attempts"))
    }

    async fn find_service(&self, key: ServiceKey<'_>) -> Result<Option<Service>, Unexpected> {
        let mut conn = self.db.conn().await?;
        load_one(&mut conn, key).await
    }

    async fn update_service(
        &self,
        id: ServiceId,
        content: &ServiceContent,
        is_available: bool,
        status: ServiceStatus,
        now: DateTime<Utc>,
    ) -> Result<Option<Service>, Unexpected> {
        let mut conn = self.db.conn().await?;
        let uuid = id.as_uuid();
        let updated = conn
            .transaction(async |conn| {
                let Some(current) = lock_status(conn, uuid).await? else {
                    return Ok(false);
                };
                diesel::update(services::table.find(uuid))
                    .set((
                        content_columns(content),
                        services::is_available.eq(is_available),
                    ))
                    .kept()
                    .execute(conn)
                    .await?;
                set_status(conn, uuid, current, status, now).await?;
                Ok::<_, Error>(true)
            })
            .await
            .map_err(unexpected)?;
        if !updated {
            return Ok(None);
        }
        load_one(&mut conn, ServiceKey::Id(id)).await
    }

    async fn moderate_service(
        &self,
        id: ServiceId,
        from: ServiceStatus,
        to: ServiceStatus,
        reason: Option<&str>,
        events: &[DomainEvent],
        now: DateTime<Utc>,
    ) -> Result<Service, ModerateError> {
        let mut conn = self.db.conn().await?;
        let uuid = id.as_uuid();
        let moved = conn
            .transaction(async |conn| {
                let Some(current) = lock_status(conn, uuid).await? else {
                    return Ok(Err(NotModerated::Gone));
                };
                if current != from {
                    return Ok(Err(NotModerated::Moved(current)));
                }
                diesel::update(services::table.find(uuid))
                    .set((
                        services::status.eq(to.as_str()),
                        services::rejection_reason.eq(reason),
                        services::updated_at.eq(now),
                    ))
                    .kept()
                    .execute(conn)
                    .await?;
                crate::outbox::record(conn, events, now).await?;
                Ok::<_, Error>(Ok(()))
            })
            .await
            .map_err(unexpected)?;
        moved.map_err(RepoError::Refused)?;
        load_one(&mut conn, ServiceKey::Id(id))
            .await?
            .ok_or(RepoError::Refused(NotModerated::Gone))
    }

    async fn delete_service(&self, id: ServiceId, now: DateTime<Utc>) -> Result<bool, Unexpected> {
        let mut conn = self.db.conn().await?;
        // The service's reviews leave its seller's stored rating in the same statement.
        let deleted = diesel::sql_query(
            "WITH gone AS ( \
                 UPDATE services SET deleted_at = $2, updated_at = $2 \
                 WHERE id = $1 AND deleted_at IS NULL \
                 RETURNING seller_id, rating_total, reviews_count) \
             UPDATE users u \
             SET seller_rating_total = u.seller_rating_total - gone.rating_total, \
                 seller_reviews_count = u.seller_reviews_count - gone.reviews_count \
             FROM gone WHERE u.id = gone.seller_id",
        )
        .bind::<SqlUuid, _>(id.as_uuid())
        .bind::<diesel::sql_types::Timestamptz, _>(now)
        .kept()
        .execute(&mut conn)
        .await
        .map_err(unexpected)?;
        Ok(deleted > 0)
    }

    async fn add_images(
        &self,
        id: ServiceId,
        images: &[ServiceImage],
        max: usize,
        status: ServiceStatus,
        now: DateTime<Utc>,
    ) -> Result<Service, AddImagesError> {
        let mut conn = self.db.conn().await?;
        let uuid = id.as_uuid();
        let added = conn
            .transaction(async |conn| {
                // The row lock serialises concurrent uploads, so the count stays true.
                let Some(current) = lock_status(conn, uuid).await? else {
                    return Ok(Err(ImagesRefused::Gone));
                };
                let count: i64 = service_images::table
                    .filter(service_images::service_id.eq(uuid))
                    .count()
                    .get_result(conn)
                    .await?;
                if count as usize + images.len() > max {
                    return Ok(Err(ImagesRefused::Full {
                        count: count as usize,
                    }));
                }
                let rows: Vec<_> = images
                    .iter()
                    .map(|image| {
                        (
                            service_images::id.eq(image.id.as_uuid()),
                            service_images::service_id.eq(uuid),
                            service_images::storage_key.eq(&image.key),
                            service_images::position.eq(image.position),
                            service_images::created_at.eq(now),
                        )
                    })
                    .collect();
                diesel::insert_into(service_images::table)
                    .values(rows)
                    .kept()
                    .execute(conn)
                    .await?;
                set_status(conn, uuid, current, status, now).await?;
                Ok::<_, Error>(Ok(()))
            })
            .await
            .map_err(unexpected)?;
        added.map_err(RepoError::Refused)?;
        let service = load_one(&mut conn, ServiceKey::Id(id))
            .await?
            .ok_or_else(|| Unexpected::msg("service vanished while adding images"))?;
        Ok(service)
    }

    async fn remove_image(
        &self,
        id: ServiceId,
        image: ImageId,
        status: ServiceStatus,
        now: DateTime<Utc>,
    ) -> Result<Option<String>, Unexpected> {
        let mut conn = self.db.conn().await?;
        let uuid = id.as_uuid();
        conn.transaction(async |conn| {
            let Some(current) = lock_status(conn, uuid).await? else {
                return Ok(None);
            };
            let key: Option<String> = diesel::delete(
                service_images::table
                    .filter(service_images::id.eq(image.as_uuid()))
                    .filter(service_images::service_id.eq(uuid)),
            )
            .returning(service_images::storage_key)
            .get_result(conn)
            .await
            .optional()?;
            if key.is_some() {
                set_status(conn, uuid, current, status, now).await?;
            }
            Ok::<_, Error>(key)
        })
        .await
        .map_err(unexpected)
    }

    async fn search_services(
        &self,
        query: &ServiceQuery,
        page: PageRequest,
    ) -> Result<Page<Service>, Unexpected> {
        let mut conn = self.db.conn().await?;
        super::search::search(&mut conn, query, page).await
    }

    async fn moderation_queue(
        &self,
        status: ServiceStatus,
        page: PageRequest,
    ) -> Result<Page<Service>, Unexpected> {
        let mut conn = self.db.conn().await?;
        let total: i64 = services::table
            .filter(services::deleted_at.is_null())
            .filter(services::status.eq(status.as_str()))
            .count()
            .get_result(&mut conn)
            .await
            .map_err(unexpected)?;
        let rows: Vec<FullRow> = live_services!()
            .filter(services::status.eq(status.as_str()))
            .order((services::submitted_at.asc(), services::id.asc()))
            .limit(i64::from(page.limit()))
            .offset(page.offset() as i64)
            .select(full_columns())
            .load(&mut conn)
            .await
            .map_err(unexpected)?;
        Ok(Page {
            items: assemble(rows)?,
            request: page,
            total: total as u64,
        })
    }

    async fn seller_stats(&self, seller: UserId) -> Result<SellerStats, Unexpected> {
        let mut conn = self.db.conn().await?;
        let row: StatsRow = diesel::sql_query(
            "SELECT count(*) FILTER (WHERE status = 'approved' AND is_available) AS services_count, \
                    coalesce(sum(rating_total), 0)::bigint AS rating_total, \
                    coalesce(sum(reviews_count), 0)::bigint AS reviews_count, \
                    coalesce(sum(orders_count), 0)::bigint AS orders_count \
             FROM services WHERE seller_id = $1 AND deleted_at IS NULL",
        )
        .bind::<SqlUuid, _>(seller.as_uuid())
        .kept()
        .get_result(&mut conn)
        .await
        .map_err(unexpected)?;
        Ok(SellerStats {
            rating: rating_of(row.rating_total, row.reviews_count),
            reviews_count: row.reviews_count,
            completed_orders: row.orders_count,
            services_count: row.services_count,
        })
    }
}
