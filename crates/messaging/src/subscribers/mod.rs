//! Readers of the outbox that turn events into what people see: notifications, WebSocket
//! frames and e-mails. Each is idempotent or harmless when an event comes twice.

mod events;
mod mail;
mod notifications;
mod realtime;

pub use mail::MailSubscriber;
pub use notifications::NotificationSubscriber;
pub use realtime::RealtimeSubscriber;

use std::sync::Arc;

use krika_kernel::ports::Subscriber;

use crate::Messaging;

impl Messaging {
    /// The three messaging subscribers, for the dispatcher.
    pub fn subscribers(&self) -> Vec<Arc<dyn Subscriber>> {
        vec![
            // Frames first: they are what a waiting user sees.
            Arc::new(RealtimeSubscriber::new(self.clone())),
            Arc::new(NotificationSubscriber::new(self.clone())),
            Arc::new(MailSubscriber::new(self.clone())),
        ]
    }
}
