//! Files in conversations: size-checked, typed from their content, stored privately and
//! served through short-lived signed links.

use uuid::Uuid;

use super::{Messaging, Viewer};
use crate::MessagingError;
use crate::model::{Attachment, ConversationId, Message};
use crate::rules::{sniff_content_type, storage_name};
use crate::view::MessageView;

/// A file as uploaded. The declared type is not trusted: the bytes decide.
#[derive(Debug, Clone)]
pub struct Upload {
    pub name: String,
    pub bytes: Vec<u8>,
    pub declared_type: Option<String>,
}

impl Messaging {
    /// Posts one file (message content `""`) into a conversation the viewer is part of.
    pub async fn send_file(
        &self,
        viewer: &Viewer,
        conversation: ConversationId,
        upload: Upload,
    ) -> Result<Message, MessagingError> {
        let head = self.joined(viewer, conversation).await?;
        let limit = self.config.attachment_max_bytes;
        if upload.bytes.len() > limit {
            return Err(MessagingError::TooLarge { limit });
        }
        if upload.bytes.is_empty() {
            return Err(MessagingError::field("file", "the file is empty"));
        }
        let other = head.other(viewer.id);
        if !self
            .ports
            .people
            .contact(other)
            .await?
            .is_some_and(|c| c.active)
        {
            return Err(MessagingError::field(
                "conversationId",
                "the other participant cannot receive messages",
            ));
        }

        let content_type = sniff_content_type(&upload.bytes);
        let key = format!(
            "messages/{}/{}-{}",
            head.id,
            Uuid::new_v4(),
            storage_name(&upload.name)
        );
        let attachment = Attachment {
            key: key.clone(),
            name: upload.name.clone(),
            content_type: content_type.to_owned(),
            size: upload.bytes.len() as i64,
        };
        self.ports
            .blobs
            .put(&key, upload.bytes, content_type)
            .await?;
        let preview = format!("Fichier : {}", upload.name);
        let posted = self
            .post(
                viewer,
                head,
                String::new(),
                false,
                vec![attachment],
                preview,
            )
            .await;
        if posted.is_err() {
            // Nothing refers to the file: do not leave it behind.
            if let Err(error) = self.ports.blobs.delete(&key).await {
                tracing::warn!(%error, key, "could not remove the file of a failed message");
            }
        }
        posted
    }

    /// A link that serves an attachment for `link_ttl`.
    pub async fn attachment_link(&self, key: &str) -> Result<String, MessagingError> {
        Ok(self
            .ports
            .blobs
            .signed_url(key, self.config.link_ttl)
            .await?)
    }

    /// The client shape of `message`, with signed links to its attachments.
    pub async fn message_view(&self, message: &Message) -> Result<MessageView, MessagingError> {
        let mut urls = Vec::with_capacity(message.attachments.len());
        for attachment in &message.attachments {
            urls.push(self.attachment_link(&attachment.key).await?);
        }
        let mut urls = urls.into_iter();
        Ok(MessageView::new(message, |_| {
            urls.next().unwrap_or_default()
        }))
    }
}
