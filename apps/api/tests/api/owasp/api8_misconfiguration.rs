use crate::helpers::TestApp;

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
