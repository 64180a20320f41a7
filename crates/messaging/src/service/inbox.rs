//! Reading conversations and marking them read.

use chrono::{DateTime, Utc};
use krika_kernel::ids::UserId;
use krika_kernel::{DomainEvent, Page, PageRequest};
use serde::Serialize;

use super::{Messaging, Viewer};
use crate::MessagingError;
use crate::model::{ConversationHead, ConversationId, ConversationSummary, Message};

/// The order status under which admins may read an order's conversation.
const DISPUTED: &str = "disputed";

/// The payload of `conversation.read`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ConversationRead {
    conversation_id: ConversationId,
    reader_id: UserId,
    read_at: DateTime<Utc>,
    recipient_id: UserId,
}

impl Messaging {
    /// The viewer's conversations, most recently active first.
    pub async fn conversations(
        &self,
        viewer: &Viewer,
        page: PageRequest,
    ) -> Result<Page<ConversationSummary>, MessagingError> {
        Ok(self.ports.conversations.inbox(viewer.id, page).await?)
    }

    /// A conversation's messages, newest first: for its participants, and for admins when
    /// it is about an order in dispute (each such read is logged).
    pub async fn messages(
        &self,
        viewer: &Viewer,
        id: ConversationId,
        page: PageRequest,
    ) -> Result<Page<Message>, MessagingError> {
        let head = self
            .ports
            .conversations
            .head(id)
            .await?
            .ok_or(MessagingError::NotFound)?;
        if !head.has(viewer.id) && !self.admin_may_read(viewer, &head).await? {
            return Err(MessagingError::NotFound);
        }
        Ok(self.ports.conversations.messages(id, page).await?)
    }

    async fn admin_may_read(
        &self,
        viewer: &Viewer,
        head: &ConversationHead,
    ) -> Result<bool, MessagingError> {
        let Some(order) = head.order.as_ref().filter(|_| viewer.is_admin) else {
            return Ok(false);
        };
        let disputed = self
            .ports
            .people
            .order_parties(order.id)
            .await?
            .is_some_and(|parties| parties.status == DISPUTED);
        if disputed {
            tracing::info!(
                admin = %viewer.id,
                conversation = %head.id,
                order = %order.id,
                "admin read a disputed order's conversation"
            );
        }
        Ok(disputed)
    }

    /// Marks what the other participant sent as read; returns whether anything was unread
    /// (only then is `conversation.read` written).
    pub async fn mark_read(
        &self,
        viewer: &Viewer,
        id: ConversationId,
    ) -> Result<bool, MessagingError> {
        let head = self.joined(viewer, id).await?;
        let now = self.now();
        let event = DomainEvent::new(
            "conversation.read",
            id.0,
            ConversationRead {
                conversation_id: id,
                reader_id: viewer.id,
                read_at: now,
                recipient_id: head.other(viewer.id),
            },
        );
        Ok(self
            .ports
            .conversations
            .mark_read(id, viewer.id, now, event)
            .await?)
    }
}
