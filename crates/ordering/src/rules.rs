//! docs/orders.md's transition table, and what each transition does to the order and the
//! money. Pure: the adapter calls [`decide`] on the order it holds locked.

use chrono::{DateTime, Duration, Utc};
use krika_kernel::ids::UserId;
use krika_kernel::{DomainEvent, ValidationErrors};
use krika_payments::Transfer;
use krika_payments::model::postings::{order_refunded, order_released};
use serde::Serialize;

use crate::model::{Delivery, HistoryEntry, Order, OrderStatus, Party};

use OrderStatus::*;

/// How a change is asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Via {
    /// `PUT /orders/{id}/status`, or the server itself.
    Status,
    /// `POST /orders/{id}/deliver`, with what was delivered.
    Deliver(Delivery),
    /// `POST /admin/orders/{id}/resolve`.
    Resolve,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Route {
    Status,
    Deliver,
    Resolve,
}

impl Via {
    fn route(&self) -> Route {
        match self {
            Via::Status => Route::Status,
            Via::Deliver(_) => Route::Deliver,
            Via::Resolve => Route::Resolve,
        }
    }
}

struct Rule {
    from: OrderStatus,
    to: OrderStatus,
    who: &'static [Party],
    route: Route,
    needs_reason: bool,
}

const fn rule(
    from: OrderStatus,
    to: OrderStatus,
    who: &'static [Party],
    route: Route,
    needs_reason: bool,
) -> Rule {
    Rule {
        from,
        to,
        who,
        route,
        needs_reason,
    }
}

const RULES: &[Rule] = &[
    rule(Pending, InProgress, &[Party::Seller], Route::Status, false),
    rule(
        Pending,
        Cancelled,
        &[Party::Buyer, Party::Seller],
        Route::Status,
        false,
    ),
    rule(
        InProgress,
        Delivered,
        &[Party::Seller],
        Route::Deliver,
        false,
    ),
    // A revision request.
    rule(Delivered, InProgress, &[Party::Buyer], Route::Status, true),
    rule(
        Delivered,
        Completed,
        &[Party::Buyer, Party::System],
        Route::Status,
        false,
    ),
    rule(
        InProgress,
        Disputed,
        &[Party::Buyer, Party::Seller],
        Route::Status,
        true,
    ),
    rule(
        Delivered,
        Disputed,
        &[Party::Buyer, Party::Seller],
        Route::Status,
        true,
    ),
    rule(
        InProgress,
        Cancelled,
        &[Party::Seller],
        Route::Status,
        false,
    ),
    rule(Disputed, Completed, &[Party::Admin], Route::Resolve, false),
    rule(Disputed, Cancelled, &[Party::Admin], Route::Resolve, false),
];

/// A change as asked.
#[derive(Debug, Clone)]
pub struct ChangeRequest {
    pub to: OrderStatus,
    pub by: Party,
    /// `None` for the server.
    pub user: Option<UserId>,
    pub reason: Option<String>,
    pub via: Via,
    pub now: DateTime<Utc>,
}

/// Why a change is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// The transition exists but belongs to the other party.
    Forbidden,
    /// Not from this status (or no revision left): what the caller may reach instead.
    Invalid {
        from: OrderStatus,
        allowed: Vec<OrderStatus>,
    },
    Validation(ValidationErrors),
}

/// What a change does.
#[derive(Debug, Clone)]
pub struct Decision {
    pub status: OrderStatus,
    pub due_at: Option<DateTime<Utc>>,
    pub revisions_used: i32,
    pub delivered_at: Option<DateTime<Utc>>,
    pub delivery: Option<Delivery>,
    pub history: HistoryEntry,
    pub transfers: Vec<Transfer>,
    pub events: Vec<DomainEvent>,
}

fn revision_left(order: &Order) -> bool {
    order.revisions_used < order.revisions_allowed
}

/// Where `party` may take the order from its current status by `route`.
fn targets(order: &Order, party: Party, route: Route) -> Vec<OrderStatus> {
    RULES
        .iter()
        .filter(|r| r.from == order.status && r.route == route && r.who.contains(&party))
        .filter(|r| !(r.from == Delivered && r.to == InProgress) || revision_left(order))
        .map(|r| r.to)
        .collect()
}

/// Where the caller may take the order through `PUT /orders/{id}/status`, for clients
/// that show only the buttons that work.
pub fn allowed_targets(order: &Order, party: Party) -> Vec<OrderStatus> {
    targets(order, party, Route::Status)
}

const REASON_MAX: usize = 1_000;

pub fn decide(order: &Order, request: &ChangeRequest) -> Result<Decision, Refusal> {
    let route = request.via.route();
    let invalid = || Refusal::Invalid {
        from: order.status,
        allowed: targets(order, request.by, route),
    };
    // `delivered` through PUT …/status is not in the table either (an order is delivered
    // through POST /orders/{orderId}/deliver, with its files): 409 with where it may go.
    let rule = RULES
        .iter()
        .find(|r| r.from == order.status && r.to == request.to && r.route == route)
        .ok_or_else(invalid)?;
    if !rule.who.contains(&request.by) {
        return Err(Refusal::Forbidden);
    }
    // Kept exactly as sent; a blank one counts as none.
    let reason = request.reason.as_deref().filter(|r| !r.trim().is_empty());
    if reason.is_some_and(|r| r.chars().count() > REASON_MAX) {
        return Err(Refusal::Validation(ValidationErrors::single(
            "reason",
            "reason must be at most 1000 characters",
        )));
    }
    if rule.needs_reason && reason.is_none() {
        return Err(Refusal::Validation(ValidationErrors::single(
            "reason",
            "reason is required for this change",
        )));
    }
    let is_revision = rule.from == Delivered && rule.to == InProgress;
    if is_revision && !revision_left(order) {
        return Err(invalid());
    }

    let now = request.now;
    let mut decision = Decision {
        status: rule.to,
        due_at: order.due_at,
        revisions_used: order.revisions_used + i32::from(is_revision),
        delivered_at: order.delivered_at,
        delivery: None,
        history: HistoryEntry {
            from: Some(order.status),
            to: rule.to,
            by: request.user,
            reason: reason.map(str::to_owned),
            at: now,
        },
        transfers: Vec::new(),
        events: Vec::new(),
    };
    match (rule.from, rule.to) {
        // Work starts, or starts again on a revision request: the seller has the
        // package's delivery time from now (a revision would otherwise be late at once).
        (Pending | Delivered, InProgress) => {
            decision.due_at = Some(now + Duration::days(i64::from(order.delivery_days)));
        }
        (_, Delivered) => {
            decision.delivered_at = Some(now);
            if let Via::Deliver(delivery) = &request.via {
                decision.delivery = Some(delivery.clone());
            }
        }
        (_, Completed) => {
            decision.transfers = order_released(order.ledger_ref(), order.seller.id, order.money());
        }
        (_, Cancelled) => {
            decision.transfers = order_refunded(order.ledger_ref(), order.buyer.id, order.money());
        }
        _ => {}
    }
    decision.events.push(event("order.updated", order, rule.to));
    // Partners subscribe to the outcomes on their own (docs/webhooks.md).
    match rule.to {
        Completed => decision
            .events
            .push(event("order.completed", order, rule.to)),
        Cancelled => decision
            .events
            .push(event("order.cancelled", order, rule.to)),
        _ => {}
    }
    Ok(decision)
}

/// The payload of every `order.*` event.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct OrderEvent<'a> {
    order_id: uuid::Uuid,
    number: &'a str,
    status: &'static str,
    /// `null` for `order.created`; with `status` it says what happened (accepted,
    /// delivered, sent back for revision, resolved…).
    previous_status: Option<&'static str>,
    buyer_id: UserId,
    seller_id: UserId,
    service_id: uuid::Uuid,
    service_title: &'a str,
    total: i64,
    currency: krika_kernel::Currency,
}

pub fn event(kind: &'static str, order: &Order, status: OrderStatus) -> DomainEvent {
    DomainEvent::new(
        kind,
        order.id.0,
        OrderEvent {
            order_id: order.id.0,
            number: &order.number,
            status: status.as_str(),
            previous_status: (status != order.status).then(|| order.status.as_str()),
            buyer_id: order.buyer.id,
            seller_id: order.seller.id,
            service_id: order.service.id.0,
            service_title: &order.service.title,
            total: order.total.minor(),
            currency: order.currency(),
        },
    )
}
