//! The words of messaging: people as messages show them, conversations, messages,
//! attachments and notifications.

mod conversation;
mod notification;
mod people;

pub use conversation::{
    Attachment, ConversationHead, ConversationSummary, Message, NewMessage, NewPost, Reminder,
};
pub use notification::{NewNotification, Notification, UnreadCounts};
pub use people::{Contact, OrderParties, OrderRef, Person};

krika_kernel::define_id!(
    /// A conversation between two users, general or about one order.
    ConversationId
);
krika_kernel::define_id!(
    /// One message of a conversation.
    MessageId
);
krika_kernel::define_id!(
    /// One notification of one user.
    NotificationId
);
