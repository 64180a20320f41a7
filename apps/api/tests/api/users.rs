use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::helpers::{TestApp, png};

#[actix_web::test]
async fn profile_edits_cannot_touch_role_status_or_email() {
    let app = TestApp::spawn().await;
    let token = app.token("awa@example.com", "awa").await;
    for (field, value) in [
        ("role", json!("admin")),
        ("status", json!("active")),
        ("email", json!("x@example.com")),
    ] {
        let reply = app
            .put(
                "/api/v1/users/me",
                Some(&token),
                json!({ field: value, "name": "Changed" }),
            )
            .await;
        assert_eq!(
            (reply.status, reply.fields()),
            (StatusCode::UNPROCESSABLE_ENTITY, vec![field])
        );
    }
    let me = app.get("/api/v1/users/me", Some(&token)).await;
    assert_eq!(
        (
            me.body["data"]["role"].as_str(),
            me.body["data"]["name"].as_str()
        ),
        (Some("client"), Some("Awa Traoré"))
    );

    let edit = json!({"name": "  Awa T.  ", "bio": "<b>Graphiste</b> à Abidjan", "phone": "+22507000000", "username": "awa_t"});
    let reply = app.put("/api/v1/users/me", Some(&token), edit).await;
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    let user = &reply.body["data"];
    assert_eq!(
        (user["name"].as_str(), user["username"].as_str()),
        (Some("Awa T."), Some("awa_t"))
    );
    assert_eq!(
        user["bio"], "<b>Graphiste</b> à Abidjan",
        "stored exactly as sent"
    );

    let cleared = app
        .put("/api/v1/users/me", Some(&token), json!({"bio": null}))
        .await;
    assert_eq!(
        (
            cleared.body["data"]["bio"].is_null(),
            cleared.body["data"]["phone"].as_str()
        ),
        (true, Some("+22507000000"))
    );
    let bad = app
        .put(
            "/api/v1/users/me",
            Some(&token),
            json!({"phone": "0700", "name": ""}),
        )
        .await;
    let mut fields = bad.fields();
    fields.sort();
    assert_eq!(fields, ["name", "phone"]);

    app.register("b@example.com", "bintou").await;
    let taken = app
        .put(
            "/api/v1/users/me",
            Some(&token),
            json!({"username": "bintou"}),
        )
        .await;
    assert_eq!(
        (taken.status, taken.fields()),
        (StatusCode::CONFLICT, vec!["username"])
    );
}

#[actix_web::test]
async fn public_profiles_hide_private_fields() {
    let app = TestApp::spawn().await;
    let data = app.register("awa@example.com", "awa").await;
    let id = data["user"]["id"].as_str().unwrap();
    let reply = app.get(&format!("/api/v1/users/{id}"), None).await;
    assert_eq!(reply.status, StatusCode::OK);
    let profile = reply.body["data"].as_object().unwrap();
    assert_eq!(profile["username"], "awa");
    assert!(!profile.contains_key("email") && !profile.contains_key("phone"));
    assert!(
        !profile.contains_key("sellerStats"),
        "clients have no seller statistics"
    );

    let unknown = app
        .get(&format!("/api/v1/users/{}", uuid::Uuid::now_v7()), None)
        .await;
    assert_eq!(
        (unknown.status, unknown.code()),
        (StatusCode::NOT_FOUND, "NOT_FOUND")
    );
    let bad = app.get("/api/v1/users/not-a-uuid", None).await;
    assert_eq!(
        (bad.status, bad.code()),
        (StatusCode::BAD_REQUEST, "BAD_REQUEST")
    );
}

#[actix_web::test]
async fn deleting_my_account_needs_my_password() {
    let app = TestApp::spawn().await;
    let data = app.register("awa@example.com", "awa").await;
    let token = data["accessToken"].as_str().unwrap();
    let id = data["user"]["id"].as_str().unwrap();
    let wrong = app
        .call(
            Method::DELETE,
            "/api/v1/users/me",
            Some(token),
            Some(json!({"password": "non"})),
        )
        .await;
    assert_eq!(
        (wrong.status, wrong.fields()),
        (StatusCode::UNPROCESSABLE_ENTITY, vec!["password"])
    );
    let done = app
        .call(
            Method::DELETE,
            "/api/v1/users/me",
            Some(token),
            Some(json!({"password": "motdepasse"})),
        )
        .await;
    assert_eq!(done.status, StatusCode::NO_CONTENT);
    assert_eq!(
        app.get("/api/v1/users/me", Some(token)).await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        app.get(&format!("/api/v1/users/{id}"), None).await.status,
        StatusCode::NOT_FOUND
    );
    let login = app
        .post(
            "/api/v1/auth/login",
            None,
            json!({"email": "awa@example.com", "password": "motdepasse"}),
        )
        .await;
    assert_eq!(login.status, StatusCode::UNAUTHORIZED);
}

#[actix_web::test]
async fn avatars_are_checked_by_content_and_size() {
    let app = TestApp::spawn().await;
    let token = app.token("awa@example.com", "awa").await;
    let text = app
        .upload(
            "/api/v1/users/me/avatar",
            &token,
            "file",
            "avatar.png",
            b"I am text, not a PNG".to_vec(),
        )
        .await;
    assert_eq!(
        (text.status, text.code()),
        (StatusCode::UNSUPPORTED_MEDIA_TYPE, "UNSUPPORTED_MEDIA_TYPE")
    );
    let mut big = png();
    big.resize(6 * 1024 * 1024, 0);
    let too_big = app
        .upload("/api/v1/users/me/avatar", &token, "file", "big.png", big)
        .await;
    assert_eq!(
        (too_big.status, too_big.code()),
        (StatusCode::PAYLOAD_TOO_LARGE, "PAYLOAD_TOO_LARGE")
    );
    // The file under another name: that field is named (the form has `file` only).
    let misnamed = app
        .upload("/api/v1/users/me/avatar", &token, "other", "a.png", png())
        .await;
    assert_eq!(
        (misnamed.status, misnamed.fields()),
        (StatusCode::UNPROCESSABLE_ENTITY, vec!["other"])
    );

    let ok = app
        .upload("/api/v1/users/me/avatar", &token, "file", "me.png", png())
        .await;
    assert_eq!(ok.status, StatusCode::OK, "{:?}", ok.body);
    let url = ok.body["data"]["avatarUrl"].as_str().unwrap().to_owned();
    assert!(url.starts_with(&app.url("/files/public/avatars/")), "{url}");
    let served = app.client.get(&url).send().await.unwrap();
    assert_eq!(served.headers()["content-type"], "image/png");
    assert_eq!(served.bytes().await.unwrap().to_vec(), png());
    assert_eq!(
        app.get("/api/v1/users/me", Some(&token)).await.body["data"]["avatarUrl"],
        url
    );

    let anonymous = app
        .upload(
            "/api/v1/users/me/avatar",
            "not-a-token",
            "file",
            "me.png",
            png(),
        )
        .await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
}

#[actix_web::test]
async fn private_files_need_a_valid_signature() {
    let app = TestApp::spawn().await;
    let blobs = app.state.blobs.clone();
    blobs
        .put("private/kyc/doc.png", png(), "image/png")
        .await
        .unwrap();
    assert_eq!(
        app.get("/files/private/kyc/doc.png", None).await.status,
        StatusCode::NOT_FOUND
    );
    let signed = blobs
        .signed_url("private/kyc/doc.png", std::time::Duration::from_secs(60))
        .await
        .unwrap();
    let ok = app.client.get(&signed).send().await.unwrap();
    assert_eq!(ok.status(), StatusCode::OK);
    let tampered = signed.replace("signature=", "signature=00");
    assert_eq!(
        app.client.get(&tampered).send().await.unwrap().status(),
        StatusCode::NOT_FOUND
    );
    let unsigned = signed.split('?').next().unwrap();
    assert_eq!(
        app.client.get(unsigned).send().await.unwrap().status(),
        StatusCode::NOT_FOUND
    );
    app.clock.advance(chrono::Duration::seconds(120));
    assert_eq!(
        app.client.get(&signed).send().await.unwrap().status(),
        StatusCode::NOT_FOUND,
        "expired"
    );
}
