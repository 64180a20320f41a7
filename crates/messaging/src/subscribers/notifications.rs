//! Notifications for the party concerned (docs/events.md), each pushed as a
//! `notification.created` frame.
//!
//! Order changes come from `order.created` and `order.updated` only (`order.completed`
//! repeats a change already notified). A cancellation notifies both parties: the payload
//! does not say who cancelled.

use async_trait::async_trait;
use krika_kernel::Unexpected;
use krika_kernel::ids::UserId;
use krika_kernel::ports::{Frame, StoredEvent, Subscriber};
use serde_json::{Value, json};

use super::events::{OrderChange, OrderEvent, malformed, user};
use crate::Messaging;
use crate::model::{NewNotification, NotificationId};

const NAME: &str = "messaging.notifications";

const KINDS: &[&str] = &[
    "order.created",
    "order.updated",
    "review.created",
    "message.created",
    "service.approved",
    "service.rejected",
    "kyc.approved",
    "kyc.rejected",
    "payout.processed",
    "payout.rejected",
];

pub struct NotificationSubscriber {
    messaging: Messaging,
}

/// One notification to write: who, title, body, data.
struct Note {
    to: UserId,
    title: String,
    body: String,
    data: Value,
}

impl NotificationSubscriber {
    pub fn new(messaging: Messaging) -> Self {
        Self { messaging }
    }

    /// Who hears about `event`, and what; `None` when the payload is malformed.
    async fn notes(&self, event: &StoredEvent) -> Result<Option<Vec<Note>>, Unexpected> {
        let note = |to, title: &str, body: String, data: Value| Note {
            to,
            title: title.to_owned(),
            body,
            data,
        };
        let with_reason = |text: String| match event.text("reason") {
            Some(reason) if !reason.trim().is_empty() => format!("{text} Motif : {reason}"),
            _ => text,
        };
        let notes = match event.kind.as_str() {
            "order.created" | "order.updated" => {
                let Some(order) = OrderEvent::read(event) else {
                    return Ok(None);
                };
                order_notes(&order, &event.kind)
                    .into_iter()
                    .map(|(to, title, body)| {
                        let data = json!({ "orderId": order.order_id, "number": order.number });
                        note(to, title, body, data)
                    })
                    .collect()
            }
            "review.created" => {
                let Some(seller) = user(event, "sellerId") else {
                    return Ok(None);
                };
                let rating = event
                    .data
                    .get("rating")
                    .and_then(Value::as_i64)
                    .unwrap_or(0);
                let data = json!({
                    "reviewId": event.data.get("reviewId"),
                    "orderId": event.data.get("orderId"),
                    "serviceId": event.data.get("serviceId"),
                });
                vec![note(
                    seller,
                    "Nouvel avis",
                    format!("Vous avez reçu un avis de {rating}/5."),
                    data,
                )]
            }
            "message.created" => {
                let (Some(recipient), Some(sender)) =
                    (user(event, "recipientId"), user(event, "senderId"))
                else {
                    return Ok(None);
                };
                let from = self.messaging.ports.people.contact(sender).await?;
                let title = match from {
                    Some(contact) => format!("Nouveau message de {}", contact.person.username),
                    None => "Nouveau message".to_owned(),
                };
                let body = match event.text("preview") {
                    Some(preview) if !preview.is_empty() => preview.to_owned(),
                    _ => "Vous avez reçu un message.".to_owned(),
                };
                let data = json!({
                    "conversationId": event.data.get("conversationId"),
                    "messageId": event.data.get("messageId"),
                    "senderId": sender,
                });
                vec![note(recipient, &title, body, data)]
            }
            "service.approved" | "service.rejected" => {
                let Some(seller) = user(event, "sellerId") else {
                    return Ok(None);
                };
                let title = event.text("title").unwrap_or("");
                let data = json!({ "serviceId": event.data.get("serviceId"), "slug": event.data.get("slug") });
                if event.kind == "service.approved" {
                    let body =
                        format!("Votre service « {title} » est approuvé et visible sur 2Krika.");
                    vec![note(seller, "Service approuvé", body, data)]
                } else {
                    let body =
                        with_reason(format!("Votre service « {title} » n'a pas été approuvé."));
                    vec![note(seller, "Service refusé", body, data)]
                }
            }
            "kyc.approved" | "kyc.rejected" => {
                let Some(to) = user(event, "userId") else {
                    return Ok(None);
                };
                if event.kind == "kyc.approved" {
                    let body =
                        "Votre identité est vérifiée : vous pouvez maintenant vendre.".to_owned();
                    vec![note(to, "Identité vérifiée", body, json!({}))]
                } else {
                    let body =
                        with_reason("Votre vérification d'identité n'a pas abouti.".to_owned());
                    vec![note(to, "Vérification refusée", body, json!({}))]
                }
            }
            "payout.processed" | "payout.rejected" => {
                let Some(to) = user(event, "userId") else {
                    return Ok(None);
                };
                let amount = event
                    .data
                    .get("amount")
                    .and_then(Value::as_i64)
                    .unwrap_or(0);
                let currency = event.text("currency").unwrap_or("XOF");
                let data = json!({ "payoutId": event.data.get("payoutId") });
                if event.kind == "payout.processed" {
                    let body = format!("Votre retrait de {amount} {currency} a été effectué.");
                    vec![note(to, "Retrait effectué", body, data)]
                } else {
                    let body = with_reason(format!(
                        "Votre retrait de {amount} {currency} a été refusé ; le montant est de retour sur votre solde."
                    ));
                    vec![note(to, "Retrait refusé", body, data)]
                }
            }
            _ => Vec::new(),
        };
        Ok(Some(notes))
    }
}

/// `(recipient, title, body)` of each notification an order change makes.
fn order_notes(order: &OrderEvent, kind: &str) -> Vec<(UserId, &'static str, String)> {
    use OrderChange::*;
    let number = &order.number;
    let (buyer, seller) = (order.buyer, order.seller);
    match order.change(kind) {
        Some(Placed) => {
            let body = match &order.service_title {
                Some(title) => format!("Vous avez reçu la commande {number} pour « {title} »."),
                None => format!("Vous avez reçu la commande {number}."),
            };
            vec![(seller, "Nouvelle commande", body)]
        }
        Some(Accepted) => vec![(
            buyer,
            "Commande acceptée",
            format!("Le vendeur a accepté votre commande {number} et commence le travail."),
        )],
        Some(Delivered) => vec![(
            buyer,
            "Commande livrée",
            format!("Votre commande {number} a été livrée : vérifiez la livraison."),
        )],
        Some(RevisionRequested) => vec![(
            seller,
            "Révision demandée",
            format!("L'acheteur demande une révision de la commande {number}."),
        )],
        Some(Completed) => vec![(
            seller,
            "Commande terminée",
            format!("La commande {number} est terminée ; vos gains sont crédités."),
        )],
        Some(Cancelled) => {
            let body = format!("La commande {number} a été annulée.");
            vec![
                (buyer, "Commande annulée", body.clone()),
                (seller, "Commande annulée", body),
            ]
        }
        Some(Disputed) => {
            let body = format!("Un litige a été ouvert sur la commande {number}.");
            vec![
                (buyer, "Litige ouvert", body.clone()),
                (seller, "Litige ouvert", body),
            ]
        }
        Some(Resolved) => {
            let outcome = match order.status.as_str() {
                "completed" => "la commande est terminée",
                "cancelled" => "la commande est annulée",
                _ => "le travail reprend",
            };
            let body = format!("Le litige sur la commande {number} est résolu : {outcome}.");
            vec![
                (buyer, "Litige résolu", body.clone()),
                (seller, "Litige résolu", body),
            ]
        }
        None => Vec::new(),
    }
}

#[async_trait]
impl Subscriber for NotificationSubscriber {
    fn name(&self) -> &'static str {
        NAME
    }

    fn wants(&self, kind: &str) -> bool {
        KINDS.contains(&kind)
    }

    async fn handle(&self, event: &StoredEvent) -> Result<(), Unexpected> {
        let Some(notes) = self.notes(event).await? else {
            malformed(NAME, event);
            return Ok(());
        };
        let ports = &self.messaging.ports;
        for note in notes {
            // Idempotent on (event, user): a redelivery finds the first notification, and
            // its frame goes out again under the same id, which clients drop.
            let notification = ports
                .notifications
                .add(NewNotification {
                    id: NotificationId::new(),
                    user_id: note.to,
                    kind: event.kind.clone(),
                    title: note.title,
                    body: note.body,
                    data: note.data,
                    source_event: event.id,
                    created_at: ports.clock.now(),
                })
                .await?;
            let data = serde_json::to_value(&notification).map_err(Unexpected::new)?;
            ports
                .realtime
                .push(
                    &[note.to],
                    Frame::new("notification.created", notification.id.0, data),
                )
                .await?;
        }
        Ok(())
    }
}
