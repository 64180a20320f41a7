use chrono::{DateTime, Utc};
use krika_kernel::ids::UserId;
use serde::Serialize;
use uuid::Uuid;

use super::NotificationId;

/// Something that happened that one user should hear about.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Notification {
    pub id: NotificationId,
    #[serde(skip)]
    pub user_id: UserId,
    /// The event name (`order.created`, `message.created`…).
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub body: String,
    /// The ids a front end needs to link to the object.
    pub data: serde_json::Value,
    pub read_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

/// A notification to store, once per event and user.
#[derive(Debug, Clone, PartialEq)]
pub struct NewNotification {
    pub id: NotificationId,
    pub user_id: UserId,
    pub kind: String,
    pub title: String,
    pub body: String,
    pub data: serde_json::Value,
    /// The outbox event it comes from: with `user_id`, what makes a redelivery a no-op.
    pub source_event: Uuid,
    pub created_at: DateTime<Utc>,
}

/// The badge: what a user has not read yet.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct UnreadCounts {
    pub notifications: i64,
    pub messages: i64,
}
