//! Sending a message: into a conversation, or to a person (opening or reusing the pair's
//! conversation, general or about one of their orders).

use krika_kernel::ids::{OrderId, UserId};
use krika_kernel::{DomainEvent, ValidationErrors};
use serde::Serialize;

use super::{Messaging, Viewer};
use crate::MessagingError;
use crate::model::{
    Attachment, ConversationHead, ConversationId, Message, MessageId, NewMessage, NewPost,
};
use crate::rules::{check_content, mask_contacts, preview};

/// Where a message goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    Conversation(ConversationId),
    Recipient {
        recipient: UserId,
        order: Option<OrderId>,
    },
}

/// The payload of `message.created`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct MessageCreated {
    message_id: MessageId,
    conversation_id: ConversationId,
    sender_id: UserId,
    recipient_id: UserId,
    order_id: Option<OrderId>,
    preview: String,
    masked: bool,
}

impl Messaging {
    /// Posts `content` (1..=5000 characters once trimmed, no NUL, kept as sent unless
    /// contact details are masked).
    pub async fn send(
        &self,
        viewer: &Viewer,
        target: Target,
        content: String,
    ) -> Result<Message, MessagingError> {
        let mut errors = ValidationErrors::new();
        errors.check(check_content(&content));
        let head = self.resolve(viewer, target, &mut errors).await?;
        errors.into_result()?;
        let Some(head) = head else {
            return Err(MessagingError::field("recipientId", "unknown recipient"));
        };

        let recipient = head.other(viewer.id);
        let (content, masked) = if self.config.mask_contacts
            && !self
                .ports
                .people
                .share_an_order(viewer.id, recipient)
                .await?
        {
            mask_contacts(&content)
        } else {
            (content, false)
        };
        let text_preview = preview(&content);
        self.post(viewer, head, content, masked, Vec::new(), text_preview)
            .await
    }

    /// The conversation `target` names or opens. Refusals of a field go into `errors`
    /// (and `None` comes back); an unknown conversation is `NotFound`.
    async fn resolve(
        &self,
        viewer: &Viewer,
        target: Target,
        errors: &mut ValidationErrors,
    ) -> Result<Option<ConversationHead>, MessagingError> {
        match target {
            Target::Conversation(id) => {
                // Admins are never participants of others' conversations: they get 404
                // like anyone else, even where they may read.
                let head = self.joined(viewer, id).await?;
                if !self.can_receive(head.other(viewer.id)).await? {
                    errors.push(
                        "conversationId",
                        "the other participant cannot receive messages",
                    );
                    return Ok(None);
                }
                Ok(Some(head))
            }
            Target::Recipient { recipient, order } => {
                if recipient == viewer.id {
                    errors.push("recipientId", "you cannot message yourself");
                    return Ok(None);
                }
                if !self.can_receive(recipient).await? {
                    errors.push("recipientId", "unknown recipient");
                    return Ok(None);
                }
                let order_ref = match order {
                    None => None,
                    Some(order) => match self.ports.people.order_parties(order).await? {
                        // Unknown and someone else's answer alike: nothing about other
                        // people's orders leaks.
                        Some(parties) if parties.is_between(viewer.id, recipient) => {
                            Some(parties.order)
                        }
                        _ => {
                            errors.push("orderId", "no such order between you two");
                            return Ok(None);
                        }
                    },
                };
                let found = self
                    .ports
                    .conversations
                    .find(viewer.id, recipient, order)
                    .await?;
                // A new id only when there is none yet: the event names the conversation
                // the message lands in (the adapter corrects it if a concurrent post won).
                Ok(Some(found.unwrap_or(ConversationHead {
                    id: ConversationId::new(),
                    participants: [viewer.id, recipient],
                    order: order_ref,
                })))
            }
        }
    }

    async fn can_receive(&self, user: UserId) -> Result<bool, MessagingError> {
        Ok(self
            .ports
            .people
            .contact(user)
            .await?
            .is_some_and(|c| c.active))
    }

    /// Stores one message with its `message.created` event, in one adapter call.
    pub(super) async fn post(
        &self,
        viewer: &Viewer,
        head: ConversationHead,
        content: String,
        masked: bool,
        attachments: Vec<Attachment>,
        preview: String,
    ) -> Result<Message, MessagingError> {
        let id = MessageId::new();
        let event = DomainEvent::new(
            "message.created",
            id.0,
            MessageCreated {
                message_id: id,
                conversation_id: head.id,
                sender_id: viewer.id,
                recipient_id: head.other(viewer.id),
                order_id: head.order.as_ref().map(|o| o.id),
                preview,
                masked,
            },
        );
        let message = NewMessage {
            id,
            sender: viewer.id,
            content,
            masked,
            attachments,
            created_at: self.now(),
        };
        Ok(self
            .ports
            .conversations
            .post(NewPost {
                conversation: head,
                message,
                event,
            })
            .await?)
    }
}
