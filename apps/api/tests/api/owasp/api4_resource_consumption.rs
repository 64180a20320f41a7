use krika_api::realtime::RealtimeConfig;
use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::helpers::{TestApp, png};
use crate::realtime::{close_of, connect, ready_socket};

/// API4, unrestricted resource consumption: every input that costs the server memory or
/// work has a bound, and going over it is a clear 413 or a 422 naming the field, never a
/// 500 or a slow answer. (Request rates: `auth::the_sixth_login_in_a_minute_is_rate_limited`.)
#[actix_web::test]
async fn api4_bodies_pages_searches_messages_and_uploads_are_bounded() {
    let app = TestApp::spawn().await;
    let token = app.token("awa@2krika.test", "awa").await;

    let body = json!({"name": "x".repeat(1024 * 1024 + 1)});
    let huge = app
        .call(Method::PUT, "/api/v1/users/me", Some(&token), Some(body))
        .await;
    assert_eq!(
        (huge.status, huge.code()),
        (StatusCode::PAYLOAD_TOO_LARGE, "PAYLOAD_TOO_LARGE")
    );

    let long_word = "a".repeat(201);
    for (path, field) in [
        ("/api/v1/services?limit=101".to_owned(), "limit"),
        ("/api/v1/services?page=0".to_owned(), "page"),
        ("/api/v1/orders/purchases?limit=1000".to_owned(), "limit"),
        (format!("/api/v1/services?search={long_word}"), "search"),
    ] {
        let reply = app.get(&path, Some(&token)).await;
        assert_eq!(
            (reply.status, reply.fields()),
            (StatusCode::UNPROCESSABLE_ENTITY, vec![field]),
            "{path}"
        );
    }

    let other = app.register("binta@2krika.test", "binta").await;
    let message = app
        .post(
            "/api/v1/messages",
            Some(&token),
            json!({"recipientId": other["user"]["id"], "content": "x".repeat(5001)}),
        )
        .await;
    assert_eq!(message.fields(), ["content"]);

    let mut big = png();
    big.resize(5 * 1024 * 1024 + 1, 0);
    let upload = app
        .upload("/api/v1/users/me/avatar", &token, "file", "big.png", big)
        .await;
    assert_eq!(upload.status, StatusCode::PAYLOAD_TOO_LARGE);
}

/// One account cannot hold an instance's sockets: past `max_sockets_per_user` a socket is
/// closed with 1008 once it authenticates, others are unaffected, and a closed socket frees
/// its place. (Frames over 64 KiB: `realtime::realtime_oversized_frame_is_closed_with_1009`.)
#[actix_web::test]
async fn api4_sockets_per_user_and_frame_sizes_are_bounded() {
    let config = RealtimeConfig {
        max_sockets_per_user: 3,
        ..RealtimeConfig::default()
    };
    let app = TestApp::spawn_configured(&[], Some(config)).await;
    let token = app.token("awa@2krika.test", "awa").await;
    let mut held = Vec::new();
    for _ in 0..3 {
        held.push(ready_socket(&app, &token).await);
    }
    let mut extra = connect(&app, &format!("?token={token}")).await;
    assert_eq!(
        close_of(&mut extra).await,
        (1008, "Too many open sockets".to_owned())
    );
    let other = app.token("binta@2krika.test", "binta").await;
    let _theirs = ready_socket(&app, &other).await;

    let mut first = held.remove(0);
    first.close(None).await.unwrap();
    drop(first);
    // The hub forgets a socket when its task ends, a moment after the close.
    let mut again = None;
    for _ in 0..50 {
        let mut ws = connect(&app, &format!("?token={token}")).await;
        match crate::realtime::next_message(&mut ws).await {
            Some(frame) if frame["type"] == "ready" => {
                again = Some(ws);
                break;
            }
            _ => tokio::time::sleep(std::time::Duration::from_millis(20)).await,
        }
    }
    assert!(again.is_some(), "a place once a socket closed");
}
