//! Real time: frames pushed to the open sockets of users, on whichever API instance they
//! are connected (README.md, Real time).

use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::error::Unexpected;
use crate::ids::{SessionId, UserId};

/// One server frame: `{"type", "id", "data"}`. `id` is unique per frame and stable across
/// retries of the same event, so a client drops duplicates.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Frame {
    #[serde(rename = "type")]
    pub kind: String,
    pub id: Uuid,
    pub data: serde_json::Value,
}

impl Frame {
    pub fn new(kind: impl Into<String>, id: Uuid, data: serde_json::Value) -> Self {
        Self {
            kind: kind.into(),
            id,
            data,
        }
    }
}

#[async_trait]
pub trait Realtime: Send + Sync + 'static {
    /// Sends `frame` to every open socket of each of `users`. Users with no socket are
    /// skipped silently; delivery is best effort (a client refetches over REST).
    async fn push(&self, users: &[UserId], frame: Frame) -> Result<(), Unexpected>;

    /// Whether `user` has at least one open socket on any instance.
    async fn is_online(&self, user: UserId) -> Result<bool, Unexpected>;

    /// Closes every open socket of `users` on every instance (4401 with `reason`): a
    /// suspended account stops hearing anything at once, not when its token expires.
    async fn disconnect(&self, users: &[UserId], reason: &str) -> Result<(), Unexpected>;

    /// Closes the sockets of `user` opened with a token of one of `sessions`, on every
    /// instance (4401 with `reason`): a logout ends that device's socket, not the others.
    async fn end_sessions(
        &self,
        user: UserId,
        sessions: &[SessionId],
        reason: &str,
    ) -> Result<(), Unexpected>;
}
