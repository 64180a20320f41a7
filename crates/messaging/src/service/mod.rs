//! The messaging use cases.

mod files;
mod inbox;
mod notifications;
mod reminders;
mod send;

use std::sync::Arc;

use chrono::{DateTime, Utc};
use krika_kernel::Clock;
use krika_kernel::ids::UserId;
use krika_kernel::ports::{BlobStore, Mailer, Realtime};

use crate::MessagingError;
use crate::model::{ConversationHead, ConversationId};
use crate::ports::{Conversations, Notifications, People};

pub use files::Upload;
pub use send::Target;

/// Who is calling, as far as messaging cares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Viewer {
    pub id: UserId,
    pub is_admin: bool,
}

#[derive(Debug, Clone)]
pub struct MessagingConfig {
    /// Mask contact details between people with no order together (`CHAT_MASK_CONTACTS`).
    pub mask_contacts: bool,
    pub attachment_max_bytes: usize,
    /// How long a signed link to an attachment works.
    pub link_ttl: std::time::Duration,
    /// The front end's base URL, for links in e-mails.
    pub app_url: String,
    /// A message unread this long, by someone offline, is e-mailed (`UNREAD_EMAIL_AFTER_MIN`).
    pub unread_email_after: chrono::Duration,
}

impl Default for MessagingConfig {
    fn default() -> Self {
        Self {
            mask_contacts: true,
            attachment_max_bytes: 25 * 1024 * 1024,
            link_ttl: std::time::Duration::from_secs(600),
            app_url: "http://localhost:3000".into(),
            unread_email_after: chrono::Duration::minutes(15),
        }
    }
}

#[derive(Clone)]
pub struct MessagingPorts {
    pub conversations: Arc<dyn Conversations>,
    pub notifications: Arc<dyn Notifications>,
    pub people: Arc<dyn People>,
    pub realtime: Arc<dyn Realtime>,
    pub mailer: Arc<dyn Mailer>,
    pub blobs: Arc<dyn BlobStore>,
    pub clock: Arc<dyn Clock>,
}

/// The messaging use cases, cheap to clone.
#[derive(Clone)]
pub struct Messaging {
    pub(crate) ports: MessagingPorts,
    pub(crate) config: Arc<MessagingConfig>,
}

impl Messaging {
    pub fn new(ports: MessagingPorts, config: MessagingConfig) -> Self {
        Self {
            ports,
            config: Arc::new(config),
        }
    }

    pub fn config(&self) -> &MessagingConfig {
        &self.config
    }

    pub(crate) fn now(&self) -> DateTime<Utc> {
        self.ports.clock.now()
    }

    /// The conversation, if `viewer` takes part in it; `NotFound` otherwise, so strangers
    /// cannot tell it exists.
    pub(crate) async fn joined(
        &self,
        viewer: &Viewer,
        id: ConversationId,
    ) -> Result<ConversationHead, MessagingError> {
        match self.ports.conversations.head(id).await? {
            Some(head) if head.has(viewer.id) => Ok(head),
            _ => Err(MessagingError::NotFound),
        }
    }

    /// A front-end link: `{app_url}{path}`.
    pub(crate) fn link(&self, path: &str) -> String {
        format!("{}{path}", self.config.app_url.trim_end_matches('/'))
    }
}
