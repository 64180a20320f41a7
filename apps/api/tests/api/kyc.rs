//! KYC over HTTP, the seller's steps and the admin's review (the spec, openapi/openapi.json).

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{Part, TestApp, png};

impl TestApp {
    async fn kyc_step2(&self, token: &str, parts: Vec<Part<'_>>) -> crate::helpers::Reply {
        self.multipart("/api/v1/seller/kyc/step2", token, parts)
            .await
    }
}

fn step1() -> serde_json::Value {
    json!({"firstName": "Moussa", "lastName": "Koné", "dateOfBirth": "1992-03-14", "country": "SN", "phone": "+221770000000"})
}

#[actix_web::test]
async fn both_steps_in_order_then_approval_makes_a_seller() {
    let app = TestApp::spawn().await;
    let payload = app.register("moussa@example.com", "moussa").await;
    let token = payload["accessToken"].as_str().unwrap();
    let id = payload["user"]["id"].as_str().unwrap();

    let status = app.get("/api/v1/seller/kyc/status", Some(token)).await;
    assert_eq!(status.body["data"]["status"], "not_started");

    // Step 2 first: refused, and the details say what is possible instead.
    let early = app
        .kyc_step2(
            token,
            vec![
                ("documentType", None, b"passport".to_vec()),
                ("documentFront", Some("f.png"), png()),
                ("selfie", Some("s.png"), png()),
            ],
        )
        .await;
    assert_eq!(
        (early.status, early.code()),
        (StatusCode::CONFLICT, "INVALID_TRANSITION")
    );
    assert_eq!(early.body["error"]["details"][0]["field"], "status");
    assert_eq!(
        early.body["error"]["details"][0]["message"],
        "step1_completed"
    );

    let reply = app
        .post("/api/v1/seller/kyc/step1", Some(token), step1())
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    assert_eq!(reply.body["data"]["status"], "step1_completed");

    // A national id needs its back side.
    let missing_back = app
        .kyc_step2(
            token,
            vec![
                ("documentType", None, b"national_id".to_vec()),
                ("documentFront", Some("f.png"), png()),
                ("selfie", Some("s.png"), png()),
            ],
        )
        .await;
    assert_eq!(
        (missing_back.status, missing_back.fields()),
        (StatusCode::UNPROCESSABLE_ENTITY, vec!["documentBack"])
    );
    // Text named like a photo.
    let spoofed = app
        .kyc_step2(
            token,
            vec![
                ("documentType", None, b"passport".to_vec()),
                (
                    "documentFront",
                    Some("f.jpg"),
                    b"not an image at all".to_vec(),
                ),
                ("selfie", Some("s.png"), png()),
            ],
        )
        .await;
    assert_eq!(spoofed.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);

    let reply = app
        .kyc_step2(
            token,
            vec![
                ("documentType", None, b"national_id".to_vec()),
                ("documentFront", Some("f.png"), png()),
                ("documentBack", Some("b.png"), png()),
                ("selfie", Some("s.png"), png()),
            ],
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    assert_eq!(reply.body["data"]["status"], "pending_review");
    assert!(reply.body["data"]["submittedAt"].is_string());

    // Under review: step 1 cannot be redone.
    let again = app
        .post("/api/v1/seller/kyc/step1", Some(token), step1())
        .await;
    assert_eq!(again.code(), "INVALID_TRANSITION");

    // Only admins see the queue.
    let refused = app.get("/api/v1/admin/kyc", Some(token)).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let admin = app.admin_token().await;
    let queue = app.get("/api/v1/admin/kyc", Some(&admin)).await;
    assert_eq!(queue.status, StatusCode::OK, "{:?}", queue.body);
    assert_eq!(queue.body["data"]["pagination"]["total"], 1);
    assert_eq!(queue.body["data"]["items"][0]["userId"], id);

    let approved = app
        .post(
            &format!("/api/v1/admin/kyc/{id}/approve"),
            Some(&admin),
            json!({}),
        )
        .await;
    assert_eq!(approved.body["data"]["status"], "approved");
    // The same token now acts as a seller: roles are read on every request.
    let me = app.get("/api/v1/users/me", Some(token)).await;
    assert_eq!(me.body["data"]["role"], "seller");
    assert_eq!(me.body["data"]["kycStatus"], "approved");
    let twice = app
        .post(
            &format!("/api/v1/admin/kyc/{id}/approve"),
            Some(&admin),
            json!({}),
        )
        .await;
    assert_eq!(
        (twice.status, twice.code()),
        (StatusCode::CONFLICT, "INVALID_TRANSITION")
    );
}

#[actix_web::test]
async fn step1_refusals_name_their_fields() {
    let app = TestApp::spawn().await;
    let token = app.token("young@example.com", "young").await;
    let today = chrono::Utc::now().date_naive();
    let seventeen = today
        .with_year(today.year() - 17)
        .unwrap_or(today)
        .format("%Y-%m-%d")
        .to_string();
    use chrono::Datelike;
    let reply = app
        .post(
            "/api/v1/seller/kyc/step1",
            Some(&token),
            json!({"firstName": "", "lastName": "Ba", "dateOfBirth": seventeen, "country": "XX", "phone": "0700"}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        reply.fields(),
        ["firstName", "dateOfBirth", "country", "phone"]
    );
}

#[actix_web::test]
async fn documents_are_private_and_admins_get_expiring_links() {
    let app = TestApp::spawn().await;
    let payload = app.register("fatou@example.com", "fatou").await;
    let token = payload["accessToken"].as_str().unwrap();
    let id = payload["user"]["id"].as_str().unwrap();
    app.submit_kyc(token).await;

    let admin = app.admin_token().await;
    let other = app.token("curious@example.com", "curious").await;
    let refused = app
        .get(&format!("/api/v1/admin/kyc/{id}"), Some(&other))
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);

    let detail = app
        .get(&format!("/api/v1/admin/kyc/{id}"), Some(&admin))
        .await;
    assert_eq!(detail.status, StatusCode::OK, "{:?}", detail.body);
    let data = &detail.body["data"];
    assert_eq!(data["documentType"], "passport");
    assert!(data["documentBackUrl"].is_null());
    let front = data["documentFrontUrl"].as_str().unwrap();
    assert!(front.contains("/files/signed/kyc/"), "{front}");

    // The signed link serves the file; the same key unsigned, or with a forged signature,
    // serves nothing.
    let served = app.client.get(front).send().await.unwrap();
    assert_eq!(served.status(), StatusCode::OK);
    assert_eq!(served.bytes().await.unwrap().to_vec(), png());
    let key = front
        .split("/files/signed/")
        .nth(1)
        .unwrap()
        .split('?')
        .next()
        .unwrap();
    let unsigned = app
        .client
        .get(app.url(&format!("/files/{key}")))
        .send()
        .await
        .unwrap();
    assert_eq!(unsigned.status(), StatusCode::NOT_FOUND);
    let forged = front.replace("signature=", "signature=00");
    let forged = app.client.get(forged).send().await.unwrap();
    assert_ne!(forged.status(), StatusCode::OK);

    // A rejection carries its reason, and the seller may start over.
    let no_reason = app
        .post(
            &format!("/api/v1/admin/kyc/{id}/reject"),
            Some(&admin),
            json!({"reason": " "}),
        )
        .await;
    assert_eq!(no_reason.fields(), ["reason"]);
    let rejected = app
        .post(
            &format!("/api/v1/admin/kyc/{id}/reject"),
            Some(&admin),
            json!({"reason": "Photo floue"}),
        )
        .await;
    assert_eq!(rejected.body["data"]["status"], "rejected");
    let status = app.get("/api/v1/seller/kyc/status", Some(token)).await;
    assert_eq!(status.body["data"]["rejectionReason"], "Photo floue");
    let redo = app
        .post("/api/v1/seller/kyc/step1", Some(token), step1())
        .await;
    assert_eq!(redo.body["data"]["status"], "step1_completed");
}
