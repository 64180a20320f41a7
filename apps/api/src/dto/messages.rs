//! Messaging and notifications (README.md, Messaging). Messages render from the domain's
//! `MessageView`, the very shape the WebSocket frame `message.created` carries.

use chrono::{DateTime, Utc};
use krika_messaging::{
    ConversationSummary, MessageView, Notification, OrderRef, Person, UnreadCounts,
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::envelope;
use super::page::list;

/// A participant, or a message's sender.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ChatUser {
    pub id: Uuid,
    pub username: String,
    pub name: String,
    pub avatar_url: Option<String>,
}

impl From<Person> for ChatUser {
    fn from(p: Person) -> Self {
        Self {
            id: p.id.0,
            username: p.username,
            name: p.name,
            avatar_url: p.avatar_url,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct MessageAttachment {
    pub name: String,
    /// Taken from the content; types a browser could run are `application/octet-stream`.
    pub content_type: String,
    pub size: i64,
    /// A signed link, valid for a few minutes.
    pub url: String,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Message {
    pub id: Uuid,
    pub conversation_id: Uuid,
    pub sender: ChatUser,
    /// Exactly as sent (`""` for a file message), unless `masked`.
    pub content: String,
    /// Contact details were replaced by `[coordonnées masquées]` (no order together yet).
    pub masked: bool,
    pub attachments: Vec<MessageAttachment>,
    pub created_at: DateTime<Utc>,
    /// When the recipient read it.
    pub read_at: Option<DateTime<Utc>>,
}

impl From<MessageView> for Message {
    fn from(v: MessageView) -> Self {
        Self {
            id: v.id.0,
            conversation_id: v.conversation_id.0,
            sender: v.sender.into(),
            content: v.content,
            masked: v.masked,
            attachments: v
                .attachments
                .into_iter()
                .map(|a| MessageAttachment {
                    name: a.name,
                    content_type: a.content_type,
                    size: a.size,
                    url: a.url,
                })
                .collect(),
            created_at: v.created_at,
            read_at: v.read_at,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ConversationOrder {
    pub id: Uuid,
    /// `KR-YYYY-NNNNNN`.
    pub number: String,
}

impl From<OrderRef> for ConversationOrder {
    fn from(o: OrderRef) -> Self {
        Self {
            id: o.id.0,
            number: o.number,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Conversation {
    pub id: Uuid,
    /// Both participants.
    pub participants: Vec<ChatUser>,
    /// The order the conversation is about; `null` for the pair's general conversation.
    pub order: Option<ConversationOrder>,
    pub last_message: Option<Message>,
    /// Messages the caller has not read.
    pub unread_count: i64,
    pub updated_at: DateTime<Utc>,
}

impl Conversation {
    pub fn new(summary: ConversationSummary, last_message: Option<Message>) -> Self {
        Self {
            id: summary.id.0,
            participants: summary.participants.into_iter().map(Into::into).collect(),
            order: summary.order.map(Into::into),
            last_message,
            unread_count: summary.unread_count,
            updated_at: summary.updated_at,
        }
    }
}

/// `{conversationId, content}` to write in a conversation, or `{recipientId, content,
/// orderId?}` to open (or reuse) the conversation with someone.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(example = json!({"recipientId": "0190b0c4-7d1e-7a3b-9f00-000000000001", "content": "Bonjour, le logo sera prêt demain ?"}))]
pub struct SendMessageRequest {
    /// An existing conversation of the caller's. Either this or `recipientId`.
    pub conversation_id: Option<Uuid>,
    /// The other participant, when opening or reusing a conversation.
    pub recipient_id: Option<Uuid>,
    /// With `recipientId`: the order between the two the conversation is about.
    pub order_id: Option<Uuid>,
    /// 1..5000 characters (after trimming, for the length check); kept exactly as sent.
    #[schema(min_length = 1, max_length = 5000)]
    pub content: Option<String>,
}

/// `POST /messages/files` (multipart).
#[derive(Debug, ToSchema)]
#[allow(dead_code)]
#[schema(rename_all = "camelCase")]
#[serde(deny_unknown_fields)]
pub struct SendFileForm {
    pub conversation_id: Uuid,
    /// At most 25 MB.
    #[schema(value_type = String, format = Binary)]
    pub file: Vec<u8>,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AppNotification {
    pub id: Uuid,
    /// The event it comes from: `order.created`, `order.updated`, `message.created`,
    /// `review.created`, `service.approved`, `service.rejected`, `kyc.approved`,
    /// `kyc.rejected`, `payout.processed`, `payout.rejected`…
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub body: String,
    /// The ids a front end needs to link to the object (`orderId`, `conversationId`…).
    #[schema(value_type = Object)]
    pub data: serde_json::Value,
    pub read_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

impl From<Notification> for AppNotification {
    fn from(n: Notification) -> Self {
        Self {
            id: n.id.0,
            kind: n.kind,
            title: n.title,
            body: n.body,
            data: n.data,
            read_at: n.read_at,
            created_at: n.created_at,
        }
    }
}

/// For a badge: unread notifications, and unread messages over every conversation.
#[derive(Debug, Serialize, ToSchema)]
pub struct UnreadCount {
    pub notifications: i64,
    pub messages: i64,
}

impl From<UnreadCounts> for UnreadCount {
    fn from(c: UnreadCounts) -> Self {
        Self {
            notifications: c.notifications,
            messages: c.messages,
        }
    }
}

/// How many notifications `read-all` marked.
#[derive(Debug, Serialize, ToSchema)]
pub struct NotificationsRead {
    pub marked: u64,
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MessagesQuery {
    #[param(minimum = 1, maximum = 2147483647, default = 1)]
    pub page: Option<i64>,
    #[param(minimum = 1, maximum = 100, default = 50)]
    pub limit: Option<i64>,
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct NotificationsQuery {
    #[param(minimum = 1, maximum = 2147483647, default = 1)]
    pub page: Option<i64>,
    #[param(minimum = 1, maximum = 100, default = 20)]
    pub limit: Option<i64>,
    /// Only the unread ones.
    pub unread: Option<bool>,
}

envelope!(MessageResponse, Message);
list!(ConversationList, ConversationListResponse, Conversation);
list!(MessageList, MessageListResponse, Message);
list!(NotificationList, NotificationListResponse, AppNotification);
envelope!(NotificationResponse, AppNotification);
envelope!(UnreadCountResponse, UnreadCount);
envelope!(NotificationsReadResponse, NotificationsRead);
