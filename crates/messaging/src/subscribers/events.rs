//! Reading the payloads other domains write (docs/events.md lists who hears what).

use krika_kernel::ids::{OrderId, UserId};
use krika_kernel::ports::StoredEvent;

/// The payload of every `order.*` event.
#[derive(Debug, Clone)]
pub(crate) struct OrderEvent {
    pub order_id: OrderId,
    pub number: String,
    pub status: String,
    pub previous: Option<String>,
    pub buyer: UserId,
    pub seller: UserId,
    pub service_title: Option<String>,
    pub total: Option<i64>,
    pub currency: String,
}

impl OrderEvent {
    pub fn read(event: &StoredEvent) -> Option<Self> {
        Some(Self {
            order_id: OrderId(event.uuid("orderId")?),
            number: event.text("number")?.to_owned(),
            status: event.text("status")?.to_owned(),
            previous: event.text("previousStatus").map(str::to_owned),
            buyer: UserId(event.uuid("buyerId")?),
            seller: UserId(event.uuid("sellerId")?),
            service_title: event.text("serviceTitle").map(str::to_owned),
            total: event.data.get("total").and_then(|v| v.as_i64()),
            currency: event.text("currency").unwrap_or("XOF").to_owned(),
        })
    }

    /// What happened to the order; `None` for changes nobody is told about.
    pub fn change(&self, kind: &str) -> Option<OrderChange> {
        use OrderChange::*;
        match kind {
            "order.created" => Some(Placed),
            "order.updated" => match (self.previous.as_deref(), self.status.as_str()) {
                (Some("disputed"), "completed" | "cancelled" | "in_progress") => Some(Resolved),
                (Some("delivered"), "in_progress") => Some(RevisionRequested),
                // Without `previousStatus`, `in_progress` can only be read as the acceptance.
                (Some("pending") | None, "in_progress") => Some(Accepted),
                (_, "delivered") => Some(Delivered),
                (_, "completed") => Some(Completed),
                (_, "cancelled") => Some(Cancelled),
                (_, "disputed") => Some(Disputed),
                _ => None,
            },
            // `order.completed` repeats the `order.updated` of the same change: ignored so
            // nobody hears twice.
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum OrderChange {
    Placed,
    Accepted,
    Delivered,
    RevisionRequested,
    Completed,
    Cancelled,
    Disputed,
    /// A dispute ended (completed, cancelled or back to work).
    Resolved,
}

/// A user id field of the payload.
pub(crate) fn user(event: &StoredEvent, field: &str) -> Option<UserId> {
    event.uuid(field).map(UserId)
}

/// Logs an event whose payload lacks what a subscriber needs. Retrying would not help, so
/// the subscriber carries on.
pub(crate) fn malformed(subscriber: &str, event: &StoredEvent) {
    tracing::warn!(
        subscriber,
        event = %event.id,
        kind = %event.kind,
        "event payload lacks a field this subscriber needs; skipped"
    );
}
