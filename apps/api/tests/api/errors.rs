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
    // Well-formed JSON with a field of the wrong type or an unknown value: 422 naming it.
    assert_eq!(
        (not_a_string.status, not_a_string.fields()),
        (StatusCode::UNPROCESSABLE_ENTITY, vec!["email"])
    );
    let token = app.register("awa@2krika.test", "awa").await["accessToken"]
        .as_str()
        .unwrap()
        .to_owned();
    let unknown_value = app
        .post(
            "/api/v1/orders",
            Some(&token),
            json!({"serviceId": uuid::Uuid::nil(), "packageId": uuid::Uuid::nil(),
                   "payment": {"method": "cash"}}),
        )
        .await;
    assert_eq!(
        (unknown_value.status, unknown_value.fields()),
        (StatusCode::UNPROCESSABLE_ENTITY, vec!["payment.method"])
    );
    let unknown_status = app
        .call(
            Method::PUT,
            &format!("/api/v1/orders/{}/status", uuid::Uuid::nil()),
            Some(&token),
            Some(json!({"status": "shipped"})),
        )
        .await;
    assert_eq!(
        (unknown_status.status, unknown_status.fields()),
        (StatusCode::UNPROCESSABLE_ENTITY, vec!["status"])
    );
    // Not UTF-8, or not an object: not a body of this API at all, 400.
    let not_utf8 = app
        .send(
            app.client
                .post(app.url("/api/v1/auth/login"))
                .header("content-type", "application/json")
                .body(b"{\"email\": \"\xff\xfe\", \"password\": \"x\"}".to_vec()),
        )
        .await;
    assert_eq!(
        (not_utf8.status, not_utf8.code()),
        (StatusCode::BAD_REQUEST, "BAD_REQUEST")
    );
    let array = app
        .call(
            Method::PUT,
            "/api/v1/users/me",
            Some(&token),
            Some(json!([{"name": "Awa"}])),
        )
        .await;
    assert_eq!(
        (array.status, array.code()),
        (StatusCode::BAD_REQUEST, "BAD_REQUEST")
    );

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
    // Prometheus always asks for gzip: the body must then be gzip too.
    let metrics = client
        .get(app.url("/metrics"))
        .header("accept-encoding", "gzip")
        .send()
        .await
        .unwrap();
    let encoding = metrics
        .headers()
        .get("content-encoding")
        .map(|v| v.to_str().unwrap().to_owned());
    let body = metrics.bytes().await.unwrap();
    assert_eq!(encoding.as_deref(), Some("gzip"));
    assert_eq!(&body[..2], &[0x1f, 0x8b], "a gzip stream");
}

#[actix_web::test]
async fn browsers_may_read_every_header_the_contract_sends() {
    let origin = "https://app.2krika.test";
    let app = TestApp::spawn_configured(&[("CORS_ORIGINS", origin)], None).await;
    let reply = app
        .send(app.client.get(app.url("/health")).header("origin", origin))
        .await;
    assert_eq!(reply.header("access-control-allow-origin"), Some(origin));
    let exposed = reply
        .header("access-control-expose-headers")
        .unwrap_or_default()
        .to_ascii_lowercase();
    for header in [
        "x-request-id",
        "x-ratelimit-limit",
        "x-ratelimit-remaining",
        "x-ratelimit-reset",
        "retry-after",
        "x-token-refresh-required",
        "idempotent-replayed",
    ] {
        assert!(exposed.contains(header), "{header} in {exposed}");
    }
}

/// What the spec fuzzer (scripts/spec-check.sh) found the server and the spec disagree on.
#[actix_web::test]
async fn the_server_answers_what_the_spec_says() {
    let app = TestApp::spawn().await;
    let token = app.token("awa@2krika.test", "awa").await;

    // JSON Schema counts 5.0 as an integer: so does the server (here the order is unknown,
    // not the rating mistyped).
    let review = app
        .post(
            "/api/v1/reviews",
            Some(&token),
            json!({"orderId": uuid::Uuid::nil(), "rating": 5.0, "comment": "Bien",
                   "criteria": {"communication": 5.0, "quality": 4, "delivery": 5}}),
        )
        .await;
    assert_ne!(
        review.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{:?}",
        review.body
    );
    let fractional = app
        .post(
            "/api/v1/reviews",
            Some(&token),
            json!({"orderId": uuid::Uuid::nil(), "rating": 4.5,
                   "criteria": {"communication": 5, "quality": 4, "delivery": 5}}),
        )
        .await;
    assert_eq!(fractional.fields(), vec!["rating"]);

    // An optional body that is sent is read: a wrong type is a 422, not ignored.
    let logout = app
        .post(
            "/api/v1/auth/logout",
            Some(&token),
            json!({"refreshToken": 42}),
        )
        .await;
    assert_eq!(
        (logout.status, logout.fields()),
        (StatusCode::UNPROCESSABLE_ENTITY, vec!["refreshToken"])
    );
    let null_body = app
        .post("/api/v1/auth/logout", Some(&token), json!(null))
        .await;
    assert_eq!(null_body.status, StatusCode::NO_CONTENT);

    // Forms refuse the fields they do not have (`additionalProperties: false`).
    let token = app.token("binta@2krika.test", "binta").await;
    let avatar = app
        .multipart(
            "/api/v1/users/me/avatar",
            &token,
            vec![
                ("file", Some("a.png"), crate::helpers::png()),
                ("role", None, b"admin".to_vec()),
            ],
        )
        .await;
    assert_eq!(
        (avatar.status, avatar.fields()),
        (StatusCode::UNPROCESSABLE_ENTITY, vec!["role"])
    );

    // A literal path reached through another route's parameter is that path's 405.
    let admin = app.admin_token().await;
    let patch = app
        .call(
            Method::PATCH,
            "/api/v1/admin/webhooks/event-types",
            Some(&admin),
            Some(json!({"enabled": true})),
        )
        .await;
    assert_eq!(
        (patch.status, patch.header("allow")),
        (StatusCode::METHOD_NOT_ALLOWED, Some("GET"))
    );
    let options = app
        .call(
            Method::OPTIONS,
            "/api/v1/admin/webhooks/event-types",
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(options.header("allow"), Some("GET"));

    // `page` has the spec's maximum, and says so.
    let far = app.get("/api/v1/services?page=2147483648", None).await;
    assert_eq!(far.fields(), vec!["page"]);
    let last = app.get("/api/v1/services?page=2147483647", None).await;
    assert_eq!(last.status, StatusCode::OK);
}
