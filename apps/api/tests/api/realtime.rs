//! README.md, Real time: the real-time socket — auth, frames, limits, slow readers, two instances
//! sharing Redis, Redis down, shutdown.

use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use krika_api::realtime::RealtimeConfig;
use krika_kernel::ids::UserId;
use krika_kernel::ports::{Frame, Realtime};
use reqwest::StatusCode;
use serde_json::{Value, json};
use tokio::net::TcpStream;
use tokio::time::timeout;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

use crate::helpers::TestApp;

pub(crate) type Ws = WebSocketStream<MaybeTlsStream<TcpStream>>;

/// Every wait in these tests is bounded by this.
const WAIT: Duration = Duration::from_secs(5);

pub(crate) async fn connect(app: &TestApp, query: &str) -> Ws {
    let url = format!("{}/api/v1/ws{query}", app.address.replacen("http", "ws", 1));
    let (ws, response) = timeout(WAIT, tokio_tungstenite::connect_async(url))
        .await
        .expect("upgrade in time")
        .expect("upgrade");
    assert_eq!(response.status(), 101);
    ws
}

/// The next JSON text frame (pings skipped); panics on a close or after `WAIT`.
async fn next_frame(ws: &mut Ws) -> Value {
    next_message(ws).await.expect("a text frame, not a close")
}

/// The next JSON text frame (pings skipped), `None` if the socket closes first; panics
/// after `WAIT`.
pub(crate) async fn next_message(ws: &mut Ws) -> Option<Value> {
    loop {
        let message = timeout(WAIT, ws.next())
            .await
            .expect("a frame in time")?
            .ok()?;
        match message {
            Message::Text(text) => return Some(serde_json::from_str(&text).expect("JSON frame")),
            Message::Ping(_) | Message::Pong(_) => continue,
            Message::Close(_) => return None,
            other => panic!("expected a text frame, got {other:?}"),
        }
    }
}

/// Reads until the close frame (text frames skipped) and returns its code and reason.
pub(crate) async fn close_of(ws: &mut Ws) -> (u16, String) {
    loop {
        let message = timeout(WAIT, ws.next())
            .await
            .expect("a close in time")
            .expect("a close frame before the end")
            .expect("readable");
        if let Message::Close(frame) = message {
            let frame = frame.expect("a close code");
            return (u16::from(frame.code), frame.reason.to_string());
        }
    }
}

async fn send(ws: &mut Ws, frame: Value) {
    ws.send(Message::text(frame.to_string())).await.unwrap();
}

/// A registered user: access token and id.
async fn user(app: &TestApp, name: &str) -> (String, UserId) {
    let payload = app.register(&format!("{name}@2krika.test"), name).await;
    let token = payload["accessToken"].as_str().unwrap().to_owned();
    let id = payload["user"]["id"].as_str().unwrap().parse().unwrap();
    (token, UserId(id))
}

/// A socket through `?token=`, past its `ready` frame.
pub(crate) async fn ready_socket(app: &TestApp, token: &str) -> Ws {
    let mut ws = connect(app, &format!("?token={token}")).await;
    assert_eq!(next_frame(&mut ws).await["type"], "ready");
    ws
}

fn frame(kind: &str, data: Value) -> Frame {
    Frame::new(kind, uuid::Uuid::now_v7(), data)
}

fn quick() -> RealtimeConfig {
    RealtimeConfig {
        auth_timeout: Duration::from_millis(300),
        ..RealtimeConfig::default()
    }
}

#[actix_web::test]
async fn realtime_query_token_gets_ready_with_a_unique_id() {
    let app = TestApp::spawn().await;
    let (token, id) = user(&app, "awa").await;
    let mut ws = connect(&app, &format!("?token={token}")).await;
    let ready = next_frame(&mut ws).await;
    assert_eq!(ready["type"], "ready");
    assert_eq!(ready["data"]["userId"], id.to_string());
    let ready_id: uuid::Uuid = ready["id"].as_str().unwrap().parse().unwrap();
    send(&mut ws, json!({"type": "ping"})).await;
    let pong = next_frame(&mut ws).await;
    assert_eq!(pong["type"], "pong");
    assert_ne!(pong["id"], json!(ready_id.to_string()));
    assert!(app.state.realtime.is_online(id).await.unwrap());
}

#[actix_web::test]
async fn realtime_first_frame_auth_gets_ready() {
    let app = TestApp::spawn().await;
    let (token, id) = user(&app, "awa").await;
    let mut ws = connect(&app, "").await;
    send(&mut ws, json!({"type": "auth", "token": token})).await;
    let ready = next_frame(&mut ws).await;
    assert_eq!(ready["type"], "ready");
    assert_eq!(ready["data"]["userId"], id.to_string());
}

#[actix_web::test]
async fn realtime_bad_token_is_closed_with_4401() {
    let app = TestApp::spawn().await;
    let mut ws = connect(&app, "?token=not-a-token").await;
    assert_eq!(close_of(&mut ws).await.0, 4401);

    let mut ws = connect(&app, "").await;
    send(&mut ws, json!({"type": "auth", "token": "not-a-token"})).await;
    assert_eq!(close_of(&mut ws).await.0, 4401);

    // A first frame that is not an auth frame.
    let mut ws = connect(&app, "").await;
    send(&mut ws, json!({"type": "ping"})).await;
    assert_eq!(close_of(&mut ws).await.0, 4401);
}

#[actix_web::test]
async fn realtime_expired_or_suspended_is_closed_with_4401() {
    let app = TestApp::spawn().await;
    let (token, _) = user(&app, "awa").await;
    app.clock.advance(chrono::Duration::seconds(901));
    let mut ws = connect(&app, &format!("?token={token}")).await;
    assert_eq!(close_of(&mut ws).await.0, 4401);

    let (token, id) = user(&app, "binta").await;
    let admin = app.admin_token().await;
    let reply = app
        .post(
            &format!("/api/v1/admin/users/{id}/suspend"),
            Some(&admin),
            json!({"reason": "spam"}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    let mut ws = connect(&app, &format!("?token={token}")).await;
    let (code, reason) = close_of(&mut ws).await;
    assert_eq!(code, 4401);
    assert!(reason.contains("suspended"), "{reason}");
}

#[actix_web::test]
async fn realtime_a_logout_closes_that_sessions_sockets_and_a_deletion_all_of_them() {
    let app = TestApp::spawn().await;
    let payload = app.register("awa@2krika.test", "awa").await;
    let first = payload["accessToken"].as_str().unwrap().to_owned();
    let second = app.login("awa@2krika.test", "motdepasse").await;
    let third = app.login("awa@2krika.test", "motdepasse").await;
    // The signed-out socket is on another instance: the order crosses Redis.
    let b = app.spawn_sibling().await;
    assert!(app.state.realtime.wait_subscribed(WAIT).await);
    assert!(b.state.realtime.wait_subscribed(WAIT).await);
    let mut signed_out = ready_socket(&b, &first).await;
    let mut other_device = ready_socket(&app, &second).await;
    let mut refreshed = ready_socket(&app, &third).await;
    // A socket refreshed with a token of the first session belongs to it from then on.
    send(&mut refreshed, json!({"type": "auth", "token": first})).await;
    assert_eq!(next_frame(&mut refreshed).await["type"], "ready");

    let out = app
        .post("/api/v1/auth/logout", Some(&first), json!({}))
        .await;
    assert_eq!(out.status, StatusCode::NO_CONTENT);
    app.settle().await;
    for ws in [&mut signed_out, &mut refreshed] {
        let (code, reason) = close_of(ws).await;
        assert_eq!((code, reason.as_str()), (4401, "Signed out"));
    }
    // The user's other session keeps its socket.
    send(&mut other_device, json!({"type": "ping"})).await;
    assert_eq!(next_frame(&mut other_device).await["type"], "pong");

    let gone = app
        .call(
            reqwest::Method::DELETE,
            "/api/v1/users/me",
            Some(&second),
            Some(json!({"password": "motdepasse"})),
        )
        .await;
    assert_eq!(gone.status, StatusCode::NO_CONTENT, "{:?}", gone.body);
    app.settle().await;
    let (code, reason) = close_of(&mut other_device).await;
    assert_eq!((code, reason.as_str()), (4401, "Account deleted"));
}

#[actix_web::test]
async fn realtime_no_auth_within_the_window_is_closed_with_4401() {
    let app = TestApp::spawn_configured(&[], Some(quick())).await;
    let mut ws = connect(&app, "").await;
    let (code, reason) = close_of(&mut ws).await;
    assert_eq!(code, 4401);
    assert!(reason.contains("auth"), "{reason}");
}

#[actix_web::test]
async fn realtime_expiring_token_refreshed_over_the_socket_keeps_it_open() {
    let app = TestApp::spawn().await;
    let payload = app.register("awa@2krika.test", "awa").await;
    let token = payload["accessToken"].as_str().unwrap();
    // 3 s of validity left (access tokens live 900 s here).
    app.clock.advance(chrono::Duration::seconds(897));
    let opened = tokio::time::Instant::now();
    let mut ws = ready_socket(&app, token).await;
    let warning = next_frame(&mut ws).await;
    assert_eq!(warning["type"], "token.expiring");
    assert!(warning["data"]["expiresAt"].is_string());

    let fresh = app.login("awa@2krika.test", "motdepasse").await;
    send(&mut ws, json!({"type": "auth", "token": fresh})).await;
    assert_eq!(next_frame(&mut ws).await["type"], "ready");
    // Past the first token's expiry, the socket still answers.
    tokio::time::sleep_until(opened + Duration::from_millis(3500)).await;
    send(&mut ws, json!({"type": "ping"})).await;
    assert_eq!(next_frame(&mut ws).await["type"], "pong");
}

#[actix_web::test]
async fn realtime_expiring_token_not_refreshed_is_closed_with_4401() {
    let app = TestApp::spawn().await;
    let (token, _) = user(&app, "awa").await;
    app.clock.advance(chrono::Duration::seconds(899));
    let mut ws = ready_socket(&app, &token).await;
    assert_eq!(next_frame(&mut ws).await["type"], "token.expiring");
    let (code, reason) = close_of(&mut ws).await;
    assert_eq!(code, 4401);
    assert!(reason.contains("expired"), "{reason}");
}

#[actix_web::test]
async fn realtime_a_token_of_another_user_is_closed_with_4401() {
    let app = TestApp::spawn().await;
    let (awa, _) = user(&app, "awa").await;
    let (binta, _) = user(&app, "binta").await;
    let mut ws = ready_socket(&app, &awa).await;
    send(&mut ws, json!({"type": "auth", "token": binta})).await;
    assert_eq!(close_of(&mut ws).await.0, 4401);
}

#[actix_web::test]
async fn realtime_pushed_frames_arrive_with_type_id_and_data() {
    let app = TestApp::spawn().await;
    let (awa, awa_id) = user(&app, "awa").await;
    let (binta, _) = user(&app, "binta").await;
    let mut first = ready_socket(&app, &awa).await;
    let mut second = ready_socket(&app, &awa).await;
    let mut other = ready_socket(&app, &binta).await;
    let pushed = frame(
        "order.updated",
        json!({"orderId": "o-1", "status": "delivered"}),
    );
    app.state
        .realtime
        .push(&[awa_id, awa_id], pushed.clone())
        .await
        .unwrap();
    for ws in [&mut first, &mut second] {
        let got = next_frame(ws).await;
        assert_eq!(got["type"], "order.updated");
        assert_eq!(got["id"], pushed.id.to_string());
        assert_eq!(got["data"], pushed.data);
        // Exactly once: the next frame is the answer to this ping, not a duplicate.
        send(ws, json!({"type": "ping"})).await;
        assert_eq!(next_frame(ws).await["type"], "pong");
    }
    send(&mut other, json!({"type": "ping"})).await;
    assert_eq!(next_frame(&mut other).await["type"], "pong");
}

#[actix_web::test]
async fn realtime_oversized_frame_is_closed_with_1009() {
    let app = TestApp::spawn().await;
    let (token, _) = user(&app, "awa").await;
    let mut ws = ready_socket(&app, &token).await;
    // Just under the limit is fine (an unknown frame, answered with an error).
    let body = json!({"type": "note", "text": "x".repeat(60 * 1024)}).to_string();
    ws.send(Message::text(body)).await.unwrap();
    assert_eq!(next_frame(&mut ws).await["type"], "error");
    ws.send(Message::text("x".repeat(64 * 1024 + 1)))
        .await
        .unwrap();
    assert_eq!(close_of(&mut ws).await.0, 1009);
}

#[actix_web::test]
async fn realtime_malformed_frames_get_an_error_and_the_socket_stays_open() {
    let app = TestApp::spawn().await;
    let (token, _) = user(&app, "awa").await;
    let mut ws = ready_socket(&app, &token).await;
    for bad in [
        Message::text("not json"),
        Message::text(r#"{"type":"subscribe"}"#),
        Message::text(r#"{"kind":"auth"}"#),
        Message::binary(vec![1u8, 2, 3]),
    ] {
        ws.send(bad).await.unwrap();
        let error = next_frame(&mut ws).await;
        assert_eq!(error["type"], "error");
        assert!(error["id"].is_string());
        assert!(error["data"]["message"].is_string(), "{error}");
    }
    send(&mut ws, json!({"type": "ping"})).await;
    assert_eq!(next_frame(&mut ws).await["type"], "pong");
}

#[actix_web::test]
async fn realtime_slow_reader_is_closed_with_1013_while_others_keep_receiving() {
    let config = RealtimeConfig {
        queue_capacity: 8,
        ..RealtimeConfig::default()
    };
    let app = TestApp::spawn_configured(&[], Some(config)).await;
    let (slow_token, slow) = user(&app, "lent").await;
    let (fast_token, fast) = user(&app, "rapide").await;
    let mut slow_ws = ready_socket(&app, &slow_token).await;
    let mut fast_ws = ready_socket(&app, &fast_token).await;

    let reader = actix_web::rt::spawn(async move {
        let mut seen = 0;
        loop {
            let got = next_frame(&mut fast_ws).await;
            if got["type"] == "last" {
                return seen;
            }
            seen += 1;
        }
    });
    // Large frames fill the TCP buffers, then the socket's queue, while nobody reads.
    let big = "x".repeat(32 * 1024);
    let (mut pushed_to_fast, mut overflowed) = (0, false);
    for i in 0..3000 {
        let realtime = &app.state.realtime;
        realtime
            .push(&[slow], frame("notification.created", json!({"body": big})))
            .await
            .unwrap();
        if i % 20 == 0 {
            realtime
                .push(&[fast], frame("notification.created", json!({"i": i})))
                .await
                .unwrap();
            pushed_to_fast += 1;
        }
        if !realtime.is_local(slow) {
            overflowed = true;
            break;
        }
    }
    assert!(overflowed, "the slow socket's queue never overflowed");
    app.state
        .realtime
        .push(&[fast], frame("last", json!({})))
        .await
        .unwrap();
    let seen = timeout(WAIT, reader)
        .await
        .expect("fast reader done")
        .unwrap();
    assert_eq!(seen, pushed_to_fast);
    let (code, _) = close_of(&mut slow_ws).await;
    assert_eq!(code, 1013);
}

#[actix_web::test]
async fn realtime_two_instances_share_frames_through_redis_exactly_once() {
    let a = TestApp::spawn().await;
    let b = a.spawn_sibling().await;
    assert!(a.state.realtime.wait_subscribed(WAIT).await);
    assert!(b.state.realtime.wait_subscribed(WAIT).await);
    let (token, id) = user(&a, "awa").await;
    let (other, other_id) = user(&a, "binta").await;
    let mut on_a = ready_socket(&a, &token).await;
    let mut on_b = ready_socket(&b, &token).await;
    let _other_on_b = ready_socket(&b, &other).await;

    let first = frame("message.created", json!({"content": "Bonjour"}));
    a.state.realtime.push(&[id], first.clone()).await.unwrap();
    let marker = frame("marker", json!({}));
    a.state.realtime.push(&[id], marker.clone()).await.unwrap();
    for ws in [&mut on_a, &mut on_b] {
        let got = next_frame(ws).await;
        assert_eq!(got["id"], first.id.to_string());
        assert_eq!(got["data"], first.data);
        // No duplicate between the frame and the next one.
        assert_eq!(next_frame(ws).await["id"], marker.id.to_string());
    }
    // Pushed on B, heard on A.
    let back = frame("order.updated", json!({"orderId": "o-2"}));
    b.state.realtime.push(&[id], back.clone()).await.unwrap();
    assert_eq!(next_frame(&mut on_a).await["id"], back.id.to_string());
    assert_eq!(next_frame(&mut on_b).await["id"], back.id.to_string());
    // Presence is shared: A sees the user whose only socket is on B.
    assert!(!a.state.realtime.is_local(other_id));
    assert!(a.state.realtime.is_online(other_id).await.unwrap());
}

#[actix_web::test]
async fn realtime_works_on_one_instance_when_redis_is_unreachable() {
    let app = TestApp::spawn_with(&[("REDIS_URL", "redis://127.0.0.1:1")]).await;
    let (token, id) = user(&app, "awa").await;
    let mut ws = ready_socket(&app, &token).await;
    let pushed = frame(
        "notification.created",
        json!({"title": "Nouvelle commande"}),
    );
    app.state
        .realtime
        .push(&[id], pushed.clone())
        .await
        .unwrap();
    assert_eq!(next_frame(&mut ws).await["id"], pushed.id.to_string());
    assert!(app.state.realtime.is_online(id).await.unwrap());
    assert_eq!(app.get("/health", None).await.status, StatusCode::OK);
}

#[actix_web::test]
async fn realtime_shutdown_closes_every_socket_with_1001() {
    let app = TestApp::spawn().await;
    let (awa, _) = user(&app, "awa").await;
    let (binta, _) = user(&app, "binta").await;
    let mut first = ready_socket(&app, &awa).await;
    let mut second = ready_socket(&app, &binta).await;
    timeout(WAIT, app.state.realtime.shutdown())
        .await
        .expect("shutdown in time");
    assert_eq!(close_of(&mut first).await.0, 1001);
    assert_eq!(close_of(&mut second).await.0, 1001);
    // Sockets opened afterwards are turned away the same way.
    let mut late = connect(&app, &format!("?token={awa}")).await;
    assert_eq!(close_of(&mut late).await.0, 1001);
}

#[actix_web::test]
async fn realtime_silent_socket_is_pinged_then_closed() {
    let config = RealtimeConfig {
        ping_interval: Duration::from_millis(100),
        idle_timeout: Duration::from_millis(400),
        ..RealtimeConfig::default()
    };
    let app = TestApp::spawn_configured(&[], Some(config)).await;
    let (token, _) = user(&app, "awa").await;
    let mut ws = ready_socket(&app, &token).await;
    // A client that reads answers pings (tungstenite does it) and stays.
    let mut pings = 0;
    while pings < 6 {
        let message = timeout(WAIT, ws.next()).await.unwrap().unwrap().unwrap();
        if let Message::Ping(_) = message {
            pings += 1;
        }
    }
    // One that stops reading (and so answering) is closed.
    tokio::time::sleep(Duration::from_millis(800)).await;
    let (code, reason) = close_of(&mut ws).await;
    assert_eq!(code, 1000);
    assert!(reason.contains("ping"), "{reason}");
}

#[actix_web::test]
async fn realtime_plain_get_is_a_400_envelope() {
    let app = TestApp::spawn().await;
    let reply = app.get("/api/v1/ws", None).await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert_eq!(reply.code(), "BAD_REQUEST");
}

#[actix_web::test]
async fn realtime_a_message_posted_over_rest_reaches_the_recipients_socket() {
    let app = TestApp::spawn().await;
    let (awa, _) = user(&app, "awa").await;
    let (binta, binta_id) = user(&app, "binta").await;
    let mut ws = ready_socket(&app, &binta).await;
    let reply = app
        .post(
            "/api/v1/messages",
            Some(&awa),
            json!({"recipientId": binta_id, "content": "Bonjour !"}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{:?}", reply.body);
    app.settle().await;
    let mut kinds = Vec::new();
    while !kinds.contains(&"message.created".to_owned()) {
        let got = next_frame(&mut ws).await;
        assert!(got["id"].is_string() && got["data"].is_object(), "{got}");
        kinds.push(got["type"].as_str().unwrap().to_owned());
    }
}

/// Frames until one of `kind` whose data matches `wanted` arrives; returns it and every
/// frame read on the way.
async fn frame_where(
    ws: &mut Ws,
    kind: &str,
    wanted: impl Fn(&Value) -> bool,
) -> (Value, Vec<Value>) {
    let mut seen = Vec::new();
    loop {
        let got = next_frame(ws).await;
        if got["type"] == kind && wanted(&got["data"]) {
            return (got, seen);
        }
        seen.push(got);
    }
}

#[actix_web::test]
async fn realtime_an_order_reaches_the_sellers_socket_and_creates_a_notification() {
    let m = crate::orders::Market::open().await;
    m.app.settle().await;
    let mut seller = ready_socket(&m.app, &m.seller).await;
    let order = m.order(&m.basic, &[]).await;
    let order_id = order["id"].clone();

    // Both frames come, in either order.
    let (notified, before) = frame_where(&mut seller, "notification.created", |d| {
        d["type"] == "order.created"
    })
    .await;
    assert_eq!(notified["data"]["data"]["orderId"], order_id);
    assert_eq!(notified["data"]["title"], "Nouvelle commande");
    let updated = match before
        .into_iter()
        .find(|f| f["type"] == "order.updated" && f["data"]["orderId"] == order_id)
    {
        Some(frame) => frame,
        None => {
            frame_where(&mut seller, "order.updated", |d| d["orderId"] == order_id)
                .await
                .0
        }
    };
    assert_eq!(updated["data"]["status"], "pending");
    // The same notification is there over REST, its id the frame's.
    let list = m
        .app
        .get("/api/v1/notifications?unread=true", Some(&m.seller))
        .await;
    let ids: Vec<&Value> = list.body["data"]["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| &n["id"])
        .collect();
    assert!(ids.contains(&&notified["data"]["id"]), "{:?}", list.body);
    assert_eq!(notified["id"], notified["data"]["id"]);
}

#[actix_web::test]
async fn realtime_reading_a_conversation_tells_the_other_side() {
    let m = crate::orders::Market::open().await;
    let sent = m
        .app
        .post(
            "/api/v1/messages",
            Some(&m.buyer),
            json!({"recipientId": m.seller_id, "content": "Vous avez reçu mon brief ?"}),
        )
        .await;
    let conversation = sent.body["data"]["conversationId"].clone();
    m.app.settle().await;
    let mut buyer = ready_socket(&m.app, &m.buyer).await;
    let read = m
        .app
        .post(
            &format!(
                "/api/v1/messages/conversations/{}/read",
                conversation.as_str().unwrap()
            ),
            Some(&m.seller),
            json!({}),
        )
        .await;
    assert_eq!(read.status, StatusCode::NO_CONTENT);
    let (got, _) = frame_where(&mut buyer, "conversation.read", |d| {
        d["conversationId"] == conversation
    })
    .await;
    assert_eq!(got["data"]["readerId"], m.seller_id.as_str());
    assert!(got["data"]["readAt"].is_string());
}

#[actix_web::test]
async fn realtime_two_instances_deliver_each_event_once() {
    let m = crate::orders::Market::open().await;
    let b = m.app.spawn_sibling().await;
    assert!(m.app.state.realtime.wait_subscribed(WAIT).await);
    assert!(b.state.realtime.wait_subscribed(WAIT).await);
    m.app.settle().await;
    // The seller listens on B; the buyer writes through A. Both instances run a dispatcher.
    let mut seller = ready_socket(&b, &m.seller).await;
    let mut ids = Vec::new();
    for text in ["un", "deux", "trois"] {
        let reply = m
            .app
            .post(
                "/api/v1/messages",
                Some(&m.buyer),
                json!({"recipientId": m.seller_id, "content": text}),
            )
            .await;
        assert_eq!(reply.status, StatusCode::CREATED);
        ids.push(reply.body["data"]["id"].clone());
    }
    // Two dispatchers may share the three events, so the frames may come in any order:
    // read until all three have come, then a marker, and count.
    let mut frames = Vec::new();
    while ids.iter().any(|id| {
        !frames
            .iter()
            .any(|f: &Value| f["type"] == "message.created" && &f["data"]["id"] == id)
    }) {
        frames.push(next_frame(&mut seller).await);
    }
    let marker = frame("marker", json!({}));
    m.app
        .state
        .realtime
        .push(
            &[m.seller_id.parse::<uuid::Uuid>().unwrap().into()],
            marker.clone(),
        )
        .await
        .unwrap();
    let (_, after) = frame_where(&mut seller, "marker", |_| true).await;
    frames.extend(after);
    for id in &ids {
        let copies: Vec<&Value> = frames
            .iter()
            .filter(|f| f["type"] == "message.created" && &f["data"]["id"] == id)
            .collect();
        assert_eq!(copies.len(), 1, "message {id} once");
        assert_eq!(copies[0]["data"]["sender"]["username"], "acheteur");
    }
    // One notification per message, whichever instance handled the event.
    m.app.settle().await;
    b.settle().await;
    let notes = m
        .app
        .get("/api/v1/notifications?limit=100", Some(&m.seller))
        .await;
    let about_messages = notes.body["data"]["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| n["type"] == "message.created")
        .count();
    assert_eq!(about_messages, 3);
}

#[actix_web::test]
async fn realtime_a_suspended_account_loses_its_sockets_on_every_instance() {
    let m = crate::orders::Market::open().await;
    let b = m.app.spawn_sibling().await;
    assert!(m.app.state.realtime.wait_subscribed(WAIT).await);
    assert!(b.state.realtime.wait_subscribed(WAIT).await);
    let mut here = ready_socket(&m.app, &m.buyer).await;
    let mut there = ready_socket(&b, &m.buyer).await;
    let mut bystander = ready_socket(&b, &m.seller).await;

    let buyer_id = m.app.get("/api/v1/users/me", Some(&m.buyer)).await.body["data"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let suspended = m
        .app
        .post(
            &format!("/api/v1/admin/users/{buyer_id}/suspend"),
            Some(&m.admin),
            json!({"reason": "Fraude"}),
        )
        .await;
    assert_eq!(suspended.status, StatusCode::OK, "{:?}", suspended.body);
    m.app.settle().await;
    for ws in [&mut here, &mut there] {
        let (code, reason) = close_of(ws).await;
        assert_eq!((code, reason.as_str()), (4401, "Account suspended"));
    }
    // Others keep their sockets, and never see the internal order.
    let marker = frame("marker", json!({}));
    let seller_id: UserId = m.seller_id.parse::<uuid::Uuid>().unwrap().into();
    b.state
        .realtime
        .push(&[seller_id], marker.clone())
        .await
        .unwrap();
    let got = next_frame(&mut bystander).await;
    assert_eq!(got["id"], marker.id.to_string(), "{got}");
}
