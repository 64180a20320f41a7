//! The migrations themselves: each `down.sql` undoes its `up.sql` exactly, and every
//! foreign key is indexed.

use diesel::QueryableByName;
use diesel::sql_types::Text;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use krika_postgres::migrations;
use krika_postgres::testing::TestDatabase;

#[derive(QueryableByName)]
struct Line {
    #[diesel(sql_type = Text)]
    line: String,
}

/// Everything a migration can change, one sorted line per object.
async fn schema(url: &str) -> Vec<String> {
    let mut conn = AsyncPgConnection::establish(url).await.unwrap();
    let lines: Vec<Line> = diesel::sql_query(
        "SELECT line FROM (
             SELECT 'column ' || table_name || '.' || column_name || ' ' || data_type || ' '
                    || is_nullable || ' ' || coalesce(column_default, '') || ' '
                    || coalesce(generation_expression, '') AS line
             FROM information_schema.columns WHERE table_schema = 'public'
             UNION ALL SELECT 'index ' || indexdef FROM pg_indexes WHERE schemaname = 'public'
             UNION ALL SELECT 'constraint ' || conrelid::regclass || ' ' || conname || ' '
                    || pg_get_constraintdef(oid)
             FROM pg_constraint WHERE connamespace = 'public'::regnamespace
             UNION ALL SELECT 'function ' || p.oid::regprocedure::text
             FROM pg_proc p WHERE p.pronamespace = 'public'::regnamespace
             UNION ALL SELECT 'trigger ' || tgrelid::regclass || ' ' || tgname
             FROM pg_trigger WHERE NOT tgisinternal
         ) objects ORDER BY line",
    )
    .load(&mut conn)
    .await
    .unwrap();
    lines.into_iter().map(|l| l.line).collect()
}

#[tokio::test]
async fn each_down_undoes_its_up() {
    let database = TestDatabase::create().await;
    // Walk down one step at a time, keeping what each state looked like…
    let mut states = vec![schema(&database.url).await];
    let mut versions = Vec::new();
    // Reverting past the first migration is an error: that is the bottom.
    while let Ok(version) = migrations::revert_last(&database.url).await {
        versions.push(version);
        states.push(schema(&database.url).await);
    }
    assert!(versions.len() >= 8, "{versions:?}");
    // …then up again: after each step the schema is the one that version had.
    states.pop();
    while let Some(expected) = states.pop() {
        let version = migrations::run_next(&database.url).await.unwrap();
        let now = schema(&database.url).await;
        let missing: Vec<&String> = expected.iter().filter(|l| !now.contains(l)).collect();
        let extra: Vec<&String> = now.iter().filter(|l| !expected.contains(l)).collect();
        assert!(
            missing.is_empty() && extra.is_empty(),
            "after re-applying {version}: missing {missing:#?}, extra {extra:#?}"
        );
    }
}

#[tokio::test]
async fn every_foreign_key_is_indexed() {
    let database = TestDatabase::create().await;
    let mut conn = AsyncPgConnection::establish(&database.url).await.unwrap();
    let unindexed: Vec<Line> = diesel::sql_query(
        "SELECT c.conrelid::regclass || '.' || a.attname AS line
         FROM pg_constraint c
         JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
         WHERE c.contype = 'f'
           AND NOT EXISTS (
               SELECT 1 FROM pg_index i
               WHERE i.indrelid = c.conrelid
                 AND (i.indkey::int2[])[0:array_length(c.conkey, 1) - 1] = c.conkey::int2[])
         ORDER BY 1",
    )
    .load(&mut conn)
    .await
    .unwrap();
    let names: Vec<String> = unindexed.into_iter().map(|l| l.line).collect();
    assert!(names.is_empty(), "foreign keys without an index: {names:?}");
}
