//! What every WebhookStore must do, run against PostgreSQL and the memory adapter alike.

use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
use diesel_async::RunQueryDsl;
use krika_kernel::PageRequest;
use krika_memory::MemoryWebhooks;
use krika_postgres::testing::TestDatabase;
use krika_postgres::{Db, DbConfig, PgWebhookStore};
use krika_webhooks::ports::{Outcome, WebhookStore};
use krika_webhooks::{Attempt, Delivery, DeliveryId, DeliveryStatus, Endpoint, EndpointId};
use serde_json::json;
use uuid::Uuid;

/// Microsecond precision, as PostgreSQL keeps it.
fn start() -> DateTime<Utc> {
    DateTime::from_timestamp_micros(Utc::now().timestamp_micros()).unwrap()
}

fn endpoint(events: &[&str], at: DateTime<Utc>) -> Endpoint {
    Endpoint {
        id: EndpointId::new(),
        url: "https://hooks.partner.example/2krika".into(),
        events: events.iter().map(|e| (*e).to_owned()).collect(),
        enabled: true,
        disabled_reason: None,
        secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw".into(),
        previous_secret: None,
        previous_until: None,
        failing_since: None,
        created_at: at,
        updated_at: at,
    }
}

fn attempt(at: DateTime<Utc>, code: i32) -> Attempt {
    Attempt {
        at,
        status_code: Some(code),
        error: None,
        duration_ms: 12,
        response_body: Some("ok".into()),
    }
}

fn page() -> PageRequest {
    PageRequest::parse(Some(1), Some(100), 20).unwrap()
}

async fn pg() -> (Arc<PgWebhookStore>, Db, TestDatabase) {
    let database = TestDatabase::create().await;
    let db = Db::connect(&DbConfig::new(&database.url)).unwrap();
    (Arc::new(PgWebhookStore::new(db.clone())), db, database)
}

async fn endpoints_are_kept_changed_and_deleted(s: Arc<dyn WebhookStore>) {
    let t0 = start();
    let first = endpoint(&["*"], t0);
    let second = endpoint(&["order.created"], t0 + Duration::seconds(1));
    s.create_endpoint(&first).await.unwrap();
    s.create_endpoint(&second).await.unwrap();
    assert_eq!(s.endpoint(first.id).await.unwrap(), Some(first.clone()));
    let listed = s.endpoints(page()).await.unwrap();
    assert_eq!(listed.total, 2);
    assert_eq!(listed.items[0].id, second.id, "newest first");

    let mut changed = first.clone();
    changed.events = vec!["payout.processed".into()];
    changed.previous_secret = Some("whsec_b2xk".into());
    changed.previous_until = Some(t0 + Duration::hours(24));
    assert!(s.update_endpoint(&changed).await.unwrap());
    assert_eq!(s.endpoint(first.id).await.unwrap(), Some(changed));
    assert!(!s.update_endpoint(&endpoint(&["*"], t0)).await.unwrap());

    assert!(s.delete_endpoint(second.id).await.unwrap());
    assert!(!s.delete_endpoint(second.id).await.unwrap());
    assert!(s.endpoint(second.id).await.unwrap().is_none());
}

async fn events_fan_out_once_to_the_endpoints_that_want_them(s: Arc<dyn WebhookStore>) {
    let t0 = start();
    let all = endpoint(&["*"], t0);
    let orders = endpoint(&["order.created"], t0);
    let mut off = endpoint(&["*"], t0);
    off.enabled = false;
    for e in [&all, &orders, &off] {
        s.create_endpoint(e).await.unwrap();
    }
    let event = Uuid::now_v7();
    let body = json!({"event": "order.created", "data": {"orderId": "o-1"}});
    assert_eq!(
        s.enqueue(event, "order.created", &body, t0).await.unwrap(),
        2
    );
    assert_eq!(
        s.enqueue(event, "order.created", &body, t0).await.unwrap(),
        0,
        "idempotent"
    );
    let payout = json!({"event": "payout.processed"});
    assert_eq!(
        s.enqueue(Uuid::now_v7(), "payout.processed", &payout, t0)
            .await
            .unwrap(),
        1
    );
    let logged = s.deliveries(orders.id, None, page()).await.unwrap();
    assert_eq!(logged.total, 1);
    assert_eq!(logged.items[0].payload, body);
    assert_eq!(logged.items[0].status, DeliveryStatus::Pending);
    assert!(
        s.deliveries(off.id, None, page())
            .await
            .unwrap()
            .items
            .is_empty()
    );
}

async fn claims_are_leased_due_and_bounded_per_endpoint(s: Arc<dyn WebhookStore>) {
    let t0 = start();
    let slow = endpoint(&["*"], t0);
    let quick = endpoint(&["*"], t0);
    s.create_endpoint(&slow).await.unwrap();
    s.create_endpoint(&quick).await.unwrap();
    for n in 0..3 {
        s.enqueue(
            Uuid::now_v7(),
            "order.created",
            &json!({"n": n}),
            t0 + Duration::milliseconds(n),
        )
        .await
        .unwrap();
    }
    let lease = Duration::seconds(60);
    let t0 = t0 + Duration::seconds(1); // all three due
    // Two per endpoint at most: four of the six.
    let first = s.claim_due(t0, lease, 10, 2).await.unwrap();
    assert_eq!(first.len(), 4);
    assert_eq!(
        first
            .iter()
            .filter(|(d, _)| d.endpoint_id == slow.id)
            .count(),
        2
    );
    // The slow endpoint has two in flight: its third waits; so does quick's.
    assert!(s.claim_due(t0, lease, 10, 2).await.unwrap().is_empty());
    // One settles: a place frees up for its endpoint only.
    let (done, _) = &first[0];
    s.record_attempt(done.id, &attempt(t0, 200), Outcome::Succeeded)
        .await
        .unwrap();
    let next = s.claim_due(t0, lease, 10, 2).await.unwrap();
    assert_eq!(next.len(), 1);
    assert_eq!(next[0].0.endpoint_id, done.endpoint_id);
    // A claimer that died: after the lease everything pending comes back.
    let back = s
        .claim_due(t0 + lease + Duration::seconds(1), lease, 10, 5)
        .await
        .unwrap();
    assert_eq!(back.len(), 5);
}

async fn attempts_move_deliveries_and_the_endpoints_failure_clock(s: Arc<dyn WebhookStore>) {
    let t0 = start();
    let e = endpoint(&["*"], t0);
    s.create_endpoint(&e).await.unwrap();
    s.enqueue(Uuid::now_v7(), "order.created", &json!({}), t0)
        .await
        .unwrap();
    let (d, _) = s
        .claim_due(t0, Duration::seconds(60), 10, 4)
        .await
        .unwrap()
        .remove(0);

    let retry = t0 + Duration::seconds(5);
    s.record_attempt(d.id, &attempt(t0, 500), Outcome::RetryAt(retry))
        .await
        .unwrap();
    let stored = s.delivery(e.id, d.id).await.unwrap().unwrap();
    assert_eq!(
        (stored.status, stored.attempts, stored.next_attempt_at),
        (DeliveryStatus::Pending, 1, Some(retry))
    );
    assert_eq!(stored.attempt_log, vec![attempt(t0, 500)]);
    assert_eq!(
        s.endpoint(e.id).await.unwrap().unwrap().failing_since,
        Some(t0)
    );
    assert!(
        s.claim_due(t0, Duration::seconds(60), 10, 4)
            .await
            .unwrap()
            .is_empty(),
        "not due"
    );

    let later = t0 + Duration::seconds(6);
    s.claim_due(later, Duration::seconds(60), 10, 4)
        .await
        .unwrap();
    s.record_attempt(d.id, &attempt(later, 204), Outcome::Succeeded)
        .await
        .unwrap();
    let stored = s.delivery(e.id, d.id).await.unwrap().unwrap();
    assert_eq!(stored.status, DeliveryStatus::Succeeded);
    assert_eq!(stored.attempt_log.len(), 2, "oldest first");
    assert_eq!(stored.attempt_log[1].status_code, Some(204));
    assert_eq!(s.endpoint(e.id).await.unwrap().unwrap().failing_since, None);
    assert_eq!(
        s.deliveries(e.id, Some(DeliveryStatus::Succeeded), page())
            .await
            .unwrap()
            .total,
        1
    );
    assert_eq!(
        s.deliveries(e.id, Some(DeliveryStatus::Failed), page())
            .await
            .unwrap()
            .total,
        0
    );

    // A manual retry makes it pending and due now, leased: the worker does not claim it,
    // and a second manual retry is refused, until the attempt is recorded or the lease
    // ends. Another endpoint cannot see it.
    let lease = Duration::seconds(60);
    assert!(s.retry_now(d.id, later, lease).await.unwrap());
    assert_eq!(
        s.delivery(e.id, d.id).await.unwrap().unwrap().status,
        DeliveryStatus::Pending
    );
    assert!(s.claim_due(later, lease, 10, 4).await.unwrap().is_empty());
    assert!(!s.retry_now(d.id, later, lease).await.unwrap());
    s.record_attempt(d.id, &attempt(later, 204), Outcome::Succeeded)
        .await
        .unwrap();
    assert!(s.retry_now(d.id, later, lease).await.unwrap());
    let expired = later + lease + Duration::seconds(1);
    assert_eq!(s.claim_due(expired, lease, 10, 4).await.unwrap().len(), 1);
    assert!(s.delivery(EndpointId::new(), d.id).await.unwrap().is_none());
    assert!(!s.retry_now(DeliveryId::new(), later, lease).await.unwrap());
}

async fn disabling_fails_what_was_pending(s: Arc<dyn WebhookStore>) {
    let t0 = start();
    let e = endpoint(&["*"], t0);
    s.create_endpoint(&e).await.unwrap();
    let test = Delivery {
        id: DeliveryId::new(),
        endpoint_id: e.id,
        event_type: "webhook.test".into(),
        payload: json!({"event": "webhook.test"}),
        status: DeliveryStatus::Pending,
        attempts: 0,
        next_attempt_at: Some(t0),
        created_at: t0,
        updated_at: t0,
        attempt_log: Vec::new(),
    };
    s.add_delivery(&test).await.unwrap();
    s.disable(e.id, "the endpoint answered 410 Gone", t0)
        .await
        .unwrap();
    let stored = s.endpoint(e.id).await.unwrap().unwrap();
    assert!(!stored.enabled);
    assert_eq!(
        stored.disabled_reason.as_deref(),
        Some("the endpoint answered 410 Gone")
    );
    assert_eq!(
        s.delivery(e.id, test.id).await.unwrap().unwrap().status,
        DeliveryStatus::Failed
    );
    assert!(
        s.claim_due(t0, Duration::seconds(60), 10, 4)
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        s.enqueue(Uuid::now_v7(), "order.created", &json!({}), t0)
            .await
            .unwrap(),
        0
    );
}

macro_rules! contract {
    ($($name:ident),*) => {
        mod memory_webhooks {
            use super::*;
            $(#[tokio::test]
            async fn $name() {
                super::$name(Arc::new(MemoryWebhooks::new())).await;
            })*

            #[tokio::test]
            async fn admins_are_named() {
                let store = MemoryWebhooks::new();
                store.set_admins(&["root@2krika.test"]);
                assert_eq!(store.admin_emails().await.unwrap(), ["root@2krika.test"]);
            }
        }
        mod pg_webhooks {
            use super::*;
            $(#[tokio::test]
            async fn $name() {
                let (store, _db, _database) = pg().await;
                super::$name(store).await;
            })*

            #[tokio::test]
            async fn admins_are_the_active_admin_accounts() {
                let (store, db, _database) = pg().await;
                let mut conn = db.conn().await.unwrap();
                for (email, role, status) in [
                    ("root@2krika.test", "admin", "active"),
                    ("gone@2krika.test", "admin", "suspended"),
                    ("client@2krika.test", "client", "active"),
                ] {
                    diesel::sql_query(
                        "INSERT INTO users (id, email, username, name, password_hash, role, status, created_at, updated_at)
                         VALUES (gen_random_uuid(), $1, $1, 'x', 'x', $2, $3, now(), now())",
                    )
                    .bind::<diesel::sql_types::Text, _>(email)
                    .bind::<diesel::sql_types::Text, _>(role)
                    .bind::<diesel::sql_types::Text, _>(status)
                    .execute(&mut conn)
                    .await
                    .unwrap();
                }
                assert_eq!(store.admin_emails().await.unwrap(), ["root@2krika.test"]);
            }
        }
    };
}

contract!(
    endpoints_are_kept_changed_and_deleted,
    events_fan_out_once_to_the_endpoints_that_want_them,
    claims_are_leased_due_and_bounded_per_endpoint,
    attempts_move_deliveries_and_the_endpoints_failure_clock,
    disabling_fails_what_was_pending
);
