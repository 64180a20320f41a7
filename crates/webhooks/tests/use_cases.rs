//! The webhook use cases on the memory store and a scripted transport: who may manage
//! endpoints, what is validated, how attempts move deliveries (schedule, Retry-After, 410,
//! three days of failures), rotation, tests and manual retries.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use chrono::Duration;
use krika_kernel::ports::Subscriber;
use krika_kernel::{ManualClock, PageRequest};
use krika_memory::{MemoryMailer, MemoryWebhooks};
use krika_webhooks::ports::{Outgoing, Sent, WebhookStore, WebhookTransport};
use krika_webhooks::ssrf::Refused;
use krika_webhooks::subscriber::WebhookFanout;
use krika_webhooks::{
    Admin, DeliveryStatus, EndpointChanges, WebhookError, Webhooks, WebhooksConfig, WebhooksPorts,
};
use serde_json::json;

/// Answers from a script (200 when it is empty) and keeps what was sent.
#[derive(Default)]
struct Scripted {
    answers: Mutex<VecDeque<Sent>>,
    sent: Mutex<Vec<Outgoing>>,
}

#[async_trait]
impl WebhookTransport for Scripted {
    async fn check(&self, url: &str, allow_private: bool) -> Result<(), Refused> {
        if url.contains("internal") && !allow_private {
            return Err(Refused::Private("private"));
        }
        Ok(())
    }

    async fn send(&self, request: Outgoing) -> Sent {
        self.sent.lock().unwrap().push(request);
        self.answers
            .lock()
            .unwrap()
            .pop_front()
            .unwrap_or(Sent::Answered {
                status: 200,
                retry_after: None,
                body: "ok".into(),
            })
    }
}

struct World {
    webhooks: Webhooks,
    store: Arc<MemoryWebhooks>,
    transport: Arc<Scripted>,
    mailer: Arc<MemoryMailer>,
    clock: Arc<ManualClock>,
}

const ADMIN: Admin = Admin { is_admin: true };
const USER: Admin = Admin { is_admin: false };

fn world() -> World {
    let store = Arc::new(MemoryWebhooks::new());
    store.set_admins(&["root@2krika.test"]);
    let transport = Arc::new(Scripted::default());
    let mailer = Arc::new(MemoryMailer::default());
    let clock = Arc::new(ManualClock::starting_now());
    let webhooks = Webhooks::new(
        WebhooksPorts {
            store: store.clone(),
            transport: transport.clone(),
            mailer: mailer.clone(),
            clock: clock.clone(),
        },
        WebhooksConfig::default(),
    );
    World {
        webhooks,
        store,
        transport,
        mailer,
        clock,
    }
}

fn answer(w: &World, status: u16, retry_after: Option<Duration>) {
    w.transport
        .answers
        .lock()
        .unwrap()
        .push_back(Sent::Answered {
            status,
            retry_after,
            body: "x".repeat(10),
        });
}

fn page() -> PageRequest {
    PageRequest::parse(None, None, 20).unwrap()
}

fn fields(error: WebhookError) -> Vec<String> {
    match error {
        WebhookError::Validation(errors) => errors.0.into_iter().map(|e| e.field).collect(),
        other => panic!("expected a validation error, got {other:?}"),
    }
}

fn events(list: &[&str]) -> Vec<String> {
    list.iter().map(|e| (*e).to_owned()).collect()
}

#[tokio::test]
async fn only_admins_manage_endpoints_and_every_refusal_names_its_field() {
    let w = world();
    let refused = w
        .webhooks
        .create(USER, "https://p.example/h", &events(&["*"]))
        .await;
    assert!(matches!(refused, Err(WebhookError::AdminOnly)));
    for (url, list, field) in [
        ("https://internal.example/h", vec!["*"], "url"),
        ("http://127.0.0.1/h", vec!["*"], "url"),
        ("gopher://p.example/", vec!["*"], "url"),
        ("https://p.example/h", vec![], "events"),
        (
            "https://p.example/h",
            vec!["order.created", "message.created"],
            "events[1]",
        ),
    ] {
        let error = w
            .webhooks
            .create(ADMIN, url, &events(&list))
            .await
            .unwrap_err();
        assert_eq!(fields(error), [field], "{url} {list:?}");
    }
    let endpoint = w
        .webhooks
        .create(
            ADMIN,
            "https://p.example/h",
            &events(&["order.created", "order.created"]),
        )
        .await
        .unwrap();
    assert_eq!(endpoint.events, ["order.created"], "duplicates folded");
    assert!(endpoint.secret.starts_with("whsec_"));
    let changed = w
        .webhooks
        .update(
            ADMIN,
            endpoint.id,
            EndpointChanges {
                events: Some(events(&["*"])),
                ..EndpointChanges::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(changed.events, ["*"]);
    assert!(matches!(
        w.webhooks.get(USER, endpoint.id).await,
        Err(WebhookError::AdminOnly)
    ));
    w.webhooks.delete(ADMIN, endpoint.id).await.unwrap();
    assert!(matches!(
        w.webhooks.get(ADMIN, endpoint.id).await,
        Err(WebhookError::NotFound)
    ));
}

#[tokio::test]
async fn an_event_is_delivered_signed_and_retried_on_the_schedule() {
    let w = world();
    let endpoint = w
        .webhooks
        .create(ADMIN, "https://p.example/h", &events(&["order.created"]))
        .await
        .unwrap();
    let fanout = WebhookFanout(w.webhooks.clone());
    assert!(fanout.wants("order.created") && !fanout.wants("message.created"));
    let event = krika_kernel::ports::StoredEvent {
        id: uuid::Uuid::now_v7(),
        kind: "order.created".into(),
        subject: uuid::Uuid::now_v7(),
        data: json!({"orderId": "o-1"}),
        created_at: krika_kernel::Clock::now(w.clock.as_ref()),
        attempts: 0,
    };
    fanout.handle(&event).await.unwrap();
    fanout.handle(&event).await.unwrap(); // redelivered: nothing more

    answer(&w, 500, None);
    answer(&w, 429, Some(Duration::seconds(20)));
    assert_eq!(w.webhooks.deliver_due(10).await.unwrap(), 1);
    let log = w
        .webhooks
        .deliveries(ADMIN, endpoint.id, None, page())
        .await
        .unwrap();
    assert_eq!(log.total, 1);
    let delivery = &log.items[0];
    let wait = delivery.next_attempt_at.unwrap() - delivery.attempt_log[0].at;
    assert!(wait >= Duration::milliseconds(4500) && wait <= Duration::milliseconds(5500));
    assert_eq!(w.webhooks.deliver_due(10).await.unwrap(), 0, "not due");

    w.clock.advance(Duration::seconds(6));
    w.webhooks.deliver_due(10).await.unwrap();
    let delivery = &w
        .webhooks
        .deliveries(ADMIN, endpoint.id, None, page())
        .await
        .unwrap()
        .items[0];
    assert_eq!(
        delivery.next_attempt_at.unwrap() - delivery.attempt_log[1].at,
        Duration::seconds(20)
    );

    w.clock.advance(Duration::seconds(21));
    w.webhooks.deliver_due(10).await.unwrap();
    let delivery = &w
        .webhooks
        .deliveries(ADMIN, endpoint.id, None, page())
        .await
        .unwrap()
        .items[0];
    assert_eq!(delivery.status, DeliveryStatus::Succeeded);
    assert_eq!(delivery.attempt_log.len(), 3);

    let sent = w.transport.sent.lock().unwrap().clone();
    assert_eq!(sent.len(), 3);
    let header = |o: &Outgoing, name: &str| {
        o.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
            .unwrap()
    };
    assert_eq!(
        header(&sent[0], "webhook-id"),
        header(&sent[2], "webhook-id")
    );
    assert!(header(&sent[0], "webhook-signature").starts_with("v1,"));
    let body: serde_json::Value = serde_json::from_str(&sent[0].body).unwrap();
    assert_eq!(body["event"], "order.created");
    assert_eq!(body["data"]["orderId"], "o-1");
}

#[tokio::test]
async fn gone_and_three_days_of_failures_disable_and_tell_the_admins() {
    let w = world();
    let gone = w
        .webhooks
        .create(ADMIN, "https://a.example/h", &events(&["*"]))
        .await
        .unwrap();
    answer(&w, 410, None);
    let (_, attempt) = w.webhooks.test(ADMIN, gone.id).await.unwrap();
    assert_eq!(attempt.status_code, Some(410));
    let stored = w.webhooks.get(ADMIN, gone.id).await.unwrap();
    assert!(!stored.enabled);
    assert!(stored.disabled_reason.unwrap().contains("410"));
    assert_eq!(w.mailer.sent().len(), 1);

    let failing = w
        .webhooks
        .create(ADMIN, "https://b.example/h", &events(&["*"]))
        .await
        .unwrap();
    w.transport
        .answers
        .lock()
        .unwrap()
        .push_back(Sent::Failed("connection refused".into()));
    w.webhooks.test(ADMIN, failing.id).await.unwrap();
    assert!(
        w.webhooks.get(ADMIN, failing.id).await.unwrap().enabled,
        "not yet"
    );
    w.clock.advance(Duration::days(3));
    w.transport
        .answers
        .lock()
        .unwrap()
        .push_back(Sent::Failed("connection refused".into()));
    let (delivery, attempt) = w.webhooks.test(ADMIN, failing.id).await.unwrap();
    assert_eq!(attempt.error.as_deref(), Some("connection refused"));
    assert_eq!(
        delivery.status,
        DeliveryStatus::Failed,
        "its endpoint is off"
    );
    let stored = w.webhooks.get(ADMIN, failing.id).await.unwrap();
    assert!(!stored.enabled);
    // Off means nothing is sent, neither a test nor a manual retry (409), and the
    // transport is not called.
    let sends = w.transport.sent.lock().unwrap().len();
    let refused = w.webhooks.test(ADMIN, failing.id).await.unwrap_err();
    assert!(
        matches!(refused, WebhookError::EndpointDisabled),
        "{refused:?}"
    );
    let refused = w
        .webhooks
        .retry(ADMIN, failing.id, delivery.id)
        .await
        .unwrap_err();
    assert!(
        matches!(refused, WebhookError::EndpointDisabled),
        "{refused:?}"
    );
    assert_eq!(w.transport.sent.lock().unwrap().len(), sends);
    let mails = w.mailer.sent();
    assert_eq!(mails.len(), 2);
    assert_eq!(mails[1].to, "root@2krika.test");
    assert!(mails[1].text.contains("https://b.example/h"));

    // Turned back on: a fresh start.
    let on = w
        .webhooks
        .update(
            ADMIN,
            failing.id,
            EndpointChanges {
                enabled: Some(true),
                ..EndpointChanges::default()
            },
        )
        .await
        .unwrap();
    assert!(on.enabled && on.failing_since.is_none() && on.disabled_reason.is_none());
}

#[tokio::test]
async fn rotation_signs_with_both_secrets_for_a_day() {
    let w = world();
    let endpoint = w
        .webhooks
        .create(ADMIN, "https://p.example/h", &events(&["*"]))
        .await
        .unwrap();
    let rotated = w.webhooks.rotate_secret(ADMIN, endpoint.id).await.unwrap();
    assert_ne!(rotated.secret, endpoint.secret);
    assert_eq!(
        rotated.previous_secret.as_deref(),
        Some(endpoint.secret.as_str())
    );
    w.webhooks.test(ADMIN, endpoint.id).await.unwrap();
    w.clock.advance(Duration::hours(25));
    let (delivery, _) = w.webhooks.test(ADMIN, endpoint.id).await.unwrap();
    let sent = w.transport.sent.lock().unwrap().clone();
    let signatures = |o: &Outgoing| {
        o.headers
            .iter()
            .find(|(n, _)| n == "webhook-signature")
            .unwrap()
            .1
            .split(' ')
            .count()
    };
    assert_eq!((signatures(&sent[0]), signatures(&sent[1])), (2, 1));
    // A manual retry sends the same delivery again at once.
    let (again, attempt) = w
        .webhooks
        .retry(ADMIN, endpoint.id, delivery.id)
        .await
        .unwrap();
    assert_eq!(attempt.status_code, Some(200));
    assert_eq!(again.attempt_log.len(), 2);
    assert_eq!(
        w.store
            .deliveries(endpoint.id, None, page())
            .await
            .unwrap()
            .total,
        2
    );
}
