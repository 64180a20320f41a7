//! What messaging needs from storage. Every method that writes more than one thing (a post,
//! a read receipt) is one call: the PostgreSQL adapter runs it in one transaction with its
//! outbox event.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use krika_kernel::ids::{OrderId, UserId};
use krika_kernel::{DomainEvent, Page, PageRequest, Unexpected};

use crate::model::{
    Contact, ConversationHead, ConversationId, ConversationSummary, Message, MessageId,
    NewNotification, NewPost, Notification, NotificationId, OrderParties, Reminder, UnreadCounts,
};

/// Users and orders as messaging sees them (read-only; owned by identity and ordering).
#[async_trait]
pub trait People: Send + Sync + 'static {
    async fn contact(&self, id: UserId) -> Result<Option<Contact>, Unexpected>;

    /// The known ones among `ids`, in no particular order.
    async fn contacts(&self, ids: &[UserId]) -> Result<Vec<Contact>, Unexpected>;

    async fn admins(&self) -> Result<Vec<Contact>, Unexpected>;

    async fn order_parties(&self, order: OrderId) -> Result<Option<OrderParties>, Unexpected>;

    /// Whether any order (either direction, any status) is between `a` and `b`.
    async fn share_an_order(&self, a: UserId, b: UserId) -> Result<bool, Unexpected>;
}

#[async_trait]
pub trait Conversations: Send + Sync + 'static {
    async fn head(&self, id: ConversationId) -> Result<Option<ConversationHead>, Unexpected>;

    /// The conversation of the unordered pair `{a, b}` about `order` (`None`: their general one).
    async fn find(
        &self,
        a: UserId,
        b: UserId,
        order: Option<OrderId>,
    ) -> Result<Option<ConversationHead>, Unexpected>;

    /// Atomically: creates `post.conversation` unless the pair already has one for that
    /// order, inserts the message, adds one to the recipient's unread count, moves the
    /// conversation's `updated_at` and last message, and records `post.event`.
    ///
    /// Race: when a concurrent post created the pair's conversation first (under another
    /// id), the message goes into that one; the returned `Message::conversation_id` names
    /// it, and the adapter sets the event's `conversationId` field to it as well.
    async fn post(&self, post: NewPost) -> Result<Message, Unexpected>;

    async fn message(&self, id: MessageId) -> Result<Option<Message>, Unexpected>;

    /// `user`'s conversations, most recently active first (by `updated_at`, then id).
    async fn inbox(
        &self,
        user: UserId,
        page: PageRequest,
    ) -> Result<Page<ConversationSummary>, Unexpected>;

    /// The conversation's messages, newest first.
    async fn messages(
        &self,
        id: ConversationId,
        page: PageRequest,
    ) -> Result<Page<Message>, Unexpected>;

    /// Atomically: sets `read_at = at` on the unread messages the other participant sent,
    /// resets `reader`'s unread count, and records `event` only when at least one message
    /// was unread. Returns whether one was.
    async fn mark_read(
        &self,
        id: ConversationId,
        reader: UserId,
        at: DateTime<Utc>,
        event: DomainEvent,
    ) -> Result<bool, Unexpected>;

    /// Members with unread messages, the oldest of them sent before `older_than`, who were
    /// never reminded about that conversation, or last before `not_since` and before their
    /// newest unread message (no second e-mail for the same messages); at most `limit`.
    async fn unread_reminders(
        &self,
        older_than: DateTime<Utc>,
        not_since: DateTime<Utc>,
        limit: i64,
    ) -> Result<Vec<Reminder>, Unexpected>;

    /// Records that `user` was e-mailed about `conversation` at `at`.
    async fn reminded(
        &self,
        conversation: ConversationId,
        user: UserId,
        at: DateTime<Utc>,
    ) -> Result<(), Unexpected>;
}

#[async_trait]
pub trait Notifications: Send + Sync + 'static {
    /// Stores `n`, unless one from the same `(source_event, user_id)` exists: then that one
    /// is returned unchanged (events may be delivered twice).
    async fn add(&self, n: NewNotification) -> Result<Notification, Unexpected>;

    /// Newest first.
    async fn list(
        &self,
        user: UserId,
        unread_only: bool,
        page: PageRequest,
    ) -> Result<Page<Notification>, Unexpected>;

    /// Marks one read (keeping an earlier `read_at`); `None` when unknown or someone else's.
    async fn mark_read(
        &self,
        user: UserId,
        id: NotificationId,
        at: DateTime<Utc>,
    ) -> Result<Option<Notification>, Unexpected>;

    /// How many were unread.
    async fn mark_all_read(&self, user: UserId, at: DateTime<Utc>) -> Result<u64, Unexpected>;

    /// Unread notifications, and the sum of the user's unread counts over conversations.
    async fn unread(&self, user: UserId) -> Result<UnreadCounts, Unexpected>;
}
