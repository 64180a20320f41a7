//! Service rows and their assembly into domain services: one query for the rows (joined
//! with category and seller), one for all their images, one for all their sellers'
//! ratings, whatever the number of services.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel::sql_types::{Array, BigInt, Uuid as SqlUuid};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use krika_catalog::{
    CategoryRef, Extra, Package, SellerRef, Service, ServiceImage, ServiceStatus, rating_of,
};
use krika_kernel::Unexpected;
use uuid::Uuid;

use crate::schema::{categories, service_images, services, users};

#[derive(Debug, Queryable, Selectable)]
#[diesel(table_name = services, check_for_backend(diesel::pg::Pg))]
pub struct ServiceRow {
    pub id: Uuid,
    pub seller_id: Uuid,
    pub category_id: Uuid,
    pub slug: String,
    pub title: String,
    pub short_description: String,
    pub description: String,
    pub tags: Vec<String>,
    pub packages: serde_json::Value,
    pub extras: serde_json::Value,
    pub starting_price: i64,
    pub currency: String,
    pub status: String,
    pub rejection_reason: Option<String>,
    pub is_available: bool,
    pub rating_total: i64,
    pub reviews_count: i32,
    pub orders_count: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A service row with the category and seller columns it is shown with.
pub type FullRow = (
    ServiceRow,
    (String, String),
    (String, String, Option<String>),
);

/// The columns of a [`FullRow`], for `select`.
#[allow(clippy::type_complexity)]
pub fn full_columns() -> (
    diesel::helper_types::AsSelect<ServiceRow, diesel::pg::Pg>,
    (categories::slug, categories::name),
    (users::username, users::name, users::avatar_key),
) {
    (
        ServiceRow::as_select(),
        (categories::slug, categories::name),
        (users::username, users::name, users::avatar_key),
    )
}

#[derive(QueryableByName)]
struct SellerRating {
    #[diesel(sql_type = SqlUuid)]
    seller_id: Uuid,
    #[diesel(sql_type = BigInt)]
    total: i64,
    #[diesel(sql_type = BigInt)]
    count: i64,
}

fn decode<T: serde::de::DeserializeOwned>(
    value: serde_json::Value,
    what: &str,
) -> Result<T, Unexpected> {
    serde_json::from_value(value)
        .map_err(|e| Unexpected::msg(format!("malformed {what} in services: {e}")))
}

/// Turns rows into services with their images and seller ratings, in the rows' order.
pub async fn assemble(
    conn: &mut AsyncPgConnection,
    rows: Vec<FullRow>,
) -> Result<Vec<Service>, Unexpected> {
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<Uuid> = rows.iter().map(|(s, _, _)| s.id).collect();
    let mut sellers: Vec<Uuid> = rows.iter().map(|(s, _, _)| s.seller_id).collect();
    sellers.sort_unstable();
    sellers.dedup();

    let images: Vec<(Uuid, Uuid, String, i32)> = service_images::table
        .filter(service_images::service_id.eq_any(&ids))
        .order((service_images::service_id, service_images::position))
        .select((
            service_images::service_id,
            service_images::id,
            service_images::storage_key,
            service_images::position,
        ))
        .load(conn)
        .await
        .map_err(crate::error::unexpected)?;
    let mut images_of: HashMap<Uuid, Vec<ServiceImage>> = HashMap::new();
    for (service_id, id, key, position) in images {
        images_of.entry(service_id).or_default().push(ServiceImage {
            id: id.into(),
            key,
            position,
        });
    }

    let ratings: Vec<SellerRating> = diesel::sql_query(
        "SELECT seller_id, sum(rating_total)::bigint AS total, sum(reviews_count)::bigint AS count \
         FROM services WHERE seller_id = ANY($1) AND deleted_at IS NULL GROUP BY seller_id",
    )
    .bind::<Array<SqlUuid>, _>(&sellers)
    .load(conn)
    .await
    .map_err(crate::error::unexpected)?;
    let rating_of_seller: HashMap<Uuid, f64> = ratings
        .into_iter()
        .map(|r| (r.seller_id, rating_of(r.total, r.count)))
        .collect();

    rows.into_iter()
        .map(
            |(row, (category_slug, category_name), (username, name, avatar_key))| {
                let status = ServiceStatus::parse(&row.status).ok_or_else(|| {
                    Unexpected::msg(format!("unknown service status {:?}", row.status))
                })?;
                Ok(Service {
                    id: row.id.into(),
                    slug: row.slug,
                    title: row.title,
                    short_description: row.short_description,
                    description: row.description,
                    category: CategoryRef {
                        id: row.category_id.into(),
                        slug: category_slug,
                        name: category_name,
                    },
                    tags: row.tags,
                    packages: decode::<Vec<Package>>(row.packages, "packages")?,
                    extras: decode::<Vec<Extra>>(row.extras, "extras")?,
                    images: images_of.remove(&row.id).unwrap_or_default(),
                    starting_price: row.starting_price,
                    currency: row.currency,
                    rating: rating_of(row.rating_total, i64::from(row.reviews_count)),
                    reviews_count: i64::from(row.reviews_count),
                    orders_count: i64::from(row.orders_count),
                    seller: SellerRef {
                        id: row.seller_id.into(),
                        username,
                        name,
                        avatar_key,
                        rating: rating_of_seller.get(&row.seller_id).copied().unwrap_or(0.0),
                    },
                    status,
                    rejection_reason: row.rejection_reason,
                    is_available: row.is_available,
                    created_at: row.created_at,
                    updated_at: row.updated_at,
                })
            },
        )
        .collect()
}
