//! Reviews: the buyer of a completed order, once; the seller answers, once.

use krika_kernel::ids::{ReviewId, ServiceId};
use krika_kernel::{DomainEvent, Page, PageRequest, RepoError, ValidationErrors};

use super::{Customer, Ordering};
use crate::OrderingError;
use crate::model::review::{COMMENT_MAX, comment};
use crate::model::{OrderStatus, Party, PartyRef, Review, ReviewInput, ReviewSummary};
use crate::ports::{AlreadyExists, ReviewWriteError};

impl Ordering {
    pub async fn create_review(
        &self,
        caller: &Customer,
        input: ReviewInput,
    ) -> Result<Review, OrderingError> {
        let (order_id, rating, criteria, text) = input.parse()?;
        let (order, party) = self.order(caller, order_id).await?;
        if party != Party::Buyer {
            return Err(OrderingError::NotTheBuyer);
        }
        if order.status != OrderStatus::Completed {
            return Err(ValidationErrors::single("orderId", "the order is not completed").into());
        }
        let review = Review {
            id: ReviewId::new(),
            order_id,
            service_id: order.service.id,
            seller_id: order.seller.id,
            buyer: PartyRef {
                id: caller.id,
                name: caller.name.clone(),
                username: caller.username.clone(),
            },
            rating,
            criteria,
            comment: text,
            response: None,
            created_at: self.now(),
        };
        let event = DomainEvent::new(
            "review.created",
            review.id.0,
            serde_json::json!({
                "reviewId": review.id,
                "orderId": order.id,
                "number": order.number,
                "serviceId": review.service_id,
                "serviceTitle": order.service.title,
                "sellerId": review.seller_id,
                "buyerId": caller.id,
                "rating": review.rating,
            }),
        );
        self.ports
            .reviews
            .create_review(&review, &[event])
            .await
            .map_err(|e| already(e, OrderingError::AlreadyReviewed))?;
        Ok(review)
    }

    pub async fn respond_to_review(
        &self,
        caller: &Customer,
        id: ReviewId,
        text: Option<String>,
    ) -> Result<Review, OrderingError> {
        let text = comment("comment", text.as_deref(), COMMENT_MAX)?;
        let review = self
            .ports
            .reviews
            .find_review(id)
            .await?
            .ok_or(OrderingError::NotFound)?;
        if review.seller_id != caller.id {
            return Err(OrderingError::NotTheSeller);
        }
        self.ports
            .reviews
            .respond_to_review(id, &text, self.now())
            .await
            .map_err(|e| already(e, OrderingError::AlreadyAnswered))
    }

    pub async fn service_reviews(
        &self,
        service: ServiceId,
        page: PageRequest,
    ) -> Result<(Page<Review>, ReviewSummary), OrderingError> {
        Ok(self.ports.reviews.service_reviews(service, page).await?)
    }
}

/// `taken` when the row exists already; the unexpected as it is.
fn already(error: ReviewWriteError, taken: OrderingError) -> OrderingError {
    match error {
        RepoError::Refused(AlreadyExists) => taken,
        RepoError::Unexpected(e) => e.into(),
    }
}
