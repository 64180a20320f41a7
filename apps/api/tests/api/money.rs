//! Money under concurrency and retries, on real PostgreSQL: payouts racing for one balance,
//! one Idempotency-Key sent many times at once, opposite decisions on one order at once;
//! and earnings held by a clearance period.

use futures_util::future::join_all;
use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::service_body;
use crate::orders::Market;

/// A seller whose wallet holds 9 000 (one completed basic order).
async fn earned(m: &Market) {
    let order = m.order(&m.basic, &[]).await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    m.complete(&order).await;
}

#[actix_web::test]
async fn fifty_simultaneous_payouts_never_overdraw_one_balance() {
    let m = Market::open_with(&[("MIN_PAYOUT", "1000")]).await;
    earned(&m).await;
    let body = json!({"amount": 1_000, "method": "mobile_money", "details": {"provider": "wave", "phone": "+221770000000"}});
    let replies = join_all((0..50).map(|_| {
        m.app
            .post("/api/v1/wallet/payout", Some(&m.seller), body.clone())
    }))
    .await;
    let created = replies
        .iter()
        .filter(|r| r.status == StatusCode::CREATED)
        .count();
    let refused = replies
        .iter()
        .filter(|r| r.code() == "INSUFFICIENT_FUNDS")
        .count();
    assert_eq!(created, 9, "9 000 pays nine payouts of 1 000");
    assert_eq!(refused, 41);
    assert_eq!(m.wallet(&m.seller).await["available"], 0);
    m.check_ledger().await;
}

#[actix_web::test]
async fn one_idempotency_key_sent_twenty_times_at_once_charges_once() {
    let m = Market::open().await;
    let body = m.order_body(&m.basic, &[&m.extra], "tok_visa");
    let send = || m.order_with_key(&m.buyer, "checkout-42", &body);
    let replies = join_all((0..20).map(|_| send())).await;
    for reply in &replies {
        assert!(
            reply.status == StatusCode::CREATED || reply.status == StatusCode::CONFLICT,
            "{:?}",
            reply.body
        );
    }
    assert_eq!(m.count("orders").await, 1);
    assert_eq!(
        m.count("ledger_entries WHERE entry_type = 'payment'").await,
        2,
        "one payment: two entries"
    );

    // Afterwards the key replays the first answer, status and body.
    let first = replies
        .iter()
        .find(|r| r.status == StatusCode::CREATED)
        .unwrap();
    let replay = send().await;
    assert_eq!(replay.status, StatusCode::CREATED);
    assert_eq!(replay.body, first.body);
    assert_eq!(replay.header("idempotent-replayed"), Some("true"));

    // Same key, other body: refused. Another caller's identical key is theirs alone.
    let mut other = body.clone();
    other["requirements"] = json!("Autre chose");
    let mismatch = m.order_with_key(&m.buyer, "checkout-42", &other).await;
    assert_eq!(mismatch.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(mismatch.code(), "IDEMPOTENCY_MISMATCH");
    let someone = m.app.token("autre@2krika.test", "autre").await;
    let theirs = m.order_with_key(&someone, "checkout-42", &body).await;
    assert_eq!(theirs.status, StatusCode::CREATED);
    assert_ne!(theirs.body["data"]["id"], first.body["data"]["id"]);

    // A declined card is an answer too: replayed, not retried.
    let declined = m.order_body(&m.basic, &[], "tok_declined");
    for _ in 0..2 {
        let reply = m.order_with_key(&m.buyer, "declined-1", &declined).await;
        assert_eq!(reply.code(), "INSUFFICIENT_FUNDS");
    }
    // Keys are visible ASCII, as the spec's pattern says: no blank, no space inside.
    for key in ["", "checkout 43"] {
        let refused = m.order_with_key(&m.buyer, key, &body).await;
        assert_eq!(refused.fields(), ["Idempotency-Key"], "{key:?}");
    }
    m.check_ledger().await;
}

#[actix_web::test]
async fn opposite_decisions_on_one_order_at_once_leave_exactly_one_outcome() {
    let m = Market::open().await;
    for _ in 0..5 {
        let order = m.order(&m.basic, &[]).await["id"]
            .as_str()
            .unwrap()
            .to_owned();
        m.status(&order, &m.seller, "in_progress", None).await;
        m.status(&order, &m.buyer, "disputed", Some("Désaccord"))
            .await;
        let path = format!("/api/v1/admin/orders/{order}/resolve");
        let (release, refund) = futures_util::join!(
            m.app
                .post(&path, Some(&m.admin), json!({"outcome": "release"})),
            m.app
                .post(&path, Some(&m.admin), json!({"outcome": "refund"})),
        );
        let wins = [&release, &refund]
            .iter()
            .filter(|r| r.status == StatusCode::OK)
            .count();
        assert_eq!(wins, 1, "{:?} / {:?}", release.body, refund.body);
        let loser = if release.status == StatusCode::OK {
            &refund
        } else {
            &release
        };
        assert_eq!(loser.code(), "INVALID_TRANSITION");

        // The buyer completing while the seller cancels: one of them wins.
        let order = m.order(&m.basic, &[]).await["id"]
            .as_str()
            .unwrap()
            .to_owned();
        let (cancel, start) = futures_util::join!(
            m.status(&order, &m.buyer, "cancelled", None),
            m.status(&order, &m.seller, "in_progress", None),
        );
        assert_eq!(
            [&cancel, &start]
                .iter()
                .filter(|r| r.status == StatusCode::OK)
                .count(),
            1
        );
    }
    m.check_ledger().await;
}

#[actix_web::test]
async fn earnings_in_clearance_pay_neither_orders_nor_payouts_until_the_period_ends() {
    let m = Market::open_with(&[("CLEARANCE_DAYS", "7"), ("MIN_PAYOUT", "1000")]).await;
    earned(&m).await;
    let wallet = m.wallet(&m.seller).await;
    assert_eq!(
        (&wallet["available"], &wallet["pending"]),
        (&json!(0), &json!(9_000))
    );

    // The seller buys from another seller with its wallet.
    let (other, _) = m
        .app
        .seller_token(&m.admin, "autre@2krika.test", "autre_vendeur")
        .await;
    let category = m.app.category_id("logo-identite-visuelle").await;
    let service = m
        .app
        .approved_service(
            &other,
            &m.admin,
            service_body(&category, "Une carte de visite", 5_000),
        )
        .await;
    let package = m
        .app
        .get(&format!("/api/v1/services/{service}"), None)
        .await
        .body["data"]["packages"][0]["id"]
        .clone();
    let order =
        json!({"serviceId": service, "packageId": package, "payment": {"method": "wallet"}});
    let payout = json!({"amount": 1_000, "method": "mobile_money", "details": {"provider": "wave", "phone": "+221770000000"}});

    let refused = m
        .app
        .post("/api/v1/orders", Some(&m.seller), order.clone())
        .await;
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{:?}",
        refused.body
    );
    assert_eq!(refused.code(), "INSUFFICIENT_FUNDS");
    let refused = m
        .app
        .post("/api/v1/wallet/payout", Some(&m.seller), payout.clone())
        .await;
    assert_eq!(refused.code(), "INSUFFICIENT_FUNDS", "{:?}", refused.body);

    m.app.clock.advance(chrono::Duration::days(8));
    let seller = m.app.login("seller@2krika.test", "motdepasse").await;
    let wallet = m.wallet(&seller).await;
    assert_eq!(
        (&wallet["available"], &wallet["pending"]),
        (&json!(9_000), &json!(0))
    );
    let paid = m.app.post("/api/v1/orders", Some(&seller), order).await;
    assert_eq!(paid.status, StatusCode::CREATED, "{:?}", paid.body);
    let requested = m
        .app
        .post("/api/v1/wallet/payout", Some(&seller), payout)
        .await;
    assert_eq!(
        requested.status,
        StatusCode::CREATED,
        "{:?}",
        requested.body
    );
    assert_eq!(m.wallet(&seller).await["available"], 9_000 - 5_000 - 1_000);
    m.check_ledger().await;
}

#[actix_web::test]
async fn admin_decisions_that_move_money_replay_when_retried_with_a_key() {
    let m = Market::open_with(&[("MIN_PAYOUT", "1000")]).await;
    earned(&m).await;
    let body = json!({"amount": 1_000, "method": "mobile_money", "details": {"provider": "wave", "phone": "+221770000000"}});
    let mut ids = Vec::new();
    for _ in 0..2 {
        let reply = m
            .app
            .post("/api/v1/wallet/payout", Some(&m.seller), body.clone())
            .await;
        assert_eq!(reply.status, StatusCode::CREATED, "{:?}", reply.body);
        ids.push(reply.body["data"]["id"].as_str().unwrap().to_owned());
    }
    let decide = |path: String, key: &'static str, body: serde_json::Value| {
        let request = m.app.client.post(m.app.url(&path));
        m.app.send(
            request
                .bearer_auth(&m.admin)
                .header("Idempotency-Key", key)
                .json(&body),
        )
    };
    let process = format!("/api/v1/admin/payouts/{}/process", ids[0]);
    let first = decide(process.clone(), "process-1", json!({})).await;
    assert_eq!(first.status, StatusCode::OK, "{:?}", first.body);
    let again = decide(process, "process-1", json!({})).await;
    assert_eq!(
        again.status,
        StatusCode::OK,
        "a replay, not INVALID_TRANSITION"
    );
    assert_eq!(again.header("idempotent-replayed"), Some("true"));
    assert_eq!(again.body, first.body);

    let reject = format!("/api/v1/admin/payouts/{}/reject", ids[1]);
    let reason = json!({"reason": "Numéro inconnu"});
    let first = decide(reject.clone(), "reject-1", reason.clone()).await;
    assert_eq!(first.status, StatusCode::OK, "{:?}", first.body);
    let again = decide(reject.clone(), "reject-1", reason).await;
    assert_eq!(again.header("idempotent-replayed"), Some("true"));
    let other = decide(reject, "reject-1", json!({"reason": "Autre"})).await;
    assert_eq!(other.code(), "IDEMPOTENCY_MISMATCH");

    // One processed, one rejected and given back: 9 000 − 1 000 stays available.
    assert_eq!(m.wallet(&m.seller).await["available"], 8_000);
    assert_eq!(
        m.count("outbox_events WHERE event_type = 'payout.processed'")
            .await,
        1
    );
    m.check_ledger().await;
}

/// As if the process had died between its commit and storing the answer: every claim is
/// left unfinished, and old enough to be taken over.
async fn lose_stored_answers(m: &Market) {
    use diesel_async::RunQueryDsl;
    let mut conn = m.app.state.db.conn().await.unwrap();
    diesel::sql_query(
        "UPDATE idempotency_keys SET status_code = NULL, response_body = NULL, \
         created_at = created_at - interval '10 minutes'",
    )
    .execute(&mut conn)
    .await
    .unwrap();
}

#[actix_web::test]
async fn a_retry_whose_first_answer_was_lost_finds_the_first_order_and_payout() {
    let m = Market::open_with(&[("MIN_PAYOUT", "1000")]).await;
    let body = m.order_body(&m.basic, &[], "tok_visa");
    let first = m.order_with_key(&m.buyer, "lost-answer", &body).await;
    assert_eq!(first.status, StatusCode::CREATED, "{:?}", first.body);
    lose_stored_answers(&m).await;
    let retry = m.order_with_key(&m.buyer, "lost-answer", &body).await;
    assert_eq!(retry.status, StatusCode::CREATED, "{:?}", retry.body);
    assert_eq!(retry.body["data"]["id"], first.body["data"]["id"]);
    assert_eq!(m.count("orders").await, 1);
    assert_eq!(
        m.count("ledger_entries WHERE entry_type = 'payment'").await,
        2
    );

    earned(&m).await;
    let payout = json!({"amount": 1_000, "method": "mobile_money", "details": {"provider": "wave", "phone": "+221770000000"}});
    let send = || {
        let request = m.app.client.post(m.app.url("/api/v1/wallet/payout"));
        m.app.send(
            request
                .bearer_auth(&m.seller)
                .header("Idempotency-Key", "payout-lost")
                .json(&payout),
        )
    };
    let first = send().await;
    assert_eq!(first.status, StatusCode::CREATED, "{:?}", first.body);
    lose_stored_answers(&m).await;
    let retry = send().await;
    assert_eq!(retry.body["data"]["id"], first.body["data"]["id"]);
    assert_eq!(m.count("payouts").await, 1);
    assert_eq!(m.wallet(&m.seller).await["available"], 9_000 - 1_000);
    m.check_ledger().await;
}
