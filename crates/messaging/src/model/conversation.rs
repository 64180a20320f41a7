use chrono::{DateTime, Utc};
use krika_kernel::DomainEvent;
use krika_kernel::ids::UserId;

use super::{ConversationId, MessageId, OrderRef, Person};

/// A file sent in a conversation, stored privately.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attachment {
    /// The private blob key; clients only ever see a signed link.
    pub key: String,
    pub name: String,
    pub content_type: String,
    pub size: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub id: MessageId,
    pub conversation_id: ConversationId,
    pub sender: Person,
    /// Exactly as sent, or with contact details masked (then `masked`).
    pub content: String,
    pub masked: bool,
    pub attachments: Vec<Attachment>,
    pub created_at: DateTime<Utc>,
    /// When the other participant read it.
    pub read_at: Option<DateTime<Utc>>,
}

/// Who a conversation is between, and about which order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConversationHead {
    pub id: ConversationId,
    pub participants: [UserId; 2],
    pub order: Option<OrderRef>,
}

impl ConversationHead {
    pub fn has(&self, user: UserId) -> bool {
        self.participants.contains(&user)
    }

    /// The participant who is not `user`.
    pub fn other(&self, user: UserId) -> UserId {
        if self.participants[0] == user {
            self.participants[1]
        } else {
            self.participants[0]
        }
    }
}

/// A conversation as one of its participants sees it in their inbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConversationSummary {
    pub id: ConversationId,
    pub participants: Vec<Person>,
    pub order: Option<OrderRef>,
    pub last_message: Option<Message>,
    /// Messages the other participant sent that this user has not read.
    pub unread_count: i64,
    pub updated_at: DateTime<Utc>,
}

/// A message to store.
#[derive(Debug, Clone, PartialEq)]
pub struct NewMessage {
    pub id: MessageId,
    pub sender: UserId,
    pub content: String,
    pub masked: bool,
    pub attachments: Vec<Attachment>,
    pub created_at: DateTime<Utc>,
}

/// One post into a conversation that may not exist yet, with its outbox event.
#[derive(Debug, Clone, PartialEq)]
pub struct NewPost {
    pub conversation: ConversationHead,
    pub message: NewMessage,
    pub event: DomainEvent,
}

/// A member of a conversation owed an e-mail about the messages they have not read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reminder {
    pub conversation_id: ConversationId,
    pub user: UserId,
    pub unread: i64,
    pub oldest_unread_at: DateTime<Utc>,
}
