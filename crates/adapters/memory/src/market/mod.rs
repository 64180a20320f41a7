//! Payments' and ordering's ports in memory: orders, reviews, payouts, offers, the ledger and
//! the outbox behind one lock, so every method that writes more than one of them is atomic,
//! as the PostgreSQL transactions are.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use chrono::{DateTime, Utc};
use krika_kernel::DomainEvent;
use krika_kernel::ids::{OfferId, OrderId, PayoutId, ReviewId, UserId};
use krika_ordering::rules::Decision;
use krika_ordering::{Order, Review};
use krika_payments::{Account, Offer, Payout};

use crate::ledger::{Ledger, LedgerEntry};
use crate::{MemoryCatalogStore, MemoryIdentityStore, lock};

mod ordering;
mod payments;
mod stats;

#[derive(Default)]
struct State {
    ledger: Ledger,
    /// The outbox: every event recorded, oldest first.
    events: Vec<DomainEvent>,
    orders: HashMap<OrderId, Order>,
    /// The last order number handed out (one sequence for every year, as in PostgreSQL).
    order_number: u64,
    /// Orders and payouts by the Idempotency-Key they were created under, per user.
    order_requests: HashMap<(UserId, String), OrderId>,
    payout_requests: HashMap<(UserId, String), PayoutId>,
    reviews: HashMap<ReviewId, Review>,
    payouts: HashMap<PayoutId, Payout>,
    offers: HashMap<OfferId, Offer>,
}

impl State {
    /// Writes a decision's change of the order and its events; its transfers are posted
    /// before, by the caller, since that is the step that can fail.
    fn write(&mut self, id: OrderId, decision: Decision, now: DateTime<Utc>) -> Option<Order> {
        let order = self.orders.get_mut(&id)?;
        order.status = decision.status;
        order.due_at = decision.due_at;
        order.revisions_used = decision.revisions_used;
        order.delivered_at = decision.delivered_at;
        order.updated_at = now;
        order.deliveries.extend(decision.delivery);
        order.history.push(decision.history);
        self.events.extend(decision.events);
        Some(order.clone())
    }
}

/// Implements `WalletRepository`, `OfferRepository`, `OrderRepository`,
/// `ReviewRepository` and `StatsReader` with the PostgreSQL adapters' promises.
///
/// Services live in the catalog store it is given: completing an order counts it there, a
/// review adds its stars there. Users live in the identity store, if it is given one
/// ([`MemoryMarket::with_identity`]); without it the user and KYC figures of the platform
/// stats are zero.
pub struct MemoryMarket {
    state: Mutex<State>,
    catalog: Arc<MemoryCatalogStore>,
    identity: Option<Arc<MemoryIdentityStore>>,
    /// Where an order's idempotent answer is stored with it ([`MemoryMarket::with_idempotency`]).
    idempotency: Option<Arc<crate::MemoryIdempotencyStore>>,
}

impl Default for MemoryMarket {
    fn default() -> Self {
        Self::new(Arc::default())
    }
}

impl MemoryMarket {
    pub fn new(catalog: Arc<MemoryCatalogStore>) -> Self {
        Self {
            state: Mutex::default(),
            catalog,
            identity: None,
            idempotency: None,
        }
    }

    /// Stores orders' idempotent answers in `keys`, as the PostgreSQL store does in the
    /// order's transaction.
    pub fn with_idempotency(self, keys: Arc<crate::MemoryIdempotencyStore>) -> Self {
        Self {
            idempotency: Some(keys),
            ..self
        }
    }

    /// Counts users and KYC files of `identity` in the platform stats.
    pub fn with_identity(self, identity: Arc<MemoryIdentityStore>) -> Self {
        Self {
            identity: Some(identity),
            ..self
        }
    }

    /// Every event recorded in the outbox, oldest first.
    pub fn events(&self) -> Vec<DomainEvent> {
        lock(&self.state).events.clone()
    }

    /// Every ledger entry, in the order written.
    pub fn ledger_entries(&self) -> Vec<LedgerEntry> {
        lock(&self.state).ledger.entries().to_vec()
    }

    /// An account's balance (the platform's accounts included).
    pub fn balance(&self, account: Account) -> i64 {
        lock(&self.state).ledger.balance(account)
    }

    /// What breaks the ledger's invariants (entries sum to zero overall and per
    /// transaction, no wallet or escrow below zero, running balances match the entries)
    /// or its agreement with the orders (an open order's escrow holds its full price, a
    /// settled one's nothing); empty when all is sound.
    pub fn ledger_violations(&self) -> Vec<String> {
        let state = lock(&self.state);
        let mut found = state.ledger.violations();
        for order in state.orders.values() {
            let held = state.ledger.balance(Account::Escrow(order.id));
            let expected = if order.status.is_final() {
                0
            } else {
                order.money().gross.minor()
            };
            if held != expected {
                found.push(format!(
                    "order {} ({}) has {held} in escrow, not {expected}",
                    order.number,
                    order.status.as_str()
                ));
            }
        }
        found
    }
}
