//! docs/orders.md, docs/money.md over HTTP: the order journey, every transition both ways, refunds,
//! disputes, cards that fail, wallet payments, reviews, payouts, offers and stats. Every
//! money test ends by checking the ledger's invariants.

use reqwest::StatusCode;
use serde_json::{Value, json};

use krika_kernel::Clock;

use crate::helpers::{TestApp, service_body};

/// A marketplace with an admin, a seller with one approved service and a buyer.
pub struct Market {
    pub app: TestApp,
    pub admin: String,
    pub seller: String,
    pub seller_id: String,
    pub buyer: String,
    pub service: String,
    /// Basic (10 000, 1 revision) and premium (30 000, 5 revisions).
    pub basic: String,
    pub premium: String,
    /// 5 000, one more day.
    pub extra: String,
}

impl Market {
    pub async fn open() -> Self {
        Self::open_with(&[]).await
    }

    pub async fn open_with(vars: &[(&str, &str)]) -> Self {
        let app = TestApp::spawn_with(vars).await;
        let admin = app.admin_token().await;
        let (seller, seller_id) = app
            .seller_token(&admin, "seller@2krika.test", "vendeur")
            .await;
        let category = app.category_id("logo-identite-visuelle").await;
        let service = app
            .approved_service(
                &seller,
                &admin,
                service_body(&category, "Je crée votre logo", 10_000),
            )
            .await;
        let data = app
            .get(&format!("/api/v1/services/{service}"), None)
            .await
            .body["data"]
            .clone();
        let buyer = app.token("buyer@2krika.test", "acheteur").await;
        Self {
            basic: data["packages"][0]["id"].as_str().unwrap().to_owned(),
            premium: data["packages"][1]["id"].as_str().unwrap().to_owned(),
            extra: data["extras"][0]["id"].as_str().unwrap().to_owned(),
            app,
            admin,
            seller,
            seller_id,
            buyer,
            service,
        }
    }

    pub fn order_body(&self, package: &str, extras: &[&str], token: &str) -> Value {
        json!({
            "serviceId": self.service,
            "packageId": package,
            "extras": extras,
            "requirements": "Un logo bleu et or pour ma boutique.",
            "payment": {"method": "card", "token": token}
        })
    }

    /// Places an order by card and returns it.
    pub async fn order(&self, package: &str, extras: &[&str]) -> Value {
        let reply = self
            .app
            .post(
                "/api/v1/orders",
                Some(&self.buyer),
                self.order_body(package, extras, "tok_visa"),
            )
            .await;
        assert_eq!(reply.status, StatusCode::CREATED, "{:?}", reply.body);
        reply.body["data"].clone()
    }

    /// `POST /orders` with an `Idempotency-Key`.
    pub async fn order_with_key(
        &self,
        token: &str,
        key: &str,
        body: &Value,
    ) -> crate::helpers::Reply {
        let request = self.app.client.post(self.app.url("/api/v1/orders"));
        self.app
            .send(
                request
                    .bearer_auth(token)
                    .header("Idempotency-Key", key)
                    .json(body),
            )
            .await
    }

    pub async fn status(
        &self,
        order: &str,
        token: &str,
        status: &str,
        reason: Option<&str>,
    ) -> crate::helpers::Reply {
        self.app
            .put(
                &format!("/api/v1/orders/{order}/status"),
                Some(token),
                json!({"status": status, "reason": reason}),
            )
            .await
    }

    pub async fn deliver(&self, order: &str) -> crate::helpers::Reply {
        self.app
            .multipart(
                &format!("/api/v1/orders/{order}/deliver"),
                &self.seller,
                vec![
                    ("message", None, "Voici votre logo.".as_bytes().to_vec()),
                    ("files", Some("logo.png"), crate::helpers::png()),
                ],
            )
            .await
    }

    /// Walks `order` to completed: the seller starts and delivers, the buyer accepts.
    pub async fn complete(&self, order: &str) {
        let started = self.status(order, &self.seller, "in_progress", None).await;
        assert_eq!(started.status, StatusCode::OK, "{:?}", started.body);
        let delivered = self.deliver(order).await;
        assert_eq!(delivered.status, StatusCode::OK, "{:?}", delivered.body);
        let accepted = self.status(order, &self.buyer, "completed", None).await;
        assert_eq!(accepted.status, StatusCode::OK, "{:?}", accepted.body);
    }

    pub async fn wallet(&self, token: &str) -> Value {
        let reply = self.app.get("/api/v1/wallet", Some(token)).await;
        assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
        reply.body["data"].clone()
    }

    /// The ledger's invariants hold.
    pub async fn check_ledger(&self) {
        let broken = krika_postgres::testing::ledger_violations(&self.app.state.db).await;
        assert!(broken.is_empty(), "ledger invariants broken: {broken:?}");
    }

    pub async fn count(&self, table: &str) -> i64 {
        use diesel_async::RunQueryDsl;
        #[derive(diesel::QueryableByName)]
        struct Count {
            #[diesel(sql_type = diesel::sql_types::BigInt)]
            n: i64,
        }
        let mut conn = self.app.state.db.conn().await.unwrap();
        let count: Count = diesel::sql_query(format!("SELECT count(*) AS n FROM {table}"))
            .get_result(&mut conn)
            .await
            .unwrap();
        count.n
    }
}

fn id(value: &Value) -> String {
    value["id"].as_str().unwrap().to_owned()
}

/// The allowed targets of an `INVALID_TRANSITION`, from `allowedStatuses` (checked equal to
/// what `details` lists, for clients that read those).
fn allowed(reply: &crate::helpers::Reply) -> Vec<&str> {
    let typed: Vec<&str> = reply.body["error"]["allowedStatuses"]
        .as_array()
        .map(|a| a.iter().map(|s| s.as_str().unwrap()).collect())
        .unwrap_or_default();
    let details: Vec<&str> = reply.body["error"]["details"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["message"].as_str().unwrap())
        .collect();
    assert_eq!(typed, details, "allowedStatuses and details agree");
    typed
}

#[actix_web::test]
async fn the_whole_journey_pays_the_seller_once_and_the_platform_its_commission() {
    let m = Market::open().await;
    let order = m.order(&m.basic, &[&m.extra]).await;
    assert_eq!(order["status"], "pending");
    assert!(order["number"].as_str().unwrap().starts_with("KR-"));
    assert_eq!(
        order["number"].as_str().unwrap().len(),
        "KR-2026-000001".len()
    );
    assert_eq!(order["subtotal"], 10_000);
    assert_eq!(order["extrasTotal"], 5_000);
    assert_eq!(order["discount"], 0);
    assert_eq!(order["total"], 15_000);
    assert_eq!(order["currency"], "XOF");
    assert_eq!(order["deliveryDays"], 4);
    assert_eq!(order["revisionsAllowed"], 1);
    assert_eq!(order["package"]["name"], "Basique");
    assert_eq!(order["extras"][0]["title"], "Livraison express");
    assert_eq!(order["buyer"]["username"], "acheteur");
    assert_eq!(order["seller"]["username"], "vendeur");
    let order_id = id(&order);
    assert_eq!(m.wallet(&m.seller).await["pending"], 13_500);
    m.check_ledger().await;

    // Later edits of the service don't touch the order's snapshot.
    let edit = m
        .app
        .put(
            &format!("/api/v1/services/{}", m.service),
            Some(&m.seller),
            json!({"title": "Un tout autre titre"}),
        )
        .await;
    assert_eq!(edit.status, StatusCode::OK, "{:?}", edit.body);

    let started = m.status(&order_id, &m.seller, "in_progress", None).await;
    assert_eq!(started.status, StatusCode::OK, "{:?}", started.body);
    assert!(started.body["data"]["dueAt"].is_string());
    assert_eq!(
        started.body["data"]["service"]["title"],
        "Je crée votre logo"
    );

    let delivered = m.deliver(&order_id).await;
    assert_eq!(delivered.status, StatusCode::OK, "{:?}", delivered.body);
    assert_eq!(delivered.body["data"]["status"], "delivered");
    let file = &delivered.body["data"]["deliveries"][0]["files"][0];
    assert_eq!(file["name"], "logo.png");
    let link = m
        .app
        .client
        .get(file["url"].as_str().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(
        link.status(),
        StatusCode::OK,
        "the signed link serves the delivered file"
    );

    let revision = m
        .status(
            &order_id,
            &m.buyer,
            "in_progress",
            Some("Plus de bleu, svp"),
        )
        .await;
    assert_eq!(revision.status, StatusCode::OK, "{:?}", revision.body);
    assert_eq!(revision.body["data"]["revisionsUsed"], 1);
    assert_eq!(m.deliver(&order_id).await.status, StatusCode::OK);
    // The one revision is spent: the buyer may complete or dispute, not ask again.
    let again = m
        .status(&order_id, &m.buyer, "in_progress", Some("Encore"))
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert_eq!(again.code(), "INVALID_TRANSITION");
    assert_eq!(allowed(&again), ["completed", "disputed"]);

    let completed = m.status(&order_id, &m.buyer, "completed", None).await;
    assert_eq!(completed.status, StatusCode::OK, "{:?}", completed.body);
    let history: Vec<&str> = completed.body["data"]["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["to"].as_str().unwrap())
        .collect();
    assert_eq!(
        history,
        [
            "pending",
            "in_progress",
            "delivered",
            "in_progress",
            "delivered",
            "completed"
        ]
    );

    // 15 000 − 10 % commission on subtotal + extras.
    let wallet = m.wallet(&m.seller).await;
    assert_eq!(wallet["available"], 13_500);
    assert_eq!(wallet["pending"], 0);
    assert_eq!(wallet["totalEarned"], 13_500);
    let statement = m
        .app
        .get("/api/v1/wallet/transactions", Some(&m.seller))
        .await;
    let lines: Vec<(String, i64, i64)> = statement.body["data"]["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["type"].as_str().unwrap().to_owned(),
                e["amount"].as_i64().unwrap(),
                e["balanceAfter"].as_i64().unwrap(),
            )
        })
        .collect();
    assert!(
        lines.contains(&("escrow_release".into(), 15_000, 15_000)),
        "{lines:?}"
    );
    assert!(
        lines.contains(&("commission".into(), -1_500, 13_500)),
        "{lines:?}"
    );

    // Review, once, by the buyer only; the service's rating follows.
    let review_body = json!({"orderId": order_id, "rating": 5, "comment": "Parfait", "criteria": {"communication": 5, "quality": 4, "delivery": 5}});
    let by_seller = m
        .app
        .post("/api/v1/reviews", Some(&m.seller), review_body.clone())
        .await;
    assert_eq!(by_seller.status, StatusCode::FORBIDDEN);
    let review = m
        .app
        .post("/api/v1/reviews", Some(&m.buyer), review_body.clone())
        .await;
    assert_eq!(review.status, StatusCode::CREATED, "{:?}", review.body);
    let twice = m
        .app
        .post("/api/v1/reviews", Some(&m.buyer), review_body)
        .await;
    assert_eq!(twice.status, StatusCode::CONFLICT);
    let review_id = id(&review.body["data"]);
    let path = format!("/api/v1/reviews/{review_id}/response");
    let not_seller = m
        .app
        .post(&path, Some(&m.buyer), json!({"comment": "Merci"}))
        .await;
    assert_eq!(not_seller.status, StatusCode::FORBIDDEN);
    let answer = m
        .app
        .post(&path, Some(&m.seller), json!({"comment": "Merci !"}))
        .await;
    assert_eq!(answer.status, StatusCode::CREATED, "{:?}", answer.body);
    assert_eq!(answer.body["data"]["response"]["comment"], "Merci !");
    let answer_again = m
        .app
        .post(&path, Some(&m.seller), json!({"comment": "Encore merci"}))
        .await;
    assert_eq!(answer_again.status, StatusCode::CONFLICT);
    let reviews = m
        .app
        .get(&format!("/api/v1/services/{}/reviews", m.service), None)
        .await;
    assert_eq!(reviews.status, StatusCode::OK);
    assert_eq!(reviews.body["data"]["summary"]["average"], 5.0);
    assert_eq!(reviews.body["data"]["summary"]["distribution"]["5"], 1);
    assert_eq!(reviews.body["data"]["summary"]["criteria"]["quality"], 4.0);
    assert_eq!(reviews.body["data"]["pagination"]["limit"], 10);
    let service = m
        .app
        .get(&format!("/api/v1/services/{}", m.service), Some(&m.seller))
        .await;
    assert_eq!(service.body["data"]["rating"], 5.0);
    assert_eq!(
        service.body["data"]["seller"]["rating"], 5.0,
        "stored with the review"
    );

    // Payout of part of it, processed by an admin.
    let payout_body = json!({"amount": 10_000, "method": "mobile_money", "details": {"provider": "orange", "phone": "+2250700000000"}});
    let payout = m
        .app
        .post("/api/v1/wallet/payout", Some(&m.seller), payout_body)
        .await;
    assert_eq!(payout.status, StatusCode::CREATED, "{:?}", payout.body);
    assert_eq!(payout.body["data"]["status"], "pending");
    assert_eq!(m.wallet(&m.seller).await["available"], 3_500);
    let payout_id = id(&payout.body["data"]);
    let queue = m
        .app
        .get("/api/v1/admin/payouts?status=pending", Some(&m.admin))
        .await;
    assert_eq!(queue.body["data"]["items"][0]["id"], payout_id.as_str());
    let not_admin = m
        .app
        .post(
            &format!("/api/v1/admin/payouts/{payout_id}/process"),
            Some(&m.seller),
            json!({}),
        )
        .await;
    assert_eq!(not_admin.status, StatusCode::FORBIDDEN);
    let processed = m
        .app
        .post(
            &format!("/api/v1/admin/payouts/{payout_id}/process"),
            Some(&m.admin),
            json!({}),
        )
        .await;
    assert_eq!(processed.status, StatusCode::OK, "{:?}", processed.body);
    assert_eq!(processed.body["data"]["status"], "processed");
    let twice = m
        .app
        .post(
            &format!("/api/v1/admin/payouts/{payout_id}/process"),
            Some(&m.admin),
            json!({}),
        )
        .await;
    assert_eq!(twice.code(), "INVALID_TRANSITION");
    assert_eq!(m.wallet(&m.seller).await["available"], 3_500);
    let mine = m.app.get("/api/v1/wallet/payouts", Some(&m.seller)).await;
    assert_eq!(
        mine.body["data"]["items"][0]["details"]["provider"],
        "orange"
    );

    // Events went to the outbox with the changes.
    assert_eq!(
        m.count("outbox_events WHERE event_type = 'order.created'")
            .await,
        1
    );
    assert_eq!(
        m.count("outbox_events WHERE event_type = 'order.completed'")
            .await,
        1
    );
    assert_eq!(
        m.count("outbox_events WHERE event_type = 'payout.processed'")
            .await,
        1
    );
    assert_eq!(
        m.count("outbox_events WHERE event_type = 'service.approved'")
            .await,
        1
    );

    let stats = m.app.get("/api/v1/admin/stats", Some(&m.admin)).await;
    assert_eq!(stats.status, StatusCode::OK, "{:?}", stats.body);
    let data = &stats.body["data"];
    assert_eq!(data["orders"]["byStatus"]["completed"], 1);
    assert_eq!(data["orders"]["gmv"], 15_000);
    assert_eq!(data["revenue"], 1_500);
    assert_eq!(data["users"]["sellers"], 1);
    assert_eq!(data["users"]["admins"], 1);
    assert_eq!(
        data["services"]["pendingReview"], 1,
        "the title edit sent it back to review"
    );
    assert_eq!(
        m.app
            .get("/api/v1/admin/stats", Some(&m.buyer))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    m.check_ledger().await;
}

#[actix_web::test]
async fn each_transition_belongs_to_one_party_and_one_state() {
    let m = Market::open().await;
    let order = id(&m.order(&m.basic, &[]).await);
    let stranger = m.app.token("curieux@2krika.test", "curieux").await;

    // Nobody else sees or touches it.
    assert_eq!(
        m.app
            .get(&format!("/api/v1/orders/{order}"), Some(&stranger))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        m.status(&order, &stranger, "cancelled", None).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        m.app
            .get(&format!("/api/v1/orders/{order}"), Some(&m.seller))
            .await
            .status,
        StatusCode::OK
    );
    assert_eq!(
        m.app
            .get(&format!("/api/v1/orders/{order}"), Some(&m.admin))
            .await
            .status,
        StatusCode::OK
    );
    assert_eq!(
        m.app
            .get("/api/v1/orders/purchases", Some(&stranger))
            .await
            .body["data"]["pagination"]["total"],
        0
    );
    assert_eq!(
        m.app
            .get("/api/v1/orders/purchases", Some(&m.buyer))
            .await
            .body["data"]["pagination"]["total"],
        1
    );
    assert_eq!(
        m.app
            .get("/api/v1/orders/sales?status=pending", Some(&m.seller))
            .await
            .body["data"]["pagination"]["total"],
        1
    );
    assert_eq!(
        m.app
            .get("/api/v1/orders/sales?status=completed", Some(&m.seller))
            .await
            .body["data"]["pagination"]["total"],
        0
    );

    // pending: the seller starts, the buyer may not.
    let by_buyer = m.status(&order, &m.buyer, "in_progress", None).await;
    assert_eq!(
        by_buyer.status,
        StatusCode::FORBIDDEN,
        "{:?}",
        by_buyer.body
    );
    let too_early = m.status(&order, &m.buyer, "completed", None).await;
    assert_eq!(too_early.status, StatusCode::CONFLICT);
    assert_eq!(allowed(&too_early), ["cancelled"]);
    let seller_view = m.status(&order, &m.seller, "delivered", None).await;
    assert_eq!(
        seller_view.status,
        StatusCode::CONFLICT,
        "delivering needs in_progress"
    );
    assert_eq!(allowed(&seller_view), ["in_progress", "cancelled"]);
    assert_eq!(m.deliver(&order).await.status, StatusCode::CONFLICT);
    let admin_try = m.status(&order, &m.admin, "cancelled", None).await;
    assert_eq!(
        admin_try.status,
        StatusCode::FORBIDDEN,
        "admins resolve disputes, they don't cancel"
    );
    assert_eq!(
        m.status(&order, &m.seller, "in_progress", None)
            .await
            .status,
        StatusCode::OK
    );

    // in_progress: only the seller delivers, through /deliver.
    let via_status = m.status(&order, &m.seller, "delivered", None).await;
    assert_eq!(via_status.status, StatusCode::CONFLICT);
    assert_eq!(via_status.code(), "INVALID_TRANSITION");
    assert_eq!(allowed(&via_status), ["disputed", "cancelled"]);
    let buyer_delivers = m
        .app
        .multipart(
            &format!("/api/v1/orders/{order}/deliver"),
            &m.buyer,
            vec![("message", None, b"moi".to_vec())],
        )
        .await;
    assert_eq!(buyer_delivers.status, StatusCode::FORBIDDEN);
    let no_message = m
        .app
        .multipart(
            &format!("/api/v1/orders/{order}/deliver"),
            &m.seller,
            vec![("message", None, b"  ".to_vec())],
        )
        .await;
    assert_eq!(no_message.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(no_message.fields(), ["message"]);
    let buyer_cancels = m.status(&order, &m.buyer, "cancelled", None).await;
    assert_eq!(
        buyer_cancels.status,
        StatusCode::FORBIDDEN,
        "only the seller cancels work in progress"
    );
    assert_eq!(m.deliver(&order).await.status, StatusCode::OK);

    // delivered: a revision needs a reason; the seller cannot complete.
    let no_reason = m.status(&order, &m.buyer, "in_progress", None).await;
    assert_eq!(no_reason.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(no_reason.fields(), ["reason"]);
    assert_eq!(
        m.status(&order, &m.seller, "completed", None).await.status,
        StatusCode::FORBIDDEN
    );
    let bad_status = m
        .app
        .put(
            &format!("/api/v1/orders/{order}/status"),
            Some(&m.buyer),
            json!({"status": "shipped"}),
        )
        .await;
    assert_eq!(
        (bad_status.status, bad_status.fields()),
        (StatusCode::UNPROCESSABLE_ENTITY, vec!["status"])
    );
    let missing = m
        .app
        .put(
            &format!("/api/v1/orders/{order}/status"),
            Some(&m.buyer),
            json!({}),
        )
        .await;
    assert_eq!(missing.fields(), ["status"]);
    assert_eq!(
        m.status(&order, &m.buyer, "completed", None).await.status,
        StatusCode::OK
    );

    // completed is final.
    let after = m
        .status(&order, &m.buyer, "disputed", Some("trop tard"))
        .await;
    assert_eq!(after.status, StatusCode::CONFLICT);
    assert!(allowed(&after).is_empty());
    m.check_ledger().await;
}

#[actix_web::test]
async fn cancelling_refunds_the_buyer_wallet_which_pays_the_next_order() {
    let m = Market::open().await;
    let first = id(&m.order(&m.basic, &[&m.extra]).await);
    assert_eq!(
        m.status(&first, &m.buyer, "cancelled", None).await.status,
        StatusCode::OK
    );
    assert_eq!(m.wallet(&m.buyer).await["available"], 15_000);
    assert_eq!(m.wallet(&m.seller).await["pending"], 0);

    let second = id(&m.order(&m.basic, &[]).await);
    assert_eq!(
        m.status(&second, &m.seller, "in_progress", None)
            .await
            .status,
        StatusCode::OK
    );
    assert_eq!(
        m.status(&second, &m.seller, "cancelled", None).await.status,
        StatusCode::OK
    );
    assert_eq!(m.wallet(&m.buyer).await["available"], 25_000);
    let refunds = m
        .app
        .get("/api/v1/wallet/transactions", Some(&m.buyer))
        .await;
    assert_eq!(refunds.body["data"]["items"][0]["type"], "refund");
    assert_eq!(refunds.body["data"]["items"][0]["balanceAfter"], 25_000);

    // Too expensive for the wallet: refused, nothing written.
    let orders_before = m.count("orders").await;
    let mut body = m.order_body(&m.premium, &[], "");
    body["payment"] = json!({"method": "wallet"});
    let short = m.app.post("/api/v1/orders", Some(&m.buyer), body).await;
    assert_eq!(
        short.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{:?}",
        short.body
    );
    assert_eq!(short.code(), "INSUFFICIENT_FUNDS");
    assert_eq!(m.count("orders").await, orders_before);

    let mut body = m.order_body(&m.basic, &[&m.extra], "");
    body["payment"] = json!({"method": "wallet"});
    let paid = m.app.post("/api/v1/orders", Some(&m.buyer), body).await;
    assert_eq!(paid.status, StatusCode::CREATED, "{:?}", paid.body);
    assert_eq!(paid.body["data"]["paymentMethod"], "wallet");
    assert_eq!(m.wallet(&m.buyer).await["available"], 10_000);
    m.check_ledger().await;
}

#[actix_web::test]
async fn declined_and_failing_cards_leave_no_order_and_move_no_money() {
    let m = Market::open().await;
    let declined = m
        .app
        .post(
            "/api/v1/orders",
            Some(&m.buyer),
            m.order_body(&m.basic, &[], "tok_declined"),
        )
        .await;
    assert_eq!(declined.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(declined.code(), "INSUFFICIENT_FUNDS");
    let failing = m
        .app
        .post(
            "/api/v1/orders",
            Some(&m.buyer),
            m.order_body(&m.basic, &[], "tok_error"),
        )
        .await;
    assert_eq!(failing.status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(failing.code(), "UNAVAILABLE");
    assert_eq!(m.count("orders").await, 0);
    assert_eq!(m.count("ledger_entries").await, 0);
    assert_eq!(
        m.count("outbox_events WHERE event_type LIKE 'order.%'")
            .await,
        0
    );

    // Bad input names its field.
    let no_token = m
        .app
        .post(
            "/api/v1/orders",
            Some(&m.buyer),
            m.order_body(&m.basic, &[], " "),
        )
        .await;
    assert_eq!(no_token.fields(), ["payment.token"]);
    let mut body = m.order_body(
        &uuid::Uuid::now_v7().to_string(),
        &[&m.extra, &m.extra],
        "tok_visa",
    );
    body["requirements"] = json!("x".repeat(5001));
    let bad = m.app.post("/api/v1/orders", Some(&m.buyer), body).await;
    assert_eq!(bad.fields(), ["packageId", "extras[1]", "requirements"]);
    let unknown = m
        .app
        .post(
            "/api/v1/orders",
            Some(&m.buyer),
            json!({"serviceId": uuid::Uuid::now_v7(), "packageId": m.basic}),
        )
        .await;
    assert_eq!(unknown.fields(), ["serviceId"]);
    let own = m
        .app
        .post(
            "/api/v1/orders",
            Some(&m.seller),
            m.order_body(&m.basic, &[], "tok_visa"),
        )
        .await;
    assert_eq!(own.status, StatusCode::FORBIDDEN);
    let anonymous = m
        .app
        .post(
            "/api/v1/orders",
            None,
            m.order_body(&m.basic, &[], "tok_visa"),
        )
        .await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
    m.check_ledger().await;
}

#[actix_web::test]
async fn disputes_are_resolved_by_admins_either_way() {
    let m = Market::open().await;
    let released = id(&m.order(&m.basic, &[]).await);
    let refunded = id(&m.order(&m.basic, &[&m.extra]).await);
    for order in [&released, &refunded] {
        assert_eq!(
            m.status(order, &m.seller, "in_progress", None).await.status,
            StatusCode::OK
        );
        let no_reason = m.status(order, &m.buyer, "disputed", None).await;
        assert_eq!(no_reason.fields(), ["reason"]);
        assert_eq!(
            m.status(order, &m.buyer, "disputed", Some("Rien reçu"))
                .await
                .status,
            StatusCode::OK
        );
    }
    assert_eq!(
        m.wallet(&m.seller).await["pending"],
        9_000 + 13_500,
        "disputed money stays in escrow"
    );

    let path = |o: &str| format!("/api/v1/admin/orders/{o}/resolve");
    let not_admin = m
        .app
        .post(
            &path(&released),
            Some(&m.buyer),
            json!({"outcome": "refund"}),
        )
        .await;
    assert_eq!(not_admin.status, StatusCode::FORBIDDEN);
    let no_outcome = m
        .app
        .post(&path(&released), Some(&m.admin), json!({"note": "?"}))
        .await;
    assert_eq!(no_outcome.fields(), ["outcome"]);
    let release = m
        .app
        .post(
            &path(&released),
            Some(&m.admin),
            json!({"outcome": "release", "note": "Livré"}),
        )
        .await;
    assert_eq!(release.status, StatusCode::OK, "{:?}", release.body);
    assert_eq!(release.body["data"]["status"], "completed");
    let refund = m
        .app
        .post(
            &path(&refunded),
            Some(&m.admin),
            json!({"outcome": "refund"}),
        )
        .await;
    assert_eq!(refund.body["data"]["status"], "cancelled");
    let again = m
        .app
        .post(
            &path(&refunded),
            Some(&m.admin),
            json!({"outcome": "release"}),
        )
        .await;
    assert_eq!(again.code(), "INVALID_TRANSITION");

    assert_eq!(m.wallet(&m.seller).await["available"], 9_000);
    assert_eq!(m.wallet(&m.buyer).await["available"], 15_000);
    m.check_ledger().await;
}

#[actix_web::test]
async fn delivered_orders_complete_themselves_after_the_configured_days() {
    let m = Market::open_with(&[("AUTO_COMPLETE_DAYS", "3")]).await;
    let page = format!("/api/v1/services/{}", m.service);
    // Cached before the order; the worker's completion still shows at once.
    assert_eq!(m.app.get(&page, None).await.body["data"]["ordersCount"], 0);
    let order = id(&m.order(&m.basic, &[]).await);
    assert_eq!(
        m.status(&order, &m.seller, "in_progress", None)
            .await
            .status,
        StatusCode::OK
    );
    assert_eq!(m.deliver(&order).await.status, StatusCode::OK);

    m.app.clock.advance(chrono::Duration::days(2));
    assert_eq!(krika_api::workers::tick(&m.app.state).await, 0, "not yet");
    m.app
        .clock
        .advance(chrono::Duration::days(1) + chrono::Duration::minutes(1));
    assert_eq!(krika_api::workers::tick(&m.app.state).await, 1);
    assert_eq!(krika_api::workers::tick(&m.app.state).await, 0, "only once");
    m.app.settle().await;
    assert_eq!(m.app.get(&page, None).await.body["data"]["ordersCount"], 1);

    // Tokens issued before the clock moved have expired: read through the domain.
    let admin = krika_ordering::Customer {
        id: uuid::Uuid::now_v7().into(),
        name: "Admin".into(),
        username: "admin".into(),
        is_admin: true,
    };
    let (done, _) = m
        .app
        .state
        .ordering
        .order(&admin, uuid::Uuid::parse_str(&order).unwrap().into())
        .await
        .unwrap();
    assert_eq!(done.status, krika_ordering::OrderStatus::Completed);
    assert_eq!(
        done.history.last().unwrap().by,
        None,
        "completed by the server"
    );
    let seller = uuid::Uuid::parse_str(&m.seller_id).unwrap().into();
    assert_eq!(
        m.app.state.payments.wallet(seller).await.unwrap().available,
        krika_kernel::Money::new(9_000, krika_kernel::Currency::XOF)
    );
    m.check_ledger().await;
}

#[actix_web::test]
async fn an_offer_code_lowers_the_total_at_the_platforms_expense() {
    let m = Market::open().await;
    let today = m.app.clock.now().date_naive();
    let offer = json!({"title": "Tabaski", "code": "tabaski26", "discountPercent": 20,
        "startDate": today, "endDate": today + chrono::Duration::days(7)});
    assert_eq!(
        m.app
            .post("/api/v1/offers", Some(&m.buyer), offer.clone())
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let created = m
        .app
        .post("/api/v1/offers", Some(&m.admin), offer.clone())
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{:?}", created.body);
    assert_eq!(created.body["data"]["code"], "TABASKI26");
    assert_eq!(created.body["data"]["isValid"], true);
    assert_eq!(
        m.app
            .post("/api/v1/offers", Some(&m.admin), offer)
            .await
            .status,
        StatusCode::CONFLICT
    );
    let future = json!({"title": "Noël", "discountPercent": 10, "startDate": today + chrono::Duration::days(30), "endDate": today + chrono::Duration::days(40)});
    let future = m.app.post("/api/v1/offers", Some(&m.admin), future).await;
    assert_eq!(future.status, StatusCode::CREATED);
    let invalid = m
        .app
        .post(
            "/api/v1/offers",
            Some(&m.admin),
            json!({"title": "x", "discountPercent": 95}),
        )
        .await;
    assert_eq!(
        invalid.fields(),
        ["title", "discountPercent", "startDate", "endDate"]
    );

    let public = m.app.get("/api/v1/offers", None).await;
    assert_eq!(public.body["data"]["pagination"]["total"], 1);
    assert_eq!(
        m.app.get("/api/v1/offers?all=true", None).await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        m.app
            .get("/api/v1/offers?all=true", Some(&m.buyer))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        m.app
            .get("/api/v1/offers?all=true", Some(&m.admin))
            .await
            .body["data"]["pagination"]["total"],
        2
    );

    let mut body = m.order_body(&m.basic, &[&m.extra], "tok_visa");
    body["offerCode"] = json!("Tabaski26");
    let order = m
        .app
        .post("/api/v1/orders", Some(&m.buyer), body.clone())
        .await;
    assert_eq!(order.status, StatusCode::CREATED, "{:?}", order.body);
    assert_eq!(order.body["data"]["discount"], 3_000);
    assert_eq!(order.body["data"]["total"], 12_000);
    let order_id = id(&order.body["data"]);
    assert_eq!(
        m.status(&order_id, &m.seller, "in_progress", None)
            .await
            .status,
        StatusCode::OK
    );
    assert_eq!(m.deliver(&order_id).await.status, StatusCode::OK);
    assert_eq!(
        m.status(&order_id, &m.buyer, "completed", None)
            .await
            .status,
        StatusCode::OK
    );
    assert_eq!(
        m.wallet(&m.seller).await["available"],
        13_500,
        "the discount never touches the seller"
    );

    body["offerCode"] = json!("NOEL");
    assert_eq!(
        m.app
            .post("/api/v1/orders", Some(&m.buyer), body.clone())
            .await
            .fields(),
        ["offerCode"]
    );
    let past = json!({"title": "Rentrée", "code": "RENTREE", "discountPercent": 10,
        "startDate": today - chrono::Duration::days(30), "endDate": today - chrono::Duration::days(1)});
    let past = m.app.post("/api/v1/offers", Some(&m.admin), past).await;
    assert_eq!(past.body["data"]["isValid"], false);
    body["offerCode"] = json!("rentree");
    assert_eq!(
        m.app
            .post("/api/v1/orders", Some(&m.buyer), body)
            .await
            .fields(),
        ["offerCode"],
        "expired"
    );

    let offer_id = id(&created.body["data"]);
    let path = format!("/api/v1/offers/{offer_id}");
    let update = json!({"title": "Tabaski prolongée", "code": "TABASKI26", "discountPercent": 25, "startDate": today, "endDate": today + chrono::Duration::days(30)});
    let updated = m.app.put(&path, Some(&m.admin), update).await;
    assert_eq!(updated.status, StatusCode::OK, "{:?}", updated.body);
    assert_eq!(updated.body["data"]["discountPercent"], 25);
    assert_eq!(
        m.app.delete(&path, Some(&m.buyer)).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        m.app.delete(&path, Some(&m.admin)).await.status,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        m.app.delete(&path, Some(&m.admin)).await.status,
        StatusCode::NOT_FOUND
    );
    m.check_ledger().await;
}

#[actix_web::test]
async fn payouts_need_kyc_a_minimum_and_the_money() {
    let m = Market::open_with(&[("MIN_PAYOUT", "5000")]).await;
    let body = json!({"amount": 5_000, "method": "bank_transfer", "details": {"accountNumber": "CI93 0001", "bankName": "SGBCI"}});
    let client = m
        .app
        .post("/api/v1/wallet/payout", Some(&m.buyer), body.clone())
        .await;
    assert_eq!(client.status, StatusCode::FORBIDDEN, "clients have no KYC");
    let empty = m
        .app
        .post("/api/v1/wallet/payout", Some(&m.seller), body)
        .await;
    assert_eq!(empty.code(), "INSUFFICIENT_FUNDS");
    let low = m.app.post("/api/v1/wallet/payout", Some(&m.seller), json!({"amount": 100, "method": "mobile_money", "details": {"provider": "mtn", "phone": "07"}})).await;
    assert_eq!(low.fields(), ["amount", "details.phone"]);
    let no_provider = m.app.post("/api/v1/wallet/payout", Some(&m.seller), json!({"amount": 6000, "method": "mobile_money", "details": {"phone": "+2250700000000"}})).await;
    assert_eq!(no_provider.fields(), ["details.provider"]);
    let missing = m
        .app
        .post(
            "/api/v1/wallet/payout",
            Some(&m.seller),
            json!({"amount": 6000, "method": "bank_transfer"}),
        )
        .await;
    assert_eq!(
        missing.fields(),
        ["details.accountNumber", "details.bankName"]
    );

    let order = id(&m.order(&m.basic, &[]).await);
    m.status(&order, &m.seller, "in_progress", None).await;
    m.deliver(&order).await;
    m.status(&order, &m.buyer, "completed", None).await;
    let payout = m.app.post("/api/v1/wallet/payout", Some(&m.seller), json!({"amount": 9_000, "method": "bank_transfer", "details": {"accountNumber": "CI93 0001", "bankName": "SGBCI"}})).await;
    assert_eq!(payout.status, StatusCode::CREATED, "{:?}", payout.body);
    assert_eq!(m.wallet(&m.seller).await["available"], 0);
    let payout_id = id(&payout.body["data"]);
    let path = format!("/api/v1/admin/payouts/{payout_id}/reject");
    assert_eq!(
        m.app.post(&path, Some(&m.admin), json!({})).await.fields(),
        ["reason"]
    );
    let rejected = m
        .app
        .post(&path, Some(&m.admin), json!({"reason": "IBAN invalide"}))
        .await;
    assert_eq!(rejected.status, StatusCode::OK, "{:?}", rejected.body);
    assert_eq!(rejected.body["data"]["status"], "rejected");
    assert_eq!(
        m.wallet(&m.seller).await["available"],
        9_000,
        "a rejected payout comes back"
    );
    let statement = m
        .app
        .get("/api/v1/wallet/transactions", Some(&m.seller))
        .await;
    assert_eq!(
        statement.body["data"]["items"][0]["type"],
        "payout_reversal"
    );
    m.check_ledger().await;
}

#[actix_web::test]
async fn a_cached_service_page_shows_a_completed_order_and_its_review_at_once() {
    let m = Market::open().await;
    let page = format!("/api/v1/services/{}", m.service);
    let counters = |reply: &crate::helpers::Reply| {
        let data = &reply.body["data"];
        (
            data["ordersCount"].clone(),
            data["reviewsCount"].clone(),
            data["rating"].clone(),
        )
    };
    // Read once, so the public copy is cached.
    let before = m.app.get(&page, None).await;
    assert_eq!(counters(&before), (json!(0), json!(0), json!(0.0)));

    let order = id(&m.order(&m.basic, &[]).await);
    m.status(&order, &m.seller, "in_progress", None).await;
    m.deliver(&order).await;
    // Placed and delivered orders are not counted: `ordersCount` is completed orders.
    assert_eq!(counters(&m.app.get(&page, None).await).0, json!(0));
    let completed = m.status(&order, &m.buyer, "completed", None).await;
    assert_eq!(completed.status, StatusCode::OK, "{:?}", completed.body);
    // The cached page goes when `order.completed` reaches the catalog's subscriber.
    m.app.settle().await;
    assert_eq!(counters(&m.app.get(&page, None).await).0, json!(1));

    let review = m
        .app
        .post(
            "/api/v1/reviews",
            Some(&m.buyer),
            json!({"orderId": order, "rating": 4, "comment": "Bien", "criteria": {"communication": 4, "quality": 4, "delivery": 4}}),
        )
        .await;
    assert_eq!(review.status, StatusCode::CREATED, "{:?}", review.body);
    m.app.settle().await;
    assert_eq!(
        counters(&m.app.get(&page, None).await),
        (json!(1), json!(1), json!(4.0))
    );
    let seller = m
        .app
        .get(&format!("/api/v1/users/{}", m.seller_id), None)
        .await;
    assert_eq!(seller.body["data"]["sellerStats"]["completedOrders"], 1);
}

#[actix_web::test]
async fn text_with_a_nul_is_refused_by_name_before_anything_is_charged() {
    let m = Market::open().await;
    let mut body = m.order_body(&m.basic, &[], "tok_visa");
    body["requirements"] = json!("Un logo\u{0} bleu");
    let refused = m.app.post("/api/v1/orders", Some(&m.buyer), body).await;
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{:?}",
        refused.body
    );
    assert_eq!(refused.fields(), ["requirements"]);
    assert_eq!(m.count("orders").await, 0);
    assert_eq!(m.count("ledger_entries").await, 0);

    let payout = json!({"amount": 5_000, "method": "mobile_money", "details": {"provider": "wave", "phone": "+221\u{0}"}});
    let refused = m
        .app
        .post("/api/v1/wallet/payout", Some(&m.seller), payout)
        .await;
    assert_eq!(refused.fields(), ["details.phone"]);

    let order = id(&m.order(&m.basic, &[]).await);
    m.status(&order, &m.seller, "in_progress", None).await;
    let delivered = m
        .app
        .multipart(
            &format!("/api/v1/orders/{order}/deliver"),
            &m.seller,
            vec![("message", None, "Voici\0".as_bytes().to_vec())],
        )
        .await;
    assert_eq!(
        delivered.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{:?}",
        delivered.body
    );
    assert_eq!(delivered.fields(), ["message"]);
    // The same requests without the NUL go through.
    assert_eq!(m.deliver(&order).await.status, StatusCode::OK);
    m.check_ledger().await;
}
