use reqwest::{Method, StatusCode};
use serde_json::json;

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
