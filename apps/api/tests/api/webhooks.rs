//! docs/webhooks.md against a real receiver on loopback that verifies signatures with the
//! `standardwebhooks` crate, as a partner would.

use std::collections::VecDeque;
use std::net::TcpListener;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use actix_web::{App, HttpRequest, HttpResponse, HttpServer, web};
use chrono::Duration as Span;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::orders::Market;

/// What the receiver got: headers and body of each request.
#[derive(Debug, Clone)]
pub(crate) struct Received {
    headers: http::HeaderMap,
    body: String,
}

/// How the receiver answers the next request: status, headers, delay.
type Answer = (u16, Vec<(&'static str, String)>, Duration);

#[derive(Default)]
struct Script {
    answers: Mutex<VecDeque<Answer>>,
    received: Mutex<Vec<Received>>,
    /// The body of every answer; "merci" unless set.
    body: Mutex<Option<Vec<u8>>>,
}

pub(crate) struct Receiver {
    pub(crate) url: String,
    script: Arc<Script>,
}

impl Receiver {
    /// A receiver answering 200 unless told otherwise.
    pub(crate) fn start() -> Self {
        let script = Arc::new(Script::default());
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}/hooks/2krika", listener.local_addr().unwrap());
        let shared = script.clone();
        let server = HttpServer::new(move || {
            let script = shared.clone();
            App::new().default_service(web::to(move |req: HttpRequest, body: web::Bytes| {
                let script = script.clone();
                async move {
                    let mut headers = http::HeaderMap::new();
                    for (name, value) in req.headers() {
                        if let (Ok(name), Ok(value)) = (
                            http::HeaderName::from_bytes(name.as_str().as_bytes()),
                            http::HeaderValue::from_bytes(value.as_bytes()),
                        ) {
                            headers.insert(name, value);
                        }
                    }
                    script.received.lock().unwrap().push(Received {
                        headers,
                        body: String::from_utf8_lossy(&body).into_owned(),
                    });
                    let answer = script.answers.lock().unwrap().pop_front();
                    let (status, extra, delay) =
                        answer.unwrap_or((200, Vec::new(), Duration::ZERO));
                    if !delay.is_zero() {
                        tokio::time::sleep(delay).await;
                    }
                    let mut response =
                        HttpResponse::build(actix_web::http::StatusCode::from_u16(status).unwrap());
                    for (name, value) in extra {
                        response.insert_header((name, value));
                    }
                    let body = script.body.lock().unwrap().clone();
                    response.body(body.unwrap_or_else(|| b"merci".to_vec()))
                }
            }))
        })
        .workers(1)
        .listen(listener)
        .unwrap()
        .disable_signals()
        .run();
        actix_web::rt::spawn(server);
        Self { url, script }
    }

    /// Every answer from now on carries `body`.
    pub(crate) fn answer_with_body(&self, body: Vec<u8>) {
        *self.script.body.lock().unwrap() = Some(body);
    }

    pub(crate) fn answer(&self, status: u16, headers: Vec<(&'static str, String)>) {
        self.script
            .answers
            .lock()
            .unwrap()
            .push_back((status, headers, Duration::ZERO));
    }

    pub(crate) fn received(&self) -> Vec<Received> {
        self.script.received.lock().unwrap().clone()
    }
}

/// A market whose webhooks may reach loopback.
pub(crate) async fn market() -> Market {
    Market::open_with(&[
        ("WEBHOOK_ALLOW_PRIVATE", "true"),
        ("WEBHOOK_TIMEOUT_SECS", "1"),
    ])
    .await
}

pub(crate) async fn register(m: &Market, url: &str, events: Value) -> (String, String) {
    // Events of the set-up (the service's approval) are handed over first, before the
    // endpoint exists.
    m.app.settle().await;
    let reply = m
        .app
        .post(
            "/api/v1/admin/webhooks",
            Some(&m.admin),
            json!({"url": url, "events": events}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{:?}", reply.body);
    let data = &reply.body["data"];
    (
        data["id"].as_str().unwrap().to_owned(),
        data["secret"].as_str().unwrap().to_owned(),
    )
}

/// Hands the outbox to the fan-out, then attempts what is due.
pub(crate) async fn deliver(m: &Market) -> usize {
    m.app.settle().await;
    krika_api::workers::deliver_webhooks(&m.app.state).await
}

fn verify(secret: &str, received: &Received) {
    standardwebhooks::Webhook::new(secret)
        .unwrap()
        .verify(received.body.as_bytes(), &received.headers)
        .unwrap_or_else(|e| panic!("signature: {e:?} on {received:?}"));
}

/// Whether `secret` made one of the signatures, computed with the crate (for deliveries
/// signed at a test clock far from the real one, which `verify` would call stale).
fn signed_by(secret: &str, received: &Received) -> bool {
    let header = |name: &str| received.headers[name].to_str().unwrap().to_owned();
    let expected = standardwebhooks::Webhook::new(secret)
        .unwrap()
        .sign(
            &header("webhook-id"),
            header("webhook-timestamp").parse().unwrap(),
            received.body.as_bytes(),
        )
        .unwrap();
    header("webhook-signature")
        .split(' ')
        .any(|s| s == expected)
}

pub(crate) async fn deliveries(m: &Market, hook: &str, query: &str) -> Vec<Value> {
    let reply = m
        .app
        .get(
            &format!("/api/v1/admin/webhooks/{hook}/deliveries{query}"),
            Some(&m.admin),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    reply.body["data"]["items"].as_array().unwrap().clone()
}

#[actix_web::test]
async fn registration_checks_the_url_the_events_and_the_caller() {
    // The default configuration: private addresses refused.
    let m = Market::open().await;
    let cases = [
        (
            json!({"url": "http://127.0.0.1:9/hook", "events": ["*"]}),
            "url",
        ),
        (
            json!({"url": "http://localhost./hook", "events": ["*"]}),
            "url",
        ),
        (
            json!({"url": "http://[::ffff:127.0.0.1]/", "events": ["*"]}),
            "url",
        ),
        (json!({"url": "http://2130706433/", "events": ["*"]}), "url"),
        (
            json!({"url": "http://169.254.169.254/latest", "events": ["*"]}),
            "url",
        ),
        (json!({"url": "ftp://example.com/", "events": ["*"]}), "url"),
        (
            json!({"url": "https://u:p@example.com/", "events": ["*"]}),
            "url",
        ),
        (json!({"events": ["*"]}), "url"),
        (json!({"url": "http://10.0.0.1/", "events": []}), "events"),
        (
            json!({"url": "http://10.0.0.1/", "events": ["order.shipped"]}),
            "events[0]",
        ),
    ];
    for (body, field) in cases {
        let reply = m
            .app
            .post("/api/v1/admin/webhooks", Some(&m.admin), body.clone())
            .await;
        assert_eq!(
            reply.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{body}: {:?}",
            reply.body
        );
        assert!(reply.fields().contains(&field), "{body}: {:?}", reply.body);
    }
    let body = json!({"url": "http://10.0.0.1/", "events": ["*"]});
    let seller = m
        .app
        .post("/api/v1/admin/webhooks", Some(&m.seller), body.clone())
        .await;
    assert_eq!(seller.status, StatusCode::FORBIDDEN);
    let anonymous = m.app.post("/api/v1/admin/webhooks", None, body).await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
    for path in [
        "/api/v1/admin/webhooks",
        "/api/v1/admin/webhooks/event-types",
    ] {
        assert_eq!(
            m.app.get(path, Some(&m.buyer)).await.status,
            StatusCode::FORBIDDEN
        );
    }

    let types = m
        .app
        .get("/api/v1/admin/webhooks/event-types", Some(&m.admin))
        .await;
    let names: Vec<&str> = types.body["data"]["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    assert_eq!(names.len(), 9);
    assert!(names.contains(&"order.cancelled") && names.contains(&"payout.rejected"));
}

#[actix_web::test]
async fn an_order_reaches_the_partner_signed_and_is_logged() {
    let m = market().await;
    let receiver = Receiver::start();
    let (hook, secret) = register(&m, &receiver.url, json!(["order.created"])).await;
    assert!(secret.starts_with("whsec_"));
    // The secret is shown once.
    let shown = m
        .app
        .get(&format!("/api/v1/admin/webhooks/{hook}"), Some(&m.admin))
        .await;
    assert!(
        shown.body["data"].get("secret").is_none(),
        "{:?}",
        shown.body
    );

    let order = m.order(&m.basic, &[]).await;
    assert_eq!(deliver(&m).await, 1);
    let got = receiver.received();
    assert_eq!(got.len(), 1);
    verify(&secret, &got[0]);
    let body: Value = serde_json::from_str(&got[0].body).unwrap();
    assert_eq!(body["event"], "order.created");
    assert_eq!(body["data"]["orderId"], order["id"]);
    assert_eq!(body["data"]["previousStatus"], Value::Null);
    assert!(body["timestamp"].is_string());

    let log = deliveries(&m, &hook, "").await;
    assert_eq!(log.len(), 1);
    assert_eq!(log[0]["status"], "succeeded");
    assert_eq!(log[0]["id"], got[0].headers["webhook-id"].to_str().unwrap());
    assert_eq!(log[0]["attempts"][0]["statusCode"], 200);
    assert_eq!(log[0]["attempts"][0]["responseBody"], "merci");
    // Redelivering the outbox adds no second delivery.
    assert_eq!(deliver(&m).await, 0);
    assert_eq!(receiver.received().len(), 1);
}

#[actix_web::test]
async fn failures_are_retried_on_schedule_honouring_retry_after() {
    let m = market().await;
    let receiver = Receiver::start();
    let (hook, secret) = register(&m, &receiver.url, json!(["*"])).await;
    receiver.answer(500, Vec::new());
    receiver.answer(503, vec![("retry-after", "7".into())]);
    m.order(&m.basic, &[]).await;

    assert_eq!(deliver(&m).await, 1);
    let log = deliveries(&m, &hook, "?status=pending").await;
    assert_eq!(log.len(), 1);
    let due = |d: &Value| {
        chrono::DateTime::parse_from_rfc3339(d["nextAttemptAt"].as_str().unwrap()).unwrap()
            - chrono::DateTime::parse_from_rfc3339(
                d["attempts"].as_array().unwrap().last().unwrap()["at"]
                    .as_str()
                    .unwrap(),
            )
            .unwrap()
    };
    let wait = due(&log[0]);
    assert!(
        wait >= Span::milliseconds(4500) && wait <= Span::milliseconds(5500),
        "{wait}"
    );
    assert_eq!(deliver(&m).await, 0, "not due yet");

    m.app.clock.advance(Span::seconds(6));
    assert_eq!(deliver(&m).await, 1);
    let log = deliveries(&m, &hook, "?status=pending").await;
    assert_eq!(
        due(&log[0]),
        Span::seconds(7),
        "Retry-After, within twice the 5 min step"
    );

    m.app.clock.advance(Span::seconds(8));
    assert_eq!(deliver(&m).await, 1);
    let done = deliveries(&m, &hook, "?status=succeeded").await;
    assert_eq!(done.len(), 1);
    let codes: Vec<&Value> = done[0]["attempts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| &a["statusCode"])
        .collect();
    assert_eq!(codes, [&json!(500), &json!(503), &json!(200)]);
    for received in receiver.received() {
        verify(&secret, &received);
    }
    assert!(deliveries(&m, &hook, "?status=failed").await.is_empty());
}

#[actix_web::test]
async fn redirects_timeouts_and_gone() {
    let m = market().await;
    let receiver = Receiver::start();
    let (hook, _) = register(&m, &receiver.url, json!(["order.created"])).await;
    receiver.answer(
        302,
        vec![("location", "http://127.0.0.1:9/elsewhere".into())],
    );
    receiver
        .script
        .answers
        .lock()
        .unwrap()
        .push_back((200, Vec::new(), Duration::from_secs(3)));
    receiver.answer(410, Vec::new());
    m.order(&m.basic, &[]).await;

    deliver(&m).await;
    let log = deliveries(&m, &hook, "").await;
    let first = &log[0]["attempts"][0];
    assert_eq!(first["statusCode"], 302);
    assert_eq!(first["error"], "redirects are not followed");
    assert_eq!(log[0]["status"], "pending");

    m.app.clock.advance(Span::seconds(6));
    deliver(&m).await;
    let log = deliveries(&m, &hook, "").await;
    let second = &log[0]["attempts"][1];
    assert_eq!(second["statusCode"], Value::Null);
    assert!(
        second["error"].as_str().unwrap().contains("no answer"),
        "{second}"
    );

    m.app.clock.advance(Span::minutes(6));
    deliver(&m).await;
    let log = deliveries(&m, &hook, "").await;
    assert_eq!(log[0]["status"], "failed");
    let endpoint = m
        .app
        .get(&format!("/api/v1/admin/webhooks/{hook}"), Some(&m.admin))
        .await;
    assert_eq!(endpoint.body["data"]["enabled"], false);
    assert!(
        endpoint.body["data"]["disabledReason"]
            .as_str()
            .unwrap()
            .contains("410")
    );
    // Disabled: nothing more is queued for it.
    m.order(&m.basic, &[]).await;
    deliver(&m).await;
    assert_eq!(deliveries(&m, &hook, "").await.len(), 1);
    // Turned back on by hand.
    let on = m
        .app
        .call(
            reqwest::Method::PATCH,
            &format!("/api/v1/admin/webhooks/{hook}"),
            Some(&m.admin),
            Some(json!({"enabled": true})),
        )
        .await;
    assert_eq!(on.status, StatusCode::OK, "{:?}", on.body);
    assert_eq!(on.body["data"]["disabledReason"], Value::Null);
}

#[actix_web::test]
async fn a_restart_between_two_attempts_loses_nothing() {
    let m = market().await;
    let receiver = Receiver::start();
    let (hook, secret) = register(&m, &receiver.url, json!(["order.created"])).await;
    receiver.answer(500, Vec::new());
    m.order(&m.basic, &[]).await;
    deliver(&m).await;

    // Another process on the same database picks the retry up.
    let restarted = m.app.spawn_sibling().await;
    m.app.clock.advance(Span::seconds(6));
    assert_eq!(
        krika_api::workers::deliver_webhooks(&restarted.state).await,
        1
    );
    let log = deliveries(&m, &hook, "").await;
    assert_eq!(log[0]["status"], "succeeded");
    assert_eq!(receiver.received().len(), 2);
    // Both attempts carried the same webhook-id: the partner can drop the duplicate.
    let ids: Vec<String> = receiver
        .received()
        .iter()
        .map(|r| r.headers["webhook-id"].to_str().unwrap().to_owned())
        .collect();
    assert_eq!(ids[0], ids[1]);
    verify(&secret, &receiver.received()[1]);
}

#[actix_web::test]
async fn a_rotated_secret_signs_beside_the_old_one_and_tests_and_retries_answer_at_once() {
    let m = market().await;
    let receiver = Receiver::start();
    let (hook, old) = register(&m, &receiver.url, json!(["order.created"])).await;
    let rotated = m
        .app
        .post(
            &format!("/api/v1/admin/webhooks/{hook}/rotate-secret"),
            Some(&m.admin),
            json!({}),
        )
        .await;
    assert_eq!(rotated.status, StatusCode::OK, "{:?}", rotated.body);
    let new = rotated.body["data"]["secret"].as_str().unwrap().to_owned();
    assert_ne!(new, old);

    let test = m
        .app
        .post(
            &format!("/api/v1/admin/webhooks/{hook}/test"),
            Some(&m.admin),
            json!({}),
        )
        .await;
    assert_eq!(test.status, StatusCode::OK, "{:?}", test.body);
    assert_eq!(test.body["data"]["attempt"]["statusCode"], 200);
    assert_eq!(test.body["data"]["delivery"]["event"], "webhook.test");
    let got = &receiver.received()[0];
    assert_eq!(
        got.headers["webhook-signature"]
            .to_str()
            .unwrap()
            .split(' ')
            .count(),
        2
    );
    verify(&old, got);
    verify(&new, got);
    // After 24 h only the new one signs (the admin logs in again: tokens expired too).
    m.app.clock.advance(Span::hours(25));
    let admin = m.app.admin_token().await;
    let delivery = test.body["data"]["delivery"]["id"].as_str().unwrap();
    let retried = m
        .app
        .post(
            &format!("/api/v1/admin/webhooks/{hook}/deliveries/{delivery}/retry"),
            Some(&admin),
            json!({}),
        )
        .await;
    assert_eq!(retried.status, StatusCode::OK, "{:?}", retried.body);
    assert_eq!(
        retried.body["data"]["delivery"]["attempts"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
    let again = &receiver.received()[1];
    assert_eq!(
        again.headers["webhook-signature"]
            .to_str()
            .unwrap()
            .split(' ')
            .count(),
        1
    );
    assert!(signed_by(&new, again) && !signed_by(&old, again));
    // Another endpoint's delivery id is not found under this one.
    let other = m
        .app
        .post(
            "/api/v1/admin/webhooks",
            Some(&admin),
            json!({"url": receiver.url, "events": ["*"]}),
        )
        .await
        .body["data"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let wrong = m
        .app
        .post(
            &format!("/api/v1/admin/webhooks/{other}/deliveries/{delivery}/retry"),
            Some(&admin),
            json!({}),
        )
        .await;
    assert_eq!(wrong.status, StatusCode::NOT_FOUND);
    let deleted = m
        .app
        .delete(&format!("/api/v1/admin/webhooks/{other}"), Some(&admin))
        .await;
    assert_eq!(deleted.status, StatusCode::NO_CONTENT);
    assert_eq!(
        m.app
            .get(&format!("/api/v1/admin/webhooks/{other}"), Some(&admin))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}

#[actix_web::test]
async fn every_event_of_the_contract_is_fired_by_its_real_cause() {
    let m = market().await;
    let receiver = Receiver::start();
    let (_, secret) = register(&m, &receiver.url, json!(["*"])).await;

    // An order walked to completion and reviewed; another cancelled.
    let order = m.order(&m.basic, &[]).await;
    let id = order["id"].as_str().unwrap();
    m.status(id, &m.seller, "in_progress", None).await;
    m.deliver(id).await;
    m.status(id, &m.buyer, "completed", None).await;
    let review = m
        .app
        .post(
            "/api/v1/reviews",
            Some(&m.buyer),
            json!({"orderId": id, "rating": 5, "comment": "Parfait", "criteria": {"communication": 5, "quality": 5, "delivery": 5}}),
        )
        .await;
    assert_eq!(review.status, StatusCode::CREATED, "{:?}", review.body);
    let other = m.order(&m.basic, &[]).await;
    m.status(
        other["id"].as_str().unwrap(),
        &m.buyer,
        "cancelled",
        Some("Plus besoin"),
    )
    .await;

    // A service approved, another rejected.
    let category = m.app.category_id("logo-identite-visuelle").await;
    for (title, decision, body) in [
        ("Je dessine votre mascotte", "approve", json!({})),
        (
            "Je retouche vos photos",
            "reject",
            json!({"reason": "Images floues"}),
        ),
    ] {
        let created = m
            .app
            .create_service(
                &m.seller,
                crate::helpers::service_body(&category, title, 8_000),
            )
            .await;
        let service = created["id"].as_str().unwrap();
        let decided = m
            .app
            .post(
                &format!("/api/v1/admin/services/{service}/{decision}"),
                Some(&m.admin),
                body,
            )
            .await;
        assert_eq!(decided.status, StatusCode::OK, "{:?}", decided.body);
    }

    // Payouts: one processed, one rejected.
    // Rejected first: its amount comes back, so the second can be paid.
    for decision in ["reject", "process"] {
        let payout = m
            .app
            .post(
                "/api/v1/wallet/payout",
                Some(&m.seller),
                json!({"amount": 5000, "method": "mobile_money", "details": {"provider": "wave", "phone": "+221770000000"}}),
            )
            .await;
        assert_eq!(payout.status, StatusCode::CREATED, "{:?}", payout.body);
        let payout = payout.body["data"]["id"].as_str().unwrap();
        let body = if decision == "reject" {
            json!({"reason": "Numéro inconnu"})
        } else {
            json!({})
        };
        let decided = m
            .app
            .post(
                &format!("/api/v1/admin/payouts/{payout}/{decision}"),
                Some(&m.admin),
                body,
            )
            .await;
        assert_eq!(decided.status, StatusCode::OK, "{:?}", decided.body);
    }

    while deliver(&m).await > 0 {}
    let mut kinds: Vec<String> = receiver
        .received()
        .iter()
        .map(|r| {
            verify(&secret, r);
            serde_json::from_str::<Value>(&r.body).unwrap()["event"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    kinds.sort();
    kinds.dedup();
    assert_eq!(
        kinds,
        [
            "order.cancelled",
            "order.completed",
            "order.created",
            "order.updated",
            "payout.processed",
            "payout.rejected",
            "review.created",
            "service.approved",
            "service.rejected",
        ]
    );
    // Private events never leave.
    assert!(
        receiver
            .received()
            .iter()
            .all(|r| !r.body.contains("message.created"))
    );
}

#[actix_web::test]
async fn three_days_of_failures_disable_the_endpoint_and_mail_the_admins() {
    let m = market().await;
    let receiver = Receiver::start();
    let (hook, _) = register(&m, &receiver.url, json!(["order.created"])).await;
    for _ in 0..20 {
        receiver.answer(500, Vec::new());
    }
    m.order(&m.basic, &[]).await;
    deliver(&m).await;
    m.app.clock.advance(Span::days(3) + Span::minutes(1));
    let admin = m.app.admin_token().await;
    let test = m
        .app
        .post(
            &format!("/api/v1/admin/webhooks/{hook}/test"),
            Some(&admin),
            json!({}),
        )
        .await;
    assert_eq!(
        test.body["data"]["attempt"]["statusCode"], 500,
        "{:?}",
        test.body
    );
    let endpoint = m
        .app
        .get(&format!("/api/v1/admin/webhooks/{hook}"), Some(&admin))
        .await;
    assert_eq!(
        endpoint.body["data"]["enabled"], false,
        "{:?}",
        endpoint.body
    );
    assert!(
        endpoint.body["data"]["disabledReason"]
            .as_str()
            .unwrap()
            .contains("3 days")
    );
    let mail =
        krika_mail::maildir::wait_for_message_async(&m.app.maildir, &hook, Duration::from_secs(10))
            .await
            .expect("the admins are told");
    assert_eq!(mail.subject, "Webhook désactivé");
}
