//! What every IdempotencyStore must do, the PostgreSQL one and the memory one alike.

use chrono::{Duration, TimeZone, Utc};
use krika_kernel::ports::{IdempotencyStart, IdempotencyStore};
use krika_memory::MemoryIdempotencyStore;
use krika_postgres::testing::TestDatabase;
use krika_postgres::{Db, DbConfig, PgIdempotencyStore};

async fn contract(store: &dyn IdempotencyStore) {
    let t0 = Utc.with_ymd_and_hms(2026, 12, 1, 10, 0, 0).unwrap();
    let kept = Duration::hours(24);
    let stale = Duration::minutes(5);
    let start = async |key: &str, fingerprint: &str, now: chrono::DateTime<Utc>| {
        store
            .start(
                "buyer:POST /orders",
                key,
                fingerprint,
                now,
                now - kept,
                now - stale,
            )
            .await
            .unwrap()
    };

    assert_eq!(start("k1", "body-a", t0).await, IdempotencyStart::Proceed);
    assert_eq!(start("k1", "body-a", t0).await, IdempotencyStart::InFlight);
    assert_eq!(start("k1", "body-b", t0).await, IdempotencyStart::Mismatch);
    store
        .finish("buyer:POST /orders", "k1", 201, b"{\"ok\":1}")
        .await
        .unwrap();
    assert_eq!(
        start("k1", "body-a", t0 + Duration::hours(1)).await,
        IdempotencyStart::Replay {
            status: 201,
            body: b"{\"ok\":1}".to_vec()
        }
    );
    assert_eq!(start("k1", "body-b", t0).await, IdempotencyStart::Mismatch);
    // Other scopes and keys are other claims.
    assert_eq!(
        store
            .start(
                "other:POST /orders",
                "k1",
                "body-a",
                t0,
                t0 - kept,
                t0 - stale
            )
            .await
            .unwrap(),
        IdempotencyStart::Proceed
    );
    // Kept 24 hours, then forgotten: the key starts anew, even with another body.
    assert_eq!(
        start("k1", "body-b", t0 + Duration::hours(25)).await,
        IdempotencyStart::Proceed
    );
    assert_eq!(
        start("k1", "body-b", t0 + Duration::hours(25)).await,
        IdempotencyStart::InFlight
    );

    // An unfinished claim is taken over once stale, not before.
    assert_eq!(start("k2", "body-a", t0).await, IdempotencyStart::Proceed);
    assert_eq!(
        start("k2", "body-a", t0 + Duration::minutes(4)).await,
        IdempotencyStart::InFlight
    );
    assert_eq!(
        start("k2", "body-a", t0 + Duration::minutes(6)).await,
        IdempotencyStart::Proceed
    );

    // Abandoned: free at once; a finished key is not released by abandon.
    store.abandon("buyer:POST /orders", "k2").await.unwrap();
    assert_eq!(
        start("k2", "body-a", t0 + Duration::minutes(6)).await,
        IdempotencyStart::Proceed
    );
    store
        .finish("buyer:POST /orders", "k2", 422, b"no")
        .await
        .unwrap();
    store.abandon("buyer:POST /orders", "k2").await.unwrap();
    assert_eq!(
        start("k2", "body-a", t0 + Duration::minutes(7)).await,
        IdempotencyStart::Replay {
            status: 422,
            body: b"no".to_vec()
        }
    );
}

#[tokio::test]
async fn memory_idempotency_keeps_the_contract() {
    contract(&MemoryIdempotencyStore::default()).await;
}

#[tokio::test]
async fn postgres_idempotency_keeps_the_contract() {
    let database = TestDatabase::create().await;
    let db = Db::connect(&DbConfig::new(&database.url)).unwrap();
    contract(&PgIdempotencyStore::new(db)).await;
}
