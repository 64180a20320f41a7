//! The events partners can subscribe to (docs/webhooks.md), each with a line for
//! `GET /admin/webhooks/event-types`.

/// `(name, description)` of every event a webhook can carry.
pub const EVENT_TYPES: &[(&str, &str)] = &[
    (
        "order.created",
        "A buyer placed and paid an order; the money is in escrow.",
    ),
    (
        "order.updated",
        "An order changed status (accepted, delivered, revision, dispute…).",
    ),
    (
        "order.completed",
        "An order was completed; the seller is paid.",
    ),
    (
        "order.cancelled",
        "An order was cancelled; the buyer is refunded.",
    ),
    ("review.created", "A buyer reviewed a completed order."),
    (
        "service.approved",
        "A service was approved by moderation and is public.",
    ),
    ("service.rejected", "A service was rejected by moderation."),
    ("payout.processed", "A seller's payout was sent."),
    (
        "payout.rejected",
        "A seller's payout was rejected; the amount is back in the wallet.",
    ),
];

/// The event `POST /admin/webhooks/{id}/test` sends; never from the outbox.
pub const TEST_EVENT: &str = "webhook.test";

/// Subscribes to every event.
pub const ALL: &str = "*";

pub fn is_known(kind: &str) -> bool {
    EVENT_TYPES.iter().any(|(name, _)| *name == kind)
}

/// Whether an endpoint subscribed to `events` receives `kind`.
pub fn subscribes(events: &[String], kind: &str) -> bool {
    is_known(kind) && events.iter().any(|e| e == ALL || e == kind)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn star_takes_every_known_event_and_nothing_else() {
        let all = vec![ALL.to_owned()];
        assert!(subscribes(&all, "order.created"));
        assert!(subscribes(&all, "payout.rejected"));
        assert!(
            !subscribes(&all, "message.created"),
            "private events never leave"
        );
        let some = vec!["order.created".to_owned()];
        assert!(subscribes(&some, "order.created"));
        assert!(!subscribes(&some, "order.completed"));
    }
}
