//! Reviews of completed orders.

use chrono::{DateTime, Utc};
use krika_kernel::ValidationErrors;
use krika_kernel::ids::{OrderId, ReviewId, ServiceId, UserId};

use super::order::PartyRef;

pub const COMMENT_MAX: usize = 2_000;

/// Stars for each criterion, 1..5.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Criteria {
    pub communication: i16,
    pub quality: i16,
    pub delivery: i16,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReviewResponse {
    pub comment: String,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Review {
    pub id: ReviewId,
    pub order_id: OrderId,
    pub service_id: ServiceId,
    pub seller_id: UserId,
    pub buyer: PartyRef,
    pub rating: i16,
    pub criteria: Criteria,
    pub comment: String,
    pub response: Option<ReviewResponse>,
    pub created_at: DateTime<Utc>,
}

/// Averages over a service's reviews; `distribution[0]` counts one-star reviews.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct ReviewSummary {
    pub average: f64,
    pub count: i64,
    pub communication: f64,
    pub quality: f64,
    pub delivery: f64,
    pub distribution: [i64; 5],
}

#[derive(Debug, Clone, Default)]
pub struct ReviewInput {
    pub order_id: Option<OrderId>,
    pub rating: Option<i64>,
    pub comment: Option<String>,
    pub communication: Option<i64>,
    pub quality: Option<i64>,
    pub delivery: Option<i64>,
}

fn stars(errors: &mut ValidationErrors, field: &str, value: Option<i64>) -> i16 {
    match value {
        Some(v @ 1..=5) => v as i16,
        Some(_) => {
            errors.push(field, format!("{field} must be between 1 and 5"));
            0
        }
        None => {
            errors.push(field, format!("{field} is required"));
            0
        }
    }
}

/// A comment of at most `max` characters that is not blank, kept exactly as sent (only names
/// and titles are trimmed, docs/errors.md).
pub fn comment(field: &str, text: Option<&str>, max: usize) -> Result<String, ValidationErrors> {
    let text = text.unwrap_or("");
    if text.trim().is_empty() || text.chars().count() > max {
        return Err(ValidationErrors::single(
            field,
            format!("{field} must be 1 to {max} characters"),
        ));
    }
    Ok(text.to_owned())
}

impl ReviewInput {
    pub fn parse(&self) -> Result<(OrderId, i16, Criteria, String), ValidationErrors> {
        let mut errors = ValidationErrors::new();
        if self.order_id.is_none() {
            errors.push("orderId", "orderId is required");
        }
        let rating = stars(&mut errors, "rating", self.rating);
        let criteria = Criteria {
            communication: stars(&mut errors, "criteria.communication", self.communication),
            quality: stars(&mut errors, "criteria.quality", self.quality),
            delivery: stars(&mut errors, "criteria.delivery", self.delivery),
        };
        let text = self.comment.clone().unwrap_or_default();
        if text.chars().count() > COMMENT_MAX {
            errors.push("comment", "comment must be at most 2000 characters");
        }
        errors.into_result()?;
        let order = self
            .order_id
            .ok_or_else(|| ValidationErrors::single("orderId", "orderId is required"))?;
        Ok((order, rating, criteria, text.trim().to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_star_field_is_checked() {
        let error = ReviewInput {
            rating: Some(6),
            quality: Some(0),
            ..Default::default()
        }
        .parse()
        .unwrap_err();
        let fields: Vec<_> = error.0.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "orderId",
                "rating",
                "criteria.communication",
                "criteria.quality",
                "criteria.delivery"
            ]
        );
    }
}
