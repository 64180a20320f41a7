//! What every IdempotencyStore must do, the PostgreSQL one and the memory one alike.

use chrono::{DateTime, Duration, TimeZone, Utc};
use krika_kernel::ports::{IdempotencyStart, IdempotencyStore};
use krika_memory::MemoryIdempotencyStore;
use krika_postgres::testing::TestDatabase;
use krika_postgres::{Db, DbConfig, PgIdempotencyStore};

const SCOPE: &str = "buyer:POST /orders";

/// The attempt of a `Proceed`; panics on anything else.
fn proceeds(start: IdempotencyStart) -> String {
    match start {
        IdempotencyStart::Proceed { attempt } => attempt,
        other => panic!("expected Proceed, got {other:?}"),
    }
}

async fn contract(store: &dyn IdempotencyStore) {
    let t0 = Utc.with_ymd_and_hms(2026, 12, 1, 10, 0, 0).unwrap();
    let kept = Duration::hours(24);
    let stale = Duration::minutes(1);
    let start = async |key: &str, fingerprint: &str, now: DateTime<Utc>| {
        store
            .start(SCOPE, key, fingerprint, now, now - kept, now - stale)
            .await
            .unwrap()
    };

    let first = proceeds(start("k1", "body-a", t0).await);
    assert!(!first.is_empty());
    assert_eq!(start("k1", "body-a", t0).await, IdempotencyStart::InFlight);
    assert_eq!(start("k1", "body-b", t0).await, IdempotencyStart::Mismatch);
    store.finish(SCOPE, "k1", 201, b"{\"ok\":1}").await.unwrap();
    assert_eq!(
        start("k1", "body-a", t0 + Duration::hours(1)).await,
        IdempotencyStart::Replay {
            status: 201,
            body: b"{\"ok\":1}".to_vec()
        }
    );
    assert_eq!(start("k1", "body-b", t0).await, IdempotencyStart::Mismatch);
    // Other scopes and keys are other claims, with attempts of their own.
    let other = proceeds(
        store
            .start(
                "other:POST /orders",
                "k1",
                "body-a",
                t0,
                t0 - kept,
                t0 - stale,
            )
            .await
            .unwrap(),
    );
    assert_ne!(other, first);
    // Kept 24 hours, then forgotten: the key starts anew, even with another body, as a
    // new attempt.
    let reborn = proceeds(start("k1", "body-b", t0 + Duration::hours(25)).await);
    assert_ne!(reborn, first);
    assert_eq!(
        start("k1", "body-b", t0 + Duration::hours(25)).await,
        IdempotencyStart::InFlight
    );

    // An unfinished claim is taken over once stale, not before, and only by its own body:
    // the takeover is the same attempt (its request died; what it did outside is found
    // again, not redone).
    let dead = proceeds(start("k2", "body-a", t0).await);
    assert_eq!(
        start("k2", "body-a", t0 + Duration::seconds(59)).await,
        IdempotencyStart::InFlight
    );
    assert_eq!(
        start("k2", "body-b", t0 + Duration::minutes(2)).await,
        IdempotencyStart::Mismatch
    );
    let takeover = proceeds(start("k2", "body-a", t0 + Duration::minutes(2)).await);
    assert_eq!(takeover, dead);
    assert_eq!(
        start("k2", "body-a", t0 + Duration::minutes(2)).await,
        IdempotencyStart::InFlight
    );

    // Abandoned: free at once, as a new attempt; a finished key is not released by abandon.
    store.abandon(SCOPE, "k2").await.unwrap();
    let again = proceeds(start("k2", "body-a", t0 + Duration::minutes(2)).await);
    assert_ne!(again, dead);
    store.finish(SCOPE, "k2", 422, b"no").await.unwrap();
    store.abandon(SCOPE, "k2").await.unwrap();
    assert_eq!(
        start("k2", "body-a", t0 + Duration::minutes(3)).await,
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
