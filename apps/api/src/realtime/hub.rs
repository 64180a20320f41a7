//! The sockets open on this instance, by user, and delivery to them. Each socket has a
//! bounded queue filled with `try_send`: a slow socket is closed (1013), never waited for.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError, Weak};
use std::time::Duration;

use actix_ws::{CloseCode, CloseReason};
use async_trait::async_trait;
use bytestring::ByteString;
use krika_kernel::Unexpected;
use krika_kernel::ids::{SessionId, UserId};
use krika_kernel::ports::{Frame, Realtime};
use krika_redis::{RealtimeBus, RedisPresence, Remote};
use tokio::sync::mpsc::error::TrySendError;
use tokio::sync::{Notify, mpsc, oneshot, watch};
use uuid::Uuid;

use super::frames;

/// How long `shutdown` waits for the sockets to send their close frames.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(5);

/// The bus frame that closes a user's sockets on every instance; never sent to a client.
const DISCONNECT: &str = "_disconnect";

/// The bus frame that closes the sockets of some of a user's sessions (`data`:
/// `{"reason", "sessions"}`); never sent to a client.
const END_SESSIONS: &str = "_end_sessions";

/// Timings and limits of the sockets (README.md, Real time); tests shrink the timings.
#[derive(Debug, Clone)]
pub struct RealtimeConfig {
    /// How often the server pings a socket (and renews its presence in Redis).
    pub ping_interval: Duration,
    /// A socket that sends nothing (not even a pong) this long is closed.
    pub idle_timeout: Duration,
    /// How long a socket opened without `?token=` has to send its `auth` frame.
    pub auth_timeout: Duration,
    /// `token.expiring` is sent this long before the access token expires.
    pub expiry_warning: Duration,
    /// Frames waiting for one socket; one more closes it with 1013.
    pub queue_capacity: usize,
    /// Largest client frame or fragmented message; above it the socket is closed with 1009.
    pub max_frame_bytes: usize,
    /// Sockets one user may hold open on one instance (tabs, devices); one more is closed
    /// with 1008 right after it authenticates, so a stolen or scripted token cannot pin
    /// the instance's memory.
    pub max_sockets_per_user: usize,
}

impl Default for RealtimeConfig {
    fn default() -> Self {
        Self {
            ping_interval: Duration::from_secs(30),
            idle_timeout: Duration::from_secs(90),
            auth_timeout: Duration::from_secs(10),
            expiry_warning: Duration::from_secs(60),
            queue_capacity: 256,
            max_frame_bytes: 64 * 1024,
            max_sockets_per_user: 16,
        }
    }
}

impl RealtimeConfig {
    /// Presence outlives a few missed renewals, so a busy instance does not flicker offline.
    pub fn presence_ttl(&self) -> Duration {
        self.ping_interval * 4
    }
}

struct Entry {
    id: Uuid,
    /// The session of the token that authenticated the socket last.
    session: SessionId,
    queue: mpsc::Sender<ByteString>,
    close: Option<oneshot::Sender<CloseReason>>,
}

/// Why the hub refuses a socket.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refused {
    ShuttingDown,
    /// The user already holds `max_sockets_per_user` sockets here.
    TooManySockets,
}

/// What a socket task receives when it registers.
pub struct Registration {
    pub id: Uuid,
    /// Frames pushed to the user, already encoded.
    pub frames: mpsc::Receiver<ByteString>,
    /// The hub asks the socket to close (queue overflow, shutdown).
    pub close: oneshot::Receiver<CloseReason>,
    /// Unregisters the socket when dropped.
    pub guard: SocketGuard,
}

/// Removes a socket from the hub when its task ends, however it ends.
pub struct SocketGuard {
    hub: Arc<RealtimeHub>,
    user: UserId,
    id: Uuid,
}

impl Drop for SocketGuard {
    fn drop(&mut self) {
        self.hub.remove(self.user, self.id);
        self.hub.open.fetch_sub(1, Ordering::SeqCst);
        self.hub.closed.notify_waiters();
    }
}

pub struct RealtimeHub {
    config: RealtimeConfig,
    bus: RealtimeBus,
    presence: RedisPresence,
    sockets: Mutex<HashMap<UserId, Vec<Entry>>>,
    /// Registered sockets whose task has not ended yet.
    open: AtomicUsize,
    closed: Notify,
    stopping: AtomicBool,
    /// Whether the Redis listener is subscribed right now.
    subscribed: watch::Sender<bool>,
}

impl RealtimeHub {
    pub fn new(config: RealtimeConfig, bus: RealtimeBus, presence: RedisPresence) -> Arc<Self> {
        Arc::new(Self {
            config,
            bus,
            presence,
            sockets: Mutex::new(HashMap::new()),
            open: AtomicUsize::new(0),
            closed: Notify::new(),
            stopping: AtomicBool::new(false),
            subscribed: watch::Sender::new(false),
        })
    }

    pub fn config(&self) -> &RealtimeConfig {
        &self.config
    }

    pub fn presence(&self) -> &RedisPresence {
        &self.presence
    }

    /// Starts the task that hands frames published by other instances to the sockets here.
    /// It stops with `shutdown` or when the hub is dropped.
    pub fn spawn_listener(self: &Arc<Self>) -> tokio::task::JoinHandle<()> {
        let hub: Weak<Self> = Arc::downgrade(self);
        let bus = self.bus.clone();
        let subscribed = self.subscribed.clone();
        tokio::spawn(async move {
            let on_change = move |now: bool| {
                subscribed.send_replace(now);
            };
            bus.listen(on_change, move |remote: Remote| match hub.upgrade() {
                Some(hub) if !hub.stopping.load(Ordering::SeqCst) => {
                    if remote.frame.kind == DISCONNECT {
                        let reason = remote.frame.data.as_str().unwrap_or("Signed out");
                        hub.close_local(&remote.users, reason);
                    } else if remote.frame.kind == END_SESSIONS {
                        let data = &remote.frame.data;
                        let reason = data["reason"].as_str().unwrap_or("Signed out");
                        let sessions: Vec<SessionId> =
                            serde_json::from_value(data["sessions"].clone()).unwrap_or_default();
                        for user in &remote.users {
                            hub.close_sessions_local(*user, &sessions, reason);
                        }
                    } else {
                        hub.deliver(&remote.users, &frames::encode(&remote.frame));
                    }
                    true
                }
                _ => false,
            })
            .await;
        })
    }

    /// Waits until the Redis listener is subscribed (frames of other instances arrive);
    /// `false` if it is not within `within`.
    pub async fn wait_subscribed(&self, within: Duration) -> bool {
        let mut state = self.subscribed.subscribe();
        tokio::time::timeout(within, state.wait_for(|s| *s))
            .await
            .is_ok_and(|r| r.is_ok())
    }

    fn sockets(&self) -> MutexGuard<'_, HashMap<UserId, Vec<Entry>>> {
        self.sockets.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Adds a socket authenticated by a token of `session`, unless the hub is shutting
    /// down or the user holds as many sockets as allowed.
    pub fn register(
        self: &Arc<Self>,
        user: UserId,
        session: SessionId,
    ) -> Result<Registration, Refused> {
        if self.stopping.load(Ordering::SeqCst) {
            return Err(Refused::ShuttingDown);
        }
        let id = Uuid::now_v7();
        let (queue, frames) = mpsc::channel(self.config.queue_capacity.max(1));
        let (close_tx, close) = oneshot::channel();
        {
            let mut sockets = self.sockets();
            let held = sockets.entry(user).or_default();
            if held.len() >= self.config.max_sockets_per_user {
                return Err(Refused::TooManySockets);
            }
            held.push(Entry {
                id,
                session,
                queue,
                close: Some(close_tx),
            });
        }
        self.open.fetch_add(1, Ordering::SeqCst);
        Ok(Registration {
            id,
            frames,
            close,
            guard: SocketGuard {
                hub: self.clone(),
                user,
                id,
            },
        })
    }

    /// The socket `id` is now authenticated by a token of `session` (refreshed over it).
    pub fn rebind(&self, user: UserId, id: Uuid, session: SessionId) {
        if let Some(entry) = self
            .sockets()
            .get_mut(&user)
            .and_then(|entries| entries.iter_mut().find(|e| e.id == id))
        {
            entry.session = session;
        }
    }

    fn remove(&self, user: UserId, id: Uuid) {
        let mut sockets = self.sockets();
        if let Some(entries) = sockets.get_mut(&user) {
            entries.retain(|e| e.id != id);
            if entries.is_empty() {
                sockets.remove(&user);
            }
        }
    }

    /// Queues `text` on every local socket of `users`. A full queue closes its socket (1013).
    pub fn deliver(&self, users: &[UserId], text: &ByteString) {
        let mut overflowed = Vec::new();
        {
            let mut sockets = self.sockets();
            for (i, user) in users.iter().enumerate() {
                if users[..i].contains(user) {
                    continue;
                }
                let Some(entries) = sockets.get_mut(user) else {
                    continue;
                };
                entries.retain_mut(|entry| match entry.queue.try_send(text.clone()) {
                    Ok(()) => true,
                    Err(TrySendError::Full(_)) => {
                        overflowed.extend(entry.close.take());
                        false
                    }
                    Err(TrySendError::Closed(_)) => false,
                });
                if entries.is_empty() {
                    sockets.remove(user);
                }
            }
        }
        for close in overflowed {
            tracing::warn!("real-time socket too slow; closed with 1013");
            let _ = close.send(frames::close(
                CloseCode::Again,
                "Too many frames waiting: reconnect and refetch",
            ));
        }
    }

    /// Closes every local socket of `users` with 4401.
    pub fn close_local(&self, users: &[UserId], reason: &str) {
        let entries: Vec<Entry> = {
            let mut sockets = self.sockets();
            users
                .iter()
                .filter_map(|user| sockets.remove(user))
                .flatten()
                .collect()
        };
        for mut entry in entries {
            if let Some(close) = entry.close.take() {
                let _ = close.send(frames::unauthorized(reason));
            }
        }
    }

    /// Closes the local sockets of `user` authenticated by one of `sessions`, with 4401.
    pub fn close_sessions_local(&self, user: UserId, sessions: &[SessionId], reason: &str) {
        let ended: Vec<Entry> = {
            let mut all = self.sockets();
            let Some(entries) = all.get_mut(&user) else {
                return;
            };
            let (ended, kept) = std::mem::take(entries)
                .into_iter()
                .partition(|e| sessions.contains(&e.session));
            *entries = kept;
            if entries.is_empty() {
                all.remove(&user);
            }
            ended
        };
        for mut entry in ended {
            if let Some(close) = entry.close.take() {
                let _ = close.send(frames::unauthorized(reason));
            }
        }
    }

    /// Whether `user` has a socket on this instance.
    pub fn is_local(&self, user: UserId) -> bool {
        self.sockets().contains_key(&user)
    }

    /// Closes every socket with 1001 and waits (a few seconds at most) until their tasks
    /// have sent the close frames; sockets opened afterwards are refused the same way.
    pub async fn shutdown(&self) {
        self.stopping.store(true, Ordering::SeqCst);
        let entries: Vec<Entry> = self.sockets().drain().flat_map(|(_, e)| e).collect();
        for mut entry in entries {
            if let Some(close) = entry.close.take() {
                let _ = close.send(frames::close(CloseCode::Away, "Server shutting down"));
            }
        }
        let deadline = tokio::time::Instant::now() + SHUTDOWN_GRACE;
        loop {
            let closed = self.closed.notified();
            let open = self.open.load(Ordering::SeqCst);
            if open == 0 {
                return;
            }
            if tokio::time::timeout_at(deadline, closed).await.is_err() {
                tracing::warn!(
                    open,
                    "real-time sockets still open after the shutdown grace"
                );
                return;
            }
        }
    }

    pub fn is_stopping(&self) -> bool {
        self.stopping.load(Ordering::SeqCst)
    }
}

#[async_trait]
impl Realtime for RealtimeHub {
    /// Local sockets first (works without Redis), then the other instances through Redis;
    /// a Redis failure is logged, not returned: the frame is best effort.
    async fn push(&self, users: &[UserId], frame: Frame) -> Result<(), Unexpected> {
        if users.is_empty() {
            return Ok(());
        }
        self.deliver(users, &frames::encode(&frame));
        if let Err(error) = self.bus.publish(users, &frame).await {
            tracing::warn!(%error, kind = %frame.kind, "real-time fan-out unavailable; frame delivered on this instance only");
        }
        Ok(())
    }

    async fn is_online(&self, user: UserId) -> Result<bool, Unexpected> {
        if self.is_local(user) {
            return Ok(true);
        }
        self.presence.is_online(user).await
    }

    /// Here at once, elsewhere through Redis (an internal frame no client ever sees).
    async fn disconnect(&self, users: &[UserId], reason: &str) -> Result<(), Unexpected> {
        self.close_local(users, reason);
        let order = Frame::new(DISCONNECT, uuid::Uuid::now_v7(), reason.into());
        if let Err(error) = self.bus.publish(users, &order).await {
            tracing::warn!(%error, "could not tell other instances to close a user's sockets");
        }
        Ok(())
    }

    async fn end_sessions(
        &self,
        user: UserId,
        sessions: &[SessionId],
        reason: &str,
    ) -> Result<(), Unexpected> {
        if sessions.is_empty() {
            return Ok(());
        }
        self.close_sessions_local(user, sessions, reason);
        let data = serde_json::json!({ "reason": reason, "sessions": sessions });
        let order = Frame::new(END_SESSIONS, uuid::Uuid::now_v7(), data);
        if let Err(error) = self.bus.publish(&[user], &order).await {
            tracing::warn!(%error, "could not tell other instances to close a session's sockets");
        }
        Ok(())
    }
}
