//! The PostgreSQL adapters against a real server, each test in its own database.

mod catalog;
mod content;
mod idempotency;
mod identity;
mod messaging;
mod migrations;
mod outbox;
mod pool;
mod webhooks;

#[derive(diesel::QueryableByName)]
struct Count {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    n: i64,
}

/// How many statements prepared on `conn` contain every one of `parts`: a statement
/// written with raw SQL is prepared anew (and planned) on every call, so it never stays.
async fn prepared(conn: &mut diesel_async::AsyncPgConnection, parts: &[&str]) -> i64 {
    use diesel::sql_types::{Array, Text};
    use diesel_async::RunQueryDsl;
    // Matched with strpos, so the query does not match itself.
    diesel::sql_query(
        "SELECT count(*) AS n FROM pg_prepared_statements \
         WHERE (SELECT bool_and(strpos(statement, part) > 0) FROM unnest($1) AS part)",
    )
    .bind::<Array<Text>, _>(parts)
    .get_result::<Count>(conn)
    .await
    .unwrap()
    .n
}
