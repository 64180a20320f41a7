use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::TestApp;

#[actix_web::test]
async fn register_returns_the_token_payload() {
    let app = TestApp::spawn().await;
    let data = app.register("Awa@Example.com", "awa").await;
    assert_eq!(data["tokenType"], "Bearer");
    assert_eq!(data["expiresIn"], 900);
    assert!(data["expiresAt"].as_str().unwrap().ends_with('Z'));
    assert_eq!(data["user"]["email"], "awa@example.com");
    assert_eq!(data["user"]["role"], "client");
    assert_eq!(data["user"]["kycStatus"], "not_started");
    let me = app
        .get("/api/v1/users/me", data["accessToken"].as_str())
        .await;
    assert_eq!(me.status, StatusCode::OK);
    assert_eq!(me.body["data"]["username"], "awa");
}

#[actix_web::test]
async fn registration_refusals() {
    let app = TestApp::spawn().await;
    app.register("awa@example.com", "awa").await;
    let again = app
        .post(
            "/api/v1/auth/register",
            None,
            json!({"email": "AWA@EXAMPLE.COM", "password": "motdepasse", "name": "Awa"}),
        )
        .await;
    assert_eq!(
        (again.status, again.code()),
        (StatusCode::CONFLICT, "CONFLICT")
    );
    assert_eq!(again.fields(), ["email"]);

    for password in ["1234567".to_owned(), "a".repeat(73)] {
        let reply = app
            .post(
                "/api/v1/auth/register",
                None,
                json!({"email": "b@example.com", "password": password, "name": "B"}),
            )
            .await;
        assert_eq!(
            (reply.status, reply.code()),
            (StatusCode::UNPROCESSABLE_ENTITY, "VALIDATION_ERROR")
        );
        assert_eq!(reply.fields(), ["password"]);
    }
    let empty = app.post("/api/v1/auth/register", None, json!({})).await;
    let mut fields = empty.fields();
    fields.sort();
    assert_eq!(fields, ["email", "name", "password"]);
}

#[actix_web::test]
async fn wrong_password_and_unknown_email_get_the_same_401() {
    let app = TestApp::spawn().await;
    app.register("awa@example.com", "awa").await;
    let wrong = app
        .post(
            "/api/v1/auth/login",
            None,
            json!({"email": "awa@example.com", "password": "pas-le-bon"}),
        )
        .await;
    let unknown = app
        .post(
            "/api/v1/auth/login",
            None,
            json!({"email": "qui@example.com", "password": "motdepasse"}),
        )
        .await;
    assert_eq!(
        (wrong.status, wrong.code()),
        (StatusCode::UNAUTHORIZED, "INVALID_CREDENTIALS")
    );
    assert_eq!(wrong.body, unknown.body);
    assert_eq!(wrong.status, unknown.status);

    let by_username = app
        .post(
            "/api/v1/auth/login",
            None,
            json!({"username": "awa", "password": "motdepasse"}),
        )
        .await;
    assert_eq!(by_username.status, StatusCode::OK);
    let neither = app
        .post(
            "/api/v1/auth/login",
            None,
            json!({"password": "motdepasse"}),
        )
        .await;
    assert_eq!(neither.status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[actix_web::test]
async fn logout_stops_the_access_token_at_once() {
    let app = TestApp::spawn().await;
    let data = app.register("awa@example.com", "awa").await;
    let access = data["accessToken"].as_str().unwrap();
    let out = app
        .post("/api/v1/auth/logout", Some(access), json!({}))
        .await;
    assert_eq!(out.status, StatusCode::NO_CONTENT);
    assert_eq!(
        app.get("/api/v1/users/me", Some(access)).await.status,
        StatusCode::UNAUTHORIZED
    );
    let refresh = app
        .post(
            "/api/v1/auth/refresh",
            None,
            json!({"refreshToken": data["refreshToken"]}),
        )
        .await;
    assert_eq!(refresh.status, StatusCode::UNAUTHORIZED);
    // Logging out needs a token.
    assert_eq!(
        app.post("/api/v1/auth/logout", None, json!({}))
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
}

/// Six logins from one address, each sent with `X-Forwarded-For`.
async fn logins_forwarded_for(app: &TestApp, forwarded: &[&str]) -> Vec<StatusCode> {
    let login = json!({"email": "nobody@example.com", "password": "motdepasse"});
    let mut statuses = Vec::new();
    for client in forwarded {
        let request = app
            .client
            .post(app.url("/api/v1/auth/login"))
            .header("x-forwarded-for", *client)
            .json(&login);
        statuses.push(app.send(request).await.status);
    }
    statuses
}

/// Behind a trusted proxy the limit counts the client the proxy names; from any other
/// peer the header is ignored, so nobody escapes a limit by claiming addresses.
#[actix_web::test]
async fn limits_count_the_forwarded_client_only_behind_a_trusted_proxy() {
    let limited = StatusCode::TOO_MANY_REQUESTS;
    let proxied = TestApp::spawn_with(&[
        ("RATE_LIMIT_AUTH_PER_MIN", "2"),
        ("TRUSTED_PROXIES", "127.0.0.1"),
    ])
    .await;
    let statuses = logins_forwarded_for(
        &proxied,
        &[
            "198.51.100.1",
            "198.51.100.2",
            "198.51.100.1",
            "198.51.100.2",
        ],
    )
    .await;
    assert!(!statuses.contains(&limited), "{statuses:?}");
    let third = logins_forwarded_for(&proxied, &["9.9.9.9, 198.51.100.1"]).await;
    assert_eq!(
        third,
        [limited],
        "a claimed address left of the proxy's changes nothing"
    );

    let direct = TestApp::spawn_with(&[("RATE_LIMIT_AUTH_PER_MIN", "2")]).await;
    let statuses =
        logins_forwarded_for(&direct, &["198.51.100.1", "198.51.100.2", "198.51.100.3"]).await;
    assert_eq!(statuses[2], limited, "{statuses:?}");
}

#[actix_web::test]
async fn the_sixth_login_in_a_minute_is_rate_limited() {
    let app = TestApp::spawn_with(&[("RATE_LIMIT_AUTH_PER_MIN", "5")]).await;
    let login = json!({"email": "nobody@example.com", "password": "motdepasse"});
    for remaining in (0..5).rev() {
        let reply = app.post("/api/v1/auth/login", None, login.clone()).await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
        assert_eq!(reply.header("x-ratelimit-limit"), Some("5"));
        assert_eq!(
            reply.header("x-ratelimit-remaining"),
            Some(remaining.to_string().as_str())
        );
        assert!(
            reply
                .header("x-ratelimit-reset")
                .unwrap()
                .parse::<i64>()
                .unwrap()
                > 0
        );
    }
    let sixth = app.post("/api/v1/auth/login", None, login).await;
    assert_eq!(
        (sixth.status, sixth.code()),
        (StatusCode::TOO_MANY_REQUESTS, "RATE_LIMITED")
    );
    assert_eq!(sixth.header("x-ratelimit-remaining"), Some("0"));
    let retry: u64 = sixth.header("retry-after").unwrap().parse().unwrap();
    assert!((1..=60).contains(&retry));
    // Other limits are separate.
    assert_eq!(
        app.get("/api/v1/users/me", None).await.status,
        StatusCode::UNAUTHORIZED
    );
}

#[actix_web::test]
async fn password_reset_through_a_real_email() {
    let app = TestApp::spawn().await;
    let email = format!("reset-{}@example.com", uuid::Uuid::new_v4().simple());
    let old = app.register(&email, "awa").await;
    let mut socket =
        crate::realtime::ready_socket(&app, old["accessToken"].as_str().unwrap()).await;

    let unknown = app
        .post(
            "/api/v1/auth/forgot-password",
            None,
            json!({"email": "ghost@example.com"}),
        )
        .await;
    let known = app
        .post(
            "/api/v1/auth/forgot-password",
            None,
            json!({"email": email}),
        )
        .await;
    assert_eq!(unknown.status, StatusCode::ACCEPTED);
    assert_eq!(known.status, StatusCode::ACCEPTED);
    assert_eq!(unknown.body, known.body, "no account enumeration");

    let mail = krika_mail::maildir::wait_for_message_async(
        &app.maildir,
        &email,
        std::time::Duration::from_secs(10),
    )
    .await
    .expect("the reset email arrives");
    let start = mail
        .body
        .find("https://app.2krika.test/reset-password?token=")
        .expect("a reset link");
    let link = mail.body[start..].split_whitespace().next().unwrap();
    let token = link.split("token=").nth(1).unwrap();

    let weak = app
        .post(
            "/api/v1/auth/reset-password",
            None,
            json!({"token": token, "password": "court"}),
        )
        .await;
    assert_eq!(weak.fields(), ["password"]);
    let done = app
        .post(
            "/api/v1/auth/reset-password",
            None,
            json!({"token": token, "password": "nouveau-secret"}),
        )
        .await;
    assert_eq!(done.status, StatusCode::NO_CONTENT);
    // Every session ended, and the sockets they opened with them.
    app.settle().await;
    let (code, reason) = crate::realtime::close_of(&mut socket).await;
    assert_eq!(code, 4401);
    assert!(reason.starts_with("Password reset"), "{reason}");
    let again = app
        .post(
            "/api/v1/auth/reset-password",
            None,
            json!({"token": token, "password": "encore-autre"}),
        )
        .await;
    assert_eq!(
        (again.status, again.fields()),
        (StatusCode::UNPROCESSABLE_ENTITY, vec!["token"])
    );

    assert_eq!(
        app.get("/api/v1/users/me", old["accessToken"].as_str())
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
    let login = app
        .post(
            "/api/v1/auth/login",
            None,
            json!({"email": email, "password": "nouveau-secret"}),
        )
        .await;
    assert_eq!(login.status, StatusCode::OK);
}
