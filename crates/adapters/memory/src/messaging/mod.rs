//! Messaging's ports in memory: people, orders, conversations, messages, notifications and
//! the outbox behind one lock, so a post or a read receipt and its event are atomic, as the
//! PostgreSQL transactions are.

mod conversations;
mod notifications;
mod people;
mod realtime;

use std::collections::HashMap;
use std::sync::Mutex;

use chrono::{DateTime, Utc};
use krika_kernel::DomainEvent;
use krika_kernel::ids::{OrderId, UserId};
use krika_messaging::{
    Attachment, Contact, ConversationHead, ConversationId, Message, MessageId, Notification,
    OrderParties, Person,
};
use uuid::Uuid;

use crate::lock;

pub use realtime::MemoryRealtime;

struct StoredConversation {
    head: ConversationHead,
    updated_at: DateTime<Utc>,
    last_message: Option<MessageId>,
    /// Unread messages per participant.
    unread: HashMap<UserId, i64>,
    /// When each participant was last e-mailed about it.
    reminded: HashMap<UserId, DateTime<Utc>>,
}

struct StoredMessage {
    id: MessageId,
    conversation_id: ConversationId,
    sender: UserId,
    content: String,
    masked: bool,
    attachments: Vec<Attachment>,
    created_at: DateTime<Utc>,
    read_at: Option<DateTime<Utc>>,
}

#[derive(Default)]
struct State {
    people: HashMap<UserId, Contact>,
    orders: HashMap<OrderId, OrderParties>,
    conversations: HashMap<ConversationId, StoredConversation>,
    /// Oldest first.
    messages: Vec<StoredMessage>,
    /// With the event each came from; oldest first.
    notifications: Vec<(Uuid, Notification)>,
    /// The outbox: every event recorded, oldest first.
    events: Vec<DomainEvent>,
}

impl State {
    /// The person as messages show them now (a renamed user shows the new name).
    fn person(&self, id: UserId) -> Person {
        self.people
            .get(&id)
            .map(|c| c.person.clone())
            .unwrap_or_else(|| Person {
                id,
                username: String::new(),
                name: String::new(),
                avatar_url: None,
            })
    }

    fn message(&self, stored: &StoredMessage) -> Message {
        Message {
            id: stored.id,
            conversation_id: stored.conversation_id,
            sender: self.person(stored.sender),
            content: stored.content.clone(),
            masked: stored.masked,
            attachments: stored.attachments.clone(),
            created_at: stored.created_at,
            read_at: stored.read_at,
        }
    }
}

/// Implements `People`, `Conversations` and `Notifications` with the PostgreSQL adapter's
/// promises: one conversation per unordered pair and order, atomic posts and read
/// receipts with their events, notifications unique per event and user.
#[derive(Default)]
pub struct MemoryMessaging {
    state: Mutex<State>,
}

impl MemoryMessaging {
    /// Adds (or replaces) a user.
    pub fn add_person(&self, contact: Contact) {
        lock(&self.state).people.insert(contact.person.id, contact);
    }

    /// Suspends or reactivates a user.
    pub fn set_active(&self, user: UserId, active: bool) {
        if let Some(contact) = lock(&self.state).people.get_mut(&user) {
            contact.active = active;
        }
    }

    /// Adds (or replaces) an order.
    pub fn add_order(&self, order: OrderParties) {
        lock(&self.state).orders.insert(order.order.id, order);
    }

    /// Moves an order to `status` (`snake_case`).
    pub fn set_status(&self, order: OrderId, status: &str) {
        if let Some(order) = lock(&self.state).orders.get_mut(&order) {
            order.status = status.to_owned();
        }
    }

    /// Every event recorded in the outbox, oldest first.
    pub fn events(&self) -> Vec<DomainEvent> {
        lock(&self.state).events.clone()
    }

    /// How many conversations exist, all users together.
    pub fn conversation_count(&self) -> usize {
        lock(&self.state).conversations.len()
    }

    /// Every notification of every user, oldest first.
    pub fn all_notifications(&self) -> Vec<Notification> {
        lock(&self.state)
            .notifications
            .iter()
            .map(|(_, n)| n.clone())
            .collect()
    }
}
