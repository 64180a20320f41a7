//! A fresh database for each test, cloned from a template migrated once per change of
//! `migrations/`. Cloning takes tens of milliseconds, so tests run in parallel in
//! isolation. The server comes from `TEST_DATABASE_URL` (a role with CREATEDB; `make test`
//! starts one).

use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl, SimpleAsyncConnection};

use crate::migrations;

pub struct TestDatabase {
    pub url: String,
    pub name: String,
}

fn server_url() -> String {
    std::env::var("TEST_DATABASE_URL").unwrap_or_else(|_| {
        panic!(
            "TEST_DATABASE_URL is not set: run the tests with `make test`, which starts PostgreSQL"
        )
    })
}

/// `url` with its database name replaced.
fn with_database(url: &str, name: &str) -> String {
    let (base, _) = url
        .rsplit_once('/')
        .expect("a database URL ends in /<name>");
    format!("{base}/{name}")
}

#[derive(diesel::QueryableByName)]
struct Count {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    n: i64,
}

impl TestDatabase {
    /// A new, migrated, empty database.
    pub async fn create() -> Self {
        let server = server_url();
        let template = format!("krika_tpl_{}", migrations::fingerprint());
        let mut admin = AsyncPgConnection::establish(&server)
            .await
            .expect("connect to TEST_DATABASE_URL");
        // One process builds the template; the others wait for it.
        admin
            .batch_execute("SELECT pg_advisory_lock(727274)")
            .await
            .expect("advisory lock");
        let exists: Count = diesel::sql_query(format!(
            "SELECT count(*) AS n FROM pg_database WHERE datname = '{template}'"
        ))
        .get_result(&mut admin)
        .await
        .expect("look up template");
        if exists.n == 0 {
            let building = format!("{template}_building");
            for statement in [
                format!("DROP DATABASE IF EXISTS {building}"),
                format!("CREATE DATABASE {building}"),
            ] {
                admin
                    .batch_execute(&statement)
                    .await
                    .expect("create template");
            }
            migrations::run(&with_database(&server, &building))
                .await
                .expect("migrate template");
            admin
                .batch_execute(&format!("ALTER DATABASE {building} RENAME TO {template}"))
                .await
                .expect("publish template");
        }
        admin
            .batch_execute("SELECT pg_advisory_unlock(727274)")
            .await
            .expect("advisory unlock");

        let name = format!("krika_test_{}", uuid::Uuid::new_v4().simple());
        let mut attempts = 0;
        loop {
            let created = admin
                .batch_execute(&format!("CREATE DATABASE {name} TEMPLATE {template}"))
                .await;
            match created {
                Ok(()) => break,
                // Another clone of the same template can hold it for an instant.
                Err(error) if attempts < 50 => {
                    attempts += 1;
                    let _ = error;
                    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                }
                Err(error) => panic!("create test database: {error}"),
            }
        }
        Self {
            url: with_database(&server, &name),
            name,
        }
    }
}

/// The ledger's invariants (`crate::audit::ledger_violations`), for tests: each broken rule.
pub async fn ledger_violations(db: &crate::Db) -> Vec<String> {
    crate::audit::ledger_violations(db)
        .await
        .expect("invariant query")
}
