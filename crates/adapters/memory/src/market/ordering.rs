//! Orders (written with their ledger transfers and events) and reviews (written with the
//! service's rating).

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use krika_kernel::ids::{OrderId, ReviewId, ServiceId, UserId};
use krika_kernel::ports::IdempotentAnswer;
use krika_kernel::{DomainEvent, Page, PageRequest, RepoError, Unexpected};
use krika_ordering::ports::{
    AlreadyExists, ChangeOrderError, OrderRepository, OrderUnchanged, PlaceOrderError,
    ReviewRepository, ReviewWriteError, Side,
};
use krika_ordering::rules::{ChangeRequest, Via, decide};
use krika_ordering::{Order, OrderStatus, Party, Review, ReviewResponse, ReviewSummary};
use krika_payments::Transfer;
use krika_payments::ports::{ClearanceSince, InsufficientFunds};

use super::MemoryMarket;
use crate::{lock, paginate};

/// Money in escrow always covers its release or refund; a refused post means the ledger
/// and the order disagree, which must fail loudly.
fn escrow_mismatch(_: InsufficientFunds) -> Unexpected {
    Unexpected::msg("escrow does not cover the order's release or refund")
}

impl MemoryMarket {
    /// A write that completed the order counts it on its service (`ordersCount` is the
    /// number of completed orders), under the market's lock as PostgreSQL does it in the
    /// same transaction.
    fn counted(&self, order: Order) -> Order {
        if order.status == OrderStatus::Completed {
            self.catalog.count_order(order.service.id);
        }
        order
    }
}

#[async_trait]
impl OrderRepository for MemoryMarket {
    async fn next_order_number(&self, year: i32) -> Result<String, Unexpected> {
        let mut state = lock(&self.state);
        state.order_number += 1;
        Ok(format!("KR-{year}-{:06}", state.order_number))
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
        if answer.is_some() && self.idempotency.is_none() {
            return Err(Unexpected::msg(
                "an idempotent answer needs MemoryMarket::with_idempotency",
            )
            .into());
        }
        let mut state = lock(&self.state);
        if state
            .orders
            .values()
            .any(|o| o.id == order.id || o.number == order.number)
        {
            return Err(Unexpected::msg(format!(
                "order {} ({}) already exists",
                order.id, order.number
            ))
            .into());
        }
        let request = request_key.map(|key| (order.buyer.id, key.to_owned()));
        if request
            .as_ref()
            .is_some_and(|r| state.order_requests.contains_key(r))
        {
            return Err(Unexpected::msg("an order already uses this request key").into());
        }
        if let Err(refused) = state.ledger.post(transfers, clearance, order.created_at) {
            return Err(RepoError::Refused(refused));
        }
        state.orders.insert(order.id, order.clone());
        if let Some(request) = request {
            state.order_requests.insert(request, order.id);
        }
        state.events.extend_from_slice(events);
        if let (Some(answer), Some(keys)) = (answer, &self.idempotency) {
            keys.answer(answer);
        }
        Ok(())
    }

    async fn find_order(&self, id: OrderId) -> Result<Option<Order>, Unexpected> {
        Ok(lock(&self.state).orders.get(&id).cloned())
    }

    async fn find_order_by_request(
        &self,
        buyer: UserId,
        request_key: &str,
    ) -> Result<Option<Order>, Unexpected> {
        let state = lock(&self.state);
        Ok(state
            .order_requests
            .get(&(buyer, request_key.to_owned()))
            .and_then(|id| state.orders.get(id))
            .cloned())
    }

    async fn list_orders(
        &self,
        side: Side,
        user: UserId,
        status: Option<OrderStatus>,
        page: PageRequest,
    ) -> Result<Page<Order>, Unexpected> {
        let state = lock(&self.state);
        let mut found: Vec<Order> = state
            .orders
            .values()
            .filter(|o| match side {
                Side::Purchases => o.buyer.id == user,
                Side::Sales => o.seller.id == user,
            })
            .filter(|o| status.is_none_or(|status| o.status == status))
            .cloned()
            .collect();
        found.sort_by(|a, b| b.created_at.cmp(&a.created_at).then(b.id.cmp(&a.id)));
        Ok(paginate(found, page))
    }

    async fn change_order(
        &self,
        id: OrderId,
        request: &ChangeRequest,
    ) -> Result<Order, ChangeOrderError> {
        let mut state = lock(&self.state);
        let Some(order) = state.orders.get(&id) else {
            return Err(RepoError::Refused(OrderUnchanged::Gone));
        };
        let decision = decide(order, request)
            .map_err(|refusal| RepoError::Refused(OrderUnchanged::Refused(refusal)))?;
        state
            .ledger
            .post(&decision.transfers, None, request.now)
            .map_err(escrow_mismatch)?;
        state
            .write(id, decision, request.now)
            .map(|order| self.counted(order))
            .ok_or(RepoError::Refused(OrderUnchanged::Gone))
    }

    async fn auto_complete(
        &self,
        delivered_before: DateTime<Utc>,
        now: DateTime<Utc>,
        limit: i64,
    ) -> Result<Vec<Order>, Unexpected> {
        let mut state = lock(&self.state);
        let mut due: Vec<&Order> = state
            .orders
            .values()
            .filter(|o| o.status == OrderStatus::Delivered)
            .filter(|o| o.delivered_at.is_some_and(|at| at < delivered_before))
            .collect();
        due.sort_by_key(|o| (o.delivered_at, o.id));
        due.truncate(usize::try_from(limit).unwrap_or(0));
        let request = ChangeRequest {
            to: OrderStatus::Completed,
            by: Party::System,
            user: None,
            reason: Some("completed automatically after delivery".into()),
            via: Via::Status,
            now,
        };
        // Decided and posted as a whole, so a failure completes none (one transaction in
        // PostgreSQL).
        let decisions = due
            .into_iter()
            .map(|order| decide(order, &request).map(|decision| (order.id, decision)))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|_| Unexpected::msg("a delivered order refused auto-completion"))?;
        let transfers: Vec<&[Transfer]> = decisions
            .iter()
            .map(|(_, decision)| decision.transfers.as_slice())
            .collect();
        state
            .ledger
            .post_all(&transfers, None, now)
            .map_err(escrow_mismatch)?;
        Ok(decisions
            .into_iter()
            .filter_map(|(id, decision)| state.write(id, decision, now))
            .map(|order| self.counted(order))
            .collect())
    }
}

/// The averages and distribution of `reviews`, rounded to two decimals as PostgreSQL
/// answers them.
fn summary<'a>(reviews: impl Iterator<Item = &'a Review>) -> ReviewSummary {
    let mut summary = ReviewSummary::default();
    let mut sums = [0i64; 4];
    for review in reviews {
        summary.count += 1;
        let stars = [
            review.rating,
            review.criteria.communication,
            review.criteria.quality,
            review.criteria.delivery,
        ];
        for (sum, stars) in sums.iter_mut().zip(stars) {
            *sum += i64::from(stars);
        }
        if let Some(slot) = usize::try_from(review.rating - 1)
            .ok()
            .and_then(|i| summary.distribution.get_mut(i))
        {
            *slot += 1;
        }
    }
    if summary.count > 0 {
        let average = |sum: i64| (sum as f64 / summary.count as f64 * 100.0).round() / 100.0;
        summary.average = average(sums[0]);
        summary.communication = average(sums[1]);
        summary.quality = average(sums[2]);
        summary.delivery = average(sums[3]);
    }
    summary
}

#[async_trait]
impl ReviewRepository for MemoryMarket {
    async fn create_review(
        &self,
        review: &Review,
        events: &[DomainEvent],
    ) -> Result<(), ReviewWriteError> {
        let mut state = lock(&self.state);
        if state
            .reviews
            .values()
            .any(|r| r.id == review.id || r.order_id == review.order_id)
        {
            return Err(RepoError::Refused(AlreadyExists));
        }
        state.reviews.insert(review.id, review.clone());
        self.catalog.add_review(review.service_id, review.rating);
        state.events.extend_from_slice(events);
        Ok(())
    }

    async fn find_review(&self, id: ReviewId) -> Result<Option<Review>, Unexpected> {
        Ok(lock(&self.state).reviews.get(&id).cloned())
    }

    async fn respond_to_review(
        &self,
        id: ReviewId,
        comment: &str,
        now: DateTime<Utc>,
    ) -> Result<Review, ReviewWriteError> {
        let mut state = lock(&self.state);
        // An unknown review answers as one already answered, as the PostgreSQL update
        // that matches no row does.
        match state.reviews.get_mut(&id) {
            Some(review) if review.response.is_none() => {
                review.response = Some(ReviewResponse {
                    comment: comment.to_owned(),
                    created_at: now,
                });
                Ok(review.clone())
            }
            _ => Err(RepoError::Refused(AlreadyExists)),
        }
    }

    async fn service_reviews(
        &self,
        service: ServiceId,
        page: PageRequest,
    ) -> Result<(Page<Review>, ReviewSummary), Unexpected> {
        let state = lock(&self.state);
        let mut found: Vec<Review> = state
            .reviews
            .values()
            .filter(|r| r.service_id == service)
            .cloned()
            .collect();
        found.sort_by(|a, b| b.created_at.cmp(&a.created_at).then(b.id.cmp(&a.id)));
        let summary = summary(found.iter());
        Ok((paginate(found, page), summary))
    }
}
