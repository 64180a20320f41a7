use reqwest::{Method, StatusCode};

use super::operations;
use crate::helpers::{Reply, TestApp};

fn routed(reply: &Reply) -> bool {
    reply.status != StatusCode::METHOD_NOT_ALLOWED
        && reply.body["error"]["message"] != "No such route"
}

/// API9, improper inventory management: the spec is the inventory. Every documented
/// operation is routed; a documented path answers other methods with 405 and an `Allow`
/// taken from the spec; paths nobody documented (another version, debug and framework
/// paths, files a scanner looks for) are 404 in the envelope.
#[actix_web::test]
async fn api9_only_documented_routes_answer() {
    let app = TestApp::spawn().await;
    for op in operations() {
        if op.path == "/api/v1/ws" {
            continue; // An upgrade: `realtime::realtime_plain_get_is_a_400_envelope`.
        }
        let reply = op.call(&app, None).await;
        assert!(routed(&reply), "{} is documented but not routed", op.name());
    }

    let wrong_method = app
        .call(Method::DELETE, "/api/v1/orders/purchases", None, None)
        .await;
    assert_eq!(wrong_method.status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(wrong_method.header("allow"), Some("GET"));

    for path in [
        "/api/v2/services",
        "/api/v0/services",
        "/api/services",
        "/api/v1/debug",
        "/api/v1/internal/stats",
        "/api/v1/admin/config",
        "/api/v1/users",
        "/api/v1/orders/purchases/export",
        "/api/v1/wallet/ledger",
        "/.env",
        "/.git/config",
        "/actuator/health",
        "/server-status",
    ] {
        let reply = app.get(path, None).await;
        assert_eq!(
            (reply.status, reply.code()),
            (StatusCode::NOT_FOUND, "NOT_FOUND"),
            "{path}: {:?}",
            reply.body
        );
    }
}
