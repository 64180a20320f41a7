//! A card charged, then the order's write fails (the database went away): the charge is
//! voided once the database says the order is not there, kept for the retry under the
//! same key while it cannot say, and never voided under an order that holds it.

use std::sync::atomic::{AtomicUsize, Ordering as Atomic};
use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use krika_kernel::ids::{OrderId, UserId};
use krika_kernel::ports::IdempotentAnswer;
use krika_kernel::{DomainEvent, Money, Page, PageRequest, RepoError, Unexpected};
use krika_ordering::ports::{ChangeOrderError, OrderRepository, PlaceOrderError};
use krika_ordering::rules::ChangeRequest;
use krika_ordering::{OrderingConfig, OrderingPorts, Receipt};
use krika_payments::Transfer;
use krika_payments::gateway::SandboxGateway;
use krika_payments::ports::{ClearanceSince, GatewayError, PaymentGateway};

use super::*;

/// How the order's write fails.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Write {
    Works,
    /// Nothing is stored.
    Fails,
    /// Stored, but the reply is lost.
    ReplyLost,
    /// Another try under the same key placed its order first (a stale takeover).
    OtherTryWon,
}

/// The memory orders, with a write that fails as told; after a failed write, lookups
/// fail `lookups_fail` times before they answer.
struct Flaky {
    inner: Arc<MemoryMarket>,
    write: Mutex<Write>,
    lookups_fail: usize,
    failing: AtomicUsize,
}

fn gone() -> Unexpected {
    Unexpected::unavailable("connection closed")
}

#[async_trait]
impl OrderRepository for Flaky {
    async fn next_order_number(&self, year: i32) -> Result<String, Unexpected> {
        self.inner.next_order_number(year).await
    }

    async fn place_order(
        &self,
        order: &Order,
        request_key: Option<&str>,
        transfers: &[Transfer],
        clearance: ClearanceSince,
        events: &[DomainEvent],
        answer: Option<&IdempotentAnswer>,
    ) -> Result<(), PlaceOrderError> {
        let write = *self.write.lock().unwrap();
        if write != Write::Works {
            self.failing.store(self.lookups_fail, Atomic::SeqCst);
        }
        let place = |order: Order| async move {
            self.inner
                .place_order(&order, request_key, transfers, clearance, events, answer)
                .await
        };
        match write {
            Write::Works => return place(order.clone()).await,
            Write::Fails => {}
            Write::ReplyLost => place(order.clone()).await?,
            Write::OtherTryWon => {
                let other = Order {
                    id: OrderId::new(),
                    number: self.inner.next_order_number(2026).await?,
                    ..order.clone()
                };
                let transfers: Vec<Transfer> = transfers
                    .iter()
                    .map(|t| {
                        let moved = |account| match account {
                            Account::Escrow(_) => Account::Escrow(other.id),
                            other => other,
                        };
                        Transfer {
                            from: moved(t.from),
                            to: moved(t.to),
                            order_id: Some(other.id),
                            ..t.clone()
                        }
                    })
                    .collect();
                self.inner
                    .place_order(&other, request_key, &transfers, clearance, events, answer)
                    .await?
            }
        }
        Err(RepoError::Unexpected(gone()))
    }

    async fn find_order(&self, id: OrderId) -> Result<Option<Order>, Unexpected> {
        self.lookup()?;
        self.inner.find_order(id).await
    }

    async fn find_order_by_request(
        &self,
        buyer: UserId,
        request_key: &str,
    ) -> Result<Option<Order>, Unexpected> {
        self.lookup()?;
        self.inner.find_order_by_request(buyer, request_key).await
    }

    async fn list_orders(
        &self,
        side: Side,
        user: UserId,
        status: Option<OrderStatus>,
        page: PageRequest,
    ) -> Result<Page<Order>, Unexpected> {
        self.inner.list_orders(side, user, status, page).await
    }

    async fn change_order(
        &self,
        id: OrderId,
        request: &ChangeRequest,
    ) -> Result<Order, ChangeOrderError> {
        self.inner.change_order(id, request).await
    }

    async fn auto_complete(
        &self,
        delivered_before: DateTime<Utc>,
        now: DateTime<Utc>,
        limit: i64,
    ) -> Result<Vec<Order>, Unexpected> {
        self.inner.auto_complete(delivered_before, now, limit).await
    }
}

impl Flaky {
    fn lookup(&self) -> Result<(), Unexpected> {
        let failed = self
            .failing
            .fetch_update(Atomic::SeqCst, Atomic::SeqCst, |n| n.checked_sub(1));
        match failed {
            Ok(_) => Err(gone()),
            Err(_) => Ok(()),
        }
    }
}

/// The sandbox, remembering what it charged and voided.
#[derive(Default)]
struct Recording {
    charges: Mutex<Vec<String>>,
    voids: Mutex<Vec<String>>,
}

#[async_trait]
impl PaymentGateway for Recording {
    async fn charge(
        &self,
        token: &str,
        amount: Money,
        reference: &str,
        key: Option<&str>,
    ) -> Result<String, GatewayError> {
        let charge = SandboxGateway.charge(token, amount, reference, key).await?;
        self.charges.lock().unwrap().push(charge.clone());
        Ok(charge)
    }

    async fn void(&self, charge: &str) -> Result<(), GatewayError> {
        self.voids.lock().unwrap().push(charge.to_owned());
        Ok(())
    }
}

struct Outage {
    ordering: Ordering,
    orders: Arc<Flaky>,
    gateway: Arc<Recording>,
}

fn outage(w: &World, write: Write, lookups_fail: usize) -> Outage {
    let orders = Arc::new(Flaky {
        inner: w.market.clone(),
        write: Mutex::new(write),
        lookups_fail,
        failing: AtomicUsize::new(0),
    });
    let gateway = Arc::new(Recording::default());
    let ordering = Ordering::new(
        OrderingPorts {
            orders: orders.clone(),
            reviews: w.market.clone(),
            services: w.store.clone(),
            offers: w.market.clone(),
            gateway: gateway.clone(),
            blobs: w.blobs.clone(),
            clock: w.clock.clone(),
        },
        OrderingConfig {
            settle_within: std::time::Duration::from_millis(400),
            ..OrderingConfig::default()
        },
    );
    Outage {
        ordering,
        orders,
        gateway,
    }
}

/// A checkout under Idempotency-Key `key`, claimed as `attempt`.
async fn keyed(
    o: &Outage,
    w: &World,
    key: &str,
    attempt: &str,
) -> Result<(Order, Option<IdempotentAnswer>), OrderingError> {
    let input = CheckoutInput {
        request_key: Some(key.into()),
        ..w.by_card()
    };
    let receipt = Receipt {
        scope: "koffi:POST /orders".into(),
        key: key.into(),
        attempt: attempt.into(),
        render: Arc::new(|order: &Order| (201, order.number.clone().into_bytes())),
    };
    o.ordering
        .place_order_answering(&w.buyer, input, Some(receipt))
        .await
}

async fn purchases(w: &World) -> u64 {
    w.ordering
        .list_orders(&w.buyer, Side::Purchases, None, first_page())
        .await
        .unwrap()
        .total
}

#[tokio::test]
async fn a_charge_without_its_order_is_voided_once_the_database_answers() {
    let w = world().await;
    let o = outage(&w, Write::Fails, 2);
    let error = keyed(&o, &w, "k1", "attempt-1").await.unwrap_err();
    assert!(
        matches!(&error, OrderingError::Unexpected(e) if e.is_unavailable()),
        "{error:?}"
    );
    let charges = o.gateway.charges.lock().unwrap().clone();
    assert_eq!(charges.len(), 1);
    assert_eq!(*o.gateway.voids.lock().unwrap(), charges);
    assert_eq!(purchases(&w).await, 0);
    assert!(w.market.ledger_entries().is_empty());
}

#[tokio::test]
async fn a_charge_is_kept_for_the_retry_while_the_database_stays_away() {
    let w = world().await;
    let o = outage(&w, Write::Fails, usize::MAX);
    let error = keyed(&o, &w, "k1", "attempt-1").await.unwrap_err();
    assert!(
        matches!(&error, OrderingError::ChargeUnsettled(e) if e.is_unavailable()),
        "{error:?}"
    );
    assert!(o.gateway.voids.lock().unwrap().is_empty());

    // The database is back; the retry takes the stale claim over (same attempt) and gets
    // the same charge from the provider: one charge, one order.
    *o.orders.write.lock().unwrap() = Write::Works;
    o.orders.failing.store(0, Atomic::SeqCst);
    let (order, answer) = keyed(&o, &w, "k1", "attempt-1").await.unwrap();
    assert!(answer.is_some());
    let charges = o.gateway.charges.lock().unwrap().clone();
    assert_eq!(charges.len(), 2);
    assert_eq!(charges[0], charges[1], "the retry is the same charge");
    assert!(o.gateway.voids.lock().unwrap().is_empty());
    assert_eq!(purchases(&w).await, 1);
    assert_eq!(w.stored(&order).await.total, order.total);
    w.assert_ledger_sound();
}

#[tokio::test]
async fn without_a_key_an_unconfirmed_charge_is_a_plain_unavailable() {
    let w = world().await;
    let o = outage(&w, Write::Fails, usize::MAX);
    let error = o
        .ordering
        .place_order(&w.buyer, w.by_card())
        .await
        .unwrap_err();
    // Nothing tells the client to retry under a key it did not send.
    assert!(
        matches!(&error, OrderingError::Unexpected(e) if e.is_unavailable()),
        "{error:?}"
    );
    assert!(o.gateway.voids.lock().unwrap().is_empty());
}

#[tokio::test]
async fn an_order_whose_commit_reply_was_lost_is_placed_and_its_charge_kept() {
    let w = world().await;
    for (key, lookups_fail) in [("k1", 0), ("k2", 2)] {
        let o = outage(&w, Write::ReplyLost, lookups_fail);
        let (order, answer) = keyed(&o, &w, key, key).await.unwrap();
        assert_eq!(
            answer.map(|a| a.body),
            Some(order.number.clone().into_bytes())
        );
        assert_eq!(w.stored(&order).await.id, order.id);
        assert!(o.gateway.voids.lock().unwrap().is_empty());
    }
    // Without a key, the order is looked up by its id.
    let o = outage(&w, Write::ReplyLost, 0);
    let order = o.ordering.place_order(&w.buyer, w.by_card()).await.unwrap();
    assert_eq!(w.stored(&order).await.id, order.id);
    assert!(o.gateway.voids.lock().unwrap().is_empty());
    assert_eq!(purchases(&w).await, 3);
    w.assert_ledger_sound();
}

#[tokio::test]
async fn a_try_that_lost_to_another_under_its_key_returns_that_order() {
    let w = world().await;
    let o = outage(&w, Write::OtherTryWon, 0);
    let (order, answer) = keyed(&o, &w, "k1", "attempt-1").await.unwrap();
    // The other try's order, with no answer of ours (the winner stored its own).
    assert!(answer.is_none());
    assert_eq!(w.stored(&order).await.id, order.id);
    assert!(o.gateway.voids.lock().unwrap().is_empty());
    assert_eq!(purchases(&w).await, 1);
    w.assert_ledger_sound();
}
