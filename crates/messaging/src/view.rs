//! The JSON shape of a message, shared by the WebSocket frame and the HTTP responses so
//! they cannot disagree.

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::model::{Attachment, ConversationId, Message, MessageId, Person};

/// `{id, conversationId, sender{…}, content, masked, attachments[…], createdAt, readAt}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MessageView {
    pub id: MessageId,
    pub conversation_id: ConversationId,
    pub sender: Person,
    pub content: String,
    pub masked: bool,
    pub attachments: Vec<AttachmentView>,
    pub created_at: DateTime<Utc>,
    pub read_at: Option<DateTime<Utc>>,
}

/// An attachment as clients see it: never its storage key, only a signed link.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AttachmentView {
    pub name: String,
    pub content_type: String,
    pub size: i64,
    pub url: String,
}

impl MessageView {
    /// The view of `message`, with `url` giving each attachment's link.
    pub fn new(message: &Message, mut url: impl FnMut(&Attachment) -> String) -> Self {
        Self {
            id: message.id,
            conversation_id: message.conversation_id,
            sender: message.sender.clone(),
            content: message.content.clone(),
            masked: message.masked,
            attachments: message
                .attachments
                .iter()
                .map(|a| AttachmentView {
                    name: a.name.clone(),
                    content_type: a.content_type.clone(),
                    size: a.size,
                    url: url(a),
                })
                .collect(),
            created_at: message.created_at,
            read_at: message.read_at,
        }
    }
}
