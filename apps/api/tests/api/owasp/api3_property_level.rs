use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::helpers::TestApp;

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
