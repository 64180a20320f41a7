use chrono::DateTime;
use reqwest::StatusCode;
use serde_json::json;

use crate::webhooks::{Receiver, deliver, deliveries, market, register};

/// API10, unsafe consumption of APIs: what a partner's endpoint answers is never trusted.
/// A huge body is read up to 1 KB and kept as text, whatever it claims; an answer cannot
/// change the endpoint; a `Retry-After` of years is held to twice the schedule's step.
/// (Redirects are not followed: `webhooks::redirects_timeouts_and_gone`.)
#[actix_web::test]
async fn api10_partner_answers_are_bounded_and_never_obeyed() {
    let m = market().await;
    let receiver = Receiver::start();
    let (hook, _) = register(&m, &receiver.url, json!(["order.created"])).await;
    let mut claim = json!({"enabled": false, "url": "http://169.254.169.254/", "role": "admin"})
        .to_string()
        .into_bytes();
    claim.extend(std::iter::repeat_n(b'x', 256 * 1024));
    claim.extend([0xff, 0xfe]);
    receiver.answer_with_body(claim);

    m.order(&m.basic, &[]).await;
    assert_eq!(deliver(&m).await, 1);
    let done = deliveries(&m, &hook, "?status=succeeded").await;
    let kept = done[0]["attempts"][0]["responseBody"].as_str().unwrap();
    assert!(kept.len() <= 1024 + 3, "{} bytes kept", kept.len());
    assert!(kept.starts_with(r#"{"enabled":false"#));

    let endpoint = m
        .app
        .get(&format!("/api/v1/admin/webhooks/{hook}"), Some(&m.admin))
        .await;
    assert_eq!(endpoint.status, StatusCode::OK);
    assert_eq!(endpoint.body["data"]["enabled"], true);
    assert_eq!(endpoint.body["data"]["url"], receiver.url);

    receiver.answer(503, vec![("retry-after", "999999999".into())]);
    m.order(&m.basic, &[]).await;
    assert_eq!(deliver(&m).await, 1);
    let pending = deliveries(&m, &hook, "?status=pending").await;
    let at = |s: &serde_json::Value| DateTime::parse_from_rfc3339(s.as_str().unwrap()).unwrap();
    let wait = at(&pending[0]["nextAttemptAt"]) - at(&pending[0]["attempts"][0]["at"]);
    assert!(
        wait <= chrono::Duration::seconds(11),
        "the first step is 5 s, so at most 10 s (jitter aside): {wait}"
    );
}
