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

/// The ledger's invariants, checked from the tables: all entries sum to zero, so does each
/// ledger transaction; every wallet and escrow balance equals the sum of its entries and
/// is not negative; the escrow of every completed or cancelled order is empty. Returns
/// each broken rule.
pub async fn ledger_violations(db: &crate::Db) -> Vec<String> {
    use diesel::sql_types::{BigInt, Text};
    use diesel_async::RunQueryDsl;

    #[derive(diesel::QueryableByName)]
    struct Violation {
        #[diesel(sql_type = Text)]
        rule: String,
        #[diesel(sql_type = BigInt)]
        count: i64,
    }
    const CHECKS: &str = "\
        SELECT 'all entries sum to zero' AS rule, count(*) AS count FROM \
            (SELECT 1 FROM ledger_entries HAVING COALESCE(sum(amount), 0) <> 0) t \
        UNION ALL SELECT 'each transaction sums to zero', count(*) FROM \
            (SELECT transaction_id FROM ledger_entries GROUP BY transaction_id HAVING sum(amount) <> 0) t \
        UNION ALL SELECT 'balance equals its entries', count(*) FROM ledger_accounts a \
            WHERE a.kind IN ('wallet', 'escrow') AND a.balance <> \
            (SELECT COALESCE(sum(amount), 0) FROM ledger_entries e WHERE e.account_id = a.id) \
        UNION ALL SELECT 'no negative wallet or escrow', count(*) FROM ledger_accounts \
            WHERE kind IN ('wallet', 'escrow') AND balance < 0 \
        UNION ALL SELECT 'settled orders have empty escrow', count(*) FROM orders o \
            JOIN ledger_accounts a ON a.kind = 'escrow' AND a.owner_id = o.id \
            WHERE o.status IN ('completed', 'cancelled') AND a.balance <> 0 \
        UNION ALL SELECT 'open orders hold their gross in escrow', count(*) FROM orders o \
            JOIN ledger_accounts a ON a.kind = 'escrow' AND a.owner_id = o.id \
            WHERE o.status NOT IN ('completed', 'cancelled') AND a.balance <> o.subtotal + o.extras_total";
    let mut conn = db.conn().await.expect("connection");
    let rows: Vec<Violation> = diesel::sql_query(CHECKS)
        .load(&mut conn)
        .await
        .expect("invariant query");
    rows.into_iter()
        .filter(|v| v.count > 0)
        .map(|v| format!("{} ({} broken)", v.rule, v.count))
        .collect()
}
