//! What ordering needs from storage. Placing an order and changing its status are one call
//! each: the adapter writes the order, its ledger transfers and its events in one
//! transaction.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use krika_kernel::ids::{OrderId, ReviewId, ServiceId, UserId};
use krika_kernel::ports::IdempotentAnswer;
use krika_kernel::{DomainEvent, Page, PageRequest, RepoError, Unexpected};
use krika_payments::Transfer;
use krika_payments::ports::{ClearanceSince, InsufficientFunds};

use crate::model::{Order, OrderStatus, PlatformStats, Review, ReviewSummary};
use crate::rules::{ChangeRequest, Refusal};

/// A payment its wallet does not cover is refused.
pub type PlaceOrderError = RepoError<InsufficientFunds>;

/// Why an order did not change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OrderUnchanged {
    /// There is no such order.
    Gone,
    /// The rules refused the change (checked under the row's lock).
    Refused(Refusal),
}

pub type ChangeOrderError = RepoError<OrderUnchanged>;

/// A second review of an order, or a second response to a review, is refused.
pub type ReviewWriteError = RepoError<AlreadyExists>;

/// Which side of the orders a list is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    Purchases,
    Sales,
}

#[async_trait]
pub trait OrderRepository: Send + Sync + 'static {
    /// A fresh `KR-YYYY-NNNNNN`.
    async fn next_order_number(&self, year: i32) -> Result<String, Unexpected>;

    /// Stores a new order with its history, posts `transfers` (the payment into escrow)
    /// and records `events`, unless a wallet would not cover the transfers (earnings
    /// credited after `clearance` cannot be spent yet).
    /// `request_key` (the buyer's Idempotency-Key) is stored with it, unique per buyer,
    /// and `answer` (the key's stored response) in the same transaction.
    async fn place_order(
        &self,
        order: &Order,
        request_key: Option<&str>,
        transfers: &[Transfer],
        clearance: ClearanceSince,
        events: &[DomainEvent],
        answer: Option<&IdempotentAnswer>,
    ) -> Result<(), PlaceOrderError>;

    async fn find_order(&self, id: OrderId) -> Result<Option<Order>, Unexpected>;

    /// The order `buyer` placed under `request_key`, if any.
    async fn find_order_by_request(
        &self,
        buyer: UserId,
        request_key: &str,
    ) -> Result<Option<Order>, Unexpected>;

    /// The user's orders on one side, newest first.
    async fn list_orders(
        &self,
        side: Side,
        user: UserId,
        status: Option<OrderStatus>,
        page: PageRequest,
    ) -> Result<Page<Order>, Unexpected>;

    /// Locks the order, asks [`crate::rules::decide`] and writes its decision (a completed
    /// order counts in its service's `orders_count`).
    async fn change_order(
        &self,
        id: OrderId,
        request: &ChangeRequest,
    ) -> Result<Order, ChangeOrderError>;

    /// Completes up to `limit` orders delivered before `delivered_before`, skipping rows
    /// another instance holds; returns them as they now are.
    async fn auto_complete(
        &self,
        delivered_before: DateTime<Utc>,
        now: DateTime<Utc>,
        limit: i64,
    ) -> Result<Vec<Order>, Unexpected>;
}

/// The order already has its review, or the review its response.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("already exists")]
pub struct AlreadyExists;

#[async_trait]
pub trait ReviewRepository: Send + Sync + 'static {
    /// Stores the review, adds its stars to the service's (and so the seller's) rating and
    /// records `events`, in one transaction.
    async fn create_review(
        &self,
        review: &Review,
        events: &[DomainEvent],
    ) -> Result<(), ReviewWriteError>;

    async fn find_review(&self, id: ReviewId) -> Result<Option<Review>, Unexpected>;

    /// Sets the seller's response unless there is one.
    async fn respond_to_review(
        &self,
        id: ReviewId,
        comment: &str,
        now: DateTime<Utc>,
    ) -> Result<Review, ReviewWriteError>;

    /// Newest first, with the summary over all of them.
    async fn service_reviews(
        &self,
        service: ServiceId,
        page: PageRequest,
    ) -> Result<(Page<Review>, ReviewSummary), Unexpected>;
}

#[async_trait]
pub trait StatsReader: Send + Sync + 'static {
    async fn platform_stats(&self) -> Result<PlatformStats, Unexpected>;
}
