//! docs/orders.md's transition table, cell by cell, without any storage.

use chrono::{Duration, Utc};
use krika_kernel::ids::{OrderId, PackageId, ServiceId, UserId};
use krika_ordering::rules::{ChangeRequest, Refusal, Via, allowed_targets, decide};
use krika_ordering::{
    Order, OrderStatus, PackageSnapshot, Party, PartyRef, PaymentMethod, ServiceRef,
};
use krika_payments::EntryType;

use OrderStatus::*;

fn xof(minor: i64) -> krika_kernel::Money {
    krika_kernel::Money::new(minor, krika_kernel::Currency::XOF)
}

fn order(status: OrderStatus) -> Order {
    let party = |name: &str| PartyRef {
        id: UserId::new(),
        name: name.into(),
        username: name.into(),
    };
    let now = Utc::now();
    Order {
        id: OrderId::new(),
        number: "KR-2026-000001".into(),
        status,
        buyer: party("buyer"),
        seller: party("seller"),
        service: ServiceRef {
            id: ServiceId::new(),
            title: "Logo".into(),
            slug: "logo".into(),
        },
        package: PackageSnapshot {
            id: PackageId::new(),
            name: "Basique".into(),
            description: String::new(),
            price: 10_000,
            delivery_days: 3,
            revisions: 1,
            features: Vec::new(),
        },
        extras: Vec::new(),
        requirements: String::new(),
        subtotal: xof(10_000),
        extras_total: xof(0),
        discount: xof(0),
        total: xof(10_000),
        commission: xof(1_000),
        offer_id: None,
        payment_method: PaymentMethod::Card,
        delivery_days: 3,
        due_at: None,
        revisions_allowed: 1,
        revisions_used: 0,
        delivered_at: None,
        deliveries: Vec::new(),
        history: Vec::new(),
        created_at: now,
        updated_at: now,
    }
}

fn ask(
    order: &Order,
    to: OrderStatus,
    by: Party,
    reason: Option<&str>,
) -> Result<krika_ordering::rules::Decision, Refusal> {
    decide(
        order,
        &ChangeRequest {
            to,
            by,
            user: Some(UserId::new()),
            reason: reason.map(Into::into),
            via: Via::Status,
            now: Utc::now(),
        },
    )
}

#[test]
fn each_party_sees_only_its_own_moves() {
    let pending = order(Pending);
    assert_eq!(
        allowed_targets(&pending, Party::Seller),
        [InProgress, Cancelled]
    );
    assert_eq!(allowed_targets(&pending, Party::Buyer), [Cancelled]);
    assert!(allowed_targets(&pending, Party::Admin).is_empty());
    let delivered = order(Delivered);
    assert_eq!(
        allowed_targets(&delivered, Party::Buyer),
        [InProgress, Completed, Disputed]
    );
    assert_eq!(allowed_targets(&delivered, Party::Seller), [Disputed]);
    let spent = Order {
        revisions_used: 1,
        ..order(Delivered)
    };
    assert_eq!(allowed_targets(&spent, Party::Buyer), [Completed, Disputed]);
    for done in [Completed, Cancelled] {
        for party in [Party::Buyer, Party::Seller, Party::Admin] {
            assert!(allowed_targets(&order(done), party).is_empty());
        }
    }
}

#[test]
fn the_wrong_party_is_forbidden_and_the_wrong_state_invalid() {
    assert_eq!(
        ask(&order(Pending), InProgress, Party::Buyer, None).unwrap_err(),
        Refusal::Forbidden
    );
    assert_eq!(
        ask(&order(InProgress), Cancelled, Party::Buyer, None).unwrap_err(),
        Refusal::Forbidden
    );
    assert_eq!(
        ask(&order(Delivered), Completed, Party::Seller, None).unwrap_err(),
        Refusal::Forbidden
    );
    assert_eq!(
        ask(&order(Pending), Completed, Party::Buyer, None).unwrap_err(),
        Refusal::Invalid {
            from: Pending,
            allowed: vec![Cancelled]
        }
    );
    // Disputes are settled by the resolve endpoint only.
    assert!(matches!(
        ask(&order(Disputed), Completed, Party::Admin, None),
        Err(Refusal::Invalid { .. })
    ));
    // Delivering goes through its own endpoint: not a status change of the table.
    assert_eq!(
        ask(&order(InProgress), Delivered, Party::Seller, None).unwrap_err(),
        Refusal::Invalid {
            from: InProgress,
            allowed: vec![Disputed, Cancelled]
        }
    );
    assert!(matches!(
        ask(&order(Delivered), Disputed, Party::Seller, None),
        Err(Refusal::Validation(_))
    ));
}

#[test]
fn effects_follow_the_table() {
    let started = ask(&order(Pending), InProgress, Party::Seller, None).unwrap();
    let due = started.due_at.unwrap() - started.history.at;
    assert_eq!(due, Duration::days(3));
    assert!(started.transfers.is_empty());

    let revision = ask(
        &order(Delivered),
        InProgress,
        Party::Buyer,
        Some("plus de bleu"),
    )
    .unwrap();
    assert_eq!(revision.revisions_used, 1);

    let completed = ask(&order(Delivered), Completed, Party::System, None).unwrap();
    let kinds: Vec<_> = completed
        .transfers
        .iter()
        .map(|t| (t.kind, t.amount))
        .collect();
    assert_eq!(
        kinds,
        [
            (EntryType::EscrowRelease, xof(10_000)),
            (EntryType::Commission, xof(1_000))
        ]
    );
    let events: Vec<_> = completed.events.iter().map(|e| e.kind).collect();
    assert_eq!(events, ["order.updated", "order.completed"]);

    let cancelled = ask(&order(Pending), Cancelled, Party::Buyer, None).unwrap();
    assert_eq!(cancelled.transfers[0].kind, EntryType::Refund);
    assert_eq!(cancelled.transfers[0].amount, xof(10_000));
}
