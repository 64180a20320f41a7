//! the spec, openapi/openapi.json: user administration; every admin endpoint refused to non-admins.

use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::helpers::TestApp;

#[actix_web::test]
async fn non_admins_are_refused_everywhere() {
    let app = TestApp::spawn().await;
    let client = app.token("client@example.com", "client").await;
    let id = uuid::Uuid::now_v7();
    for (method, path) in [
        (Method::GET, "/api/v1/admin/users".to_owned()),
        (Method::POST, format!("/api/v1/admin/users/{id}/suspend")),
        (Method::POST, format!("/api/v1/admin/users/{id}/unsuspend")),
        (Method::GET, "/api/v1/admin/services".to_owned()),
        (Method::POST, format!("/api/v1/admin/services/{id}/approve")),
        (Method::POST, format!("/api/v1/admin/services/{id}/reject")),
        (Method::GET, "/api/v1/admin/kyc".to_owned()),
        (Method::GET, format!("/api/v1/admin/kyc/{id}")),
        (Method::POST, format!("/api/v1/admin/kyc/{id}/approve")),
        (Method::POST, format!("/api/v1/admin/kyc/{id}/reject")),
        (Method::POST, "/api/v1/admin/categories".to_owned()),
        (
            Method::PUT,
            "/api/v1/admin/categories/traduction".to_owned(),
        ),
        (
            Method::DELETE,
            "/api/v1/admin/categories/traduction".to_owned(),
        ),
    ] {
        let reply = app
            .call(
                method.clone(),
                &path,
                Some(&client),
                Some(json!({"reason": "x", "name": "x"})),
            )
            .await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN, "{method} {path}");
        let anonymous = app.call(method.clone(), &path, None, Some(json!({}))).await;
        assert_eq!(
            anonymous.status,
            StatusCode::UNAUTHORIZED,
            "{method} {path}"
        );
    }
}

#[actix_web::test]
async fn admins_list_search_and_suspend_users() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let payload = app.register("kouadio@example.com", "kouadio").await;
    let token = payload["accessToken"].as_str().unwrap().to_owned();
    let refresh = payload["refreshToken"].as_str().unwrap().to_owned();
    let id = payload["user"]["id"].as_str().unwrap().to_owned();
    app.register("fatou@example.com", "fatou").await;

    let all = app.get("/api/v1/admin/users", Some(&admin)).await;
    assert_eq!(all.status, StatusCode::OK, "{:?}", all.body);
    assert_eq!(all.body["data"]["pagination"]["total"], 3);
    let clients = app
        .get("/api/v1/admin/users?role=client&limit=1", Some(&admin))
        .await;
    assert_eq!(clients.body["data"]["pagination"]["total"], 2);
    assert_eq!(clients.body["data"]["items"].as_array().unwrap().len(), 1);
    let found = app
        .get("/api/v1/admin/users?search=KOUA", Some(&admin))
        .await;
    assert_eq!(found.body["data"]["pagination"]["total"], 1);
    assert_eq!(found.body["data"]["items"][0]["id"], id.as_str());
    // Names match without their accents.
    let accents = app
        .get("/api/v1/admin/users?search=traore", Some(&admin))
        .await;
    assert_eq!(accents.body["data"]["pagination"]["total"], 2);
    let bad = app.get("/api/v1/admin/users?role=king", Some(&admin)).await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);

    let no_reason = app
        .post(
            &format!("/api/v1/admin/users/{id}/suspend"),
            Some(&admin),
            json!({}),
        )
        .await;
    assert_eq!(no_reason.fields(), ["reason"]);
    let suspended = app
        .post(
            &format!("/api/v1/admin/users/{id}/suspend"),
            Some(&admin),
            json!({"reason": "Fraude"}),
        )
        .await;
    assert_eq!(suspended.status, StatusCode::OK, "{:?}", suspended.body);
    assert_eq!(suspended.body["data"]["status"], "suspended");
    // At once: the old token, the refresh token and a new login are all refused.
    let me = app.get("/api/v1/users/me", Some(&token)).await;
    assert_eq!(me.code(), "ACCOUNT_SUSPENDED");
    let refreshed = app
        .post(
            "/api/v1/auth/refresh",
            None,
            json!({"refreshToken": refresh}),
        )
        .await;
    assert_eq!(refreshed.status, StatusCode::UNAUTHORIZED);
    let login = app
        .post(
            "/api/v1/auth/login",
            None,
            json!({"email": "kouadio@example.com", "password": "motdepasse"}),
        )
        .await;
    assert_eq!(login.code(), "ACCOUNT_SUSPENDED");
    let listed = app
        .get("/api/v1/admin/users?status=suspended", Some(&admin))
        .await;
    assert_eq!(listed.body["data"]["pagination"]["total"], 1);

    let lifted = app
        .post(
            &format!("/api/v1/admin/users/{id}/unsuspend"),
            Some(&admin),
            json!({}),
        )
        .await;
    assert_eq!(lifted.body["data"]["status"], "active");
    let login = app
        .post(
            "/api/v1/auth/login",
            None,
            json!({"email": "kouadio@example.com", "password": "motdepasse"}),
        )
        .await;
    assert_eq!(login.status, StatusCode::OK);

    let me_id = app.get("/api/v1/users/me", Some(&admin)).await.body["data"]["id"].clone();
    let myself = app
        .post(
            &format!("/api/v1/admin/users/{}/suspend", me_id.as_str().unwrap()),
            Some(&admin),
            json!({"reason": "test"}),
        )
        .await;
    assert_eq!(myself.status, StatusCode::FORBIDDEN);
    let ghost = app
        .post(
            &format!("/api/v1/admin/users/{}/suspend", uuid::Uuid::now_v7()),
            Some(&admin),
            json!({"reason": "test"}),
        )
        .await;
    assert_eq!(ghost.status, StatusCode::NOT_FOUND);
}
