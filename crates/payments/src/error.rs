use krika_kernel::{Unexpected, ValidationErrors};

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
    #[error("invalid transition from {from}")]
    InvalidTransition {
        from: &'static str,
        allowed: Vec<&'static str>,
    },
    #[error(transparent)]
    Unexpected(#[from] Unexpected),
}

impl PaymentsError {
    /// A refusal of who the caller is (403), as opposed to the state of things (409).
    pub fn is_forbidden(&self) -> bool {
        matches!(self, Self::AdminOnly | Self::KycNotApproved)
    }
}
