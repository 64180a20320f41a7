//! The catalog's ports on PostgreSQL: categories, services, images, search.

mod categories;
mod rows;
mod search;
mod services;

use crate::Db;
use crate::Keep;

/// Implements `CategoryRepository` and `ServiceRepository`.
#[derive(Clone)]
pub struct PgCatalogStore {
    db: Db,
}

impl PgCatalogStore {
    pub fn new(db: Db) -> Self {
        Self { db }
    }
}

/// Sets every seller's stored rating from their live services, for tools that write
/// services in bulk (the seeder) instead of through reviews.
pub async fn refresh_seller_ratings(
    conn: &mut diesel_async::AsyncPgConnection,
) -> diesel::QueryResult<usize> {
    use diesel_async::RunQueryDsl;
    diesel::sql_query(
        "UPDATE users u \
         SET seller_rating_total = coalesce(s.total, 0), seller_reviews_count = coalesce(s.count, 0) \
         FROM users x LEFT JOIN ( \
             SELECT seller_id, sum(rating_total) AS total, sum(reviews_count) AS count \
             FROM services WHERE deleted_at IS NULL GROUP BY seller_id) s ON s.seller_id = x.id \
         WHERE u.id = x.id \
           AND (u.seller_rating_total, u.seller_reviews_count) \
               IS DISTINCT FROM (coalesce(s.total, 0), coalesce(s.count, 0))",
    )
    .kept()
    .execute(conn)
    .await
}
