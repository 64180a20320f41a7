//! E-mails the events call for (docs/events.md): the order confirmation and "nouvelle
//! commande" on `order.created`, delivery to the buyer, completion and payout to the
//! seller, KYC and service decisions.
//!
//! At least once: if the process dies after sending and before the dispatcher records the
//! event as handled, the mail goes out again on the retry. A duplicate mail is the accepted
//! price of never losing one.

use async_trait::async_trait;
use krika_kernel::Unexpected;
use krika_kernel::ids::UserId;
use krika_kernel::ports::{StoredEvent, Subscriber};
use serde_json::{Value, json};

use super::events::{OrderEvent, malformed, user};
use crate::Messaging;

const NAME: &str = "messaging.mail";

pub struct MailSubscriber {
    messaging: Messaging,
}

/// One mail to send: template, recipient, context (`name` is added per recipient).
struct Letter {
    template: &'static str,
    to: UserId,
    context: Value,
}

impl MailSubscriber {
    pub fn new(messaging: Messaging) -> Self {
        Self { messaging }
    }

    fn letters(&self, event: &StoredEvent) -> Option<Vec<Letter>> {
        let link = |path: String| self.messaging.link(&path);
        let letter = |template, to, context| Letter {
            template,
            to,
            context,
        };
        let letters = match event.kind.as_str() {
            "order.created" | "order.updated" => {
                let order = OrderEvent::read(event)?;
                let context = json!({
                    "number": order.number,
                    "service_title": order.service_title.clone().unwrap_or_default(),
                    "total": order.total,
                    "currency": order.currency,
                    "link": link(format!("/orders/{}", order.order_id)),
                });
                let previous = order.previous.as_deref();
                match (event.kind.as_str(), order.status.as_str()) {
                    ("order.created", _) => vec![
                        letter("order_confirmation", order.buyer, context.clone()),
                        letter("order_received", order.seller, context),
                    ],
                    (_, "delivered") if previous != Some("delivered") => {
                        vec![letter("order_delivered", order.buyer, context)]
                    }
                    (_, "completed") if previous != Some("completed") => {
                        vec![letter("order_completed", order.seller, context)]
                    }
                    _ => Vec::new(),
                }
            }
            "payout.processed" => {
                let context = json!({
                    "amount": event.data.get("amount"),
                    "currency": event.text("currency").unwrap_or("XOF"),
                    "link": link("/wallet".into()),
                });
                vec![letter("payout_processed", user(event, "userId")?, context)]
            }
            "kyc.approved" | "kyc.rejected" => {
                let template = if event.kind == "kyc.approved" {
                    "kyc_approved"
                } else {
                    "kyc_rejected"
                };
                let context = json!({
                    "reason": event.text("reason"),
                    "link": link("/seller/kyc".into()),
                });
                vec![letter(template, user(event, "userId")?, context)]
            }
            "service.approved" => {
                let context = json!({
                    "title": event.text("title").unwrap_or(""),
                    "link": link(format!("/services/{}", event.text("slug")?)),
                });
                vec![letter(
                    "service_approved",
                    user(event, "sellerId")?,
                    context,
                )]
            }
            "service.rejected" => {
                let context = json!({
                    "title": event.text("title").unwrap_or(""),
                    "reason": event.text("reason"),
                    "link": link(format!("/seller/services/{}", event.uuid("serviceId")?)),
                });
                vec![letter(
                    "service_rejected",
                    user(event, "sellerId")?,
                    context,
                )]
            }
            _ => Vec::new(),
        };
        Some(letters)
    }
}

#[async_trait]
impl Subscriber for MailSubscriber {
    fn name(&self) -> &'static str {
        NAME
    }

    fn wants(&self, kind: &str) -> bool {
        matches!(
            kind,
            "order.created"
                | "order.updated"
                | "payout.processed"
                | "kyc.approved"
                | "kyc.rejected"
                | "service.approved"
                | "service.rejected"
        )
    }

    async fn handle(&self, event: &StoredEvent) -> Result<(), Unexpected> {
        let Some(letters) = self.letters(event) else {
            malformed(NAME, event);
            return Ok(());
        };
        let ports = &self.messaging.ports;
        for Letter {
            template,
            to,
            mut context,
        } in letters
        {
            let Some(contact) = ports.people.contact(to).await? else {
                tracing::warn!(user = %to, template, "no such user to e-mail; skipped");
                continue;
            };
            context["name"] = contact.person.greeting_name().into();
            self.messaging
                .send_mail(contact.email, template, &context)
                .await?;
        }
        Ok(())
    }
}
