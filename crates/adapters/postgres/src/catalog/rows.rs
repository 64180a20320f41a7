//! Service rows and their assembly into domain services: one statement reads the rows
//! with their category, their seller (whose rating is stored on the seller's row) and
//! their images, whatever the number of services.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use krika_catalog::{
    CategoryRef, Extra, Package, SellerRef, Service, ServiceImage, ServiceStatus, rating_of,
};
use krika_kernel::Unexpected;
use uuid::Uuid;

use crate::schema::{categories, services, users};

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

/// A service row with the category and seller columns it is shown with, and its images.
pub type FullRow = (
    ServiceRow,
    (String, String),
    (String, String, Option<String>, i64, i64),
    serde_json::Value,
);

diesel::define_sql_function! {
    /// A service's images in position order, as a JSON array (a database function, so
    /// the statements that read it are prepared once per connection).
    fn krika_service_images(service: diesel::sql_types::Uuid) -> diesel::sql_types::Jsonb;
}

/// The columns of a [`FullRow`], for `select`.
#[allow(clippy::type_complexity)]
pub fn full_columns() -> (
    diesel::helper_types::AsSelect<ServiceRow, diesel::pg::Pg>,
    (categories::slug, categories::name),
    (
        users::username,
        users::name,
        users::avatar_key,
        users::seller_rating_total,
        users::seller_reviews_count,
    ),
    krika_service_images<services::id>,
) {
    (
        ServiceRow::as_select(),
        (categories::slug, categories::name),
        (
            users::username,
            users::name,
            users::avatar_key,
            users::seller_rating_total,
            users::seller_reviews_count,
        ),
        krika_service_images(services::id),
    )
}

#[derive(serde::Deserialize)]
struct ImageJson {
    id: Uuid,
    key: String,
    position: i32,
}

fn decode<T: serde::de::DeserializeOwned>(
    value: serde_json::Value,
    what: &str,
) -> Result<T, Unexpected> {
    serde_json::from_value(value)
        .map_err(|e| Unexpected::msg(format!("malformed {what} in services: {e}")))
}

/// Turns rows into services, in the rows' order.
pub fn assemble(rows: Vec<FullRow>) -> Result<Vec<Service>, Unexpected> {
    rows.into_iter()
        .map(
            |(
                row,
                (category_slug, category_name),
                (username, name, avatar_key, seller_rating_total, seller_reviews_count),
                images,
            )| {
                let status = ServiceStatus::parse(&row.status).ok_or_else(|| {
                    Unexpected::msg(format!("unknown service status {:?}", row.status))
                })?;
                let images = decode::<Vec<ImageJson>>(images, "images")?
                    .into_iter()
                    .map(|i| ServiceImage {
                        id: i.id.into(),
                        key: i.key,
                        position: i.position,
                    })
                    .collect();
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
                    images,
                    starting_price: row.starting_price,
                    currency: crate::error::currency(&row.currency)?,
                    rating: rating_of(row.rating_total, i64::from(row.reviews_count)),
                    reviews_count: i64::from(row.reviews_count),
                    orders_count: i64::from(row.orders_count),
                    seller: SellerRef {
                        id: row.seller_id.into(),
                        username,
                        name,
                        avatar_key,
                        rating: rating_of(seller_rating_total, seller_reviews_count),
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
