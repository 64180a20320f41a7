use krika_kernel::{RepoError, Unexpected, ValidationErrors};
use krika_payments::ports::InsufficientFunds;

use crate::ports::OrderUnchanged;

/// Everything an ordering use case can refuse; the HTTP layer picks statuses.
#[derive(Debug, thiserror::Error)]
pub enum OrderingError {
    #[error(transparent)]
    Validation(#[from] ValidationErrors),
    /// Unknown, or not visible to the caller.
    #[error("not found")]
    NotFound,
    /// Sellers cannot buy from themselves.
    #[error("you cannot order your own service")]
    OwnService,
    /// The transition exists, but it is the other party's to make (the buyer completes,
    /// the seller delivers).
    #[error("this change belongs to the other party")]
    OtherPartysMove,
    #[error("only the buyer reviews an order")]
    NotTheBuyer,
    #[error("only the seller answers a review")]
    NotTheSeller,
    #[error("admin role required")]
    AdminOnly,
    #[error("this order already has a review")]
    AlreadyReviewed,
    #[error("this review already has a response")]
    AlreadyAnswered,
    #[error("invalid transition from {from}")]
    InvalidTransition {
        from: &'static str,
        allowed: Vec<&'static str>,
    },
    /// The wallet does not cover the order, or the card was declined.
    #[error("insufficient funds")]
    InsufficientFunds,
    /// The buyer's Idempotency-Key placed an order more than a day ago (keys are kept
    /// 24 h): reused now, it is a new request under an old key (422 mismatch).
    #[error("this Idempotency-Key placed order {number} more than 24 hours ago: send a new key")]
    RequestKeyReused { number: String },
    /// The card was charged, then the database went away before it could say whether the
    /// order was saved: the charge is kept for the retry under the same Idempotency-Key,
    /// which gets it back from the provider (503, and the key must not be released).
    #[error("the card was charged but the order could not be confirmed: {0}")]
    ChargeUnsettled(Unexpected),
    #[error("file too large (limit {limit} bytes)")]
    TooLarge { limit: usize },
    #[error(transparent)]
    Unexpected(#[from] Unexpected),
}

impl OrderingError {
    /// A refusal of who the caller is (403), as opposed to the state of things (409).
    pub fn is_forbidden(&self) -> bool {
        matches!(
            self,
            Self::OwnService
                | Self::OtherPartysMove
                | Self::NotTheBuyer
                | Self::NotTheSeller
                | Self::AdminOnly
        )
    }

    /// Something exists already (409).
    pub fn is_conflict(&self) -> bool {
        matches!(self, Self::AlreadyReviewed | Self::AlreadyAnswered)
    }
}

impl From<krika_kernel::ports::BlobError> for OrderingError {
    fn from(error: krika_kernel::ports::BlobError) -> Self {
        Self::Unexpected(Unexpected::new(error))
    }
}

impl From<RepoError<InsufficientFunds>> for OrderingError {
    fn from(error: RepoError<InsufficientFunds>) -> Self {
        match error {
            RepoError::Refused(InsufficientFunds) => Self::InsufficientFunds,
            RepoError::Unexpected(e) => Self::Unexpected(e),
        }
    }
}

impl From<RepoError<OrderUnchanged>> for OrderingError {
    fn from(error: RepoError<OrderUnchanged>) -> Self {
        match error {
            RepoError::Refused(OrderUnchanged::Gone) => Self::NotFound,
            RepoError::Refused(OrderUnchanged::Refused(refusal)) => refusal.into(),
            RepoError::Unexpected(e) => Self::Unexpected(e),
        }
    }
}
