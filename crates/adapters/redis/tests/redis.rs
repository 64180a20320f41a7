//! The Redis adapters against a real server; each test writes under its own key prefix.

use chrono::{Duration, TimeZone, Utc};
use krika_identity::ports::TokenDenylist;
use krika_kernel::ports::{Cache, RateLimiter};
use krika_redis::{Redis, RedisCache, RedisDenylist, RedisRateLimiter};
use uuid::Uuid;

fn redis() -> Redis {
    let url = std::env::var("TEST_REDIS_URL")
        .expect("TEST_REDIS_URL is not set: run the tests with `make test`, which starts Redis");
    Redis::connect(&url, format!("test:{}:", Uuid::new_v4().simple())).unwrap()
}

#[tokio::test]
async fn counts_per_subject_and_window() {
    let limiter = RedisRateLimiter::new(redis());
    let now = Utc.with_ymd_and_hms(2026, 11, 22, 10, 0, 30).unwrap();
    for expected_remaining in [2, 1, 0] {
        let decision = limiter.hit("auth", "1.2.3.4", 3, now).await.unwrap();
        assert!(decision.allowed);
        assert_eq!(decision.remaining, expected_remaining);
        assert_eq!(
            decision.reset_at,
            Utc.with_ymd_and_hms(2026, 11, 22, 10, 1, 0).unwrap()
        );
    }
    let refused = limiter.hit("auth", "1.2.3.4", 3, now).await.unwrap();
    assert!(!refused.allowed);
    assert_eq!(refused.remaining, 0);

    assert!(
        limiter
            .hit("auth", "5.6.7.8", 3, now)
            .await
            .unwrap()
            .allowed,
        "other subject"
    );
    assert!(
        limiter
            .hit("upload", "1.2.3.4", 3, now)
            .await
            .unwrap()
            .allowed,
        "other bucket"
    );
    let next_minute = now + Duration::seconds(31);
    assert!(
        limiter
            .hit("auth", "1.2.3.4", 3, next_minute)
            .await
            .unwrap()
            .allowed,
        "new window"
    );
}

#[tokio::test]
async fn instances_share_counters() {
    let shared = redis();
    let (a, b) = (
        RedisRateLimiter::new(shared.clone()),
        RedisRateLimiter::new(shared),
    );
    let now = Utc::now();
    a.hit("default", "user", 2, now).await.unwrap();
    a.hit("default", "user", 2, now).await.unwrap();
    // Counts travel at the next exchange (every 100 ms, or now). An instance learns a
    // subject's shared count at the exchange after its own first request for it: that
    // first request is the overshoot an instance may add.
    a.sync().await.unwrap();
    assert!(b.hit("default", "user", 2, now).await.unwrap().allowed);
    b.sync().await.unwrap();
    let fourth = b.hit("default", "user", 2, now).await.unwrap();
    assert!(!fourth.allowed, "b now counts a's requests");
    assert_eq!(fourth.remaining, 0);
    a.sync().await.unwrap();
    assert!(
        !a.hit("default", "user", 2, now).await.unwrap().allowed,
        "and a b's"
    );
}

#[tokio::test]
async fn counting_needs_no_redis_and_catches_up_when_it_returns() {
    // Redis unreachable: decisions are still made, from this instance's counts.
    let limiter = RedisRateLimiter::new(Redis::connect("redis://127.0.0.1:1", "x:").unwrap());
    let now = Utc::now();
    assert!(limiter.hit("auth", "ip", 1, now).await.unwrap().allowed);
    assert!(!limiter.hit("auth", "ip", 1, now).await.unwrap().allowed);
    assert!(limiter.sync().await.unwrap_err().is_unavailable());
    assert!(
        !limiter.hit("auth", "ip", 1, now).await.unwrap().allowed,
        "counts kept"
    );
}

#[tokio::test]
async fn the_background_exchange_shares_counts_within_a_moment() {
    let shared = redis();
    let (a, b) = (
        RedisRateLimiter::new(shared.clone()),
        RedisRateLimiter::new(shared),
    );
    let now = Utc::now();
    for _ in 0..3 {
        a.hit("default", "busy", 3, now).await.unwrap();
    }
    // b's first hit is counted locally and exchanged too; within a few intervals b knows.
    let mut refused = false;
    for _ in 0..20 {
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        if !b.hit("default", "busy", 3, now).await.unwrap().allowed {
            refused = true;
            break;
        }
    }
    assert!(refused, "b never heard of a's requests");
}

#[tokio::test]
async fn denied_tokens_until_expiry() {
    let denylist = RedisDenylist(redis());
    let (token, other) = (Uuid::new_v4(), Uuid::new_v4());
    let now = Utc::now();
    denylist
        .deny(token, now + Duration::seconds(600), now)
        .await
        .unwrap();
    assert!(denylist.is_denied(token).await.unwrap());
    assert!(!denylist.is_denied(other).await.unwrap());
    // An already expired token needs no entry.
    denylist
        .deny(other, now - Duration::seconds(1), now)
        .await
        .unwrap();
    assert!(!denylist.is_denied(other).await.unwrap());
}

#[tokio::test]
async fn an_unreachable_server_is_reported_unavailable() {
    let redis = Redis::connect("redis://127.0.0.1:1", "x:").unwrap();
    assert!(redis.ping().await.unwrap_err().is_unavailable());
    assert!(
        RedisCache(redis)
            .get("a")
            .await
            .unwrap_err()
            .is_unavailable()
    );
}

#[tokio::test]
async fn cache_round_trip_expiry_and_delete() {
    let cache = RedisCache(redis());
    assert_eq!(cache.get("a").await.unwrap(), None);
    cache.put("a", b"one", 60).await.unwrap();
    cache.put("b", b"two", 1).await.unwrap();
    assert_eq!(cache.get("a").await.unwrap().as_deref(), Some(&b"one"[..]));
    cache
        .delete(&["a".to_owned(), "missing".to_owned()])
        .await
        .unwrap();
    assert_eq!(cache.get("a").await.unwrap(), None);
    tokio::time::sleep(std::time::Duration::from_millis(2100)).await;
    assert_eq!(cache.get("b").await.unwrap(), None, "expired after its TTL");
}

#[tokio::test]
async fn callers_share_one_connection_and_a_killed_one_is_replaced() {
    let redis = redis();
    let cache = RedisCache(redis.clone());
    let first = redis.client_id().await.unwrap();
    cache.put("k", b"v", 60).await.unwrap();
    assert_eq!(
        redis.client_id().await.unwrap(),
        first,
        "no new connection per call"
    );

    let url = std::env::var("TEST_REDIS_URL").unwrap();
    let mut admin = deadpool_redis::redis::Client::open(url)
        .unwrap()
        .get_multiplexed_async_connection()
        .await
        .unwrap();
    let killed: i64 = deadpool_redis::redis::cmd("CLIENT")
        .arg("KILL")
        .arg("ID")
        .arg(first)
        .query_async(&mut admin)
        .await
        .unwrap();
    assert_eq!(killed, 1);

    // At most one call meets the dead socket; the next one connects again.
    let mut value = cache.get("k").await;
    if value.is_err() {
        value = cache.get("k").await;
    }
    assert_eq!(value.unwrap().as_deref(), Some(&b"v"[..]));
    assert_ne!(redis.client_id().await.unwrap(), first);
}
