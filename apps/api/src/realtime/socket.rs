//! One socket's life: authenticate, register with the hub, then pump frames both ways until
//! a close (client, expiry, idle, overflow, shutdown).

use std::pin::pin;
use std::sync::Arc;
use std::time::Duration;

use actix_web::web::{Bytes, BytesMut};
use actix_ws::{CloseCode, CloseReason, Item, Message, MessageStream, ProtocolError, Session};
use bytestring::ByteString;
use chrono::SecondsFormat;
use krika_identity::{Identity, IdentityError, Principal};
use krika_kernel::Clock;
use serde_json::json;
use tokio::time::{Instant, sleep, sleep_until};
use uuid::Uuid;

use super::frames::{self, ClientFrame};
use super::hub::{RealtimeHub, Refused};

/// How long a close frame may wait for room in a socket that does not read.
const CLOSE_GRACE: Duration = Duration::from_secs(5);
/// How long leaving the Redis presence set may take when the socket ends.
const PRESENCE_GRACE: Duration = Duration::from_secs(2);

/// What a client sent, with fragmented messages put back together.
enum Incoming {
    Text(ByteString),
    Binary,
    Ping(Bytes),
    Pong,
    Close,
    TooBig,
    Broken(String),
    Ended,
}

/// Reads client frames; a frame or fragmented message over `max` bytes is `TooBig`.
struct Reader {
    stream: MessageStream,
    /// A fragmented message being received: whether it is text, and its bytes so far.
    partial: Option<(bool, BytesMut)>,
    max: usize,
}

impl Reader {
    fn new(stream: MessageStream, max: usize) -> Self {
        Self {
            stream: stream.max_frame_size(max),
            partial: None,
            max,
        }
    }

    /// Cancel-safe: what was received of a fragmented message stays in `self`.
    async fn next(&mut self) -> Incoming {
        loop {
            let message = match self.stream.recv().await {
                None => return Incoming::Ended,
                Some(Err(ProtocolError::Overflow)) => return Incoming::TooBig,
                Some(Err(error)) => return Incoming::Broken(error.to_string()),
                Some(Ok(message)) => message,
            };
            return match message {
                Message::Text(text) => Incoming::Text(text),
                Message::Binary(_) => Incoming::Binary,
                Message::Ping(bytes) => Incoming::Ping(bytes),
                Message::Pong(_) => Incoming::Pong,
                Message::Close(_) => Incoming::Close,
                Message::Nop => continue,
                Message::Continuation(item) => {
                    let (bytes, last) = match item {
                        Item::FirstText(b) => {
                            self.partial = Some((true, BytesMut::new()));
                            (b, false)
                        }
                        Item::FirstBinary(b) => {
                            self.partial = Some((false, BytesMut::new()));
                            (b, false)
                        }
                        Item::Continue(b) => (b, false),
                        Item::Last(b) => (b, true),
                    };
                    let Some((_, buffer)) = self.partial.as_mut() else {
                        return Incoming::Broken("continuation without a first frame".into());
                    };
                    if buffer.len() + bytes.len() > self.max {
                        self.partial = None;
                        return Incoming::TooBig;
                    }
                    buffer.extend_from_slice(&bytes);
                    if !last {
                        continue;
                    }
                    match self.partial.take() {
                        Some((true, buffer)) => match ByteString::try_from(buffer.freeze()) {
                            Ok(text) => Incoming::Text(text),
                            Err(_) => Incoming::Broken("text message is not UTF-8".into()),
                        },
                        _ => Incoming::Binary,
                    }
                }
            };
        }
    }
}

/// How a socket ends: with a close frame, or with the client already gone.
enum Exit {
    Close(CloseReason),
    Gone,
}

/// Checks a token as the `Auth` extractor does; the error is the close to send.
async fn check(identity: &Identity, token: &str) -> Result<Principal, CloseReason> {
    match identity.authenticate(token).await {
        Ok(principal) => Ok(principal),
        Err(IdentityError::Suspended) => Err(frames::unauthorized("Account suspended")),
        Err(IdentityError::Unauthorized) => {
            Err(frames::unauthorized("Invalid, expired or revoked token"))
        }
        Err(error) => {
            tracing::error!(%error, "real-time socket: authentication failed");
            Err(frames::close(CloseCode::Error, "Try again later"))
        }
    }
}

/// The token from the query string, or from the first client frame within the window.
async fn first_token(
    session: &mut Session,
    reader: &mut Reader,
    window: Duration,
) -> Result<String, Exit> {
    let mut deadline = pin!(sleep(window));
    loop {
        tokio::select! {
            _ = &mut deadline => {
                return Err(Exit::Close(frames::unauthorized(&format!(
                    "No auth frame within {} s", window.as_secs_f32()
                ))));
            }
            incoming = reader.next() => match incoming {
                Incoming::Text(text) => {
                    return match frames::parse(&text) {
                        Ok(ClientFrame::Auth { token }) => Ok(token),
                        _ => Err(Exit::Close(frames::unauthorized(
                            r#"The first frame must be {"type":"auth","token":…}"#,
                        ))),
                    };
                }
                Incoming::Binary => {
                    return Err(Exit::Close(frames::unauthorized(
                        r#"The first frame must be {"type":"auth","token":…}"#,
                    )));
                }
                Incoming::Ping(bytes) => {
                    session.pong(&bytes).await.map_err(|_| Exit::Gone)?;
                }
                Incoming::Pong => {}
                other => return Err(ending(other)),
            }
        }
    }
}

/// The exit for the incoming frames that end a socket.
fn ending(incoming: Incoming) -> Exit {
    match incoming {
        Incoming::Close => Exit::Close(CloseReason::from(CloseCode::Normal)),
        Incoming::TooBig => Exit::Close(frames::close(CloseCode::Size, "Frame too large")),
        Incoming::Broken(error) => Exit::Close(frames::close(CloseCode::Protocol, &error)),
        _ => Exit::Gone,
    }
}

/// When `principal`'s token expires, on the tokio timer (the app clock decides how far away).
fn expiry(principal: &Principal, clock: &dyn Clock) -> Instant {
    let left = (principal.expires_at - clock.now())
        .to_std()
        .unwrap_or_default();
    Instant::now() + left
}

async fn send(session: &mut Session, frame: &krika_kernel::ports::Frame) -> Result<(), Exit> {
    session
        .text(frames::encode(frame))
        .await
        .map_err(|_| Exit::Gone)
}

/// The whole life of one socket. `token` is the `?token=` query parameter.
pub async fn run(
    hub: Arc<RealtimeHub>,
    identity: Identity,
    clock: Arc<dyn Clock>,
    mut session: Session,
    stream: MessageStream,
    token: Option<String>,
) {
    let config = hub.config().clone();
    let mut reader = Reader::new(stream, config.max_frame_bytes);
    let token = match token {
        Some(token) => Ok(token),
        None => first_token(&mut session, &mut reader, config.auth_timeout).await,
    };
    let principal = match token {
        Ok(token) => check(&identity, &token).await.map_err(Exit::Close),
        Err(exit) => Err(exit),
    };
    let principal = match principal {
        Ok(principal) => principal,
        Err(exit) => return finish(session, exit).await,
    };
    let user = principal.user.id;
    let mut registration = match hub.register(user, principal.session_id) {
        Ok(registration) => registration,
        Err(Refused::ShuttingDown) => {
            let away = frames::close(CloseCode::Away, "Server shutting down");
            return finish(session, Exit::Close(away)).await;
        }
        Err(Refused::TooManySockets) => {
            let policy = frames::close(CloseCode::Policy, "Too many open sockets");
            return finish(session, Exit::Close(policy)).await;
        }
    };
    let socket = registration.id;
    // Presence first: once a client sees `ready`, every instance sees it online.
    if let Err(error) = hub.presence().join(user, socket).await {
        tracing::warn!(%error, "real-time presence unavailable");
    }
    let ready = frames::server("ready", json!({ "userId": user }));
    if send(&mut session, &ready).await.is_err() {
        let _ = tokio::time::timeout(PRESENCE_GRACE, hub.presence().leave(user, socket)).await;
        return;
    }

    // The token's expiry as the clock tells it, and as a tokio instant for the timers.
    let mut token_expiry = principal.expires_at;
    let mut expires_at = expiry(&principal, clock.as_ref());
    let mut expiry_timer = pin!(sleep_until(expires_at));
    let mut warning = pin!(sleep_until(
        expires_at
            .checked_sub(config.expiry_warning)
            .unwrap_or(expires_at)
    ));
    let mut warned = false;
    let mut last_seen = Instant::now();
    let mut ping = tokio::time::interval_at(
        Instant::now() + first_ping(socket, config.ping_interval),
        config.ping_interval,
    );

    let exit = loop {
        tokio::select! {
            biased;
            reason = &mut registration.close => {
                break Exit::Close(reason.unwrap_or_else(|_| {
                    frames::close(CloseCode::Away, "Server shutting down")
                }));
            }
            Some(text) = registration.frames.recv() => {
                // A client that does not read blocks here: the hub's close must still win.
                tokio::select! {
                    biased;
                    reason = &mut registration.close => {
                        break Exit::Close(reason.unwrap_or_else(|_| {
                            frames::close(CloseCode::Away, "Server shutting down")
                        }));
                    }
                    sent = session.text(text) => if sent.is_err() { break Exit::Gone; },
                }
            }
            incoming = reader.next() => {
                last_seen = Instant::now();
                let reply = match incoming {
                    Incoming::Text(text) => match frames::parse(&text) {
                        Ok(ClientFrame::Ping) => frames::server("pong", json!({})),
                        Ok(ClientFrame::Auth { token }) => match check(&identity, &token).await {
                            Ok(fresh) if fresh.user.id == user => {
                                hub.rebind(user, socket, fresh.session_id);
                                token_expiry = fresh.expires_at;
                                expires_at = expiry(&fresh, clock.as_ref());
                                expiry_timer.as_mut().reset(expires_at);
                                warning.as_mut().reset(
                                    expires_at.checked_sub(config.expiry_warning).unwrap_or(expires_at),
                                );
                                warned = false;
                                frames::server("ready", json!({ "userId": user }))
                            }
                            Ok(_) => break Exit::Close(frames::unauthorized("Token of another user")),
                            Err(reason) => break Exit::Close(reason),
                        },
                        Err(message) => frames::error(&message),
                    },
                    Incoming::Binary => frames::error("Binary frames are not supported: send JSON text"),
                    Incoming::Ping(bytes) => {
                        if session.pong(&bytes).await.is_err() {
                            break Exit::Gone;
                        }
                        continue;
                    }
                    Incoming::Pong => continue,
                    other => break ending(other),
                };
                if let Err(exit) = send(&mut session, &reply).await {
                    break exit;
                }
            }
            _ = ping.tick() => {
                if last_seen.elapsed() >= config.idle_timeout {
                    break Exit::Close(frames::close(CloseCode::Normal, "No answer to pings"));
                }
                if session.ping(b"").await.is_err() {
                    break Exit::Gone;
                }
                if let Err(error) = hub.presence().join(user, socket).await {
                    tracing::warn!(%error, "real-time presence unavailable");
                }
            }
            _ = &mut warning, if !warned => {
                warned = true;
                let frame = frames::server(
                    "token.expiring",
                    json!({
                        "expiresAt": token_expiry.to_rfc3339_opts(SecondsFormat::Secs, true),
                    }),
                );
                if let Err(exit) = send(&mut session, &frame).await {
                    break exit;
                }
            }
            _ = &mut expiry_timer => {
                break Exit::Close(frames::unauthorized("Access token expired"));
            }
        }
    };
    finish(session, exit).await;
    if tokio::time::timeout(PRESENCE_GRACE, hub.presence().leave(user, socket))
        .await
        .is_err()
    {
        tracing::warn!("real-time presence: leaving timed out");
    }
    drop(registration);
}

/// When a socket is first pinged (and its presence renewed): somewhere in the first
/// interval, from the socket id's random bits, so the sockets a deploy or a reconnect wave
/// opens together do not all ping and hit Redis in the same instant every interval.
fn first_ping(socket: Uuid, interval: Duration) -> Duration {
    let bits = u64::from_le_bytes(socket.as_bytes()[8..].try_into().unwrap_or([0; 8]));
    let share = (bits % 1000) as u32 + 1;
    interval * share / 1000
}

async fn finish(session: Session, exit: Exit) {
    if let Exit::Close(reason) = exit {
        let _ = tokio::time::timeout(CLOSE_GRACE, session.close(Some(reason))).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_pings_spread_over_the_interval() {
        let interval = Duration::from_secs(30);
        let firsts: Vec<Duration> = (0..1000)
            .map(|_| first_ping(Uuid::now_v7(), interval))
            .collect();
        assert!(firsts.iter().all(|d| *d > Duration::ZERO && *d <= interval));
        // A wave of sockets opened together: no second of the interval takes more than a
        // small share of them (uniform would be ~33 a second).
        let mut per_second = [0usize; 30];
        for d in &firsts {
            per_second[(d.as_secs() as usize).min(29)] += 1;
        }
        assert!(per_second.iter().all(|n| *n < 100), "{per_second:?}");
    }
}
