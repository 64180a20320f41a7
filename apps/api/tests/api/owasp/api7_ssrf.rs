use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::orders::Market;

/// Addresses a webhook must never reach unless configuration allows private targets:
/// loopback, private, link-local (cloud metadata), carrier-grade NAT, unspecified,
/// multicast, and the IPv6 forms of the same.
const PRIVATE: [&str; 12] = [
    "http://127.0.0.1/hook",
    "http://127.1/hook",
    "http://0.0.0.0/hook",
    "http://10.1.2.3/hook",
    "http://172.16.0.1/hook",
    "http://192.168.1.1/hook",
    "http://169.254.169.254/latest/meta-data",
    "http://100.64.0.1/hook",
    "http://224.0.0.1/hook",
    "http://[::1]/hook",
    "http://[fd00::1]/hook",
    "http://[fe80::1]/hook",
];

/// API7, server side request forgery: webhooks are the only URLs the API fetches. Every
/// private form is refused when an endpoint is registered and when it is edited, naming
/// `url`, while a public address is taken. (Names that resolve to private addresses, numeric
/// and mapped forms, and the check at each attempt: `webhooks::registration_checks_the_url_the_events_and_the_caller`
/// and the `krika-webhooks` ssrf tests.)
#[actix_web::test]
async fn api7_webhooks_never_point_inside() {
    let m = Market::open().await;
    let created = m
        .app
        .post(
            "/api/v1/admin/webhooks",
            Some(&m.admin),
            json!({"url": "http://93.184.215.14/hook", "events": ["*"]}),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{:?}", created.body);
    let hook = created.body["data"]["id"].as_str().unwrap().to_owned();
    for url in PRIVATE {
        let registered = m
            .app
            .post(
                "/api/v1/admin/webhooks",
                Some(&m.admin),
                json!({"url": url, "events": ["*"]}),
            )
            .await;
        assert_eq!(registered.fields(), ["url"], "{url}: {:?}", registered.body);
        let edited = m
            .app
            .call(
                Method::PATCH,
                &format!("/api/v1/admin/webhooks/{hook}"),
                Some(&m.admin),
                Some(json!({"url": url})),
            )
            .await;
        assert_eq!(edited.fields(), ["url"], "{url}: {:?}", edited.body);
    }
    let endpoint = m
        .app
        .get(&format!("/api/v1/admin/webhooks/{hook}"), Some(&m.admin))
        .await;
    assert_eq!(endpoint.body["data"]["url"], "http://93.184.215.14/hook");
}
