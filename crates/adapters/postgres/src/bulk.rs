//! Bulk loading for tools (the seeder): whole batches as one `INSERT … SELECT … FROM
//! unnest(…)` statement each, column by column, so the table layout is known here only.
//! Nothing here is on a request's path.

use chrono::{DateTime, NaiveDate, Utc};
use diesel::QueryResult;
use diesel::sql_types as st;
use diesel::sql_types::Array;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl, SimpleAsyncConnection};
use uuid::Uuid;

/// Users, one vector per column.
#[derive(Default)]
pub struct UserColumns {
    pub id: Vec<Uuid>,
    pub email: Vec<String>,
    pub username: Vec<String>,
    pub name: Vec<String>,
    pub bio: Vec<Option<String>>,
    pub phone: Vec<Option<String>>,
    pub role: Vec<String>,
    pub kyc_status: Vec<String>,
    pub created_at: Vec<DateTime<Utc>>,
    pub updated_at: Vec<DateTime<Utc>>,
}

/// Approved KYC files, one vector per column.
#[derive(Default)]
pub struct KycColumns {
    pub user_id: Vec<Uuid>,
    pub first_name: Vec<String>,
    pub last_name: Vec<String>,
    pub birth: Vec<NaiveDate>,
    pub country: Vec<String>,
    pub phone: Vec<String>,
    pub front: Vec<String>,
    pub back: Vec<String>,
    pub selfie: Vec<String>,
    pub step1_at: Vec<DateTime<Utc>>,
    pub submitted_at: Vec<DateTime<Utc>>,
    pub reviewed_at: Vec<DateTime<Utc>>,
}

/// Inserts users (all with `password_hash`, all active) and their KYC files, in one
/// transaction. An approved file names its reviewer: the first admin, when there is one.
pub async fn insert_users(
    conn: &mut AsyncPgConnection,
    u: UserColumns,
    k: KycColumns,
    password_hash: &str,
) -> QueryResult<()> {
    let users = diesel::sql_query(
        "INSERT INTO users (id, email, username, name, bio, phone, password_hash, role, status, \
                            kyc_status, created_at, updated_at) \
         SELECT u.id, u.email, u.username, u.name, u.bio, u.phone, $7, u.role, 'active', \
                u.kyc, u.created_at, u.updated_at \
         FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], \
                     $8::text[], $9::text[], $10::timestamptz[], $11::timestamptz[]) \
              AS u(id, email, username, name, bio, phone, role, kyc, created_at, updated_at)",
    )
    .bind::<Array<st::Uuid>, _>(u.id)
    .bind::<Array<st::Text>, _>(u.email)
    .bind::<Array<st::Text>, _>(u.username)
    .bind::<Array<st::Text>, _>(u.name)
    .bind::<Array<st::Nullable<st::Text>>, _>(u.bio)
    .bind::<Array<st::Nullable<st::Text>>, _>(u.phone)
    .bind::<st::Text, _>(password_hash.to_owned())
    .bind::<Array<st::Text>, _>(u.role)
    .bind::<Array<st::Text>, _>(u.kyc_status)
    .bind::<Array<st::Timestamptz>, _>(u.created_at)
    .bind::<Array<st::Timestamptz>, _>(u.updated_at);
    // An approved file names its reviewer: the first admin, when there is one.
    let kyc_files = diesel::sql_query(
        "INSERT INTO kyc_submissions (user_id, first_name, last_name, date_of_birth, country, \
             phone, document_type, document_front_key, document_back_key, selfie_key, step1_at, \
             submitted_at, reviewed_at, reviewed_by, updated_at) \
         SELECT k.user_id, k.first_name, k.last_name, k.birth, k.country, k.phone, 'national_id', \
                k.front, k.back, k.selfie, k.step1_at, k.submitted_at, k.reviewed_at, \
                (SELECT id FROM users WHERE role = 'admin' AND deleted_at IS NULL \
                 ORDER BY created_at LIMIT 1), k.reviewed_at \
         FROM unnest($1::uuid[], $2::text[], $3::text[], $4::date[], $5::text[], $6::text[], \
                     $7::text[], $8::text[], $9::text[], $10::timestamptz[], \
                     $11::timestamptz[], $12::timestamptz[]) \
              AS k(user_id, first_name, last_name, birth, country, phone, front, back, selfie, \
                   step1_at, submitted_at, reviewed_at)",
    )
    .bind::<Array<st::Uuid>, _>(k.user_id)
    .bind::<Array<st::Text>, _>(k.first_name)
    .bind::<Array<st::Text>, _>(k.last_name)
    .bind::<Array<st::Date>, _>(k.birth)
    .bind::<Array<st::Text>, _>(k.country)
    .bind::<Array<st::Text>, _>(k.phone)
    .bind::<Array<st::Text>, _>(k.front)
    .bind::<Array<st::Text>, _>(k.back)
    .bind::<Array<st::Text>, _>(k.selfie)
    .bind::<Array<st::Timestamptz>, _>(k.step1_at)
    .bind::<Array<st::Timestamptz>, _>(k.submitted_at)
    .bind::<Array<st::Timestamptz>, _>(k.reviewed_at);
    conn.transaction(async |conn| {
        users.execute(conn).await?;
        kyc_files.execute(conn).await?;
        Ok(())
    })
    .await
}

/// Services, one vector per column.
#[derive(Default)]
pub struct ServiceColumns {
    pub id: Vec<Uuid>,
    pub seller_id: Vec<Uuid>,
    pub category_id: Vec<Uuid>,
    pub slug: Vec<String>,
    pub title: Vec<String>,
    pub short_description: Vec<String>,
    pub description: Vec<String>,
    pub tags_text: Vec<String>,
    pub packages: Vec<String>,
    pub extras: Vec<String>,
    pub starting_price: Vec<i64>,
    pub status: Vec<String>,
    pub rejection_reason: Vec<Option<String>>,
    pub is_available: Vec<bool>,
    pub rating_total: Vec<i64>,
    pub reviews_count: Vec<i32>,
    pub orders_count: Vec<i32>,
    pub submitted_at: Vec<DateTime<Utc>>,
    pub created_at: Vec<DateTime<Utc>>,
    pub updated_at: Vec<DateTime<Utc>>,
}

impl ServiceColumns {
    pub fn with_capacity(n: usize) -> Self {
        Self {
            id: Vec::with_capacity(n),
            title: Vec::with_capacity(n),
            description: Vec::with_capacity(n),
            ..Default::default()
        }
    }
}

/// One statement for the whole batch; a slug already taken (by an earlier run) skips its
/// row instead of failing the batch. Returns the rows inserted.
pub async fn insert_services(
    conn: &mut AsyncPgConnection,
    c: ServiceColumns,
) -> QueryResult<usize> {
    let query = diesel::sql_query(
        "INSERT INTO services (id, seller_id, category_id, slug, title, short_description, \
             description, tags, tags_text, packages, extras, starting_price, currency, status, \
             rejection_reason, is_available, rating_total, reviews_count, orders_count, \
             submitted_at, created_at, updated_at) \
         SELECT s.id, s.seller_id, s.category_id, s.slug, s.title, s.short_description, \
                s.description, string_to_array(s.tags_text, ' '), s.tags_text, \
                s.packages::jsonb, s.extras::jsonb, s.starting_price, 'XOF', s.status, \
                s.rejection_reason, s.is_available, s.rating_total, s.reviews_count, \
                s.orders_count, s.submitted_at, s.created_at, s.updated_at \
         FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::text[], $5::text[], $6::text[], \
                     $7::text[], $8::text[], $9::text[], $10::text[], $11::int8[], $12::text[], \
                     $13::text[], $14::bool[], $15::int8[], $16::int4[], $17::int4[], \
                     $18::timestamptz[], $19::timestamptz[], $20::timestamptz[]) \
              AS s(id, seller_id, category_id, slug, title, short_description, description, \
                   tags_text, packages, extras, starting_price, status, rejection_reason, \
                   is_available, rating_total, reviews_count, orders_count, submitted_at, \
                   created_at, updated_at) \
         ON CONFLICT (slug) WHERE deleted_at IS NULL DO NOTHING",
    )
    .bind::<Array<st::Uuid>, _>(c.id)
    .bind::<Array<st::Uuid>, _>(c.seller_id)
    .bind::<Array<st::Uuid>, _>(c.category_id)
    .bind::<Array<st::Text>, _>(c.slug)
    .bind::<Array<st::Text>, _>(c.title)
    .bind::<Array<st::Text>, _>(c.short_description)
    .bind::<Array<st::Text>, _>(c.description)
    .bind::<Array<st::Text>, _>(c.tags_text)
    .bind::<Array<st::Text>, _>(c.packages)
    .bind::<Array<st::Text>, _>(c.extras)
    .bind::<Array<st::BigInt>, _>(c.starting_price)
    .bind::<Array<st::Text>, _>(c.status)
    .bind::<Array<st::Nullable<st::Text>>, _>(c.rejection_reason)
    .bind::<Array<st::Bool>, _>(c.is_available)
    .bind::<Array<st::BigInt>, _>(c.rating_total)
    .bind::<Array<st::Integer>, _>(c.reviews_count)
    .bind::<Array<st::Integer>, _>(c.orders_count)
    .bind::<Array<st::Timestamptz>, _>(c.submitted_at)
    .bind::<Array<st::Timestamptz>, _>(c.created_at)
    .bind::<Array<st::Timestamptz>, _>(c.updated_at);
    conn.transaction(async |conn| query.execute(conn).await)
        .await
}

/// A category without children: where services are published.
#[derive(diesel::QueryableByName, Clone, Debug)]
pub struct Leaf {
    #[diesel(sql_type = st::Uuid)]
    pub id: Uuid,
    #[diesel(sql_type = st::Text)]
    pub slug: String,
    #[diesel(sql_type = st::Text)]
    pub name: String,
}

/// The leaf categories, in the tree's order.
pub async fn leaf_categories(conn: &mut AsyncPgConnection) -> QueryResult<Vec<Leaf>> {
    diesel::sql_query(
        "SELECT c.id, c.slug, c.name FROM categories c \
         LEFT JOIN categories p ON p.id = c.parent_id \
         WHERE NOT EXISTS (SELECT 1 FROM categories k WHERE k.parent_id = c.id) \
         ORDER BY p.position, p.slug, c.position, c.slug",
    )
    .load(conn)
    .await
}

#[derive(diesel::QueryableByName)]
struct Count {
    #[diesel(sql_type = st::BigInt)]
    n: i64,
}

/// Whether any service exists, deleted ones included.
pub async fn has_services(conn: &mut AsyncPgConnection) -> QueryResult<bool> {
    let found: Count =
        diesel::sql_query("SELECT count(*) AS n FROM (SELECT 1 FROM services LIMIT 1) s")
            .get_result(conn)
            .await?;
    Ok(found.n > 0)
}

/// Users, deleted ones included.
pub async fn count_users(conn: &mut AsyncPgConnection) -> QueryResult<i64> {
    let found: Count = diesel::sql_query("SELECT count(*) AS n FROM users")
        .get_result(conn)
        .await?;
    Ok(found.n)
}

/// Whether any of these e-mails or usernames is taken.
pub async fn any_user_named(
    conn: &mut AsyncPgConnection,
    emails: &[&str],
    usernames: &[&str],
) -> QueryResult<bool> {
    let found: Count = diesel::sql_query(
        "SELECT count(*) AS n FROM users WHERE email = ANY($1) OR username = ANY($2)",
    )
    .bind::<Array<st::Text>, _>(emails)
    .bind::<Array<st::Text>, _>(usernames)
    .get_result(conn)
    .await?;
    Ok(found.n > 0)
}

/// After a bulk load: every seller's stored rating set from their services, and fresh
/// statistics. VACUUM sets the visibility map, so counts can be answered from indexes
/// alone; it must run outside any transaction block.
pub async fn settle_after_load(conn: &mut AsyncPgConnection) -> QueryResult<()> {
    crate::catalog::refresh_seller_ratings(conn).await?;
    conn.batch_execute("VACUUM (ANALYZE) services").await?;
    conn.batch_execute("ANALYZE users; ANALYZE kyc_submissions;")
        .await
}
