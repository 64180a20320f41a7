use krika_kernel::{RepoError, Unexpected, ValidationErrors};

use crate::model::PayoutStatus;
use crate::ports::{CodeTaken, InsufficientFunds};

/// Everything a payments use case can refuse; the HTTP layer picks statuses.
#[derive(Debug, thiserror::Error)]
pub enum PaymentsError {
    #[error(transparent)]
    Validation(#[from] ValidationErrors),
    #[error("not found")]
    NotFound,
    #[error("admin role required")]
    AdminOnly,
    /// Only sellers whose KYC an admin approved are paid out.
    #[error("payouts need an approved KYC")]
    KycNotApproved,
    #[error("an offer already uses this code")]
    OfferCodeTaken,
    /// More than the available balance, or a declined card.
    #[error("insufficient funds")]
    InsufficientFunds,
    /// The seller's Idempotency-Key asked for a payout more than a day ago (keys are kept
    /// 24 h): reused now, it is a new request under an old key (422 mismatch).
    #[error("this Idempotency-Key asked for a payout more than 24 hours ago: send a new key")]
    RequestKeyReused,
    #[error("invalid transition from {from}")]
    InvalidTransition {
        from: &'static str,
        allowed: Vec<&'static str>,
    },
    #[error(transparent)]
    Unexpected(#[from] Unexpected),
}

impl PaymentsError {
    /// A payout already processed or rejected goes nowhere.
    pub fn not_pending(status: PayoutStatus) -> Self {
        Self::InvalidTransition {
            from: status.as_str(),
            allowed: Vec::new(),
        }
    }

    /// A refusal of who the caller is (403), as opposed to the state of things (409).
    pub fn is_forbidden(&self) -> bool {
        matches!(self, Self::AdminOnly | Self::KycNotApproved)
    }
}

impl From<RepoError<InsufficientFunds>> for PaymentsError {
    fn from(error: RepoError<InsufficientFunds>) -> Self {
        match error {
            RepoError::Refused(InsufficientFunds) => Self::InsufficientFunds,
            RepoError::Unexpected(e) => Self::Unexpected(e),
        }
    }
}

impl From<RepoError<CodeTaken>> for PaymentsError {
    fn from(error: RepoError<CodeTaken>) -> Self {
        match error {
            RepoError::Refused(CodeTaken) => Self::OfferCodeTaken,
            RepoError::Unexpected(e) => Self::Unexpected(e),
        }
    }
}

impl From<RepoError<PayoutStatus>> for PaymentsError {
    fn from(error: RepoError<PayoutStatus>) -> Self {
        match error {
            RepoError::Refused(status) => Self::not_pending(status),
            RepoError::Unexpected(e) => Self::Unexpected(e),
        }
    }
}
