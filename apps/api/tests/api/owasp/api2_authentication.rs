use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Duration};
use krika_crypto::JwtCodec;
use krika_identity::ports::{AccessClaims, AccessTokenCodec, UserRepository};
use krika_identity::{Role, UserStatus};
use krika_postgres::PgIdentityStore;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::TestApp;

/// The claims of a genuine token's payload, promoted to admin.
fn admin_claims(payload: &Value) -> AccessClaims {
    let uuid = |key: &str| uuid::Uuid::parse_str(payload[key].as_str().unwrap()).unwrap();
    let time = |key: &str| DateTime::from_timestamp(payload[key].as_i64().unwrap(), 0).unwrap();
    AccessClaims {
        user_id: uuid("sub").into(),
        session_id: uuid("sid").into(),
        token_id: uuid("jti"),
        issued_at: time("iat"),
        expires_at: time("exp"),
        role: Role::Admin,
    }
}

/// API2, broken authentication: forged tokens (`alg: none`, another algorithm, a claim
/// edited, another key), expired ones, a reused refresh token and a suspended account are
/// all refused, and the genuine token works throughout.
#[actix_web::test]
async fn api2_forged_wrongly_signed_and_expired_tokens_are_refused() {
    let app = TestApp::spawn().await;
    let token = app.token("awa@example.com", "awa").await;
    let parts: Vec<&str> = token.split('.').collect();

    let mut payload: serde_json::Value =
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(parts[1]).unwrap()).unwrap();
    payload["role"] = "admin".into();
    let tampered = format!(
        "{}.{}.{}",
        parts[0],
        URL_SAFE_NO_PAD.encode(payload.to_string()),
        parts[2]
    );
    let none_header = URL_SAFE_NO_PAD.encode(r#"{"alg":"none","typ":"JWT"}"#);
    let alg_none = format!("{none_header}.{}.", parts[1]);
    // Same header and algorithm, the same claims made admin, signed with another key.
    let wrong_key = JwtCodec::new(b"not-the-server-secret-but-long-enough")
        .encode(&admin_claims(&payload))
        .unwrap();
    // HS512 with the right shape is still not the algorithm the server signs with.
    let hs512_header = URL_SAFE_NO_PAD.encode(r#"{"alg":"HS512","typ":"JWT"}"#);
    let other_alg = format!("{hs512_header}.{}.{}", parts[1], parts[2]);
    for bad in [
        tampered.as_str(),
        alg_none.as_str(),
        wrong_key.as_str(),
        other_alg.as_str(),
        "garbage",
    ] {
        let reply = app.get("/api/v1/users/me", Some(bad)).await;
        assert_eq!(
            (reply.status, reply.code()),
            (StatusCode::UNAUTHORIZED, "UNAUTHORIZED"),
            "{bad}"
        );
    }
    let missing = app.get("/api/v1/users/me", None).await;
    assert_eq!(missing.status, StatusCode::UNAUTHORIZED);

    // Within the last minute the response asks for a refresh; after expiry, 401.
    app.clock.advance(Duration::seconds(850));
    let soon = app.get("/api/v1/users/me", Some(&token)).await;
    assert_eq!(soon.status, StatusCode::OK);
    assert_eq!(soon.header("x-token-refresh-required"), Some("true"));
    app.clock.advance(Duration::seconds(60));
    assert_eq!(
        app.get("/api/v1/users/me", Some(&token)).await.status,
        StatusCode::UNAUTHORIZED
    );
}

#[actix_web::test]
async fn api2_refresh_rotates_and_reuse_revokes_the_family() {
    let app = TestApp::spawn().await;
    let first = app.register("awa@example.com", "awa").await;
    let r1 = first["refreshToken"].as_str().unwrap();
    let second = app
        .post("/api/v1/auth/refresh", None, json!({"refreshToken": r1}))
        .await;
    assert_eq!(second.status, StatusCode::OK);
    let r2 = second.body["data"]["refreshToken"]
        .as_str()
        .unwrap()
        .to_owned();
    let a2 = second.body["data"]["accessToken"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_ne!(r1, r2);
    assert_eq!(
        app.get("/api/v1/users/me", Some(&a2)).await.status,
        StatusCode::OK
    );

    let replay = app
        .post("/api/v1/auth/refresh", None, json!({"refreshToken": r1}))
        .await;
    assert_eq!(
        (replay.status, replay.code()),
        (StatusCode::UNAUTHORIZED, "UNAUTHORIZED")
    );
    // The whole family is gone: the newest refresh and access tokens too.
    assert_eq!(
        app.post("/api/v1/auth/refresh", None, json!({"refreshToken": r2}))
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        app.get("/api/v1/users/me", Some(&a2)).await.status,
        StatusCode::UNAUTHORIZED
    );
}

#[actix_web::test]
async fn api2_a_suspended_user_is_refused_everywhere() {
    let app = TestApp::spawn().await;
    let data = app.register("awa@example.com", "awa").await;
    let id = uuid::Uuid::parse_str(data["user"]["id"].as_str().unwrap()).unwrap();
    let store = PgIdentityStore::new(app.state.db.clone());
    store
        .set_status(id.into(), UserStatus::Suspended, chrono::Utc::now())
        .await
        .unwrap();

    let me = app
        .get("/api/v1/users/me", data["accessToken"].as_str())
        .await;
    assert_eq!(
        (me.status, me.code()),
        (StatusCode::FORBIDDEN, "ACCOUNT_SUSPENDED")
    );
    let login = app
        .post(
            "/api/v1/auth/login",
            None,
            json!({"email": "awa@example.com", "password": "motdepasse"}),
        )
        .await;
    assert_eq!(
        (login.status, login.code()),
        (StatusCode::FORBIDDEN, "ACCOUNT_SUSPENDED")
    );

    store
        .set_status(id.into(), UserStatus::Active, chrono::Utc::now())
        .await
        .unwrap();
    assert_eq!(
        app.get("/api/v1/users/me", data["accessToken"].as_str())
            .await
            .status,
        StatusCode::OK
    );
}
