//! The OWASP API Security Top 10 (2023), one test each, against the real app. Each asks
//! the question an attacker would and checks the refusal (and that the owner still gets in).

use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::helpers::TestApp;
use crate::orders::Market;

/// API1, broken object level authorization: another user's order, conversation, payout
/// list and KYC file are out of reach (404 for objects, so ids are not confirmed), while
/// their owners read them.
#[actix_web::test]
async fn api1_objects_of_others_are_not_found() {
    let m = Market::open().await;
    let order = m.order(&m.basic, &[]).await;
    let order = order["id"].as_str().unwrap();
    let stranger = m.app.token("curieux@2krika.test", "curieux").await;
    let message = m
        .app
        .post(
            "/api/v1/messages",
            Some(&m.buyer),
            json!({"recipientId": m.seller_id, "content": "Bonjour"}),
        )
        .await;
    let conversation = message.body["data"]["conversationId"]
        .as_str()
        .unwrap()
        .to_owned();

    for path in [
        format!("/api/v1/orders/{order}"),
        format!("/api/v1/messages/conversations/{conversation}"),
    ] {
        let owner = m.app.get(&path, Some(&m.buyer)).await;
        assert_eq!(owner.status, StatusCode::OK, "{path}");
        let other = m.app.get(&path, Some(&stranger)).await;
        assert_eq!(other.status, StatusCode::NOT_FOUND, "{path}");
    }
    let changed = m
        .app
        .call(
            Method::PUT,
            &format!("/api/v1/orders/{order}/status"),
            Some(&stranger),
            Some(json!({"status": "cancelled"})),
        )
        .await;
    assert_eq!(changed.status, StatusCode::NOT_FOUND);
    // Lists are the caller's own: the stranger sees none of the buyer's orders.
    let purchases = m.app.get("/api/v1/orders/purchases", Some(&stranger)).await;
    assert_eq!(purchases.body["data"]["pagination"]["total"], 0);
    // A KYC file is the admin's to read, not another user's.
    let seller = m.app.get("/api/v1/users/me", Some(&m.seller)).await;
    let seller_id = seller.body["data"]["id"].as_str().unwrap();
    let kyc = m
        .app
        .get(&format!("/api/v1/admin/kyc/{seller_id}"), Some(&stranger))
        .await;
    assert_eq!(kyc.status, StatusCode::FORBIDDEN);
    let by_admin = m
        .app
        .get(&format!("/api/v1/admin/kyc/{seller_id}"), Some(&m.admin))
        .await;
    assert_eq!(by_admin.status, StatusCode::OK);
}

/// API3, broken object property level authorization: mass assignment of `role`, `status`,
/// `kycStatus`, `email` or a balance changes nothing, and no answer about someone else
/// carries their e-mail, phone or any hash.
#[actix_web::test]
async fn api3_mass_assignment_is_ignored_and_nothing_private_leaks() {
    let app = TestApp::spawn().await;
    let token = app.token("awa@2krika.test", "awa").await;
    // The privileged fields of the account are refused by name...
    let refused = app
        .call(
            Method::PUT,
            "/api/v1/users/me",
            Some(&token),
            Some(
                json!({"name": "Awa K.", "role": "admin", "status": "active",
                        "email": "boss@2krika.test"}),
            ),
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(refused.fields(), ["email", "role", "status"]);
    // ...and what is not the account's to set at all is ignored.
    let updated = app
        .call(
            Method::PUT,
            "/api/v1/users/me",
            Some(&token),
            Some(
                json!({"name": "Awa K.", "kycStatus": "approved", "balance": 1_000_000,
                        "passwordHash": "x", "sellerRatingTotal": 500}),
            ),
        )
        .await;
    assert_eq!(updated.status, StatusCode::OK, "{:?}", updated.body);
    let me = app.get("/api/v1/users/me", Some(&token)).await.body["data"].clone();
    assert_eq!(me["name"], "Awa K.");
    assert_eq!(me["role"], "client");
    assert_eq!(me["kycStatus"], "not_started");
    assert_eq!(me["email"], "awa@2krika.test");
    let wallet = app.get("/api/v1/wallet", Some(&token)).await;
    assert_eq!(wallet.body["data"]["available"], 0);
    let admin_only = app.get("/api/v1/admin/stats", Some(&token)).await;
    assert_eq!(admin_only.status, StatusCode::FORBIDDEN);

    // Someone else's public profile: no e-mail, no phone, no hash of anything.
    let other = app.token("binta@2krika.test", "binta").await;
    let id = app.get("/api/v1/users/me", Some(&other)).await.body["data"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let profile = app.get(&format!("/api/v1/users/{id}"), Some(&token)).await;
    assert_eq!(profile.status, StatusCode::OK);
    let text = profile.body.to_string().to_lowercase();
    for secret in ["binta@2krika.test", "email", "phone", "hash", "password"] {
        assert!(!text.contains(secret), "{secret} in {text}");
    }
}

/// API8, security misconfiguration: every answer carries the browser-safety headers, a
/// signed-in answer is never stored by a shared cache, HSTS is sent in production only,
/// CORS answers configured origins only, and errors carry no internals.
#[actix_web::test]
async fn api8_headers_cors_and_errors_are_safe() {
    let app = TestApp::spawn_with(&[("CORS_ORIGINS", "https://app.2krika.test")]).await;
    let token = app.token("awa@2krika.test", "awa").await;
    let me = app.get("/api/v1/users/me", Some(&token)).await;
    assert_eq!(me.header("x-content-type-options"), Some("nosniff"));
    assert_eq!(me.header("x-frame-options"), Some("DENY"));
    assert_eq!(me.header("referrer-policy"), Some("no-referrer"));
    assert_eq!(
        me.header("content-security-policy"),
        Some("default-src 'none'; frame-ancestors 'none'")
    );
    assert_eq!(me.header("cache-control"), Some("private, no-store"));
    assert_eq!(me.header("strict-transport-security"), None, "not in test");
    let health = app.get("/health", None).await;
    assert_eq!(health.header("x-content-type-options"), Some("nosniff"));
    assert_eq!(health.header("cache-control"), None);

    let cors = |origin: &'static str| {
        app.send(
            app.client
                .get(app.url("/api/v1/categories"))
                .header("origin", origin),
        )
    };
    let allowed = cors("https://app.2krika.test").await;
    assert_eq!(
        allowed.header("access-control-allow-origin"),
        Some("https://app.2krika.test")
    );
    let foreign = cors("https://evil.example").await;
    assert_eq!(foreign.header("access-control-allow-origin"), None);

    let error = app.get("/api/v1/orders/not-a-uuid", Some(&token)).await;
    let text = error.body.to_string();
    for internal in ["panicked", "src/", ".rs:", "diesel", "actix"] {
        assert!(!text.contains(internal), "{internal} in {text}");
    }

    let production = TestApp::spawn_with(&[
        ("APP_ENV", "production"),
        ("JWT_SECRET", "a-production-secret-of-more-than-32-bytes"),
        ("BCRYPT_COST", "10"),
    ])
    .await;
    let health = production.get("/health", None).await;
    assert_eq!(
        health.header("strict-transport-security"),
        Some("max-age=31536000; includeSubDomains")
    );
}
