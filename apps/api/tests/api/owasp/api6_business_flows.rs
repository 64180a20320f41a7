use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::Reply;
use crate::orders::Market;

async fn review(m: &Market, token: &str, order: &str) -> Reply {
    let body = json!({"orderId": order, "rating": 5, "comment": "Parfait",
                      "criteria": {"communication": 5, "quality": 5, "delivery": 5}});
    m.app.post("/api/v1/reviews", Some(token), body).await
}

/// API6, unrestricted access to sensitive business flows: a seller cannot order (and so
/// pay or review) their own service; a review needs a completed purchase of one's own, once;
/// a completion cannot be replayed into a second release of the escrow. (Simultaneous
/// payouts against one balance: `money::fifty_simultaneous_payouts_never_overdraw_one_balance`.)
#[actix_web::test]
async fn api6_own_orders_unearned_reviews_and_replayed_releases_are_refused() {
    let m = Market::open().await;
    let own = m
        .app
        .post(
            "/api/v1/orders",
            Some(&m.seller),
            m.order_body(&m.basic, &[], "tok_visa"),
        )
        .await;
    assert_eq!(
        (own.status, own.code()),
        (StatusCode::FORBIDDEN, "FORBIDDEN")
    );
    assert_eq!(
        m.count("orders").await,
        0,
        "nothing placed, nothing charged"
    );

    let unknown = review(&m, &m.buyer, &uuid::Uuid::now_v7().to_string()).await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    let order = m.order(&m.basic, &[]).await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let early = review(&m, &m.buyer, &order).await;
    assert_eq!(early.fields(), ["orderId"], "not completed yet");
    m.complete(&order).await;
    let earned = m.wallet(&m.seller).await["totalEarned"].clone();
    let again = m.status(&order, &m.buyer, "completed", None).await;
    assert_eq!(again.code(), "INVALID_TRANSITION");
    assert_eq!(m.wallet(&m.seller).await["totalEarned"], earned);

    let stranger = m.app.token("curieux@2krika.test", "curieux").await;
    let by_stranger = review(&m, &stranger, &order).await;
    assert_eq!(by_stranger.status, StatusCode::NOT_FOUND);
    let by_seller = review(&m, &m.seller, &order).await;
    assert_eq!(by_seller.status, StatusCode::FORBIDDEN);
    assert_eq!(
        review(&m, &m.buyer, &order).await.status,
        StatusCode::CREATED
    );
    let twice = review(&m, &m.buyer, &order).await;
    assert_eq!(
        (twice.status, twice.code()),
        (StatusCode::CONFLICT, "CONFLICT")
    );
    assert_eq!(m.count("reviews").await, 1);
    m.check_ledger().await;
}
