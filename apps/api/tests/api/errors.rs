use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::helpers::TestApp;

#[actix_web::test]
async fn every_error_is_the_json_envelope() {
    let app = TestApp::spawn().await;
    let unknown = app.get("/api/v1/nothing-here", None).await;
    assert_eq!(
        (unknown.status, unknown.code()),
        (StatusCode::NOT_FOUND, "NOT_FOUND")
    );
    assert_eq!(unknown.body["success"], false);
    assert_eq!(unknown.header("content-type"), Some("application/json"));

    let wrong_method = app
        .call(Method::PATCH, "/api/v1/users/me", None, None)
        .await;
    assert_eq!(
        (wrong_method.status, wrong_method.code()),
        (StatusCode::METHOD_NOT_ALLOWED, "METHOD_NOT_ALLOWED")
    );
    assert_eq!(wrong_method.header("allow"), Some("DELETE, GET, PUT"));

    let malformed = app
        .send(
            app.client
                .post(app.url("/api/v1/auth/login"))
                .header("content-type", "application/json")
                .body("{not json"),
        )
        .await;
    assert_eq!(
        (malformed.status, malformed.code()),
        (StatusCode::BAD_REQUEST, "BAD_REQUEST")
    );
    let wrong_type = app
        .send(
            app.client
                .post(app.url("/api/v1/auth/login"))
                .body("email=a"),
        )
        .await;
    assert_eq!(
        (wrong_type.status, wrong_type.code()),
        (StatusCode::BAD_REQUEST, "BAD_REQUEST")
    );
    let not_a_string = app
        .post(
            "/api/v1/auth/login",
            None,
            json!({"email": 42, "password": "x"}),
        )
        .await;
    assert_eq!(not_a_string.status, StatusCode::BAD_REQUEST);

    let huge =
        json!({"email": "a@example.com", "password": "x".repeat(2 * 1024 * 1024), "name": "A"});
    let too_large = app.post("/api/v1/auth/register", None, huge).await;
    assert_eq!(
        (too_large.status, too_large.code()),
        (StatusCode::PAYLOAD_TOO_LARGE, "PAYLOAD_TOO_LARGE")
    );
}

#[actix_web::test]
async fn request_ids_are_echoed_or_generated() {
    let app = TestApp::spawn().await;
    let echoed = app
        .send(
            app.client
                .get(app.url("/health"))
                .header("x-request-id", "abc-123"),
        )
        .await;
    assert_eq!(echoed.header("x-request-id"), Some("abc-123"));
    let generated = app.get("/api/v1/nothing", None).await;
    let id = generated.header("x-request-id").unwrap();
    assert!(uuid::Uuid::parse_str(id).is_ok(), "{id}");
    let hostile = app
        .send(
            app.client
                .get(app.url("/health"))
                .header("x-request-id", "a b<script>"),
        )
        .await;
    assert_ne!(hostile.header("x-request-id"), Some("a b<script>"));
}

#[actix_web::test]
async fn responses_are_compressed_when_asked() {
    let app = TestApp::spawn().await;
    let client = reqwest::Client::builder().build().unwrap();
    let response = client
        .get(app.url("/openapi.json"))
        .header("accept-encoding", "gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(
        response
            .headers()
            .get("content-encoding")
            .map(|v| v.to_str().unwrap()),
        Some("gzip")
    );
}
