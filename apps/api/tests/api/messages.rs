//! README.md, Messaging over HTTP: conversations, masking, files, read receipts,
//! notifications and e-mails, each refusal tested beside what is allowed.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::orders::Market;

async fn user_id(m: &Market, token: &str) -> String {
    let me = m.app.get("/api/v1/users/me", Some(token)).await;
    me.body["data"]["id"].as_str().unwrap().to_owned()
}

async fn send(m: &Market, token: &str, body: Value) -> crate::helpers::Reply {
    m.app.post("/api/v1/messages", Some(token), body).await
}

#[actix_web::test]
async fn a_pair_has_one_conversation_and_contacts_are_masked_until_an_order() {
    let m = Market::open().await;
    let stranger = m.app.token("curieux@2krika.test", "curieux").await;

    let first = send(
        &m,
        &m.buyer,
        json!({"recipientId": m.seller_id, "content": "Écrivez-moi à awa@example.com ou au +225 07 08 09 10 11"}),
    )
    .await;
    assert_eq!(first.status, StatusCode::CREATED, "{:?}", first.body);
    let message = &first.body["data"];
    assert_eq!(message["masked"], true);
    let content = message["content"].as_str().unwrap();
    assert!(
        !content.contains("awa@example.com") && !content.contains("09 10"),
        "{content}"
    );
    assert!(content.contains("[coordonnées masquées]"));
    assert_eq!(message["sender"]["username"], "acheteur");
    let conversation = message["conversationId"].as_str().unwrap().to_owned();

    // The same pair writes again: the same conversation, from either side.
    let again = send(
        &m,
        &m.seller,
        json!({"recipientId": user_id(&m, &m.buyer).await, "content": "Bonjour !"}),
    )
    .await;
    assert_eq!(again.status, StatusCode::CREATED, "{:?}", again.body);
    assert_eq!(again.body["data"]["conversationId"], conversation.as_str());
    assert_eq!(again.body["data"]["masked"], false, "nothing to mask");
    let reply = send(
        &m,
        &m.buyer,
        json!({"conversationId": conversation, "content": "Merci"}),
    )
    .await;
    assert_eq!(reply.status, StatusCode::CREATED);

    // The seller's inbox: one conversation, two unread from the buyer.
    let inbox = m
        .app
        .get("/api/v1/messages/conversations", Some(&m.seller))
        .await;
    assert_eq!(inbox.status, StatusCode::OK);
    let items = inbox.body["data"]["items"].as_array().unwrap();
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["id"], conversation.as_str());
    assert_eq!(items[0]["unreadCount"], 2);
    assert_eq!(items[0]["lastMessage"]["content"], "Merci");
    assert_eq!(items[0]["order"], Value::Null);
    assert_eq!(items[0]["participants"].as_array().unwrap().len(), 2);

    // Nobody else sees it, reads it or writes in it.
    let path = format!("/api/v1/messages/conversations/{conversation}");
    assert_eq!(
        m.app.get(&path, Some(&stranger)).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        m.app
            .post(&format!("{path}/read"), Some(&stranger), json!({}))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let intrusion = send(
        &m,
        &stranger,
        json!({"conversationId": conversation, "content": "Coucou"}),
    )
    .await;
    assert_eq!(intrusion.status, StatusCode::NOT_FOUND);
    assert_eq!(
        m.app
            .get("/api/v1/messages/conversations", Some(&stranger))
            .await
            .body["data"]["items"],
        json!([])
    );

    // Newest first, 50 by default.
    let page = m.app.get(&path, Some(&m.seller)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.body["data"]["items"][0]["content"], "Merci");
    assert_eq!(page.body["data"]["pagination"]["limit"], 50);
    assert_eq!(page.body["data"]["pagination"]["total"], 3);

    // Reading clears the unread count; the buyer's messages carry readAt.
    let badge = m
        .app
        .get("/api/v1/notifications/unread-count", Some(&m.seller))
        .await;
    assert_eq!(badge.body["data"]["messages"], 2);
    let read = m
        .app
        .post(&format!("{path}/read"), Some(&m.seller), json!({}))
        .await;
    assert_eq!(read.status, StatusCode::NO_CONTENT);
    let badge = m
        .app
        .get("/api/v1/notifications/unread-count", Some(&m.seller))
        .await;
    assert_eq!(badge.body["data"]["messages"], 0);
    let page = m.app.get(&path, Some(&m.buyer)).await;
    assert!(page.body["data"]["items"][0]["readAt"].is_string());

    // Once they share an order, contact details pass unchanged, and the order has its own
    // conversation; a third party cannot open it.
    let order = m.order(&m.basic, &[]).await;
    let order_id = order["id"].as_str().unwrap();
    let open = send(
        &m,
        &m.buyer,
        json!({"recipientId": m.seller_id, "orderId": order_id, "content": "Mon numéro : +225 07 08 09 10 11"}),
    )
    .await;
    assert_eq!(open.status, StatusCode::CREATED, "{:?}", open.body);
    assert_eq!(open.body["data"]["masked"], false);
    assert!(
        open.body["data"]["content"]
            .as_str()
            .unwrap()
            .contains("+225 07 08 09 10 11")
    );
    assert_ne!(open.body["data"]["conversationId"], conversation.as_str());
    let inbox = m
        .app
        .get("/api/v1/messages/conversations", Some(&m.buyer))
        .await;
    let first = &inbox.body["data"]["items"][0];
    assert_eq!(first["order"]["id"], order_id);
    assert_eq!(first["order"]["number"], order["number"]);
    let third = send(
        &m,
        &stranger,
        json!({"recipientId": m.seller_id, "orderId": order_id, "content": "Et moi ?"}),
    )
    .await;
    assert_eq!(third.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(third.fields(), ["orderId"]);
}

#[actix_web::test]
async fn every_refusal_names_its_field() {
    let m = Market::open().await;
    let buyer_id = user_id(&m, &m.buyer).await;
    let cases = [
        (
            json!({"recipientId": buyer_id, "content": "Moi-même"}),
            "recipientId",
        ),
        (
            json!({"recipientId": m.seller_id, "content": "   "}),
            "content",
        ),
        (
            json!({"recipientId": m.seller_id, "content": "x".repeat(5001)}),
            "content",
        ),
        (json!({"recipientId": m.seller_id}), "content"),
        (json!({"content": "À qui ?"}), "recipientId"),
        (
            json!({"recipientId": uuid::Uuid::now_v7(), "content": "Personne"}),
            "recipientId",
        ),
        (
            json!({"recipientId": m.seller_id, "orderId": uuid::Uuid::now_v7(), "content": "?"}),
            "orderId",
        ),
    ];
    for (body, field) in cases {
        let reply = send(&m, &m.buyer, body.clone()).await;
        assert_eq!(
            reply.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{body}: {:?}",
            reply.body
        );
        assert_eq!(reply.fields(), [field], "{body}");
    }
    // 5000 characters of any script are fine.
    let long = send(
        &m,
        &m.buyer,
        json!({"recipientId": m.seller_id, "content": "é".repeat(5000)}),
    )
    .await;
    assert_eq!(long.status, StatusCode::CREATED);
    let unknown = send(
        &m,
        &m.buyer,
        json!({"conversationId": uuid::Uuid::now_v7(), "content": "?"}),
    )
    .await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    let anonymous = m
        .app
        .post(
            "/api/v1/messages",
            None,
            json!({"recipientId": m.seller_id, "content": "x"}),
        )
        .await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);

    // A suspended recipient is refused; lifted, it is allowed again.
    let suspend = m
        .app
        .post(
            &format!("/api/v1/admin/users/{}/suspend", m.seller_id),
            Some(&m.admin),
            json!({"reason": "Enquête"}),
        )
        .await;
    assert_eq!(suspend.status, StatusCode::OK, "{:?}", suspend.body);
    let refused = send(
        &m,
        &m.buyer,
        json!({"recipientId": m.seller_id, "content": "Allô ?"}),
    )
    .await;
    assert_eq!(refused.fields(), ["recipientId"]);
    m.app
        .post(
            &format!("/api/v1/admin/users/{}/unsuspend", m.seller_id),
            Some(&m.admin),
            json!({}),
        )
        .await;
    let allowed = send(
        &m,
        &m.buyer,
        json!({"recipientId": m.seller_id, "content": "Allô ?"}),
    )
    .await;
    assert_eq!(allowed.status, StatusCode::CREATED);
}

#[actix_web::test]
async fn files_are_private_typed_by_content_and_capped() {
    let m = Market::open().await;
    let opened = send(
        &m,
        &m.buyer,
        json!({"recipientId": m.seller_id, "content": "Voici le brief"}),
    )
    .await;
    let conversation = opened.body["data"]["conversationId"]
        .as_str()
        .unwrap()
        .to_owned();
    let stranger = m.app.token("curieux@2krika.test", "curieux").await;

    let png = m
        .app
        .multipart(
            "/api/v1/messages/files",
            &m.buyer,
            vec![
                ("conversationId", None, conversation.as_bytes().to_vec()),
                ("file", Some("brief.png"), crate::helpers::png()),
            ],
        )
        .await;
    assert_eq!(png.status, StatusCode::CREATED, "{:?}", png.body);
    let attachment = &png.body["data"]["attachments"][0];
    assert_eq!(attachment["contentType"], "image/png");
    assert_eq!(attachment["name"], "brief.png");
    let url = attachment["url"].as_str().unwrap();
    let fetched = m.app.client.get(url).send().await.unwrap();
    assert_eq!(fetched.status(), StatusCode::OK);
    assert_eq!(
        fetched.bytes().await.unwrap().to_vec(),
        crate::helpers::png()
    );
    let unsigned = url
        .split('?')
        .next()
        .unwrap()
        .replace("/files/signed/", "/files/");
    assert_eq!(
        m.app.client.get(unsigned).send().await.unwrap().status(),
        StatusCode::NOT_FOUND
    );

    // HTML is a download, never a page on our origin.
    let html = m
        .app
        .multipart(
            "/api/v1/messages/files",
            &m.buyer,
            vec![
                ("conversationId", None, conversation.as_bytes().to_vec()),
                (
                    "file",
                    Some("page.html"),
                    b"<html><script>alert(1)</script></html>".to_vec(),
                ),
            ],
        )
        .await;
    assert_eq!(html.status, StatusCode::CREATED, "{:?}", html.body);
    let attachment = &html.body["data"]["attachments"][0];
    assert_eq!(attachment["contentType"], "application/octet-stream");
    let fetched = m
        .app
        .client
        .get(attachment["url"].as_str().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(
        fetched.headers()["content-type"],
        "application/octet-stream"
    );
    assert_eq!(fetched.headers()["content-disposition"], "attachment");

    // Someone else's conversation, no file, too large.
    let intruder = m
        .app
        .multipart(
            "/api/v1/messages/files",
            &stranger,
            vec![
                ("conversationId", None, conversation.as_bytes().to_vec()),
                ("file", Some("x.png"), crate::helpers::png()),
            ],
        )
        .await;
    assert_eq!(intruder.status, StatusCode::NOT_FOUND);
    let missing = m
        .app
        .multipart(
            "/api/v1/messages/files",
            &m.buyer,
            vec![("conversationId", None, conversation.as_bytes().to_vec())],
        )
        .await;
    assert_eq!(missing.fields(), ["file"]);
    let huge = m
        .app
        .multipart(
            "/api/v1/messages/files",
            &m.buyer,
            vec![
                ("conversationId", None, conversation.as_bytes().to_vec()),
                ("file", Some("big.bin"), vec![0u8; 25 * 1024 * 1024 + 1]),
            ],
        )
        .await;
    assert_eq!(
        huge.status,
        StatusCode::PAYLOAD_TOO_LARGE,
        "{:?}",
        huge.body
    );
}

#[actix_web::test]
async fn admins_read_only_a_disputed_orders_conversation() {
    let m = Market::open().await;
    let order = m.order(&m.basic, &[]).await;
    let order_id = order["id"].as_str().unwrap();
    let opened = send(
        &m,
        &m.buyer,
        json!({"recipientId": m.seller_id, "orderId": order_id, "content": "Où en est le logo ?"}),
    )
    .await;
    let path = format!(
        "/api/v1/messages/conversations/{}",
        opened.body["data"]["conversationId"].as_str().unwrap()
    );
    assert_eq!(
        m.app.get(&path, Some(&m.admin)).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        m.status(order_id, &m.seller, "in_progress", None)
            .await
            .status,
        StatusCode::OK
    );
    let disputed = m
        .status(order_id, &m.buyer, "disputed", Some("Aucune nouvelle"))
        .await;
    assert_eq!(disputed.status, StatusCode::OK, "{:?}", disputed.body);
    let read = m.app.get(&path, Some(&m.admin)).await;
    assert_eq!(read.status, StatusCode::OK, "{:?}", read.body);
    assert_eq!(
        read.body["data"]["items"][0]["content"],
        "Où en est le logo ?"
    );
    // Reading is all: an admin never posts in it.
    let post = send(
        &m,
        &m.admin,
        json!({"conversationId": opened.body["data"]["conversationId"], "content": "Bonjour"}),
    )
    .await;
    assert_eq!(post.status, StatusCode::NOT_FOUND);
}

#[actix_web::test]
async fn events_become_notifications_and_mails_for_the_right_people() {
    let m = Market::open().await;
    let order = m.order(&m.basic, &[]).await;
    let order_id = order["id"].as_str().unwrap();
    let number = order["number"].as_str().unwrap();
    m.app.settle().await;

    // The seller hears of the new order; the buyer does not get that notification.
    let list = m.app.get("/api/v1/notifications", Some(&m.seller)).await;
    assert_eq!(list.status, StatusCode::OK);
    let created: Vec<&Value> = list.body["data"]["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| n["type"] == "order.created")
        .collect();
    assert_eq!(created.len(), 1, "{:?}", list.body);
    assert_eq!(created[0]["data"]["orderId"], order_id);
    assert!(created[0]["readAt"].is_null());
    let buyer_list = m.app.get("/api/v1/notifications", Some(&m.buyer)).await;
    assert!(
        buyer_list.body["data"]["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|n| n["type"] != "order.created")
    );

    // Mails: a confirmation to the buyer, "nouvelle commande" to the seller, each with a link.
    let confirmation = krika_mail::maildir::wait_for_message_async(
        &m.app.maildir,
        &format!("Votre commande {number} est confirmée"),
        std::time::Duration::from_secs(10),
    )
    .await
    .expect("the buyer's confirmation");
    assert_eq!(confirmation.to, "buyer@2krika.test");
    assert!(
        confirmation.body.contains(&format!("/orders/{order_id}")),
        "{}",
        confirmation.body
    );
    let received = krika_mail::maildir::wait_for_message_async(
        &m.app.maildir,
        &format!("Nouvelle commande {number}"),
        std::time::Duration::from_secs(10),
    )
    .await
    .expect("the seller's new-order mail");
    assert_eq!(received.to, "seller@2krika.test");

    // Accepted: the buyer hears of it. A message: its recipient does.
    m.status(order_id, &m.seller, "in_progress", None).await;
    send(
        &m,
        &m.buyer,
        json!({"recipientId": m.seller_id, "content": "Merci !"}),
    )
    .await;
    m.app.settle().await;
    let buyer_list = m
        .app
        .get("/api/v1/notifications?unread=true", Some(&m.buyer))
        .await;
    let kinds: Vec<&str> = buyer_list.body["data"]["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["type"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["order.updated"], "{:?}", buyer_list.body);
    let seller_unread = m
        .app
        .get("/api/v1/notifications?unread=true", Some(&m.seller))
        .await;
    let mut kinds: Vec<&str> = seller_unread.body["data"]["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["type"].as_str().unwrap())
        .collect();
    kinds.sort();
    // KYC and the service's approval came first, from the seller's own set-up.
    assert_eq!(
        kinds,
        [
            "kyc.approved",
            "message.created",
            "order.created",
            "service.approved"
        ]
    );

    // Read one, then all; nobody reads another's.
    let first_id = seller_unread.body["data"]["items"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let path = format!("/api/v1/notifications/{first_id}/read");
    assert_eq!(
        m.app.post(&path, Some(&m.buyer), json!({})).await.status,
        StatusCode::NOT_FOUND
    );
    let read = m.app.post(&path, Some(&m.seller), json!({})).await;
    assert_eq!(read.status, StatusCode::OK);
    assert!(read.body["data"]["readAt"].is_string());
    let badge = m
        .app
        .get("/api/v1/notifications/unread-count", Some(&m.seller))
        .await;
    assert_eq!(badge.body["data"]["notifications"], 3);
    let all = m
        .app
        .post("/api/v1/notifications/read-all", Some(&m.seller), json!({}))
        .await;
    assert_eq!(all.body["data"]["marked"], 3);
    let badge = m
        .app
        .get("/api/v1/notifications/unread-count", Some(&m.seller))
        .await;
    assert_eq!(badge.body["data"]["notifications"], 0);

    // An event delivered twice adds nothing: replay every event to the subscribers.
    let before = m.count("notifications").await;
    {
        use diesel_async::RunQueryDsl;
        let mut conn = m.app.state.db.conn().await.unwrap();
        diesel::sql_query("DELETE FROM outbox_handled")
            .execute(&mut conn)
            .await
            .unwrap();
        diesel::sql_query("UPDATE outbox_events SET published_at = NULL")
            .execute(&mut conn)
            .await
            .unwrap();
    }
    m.app.settle().await;
    assert_eq!(m.count("notifications").await, before);
}
