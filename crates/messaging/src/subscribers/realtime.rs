//! WebSocket frames (README.md, Real time): new messages to both participants (the sender's other
//! tabs too), read receipts to the other participant, order changes to both parties.

use async_trait::async_trait;
use krika_kernel::Unexpected;
use krika_kernel::ids::SessionId;
use krika_kernel::ports::{Frame, StoredEvent, Subscriber};
use serde_json::json;

use super::events::{malformed, user};
use crate::model::MessageId;
use crate::{Messaging, MessagingError};

const NAME: &str = "messaging.realtime";

pub struct RealtimeSubscriber {
    messaging: Messaging,
}

impl RealtimeSubscriber {
    pub fn new(messaging: Messaging) -> Self {
        Self { messaging }
    }

    async fn message_created(&self, event: &StoredEvent) -> Result<(), Unexpected> {
        let id = MessageId(event.uuid("messageId").unwrap_or(event.subject));
        // The participants are in the payload: no need to read the conversation.
        let (Some(sender), Some(recipient)) = (user(event, "senderId"), user(event, "recipientId"))
        else {
            malformed(NAME, event);
            return Ok(());
        };
        let Some(message) = self.messaging.ports.conversations.message(id).await? else {
            malformed(NAME, event);
            return Ok(());
        };
        let view = self
            .messaging
            .message_view(&message)
            .await
            .map_err(unexpected)?;
        let data = serde_json::to_value(view).map_err(Unexpected::new)?;
        self.messaging
            .ports
            .realtime
            .push(
                &[sender, recipient],
                Frame::new("message.created", message.id.0, data),
            )
            .await
    }
}

fn unexpected(error: MessagingError) -> Unexpected {
    match error {
        MessagingError::Unexpected(error) => error,
        other => Unexpected::new(other),
    }
}

#[async_trait]
impl Subscriber for RealtimeSubscriber {
    fn name(&self) -> &'static str {
        NAME
    }

    fn wants(&self, kind: &str) -> bool {
        matches!(
            kind,
            "message.created"
                | "conversation.read"
                | "order.created"
                | "order.updated"
                | "user.suspended"
                | "user.deleted"
                | "user.password_reset"
                | "session.revoked"
        )
    }

    async fn handle(&self, event: &StoredEvent) -> Result<(), Unexpected> {
        let realtime = &self.messaging.ports.realtime;
        match event.kind.as_str() {
            "message.created" => self.message_created(event).await,
            // A suspended account's sockets close at once (its tokens already stopped).
            "user.suspended" => match user(event, "userId") {
                Some(suspended) => realtime.disconnect(&[suspended], "Account suspended").await,
                None => {
                    malformed(NAME, event);
                    Ok(())
                }
            },
            // Every session of the account ended: so do its sockets.
            "user.deleted" | "user.password_reset" => match user(event, "userId") {
                Some(owner) => {
                    let reason = if event.kind == "user.deleted" {
                        "Account deleted"
                    } else {
                        "Password reset: sign in again"
                    };
                    realtime.disconnect(&[owner], reason).await
                }
                None => {
                    malformed(NAME, event);
                    Ok(())
                }
            },
            // A logout closes the sockets of the sessions it ended, not the user's others.
            "session.revoked" => {
                let sessions: Option<Vec<SessionId>> = event
                    .data
                    .get("sessionIds")
                    .and_then(|ids| serde_json::from_value(ids.clone()).ok());
                let (Some(owner), Some(sessions)) = (user(event, "userId"), sessions) else {
                    malformed(NAME, event);
                    return Ok(());
                };
                realtime.end_sessions(owner, &sessions, "Signed out").await
            }
            "conversation.read" => {
                let Some(recipient) = user(event, "recipientId") else {
                    malformed(NAME, event);
                    return Ok(());
                };
                let data = json!({
                    "conversationId": event.data.get("conversationId"),
                    "readerId": event.data.get("readerId"),
                    "readAt": event.data.get("readAt"),
                });
                realtime
                    .push(
                        &[recipient],
                        Frame::new("conversation.read", event.id, data),
                    )
                    .await
            }
            _ => {
                let (Some(buyer), Some(seller)) = (user(event, "buyerId"), user(event, "sellerId"))
                else {
                    malformed(NAME, event);
                    return Ok(());
                };
                let frame = Frame::new("order.updated", event.id, event.data.clone());
                realtime.push(&[buyer, seller], frame).await
            }
        }
    }
}
