//! The pool checks nothing on checkout (no `SELECT 1`): a connection the server closed
//! must still never be handed out twice.

use diesel::QueryableByName;
use diesel::sql_types::{BigInt, Integer};
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use krika_postgres::testing::TestDatabase;
use krika_postgres::{Db, DbConfig};

#[derive(QueryableByName)]
struct Pid {
    #[diesel(sql_type = Integer)]
    pid: i32,
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

async fn backend_pid(db: &Db) -> i32 {
    let mut conn = db.conn().await.unwrap();
    let row: Pid = diesel::sql_query("SELECT pg_backend_pid() AS pid")
        .get_result(&mut conn)
        .await
        .unwrap();
    row.pid
}

#[tokio::test]
async fn a_connection_the_server_closed_is_replaced_not_reused() {
    let database = TestDatabase::create().await;
    let mut config = DbConfig::new(&database.url);
    config.max_connections = 1;
    let db = Db::connect(&config).unwrap();
    let first = backend_pid(&db).await;
    assert_eq!(
        backend_pid(&db).await,
        first,
        "the idle connection is reused"
    );

    let mut admin = AsyncPgConnection::establish(&database.url).await.unwrap();
    let killed: Count = diesel::sql_query(format!(
        "SELECT count(*) AS n FROM (SELECT pg_terminate_backend({first})) t"
    ))
    .get_result(&mut admin)
    .await
    .unwrap();
    assert_eq!(killed.n, 1);
    // The driver task notices the closed socket; give it a moment.
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;

    let second = backend_pid(&db).await;
    assert_ne!(second, first, "a fresh connection replaces the closed one");
    db.ping().await.unwrap();
}

#[derive(QueryableByName)]
struct Setting {
    #[diesel(sql_type = diesel::sql_types::Text)]
    synchronous_commit: String,
}

async fn synchronous_commit(db: &Db) -> String {
    let mut conn = db.conn().await.unwrap();
    let row: Setting = diesel::sql_query("SHOW synchronous_commit")
        .get_result(&mut conn)
        .await
        .unwrap();
    row.synchronous_commit
}

#[tokio::test]
async fn commits_wait_for_the_disk_unless_a_pool_is_told_otherwise() {
    let database = TestDatabase::create().await;
    let durable = Db::connect(&DbConfig::new(&database.url)).unwrap();
    assert_eq!(synchronous_commit(&durable).await, "on");
    let bookkeeping = Db::connect(&DbConfig {
        synchronous_commit: false,
        ..DbConfig::new(&database.url)
    })
    .unwrap();
    assert_eq!(synchronous_commit(&bookkeeping).await, "off");
}
