//! Domain events: what others must hear about a change. They are written to the outbox in
//! the same transaction as the change, and delivered later, at least once.

use serde::Serialize;
use uuid::Uuid;

/// One event, as it goes into the outbox.
#[derive(Debug, Clone, PartialEq)]
pub struct DomainEvent {
    /// `order.created`, `order.updated`, `order.completed`, `service.approved`,
    /// `payout.processed`…
    pub kind: &'static str,
    /// The order, service or payout the event is about.
    pub subject: Uuid,
    pub data: serde_json::Value,
}

impl DomainEvent {
    pub fn new(kind: &'static str, subject: Uuid, data: impl Serialize) -> Self {
        Self {
            kind,
            subject,
            // Plain data structs always serialize; `Null` would only hide a programming slip.
            data: serde_json::to_value(data).unwrap_or(serde_json::Value::Null),
        }
    }
}
